"""Word2Vec Lab: the router. Pages live in pages/, the engine in w2v_core/."""

import streamlit as st

st.set_page_config(page_title="Word2Vec Lab", page_icon="🔤", layout="wide")

pages = [
    st.Page("pages/quick_look.py", title="Quick look", icon="👀", default=True),
]
st.navigation(pages).run()
