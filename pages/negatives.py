"""Placeholder page: negatives."""

import streamlit as st

from lab.session import current

settings, lesson = current()
st.title("negatives")
st.write(f"{lesson.title}: {lesson.n_tokens:,} tokens, {len(lesson.vocab):,} words.")
