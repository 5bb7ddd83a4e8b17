"""Word2Vec Lab: the router. Pages are listed in lab.routes; the shared sidebar is lab.session."""

import streamlit as st

from lab.routes import ROUTES
from lab.session import sidebar

st.set_page_config(page_title="Word2Vec Lab", page_icon=":material/hub:", layout="wide")

sections: dict[str, list] = {}
for i, r in enumerate(ROUTES):
    page = st.Page(r.file_path, title=r.title, icon=r.icon, default=i == 0)
    sections.setdefault(r.section, []).append(page)
page = st.navigation(sections)
sidebar()
page.run()
