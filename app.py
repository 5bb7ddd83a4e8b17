"""Word2Vec Lab: the router. Pages are listed in lab.routes; the shared sidebar is lab.session."""

import streamlit as st

from lab import exercise_view, presenter
from lab.routes import ROUTES
from lab.session import share, sidebar

st.set_page_config(
    page_title="Word2Vec Lab",
    page_icon=":material/hub:",
    layout="wide",
    initial_sidebar_state="collapsed" if presenter.from_link() else "auto",
)

sections: dict[str, list] = {}
for i, r in enumerate(ROUTES):
    page = st.Page(r.file_path, title=r.title, icon=r.icon, default=i == 0)
    sections.setdefault(r.section, []).append(page)
page = st.navigation(sections)
sidebar()
presenter.style()
page.run()
exercise_view.progress_box()  # after the page: counts what this run checked
share()  # after the page: the link describes what it showed
