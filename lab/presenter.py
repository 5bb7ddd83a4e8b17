"""Presenter mode: the app on a classroom projector.

Switched on by the sidebar's toggle or by ``?present=1`` in a lesson link (the
sidebar then starts collapsed). It prints text and figures larger, trims the
page margins, and lets pages choose a compact layout (the live page puts its
heatmaps, loss and projection on one 1024x768 screen). ``chart`` is the one
way pages draw a Plotly figure, so that every figure follows the mode.
"""

import streamlit as st

from lab.figures.style import scaled

PARAM = "present"  # the lesson link's parameter
KEY = "presenter"  # the sidebar toggle's widget key
FIRST = "presenter_from_link"  # what the link said on the session's first run
ON = ("1", "true", "yes", "on")

CSS = """
<style>
  /* larger print for the back of the room; Streamlit sizes its text in rem */
  html { font-size: 19px; }
  [data-testid="stMainBlockContainer"] { padding-top: 2.2rem; padding-bottom: 1rem; }
  h1 { font-size: 1.9rem !important; padding-top: 0 !important; }
</style>
"""


def from_link() -> bool:
    """Whether the address asks for presenter mode (read before the page is configured)."""
    return str(st.query_params.get(PARAM, "")).strip().lower() in ON


def is_on() -> bool:
    return bool(st.session_state.get(KEY, from_link()))


def toggle() -> None:
    """The sidebar switch (starts from the value of the link the session was opened with)."""
    st.toggle(
        "Presenter mode",
        value=st.session_state.setdefault(FIRST, from_link()),
        key=KEY,
        help="For a projector: larger text and figures, and the live page's heatmaps, loss "
        "and projection on one screen. A lesson link carries it as present=1.",
    )


def style() -> None:
    """Apply the mode's styles to this run's page (call once per script run)."""
    if is_on():
        st.html(CSS)


def chart(fig, key: str, **kwargs) -> None:
    """``st.plotly_chart`` at full width, with presenter mode's larger print when on."""
    st.plotly_chart(scaled(fig) if is_on() else fig, key=key, width="stretch", **kwargs)


def link_params() -> dict[str, str]:
    """What a lesson link adds for the mode (nothing when it is off)."""
    return {PARAM: "1"} if is_on() else {}
