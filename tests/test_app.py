"""AppTest: each page renders on real data without an exception."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lab.routes import ROUTES

ROOT = Path(__file__).resolve().parents[1]
PAGES = [r.path for r in ROUTES]  # every routed page


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_default_corpus(page):
    at = app()
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    assert at.title
