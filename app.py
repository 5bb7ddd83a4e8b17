"""Word2Vec Lab: the router. The shared sidebar lives in lab.session, pages in pages/."""

import streamlit as st

from lab.session import sidebar

st.set_page_config(page_title="Word2Vec Lab", page_icon="🔤", layout="wide")

LESSON = [
    st.Page("pages/text.py", title="1. Text and vocabulary", icon="📝", default=True),
    st.Page("pages/cooccurrence.py", title="2. Co-occurrence", icon="🔢"),
    st.Page("pages/pairs.py", title="3. Training pairs", icon="🪟"),
    st.Page("pages/negatives.py", title="4. Negative sampling", icon="🎲"),
    st.Page("pages/model.py", title="5. The model and one SGD step", icon="🧠"),
]
page = st.navigation({"The lesson": LESSON})
sidebar()
page.run()
