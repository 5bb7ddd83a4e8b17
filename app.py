"""Word2Vec Lab: the router. The shared sidebar lives in lab.session, pages in pages/."""

from pathlib import Path

import streamlit as st

from lab.session import sidebar

# Not "pages/": next to an st.navigation app, a folder of that name makes Streamlit run
# a deep-linked page without app.py (no sidebar) on a fresh server, and in AppTest.
PAGES = Path(__file__).parent / "app_pages"

st.set_page_config(page_title="Word2Vec Lab", page_icon=":material/hub:", layout="wide")

LESSON = [
    st.Page(
        PAGES / "text.py", title="1. Text and vocabulary", icon=":material/notes:", default=True
    ),
    st.Page(PAGES / "cooccurrence.py", title="2. Co-occurrence", icon=":material/grid_on:"),
    st.Page(PAGES / "pairs.py", title="3. Training pairs", icon=":material/swap_horiz:"),
    st.Page(PAGES / "negatives.py", title="4. Negative sampling", icon=":material/casino:"),
    st.Page(
        PAGES / "model.py", title="5. The model and one SGD step", icon=":material/psychology:"
    ),
]
TRAIN = [
    st.Page(PAGES / "train.py", title="Live training", icon=":material/play_circle:"),
]
page = st.navigation({"The lesson": LESSON, "Train": TRAIN})
sidebar()
page.run()
