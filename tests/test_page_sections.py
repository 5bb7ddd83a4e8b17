"""Pages 1 and 2 draw each of their sections alone (the guided tour shows a subset)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lab import tour

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = {
    "text.py": ("intro", "tokens", "vocabulary", "min_count", "one_hot", "lookup", "exercises"),
    "cooccurrence.py": ("intro", "matrix", "rows", "similar", "examples", "growth", "svd",
                        "link", "exercises"),
}  # fmt: skip
CASES = [(page, name) for page, names in SECTIONS.items() for name in names]


@pytest.mark.parametrize("page,name", CASES)
def test_a_section_drawn_alone(monkeypatch, page, name):
    step = tour.Step(page, (name,), "The idea.", "Look here.")
    monkeypatch.setattr(tour, "steps", lambda: (step,))  # a one-step tour on this section
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.session_state[tour.STEP] = 0
    at.switch_page(f"app_pages/{page}").run()
    assert not at.exception, (page, name)
    assert any(c.value == "Guided tour: step 1 of 1" for c in at.caption)
    titles = [t.value for t in at.title]
    assert bool(titles) == (name == "intro")  # only the intro section has the page title
    if name == "exercises":
        assert any(s.value == "Check yourself" for s in at.subheader)
