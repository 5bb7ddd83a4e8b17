"""docs/teaching.md: every lesson link in the lesson plans opens the page and settings it names."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from apptest import ROOT
from streamlit.testing.v1 import AppTest

from lab.lesson import Settings
from lab.links import params_to_settings
from lab.routes import ROUTES

DOC = ROOT / "docs" / "teaching.md"
LINK = re.compile(r"\]\((http://localhost:8501/[^)\s]*)\)")


def links() -> list[str]:
    return LINK.findall(DOC.read_text(encoding="utf-8"))


def route_of(path: str):
    """The route a URL path names: "/" is the first page, "/train" is train.py."""
    stem = path.strip("/")
    return ROUTES[0] if not stem else next(r for r in ROUTES if r.file == f"{stem}.py")


def test_the_plans_have_links_for_every_page_they_name():
    found = links()
    assert len(found) >= 12
    pages = {route_of(urlsplit(u).path).file for u in found}
    assert {"text.py", "train.py", "explore.py", "model.py", "pairs.py"} <= pages


@pytest.mark.parametrize("url", links())
def test_a_lesson_link_opens_its_page_with_its_settings(url):
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query))
    route = route_of(parts.path)
    expected, notices = params_to_settings(params, Settings())
    assert not notices, f"{url}: {notices}"  # every parameter of the plan is understood
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params.update(params)
    at.run()
    if route is not ROUTES[0]:
        at.switch_page(route.path).run()
    assert not at.exception, url
    assert at.session_state["lesson_settings"] == expected
    titles = [t.value for t in at.title]
    assert titles and route.title.split(". ")[-1].lower() in " ".join(titles).lower(), titles
