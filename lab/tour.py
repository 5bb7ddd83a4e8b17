"""The guided tour: the lesson pages in order, one idea per screen, on the live views.

A page is a list of named sections (``Section``) drawn in order by
``draw(page_file, sections)``. Outside the tour every section is drawn. In the
tour (the sidebar's switch, or ``?tour=N`` in a lesson link) the current step
names one page and the sections that carry its idea: only those are drawn,
under a banner with the idea, what to look at, and Back/Next buttons that move
to the next step, switching page when the step lives on another one.
"""

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from lab.routes import ROUTES

STEP = "tour_step"  # session state: the current step (0-based), or absent when off
PARAM = "tour"  # a lesson link's parameter: the 1-based step to open
SWITCH = "tour_switch"  # the sidebar toggle's key
OPENING = "tour_opening"  # set by the toggle: open the first step's page


@dataclass(frozen=True)
class Section:
    name: str  # a short id, e.g. "window"
    draw: Callable[[], None]  # draws the section (reads what it needs itself)


@dataclass(frozen=True)
class Step:
    page: str  # the page file in app_pages/, e.g. "pairs.py"
    sections: tuple[str, ...]  # the sections of that page shown in this step
    idea: str  # the one idea of the step (Markdown)
    look: str  # what to look at or try on the screen (Markdown)


def steps() -> tuple[Step, ...]:
    from lab.tour_steps import TOUR  # the text of the tour, one Step per screen

    return TOUR


def active() -> bool:
    return st.session_state.get(STEP) is not None


def start(step: int = 0) -> None:
    st.session_state[STEP] = max(0, min(step, len(steps()) - 1))


def stop() -> None:
    st.session_state.pop(STEP, None)


def end() -> None:
    """The banner's End button (a callback: the tour is off before the script runs)."""
    stop()


def current() -> Step | None:
    i = st.session_state.get(STEP)
    return None if i is None else steps()[i]


def _route_path(page_file: str) -> str:
    return next(r.path for r in ROUTES if r.file == page_file)


def _go(i: int) -> None:
    """Move to step i, switching page when it lives elsewhere."""
    here = current()
    start(i)
    there = current()
    if here is None or there.page != here.page:
        st.switch_page(_route_path(there.page))
    st.rerun()


def banner() -> None:
    """The tour's box: step i of n, the idea, what to look at, Back / Next / End."""
    step, i, n = current(), st.session_state[STEP], len(steps())
    with st.container(border=True):
        st.caption(f"Guided tour: step {i + 1} of {n}")
        st.markdown(step.idea)
        st.markdown(step.look)
        row = st.container(horizontal=True, gap="small")
        if row.button("Back", icon=":material/arrow_back:", key="tour_back", disabled=i == 0):
            _go(i - 1)
        if row.button("Next", icon=":material/arrow_forward:", key="tour_next",
                      type="primary", disabled=i == n - 1):  # fmt: skip
            _go(i + 1)
        row.button("End the tour", key="tour_end", on_click=end)


def draw(page_file: str, sections: list[Section]) -> None:
    """Draw a page's sections: all of them, or in the tour only the current step's."""
    step = current()
    if step is None or step.page != page_file:
        for s in sections:
            s.draw()
        return
    banner()
    for s in sections:
        if s.name in step.sections:
            s.draw()


def _switched() -> None:
    """The toggle's callback (runs before the script): on starts at step 1, off stops."""
    if st.session_state.get(SWITCH):
        start(0)
        st.session_state[OPENING] = True  # the script then opens step 1's page
    else:
        stop()


def switch() -> None:
    """The sidebar's switch (with the lesson link's ?tour=N read on the session's first run).

    The toggle shows whether the tour is on, however it was started (a link, the toggle,
    or a test setting the step); flipping it starts or ends the tour."""
    if "tour_link_read" not in st.session_state:
        st.session_state["tour_link_read"] = True
        raw = str(st.query_params.get(PARAM, "")).strip()
        if raw.isdigit() and 1 <= int(raw) <= len(steps()):
            start(int(raw) - 1)
    st.session_state[SWITCH] = active()  # before the widget exists: it shows the truth
    st.sidebar.toggle("Guided tour", key=SWITCH, on_change=_switched,
                      help="The lesson pages in order, one idea per screen, with Next and "
                      "Back.")  # fmt: skip
    if st.session_state.pop(OPENING, False) and active():
        st.switch_page(_route_path(steps()[0].page))


def link_params() -> dict[str, str]:
    """What a lesson link adds for the tour (its 1-based step), nothing when it is off."""
    i = st.session_state.get(STEP)
    return {} if i is None else {PARAM: str(i + 1)}
