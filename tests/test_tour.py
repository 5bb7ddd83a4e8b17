"""The guided tour: a lesson link opens it, Next walks every step across the pages, End stops."""

from apptest import ROOT
from streamlit.testing.v1 import AppTest

from lab import tour
from lab.routes import ROUTES
from lab.tour_steps import TOUR


def banner(at: AppTest) -> str:
    return next((c.value for c in at.caption if c.value.startswith("Guided tour")), "")


def test_every_step_names_sections_its_page_draws():
    files = {r.file for r in ROUTES}
    for step in TOUR:
        assert step.page in files and step.sections and step.idea and step.look


def test_a_tour_link_opens_step_one_and_next_walks_every_step():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"preset": "royalty", "tour": "1"})
    at.run()
    assert not at.exception
    n = len(TOUR)
    for i, step in enumerate(TOUR):
        assert at.session_state[tour.STEP] == i
        assert banner(at) == f"Guided tour: step {i + 1} of {n}"
        assert at.query_params["tour"] == str(i + 1)  # the lesson link reopens this step
        assert not at.exception, (i, step)
        if i < n - 1:
            at.button(key="tour_next").click().run()
            at.run()  # a step on another page: the switch reruns there
    assert at.button(key="tour_next").disabled
    at.button(key="tour_back").click().run()
    assert at.session_state[tour.STEP] == n - 2
    at.button(key="tour_end").click().run()
    assert tour.STEP not in at.session_state and not banner(at)
    assert "tour" not in at.query_params


def test_outside_the_tour_every_section_is_drawn():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    full = len(at.subheader) + len(at.header)
    at.toggle(key="tour_switch").set_value(True).run()
    at.run()
    assert at.session_state[tour.STEP] == 0 and banner(at)
    assert len(at.subheader) + len(at.header) < full  # only the first step's sections
