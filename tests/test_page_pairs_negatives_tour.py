"""Pages 3 and 4 in the guided tour: every section draws alone (a tour step shows a subset)."""

import pytest

import lab.tour as tour
from tests.apptest import open_page

HEADINGS = {  # section -> its subheader (None: the section has none)
    "pairs.py": {
        "idea": None,
        "naming": None,
        "window": "The sliding window",
        "radius": "The radius of each centre word",
        "options": None,
        "counts": "How many pairs does one pass make?",
        "models": None,
        "exercises": "Check yourself",
    },
    "negatives.py": {
        "idea": None,
        "nce": None,
        "noise": "1. The noise distribution P_n",
        "draw": "2. Draw k = 5 negatives for one training pair",
        "many": "3. Many draws against P_n",
        "cost": "4. What it saves",
        "exercises": "Check yourself",
    },
}
CASES = [(page, name) for page, names in HEADINGS.items() for name in names]


def subheaders(at) -> list[str]:
    return [s.value for s in at.subheader]


@pytest.mark.parametrize(("page", "name"), CASES)
def test_each_section_draws_alone(monkeypatch, page, name):
    step = tour.Step(page, (name,), "**The idea.**", "Look here.")
    monkeypatch.setattr(tour, "steps", lambda: (step,))
    at = open_page(f"app_pages/{page}", tour_step=0, w_dynamic_window=True)
    assert at.caption[0].value.startswith("Guided tour: step 1 of 1")
    want = HEADINGS[page][name]
    assert subheaders(at) == ([want] if want else [])


@pytest.mark.parametrize("page", list(HEADINGS))
def test_outside_the_tour_every_section_is_drawn(page):
    at = open_page(f"app_pages/{page}", w_dynamic_window=True)
    assert not any(c.value.startswith("Guided tour") for c in at.caption)
    assert subheaders(at) == [h for h in HEADINGS[page].values() if h]
