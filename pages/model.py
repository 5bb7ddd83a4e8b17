"""Placeholder page: model."""

import streamlit as st

from lab.session import current

settings, lesson = current()
st.title("model")
st.write(f"{lesson.title}: {lesson.n_tokens:,} tokens, {len(lesson.vocab):,} words.")
