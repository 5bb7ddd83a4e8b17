"""Lesson links and separate sessions in a real browser.

* A link (page path + query string) opens that page with the settings it encodes.
* A bad value in a link shows a notice and the default.
* Two browser contexts (two students) training different corpora at once never
  see each other's corpus, model or progress: one pauses while the other trains on.
"""

import re

import pytest
from conftest import expect

from lab.lesson import Settings, build_lesson

pytestmark = pytest.mark.browser

PROJECTED_WORDS = """() => {
    const g = [...document.querySelectorAll('.js-plotly-plot')].find(
        g => g.layout && g.layout.xaxis && g.layout.xaxis.title &&
             String(g.layout.xaxis.title.text || '').startsWith('PC 1'));
    // hovertext: a label hidden by label placement has text ''
    const words = g ? g.data.flatMap(t => t.hovertext || []) : [];
    return words.length ? words : null; }"""


def slider_value(app, label: str) -> str:
    box = app.sidebar().locator('[data-testid="stSlider"]').filter(has_text=label).first
    return box.locator('[data-testid="stSliderThumbValue"]').inner_text().strip()


def number_value(app, label: str) -> str:
    box = app.sidebar().locator('[data-testid="stNumberInput"]').filter(has_text=label).first
    return box.locator("input").input_value()


def share_link(app) -> str:
    """The link in the sidebar's share box, opened first (it draws its link only when open)."""
    box = app.sidebar().locator('[data-testid="stExpander"]').filter(has_text="Share this lesson")
    if box.locator("details").get_attribute("open") is None:
        app.rerun(lambda: box.locator("summary").click())
    code = box.locator('[data-testid="stCode"]')
    expect(code).to_have_count(1)
    return code.text_content()


def test_lesson_link_opens_the_page_with_its_settings(new_app, artifacts):
    link = "/train?source=generated&tokens=5000&window=3&dim=8&negative=4&epochs=2&seed=7"
    app = new_app(link)
    assert not app.exceptions()
    assert app.nav_link("Live training").get_attribute("aria-current") == "page"
    assert slider_value(app, "Window") == "3"
    assert slider_value(app, "Dimensions d") == "8"
    assert slider_value(app, "Negatives k") == "4"
    assert number_value(app, "Seed") == "7"
    assert number_value(app, "Tokens") == "5000"
    shared = share_link(app)
    for part in ("source=generated", "tokens=5000", "window=3", "seed=7"):
        assert part in shared
    assert re.search(r"/train\?", shared), shared  # the link keeps the page
    assert "window=3" in app.page.url and "seed=7" in app.page.url
    app.full_screenshot(artifacts / "screenshots" / "lesson_link.png")


def test_bad_link_value_falls_back_with_a_notice(new_app):
    app = new_app("/?window=99&seed=3")
    assert not app.exceptions()
    notices = app.sidebar().locator('[data-testid="stAlertContentWarning"]')
    expect(notices.filter(has_text="window='99'")).to_have_count(1)
    assert slider_value(app, "Window") == "2"  # the default
    assert number_value(app, "Seed") == "3"


def test_two_sessions_train_apart(new_app, artifacts):
    # enough epochs that neither run can finish (and disable Pause) while the test runs
    a = new_app("/train?source=preset&preset=royalty&seed=1&epochs=500")
    b = new_app("/train?source=generated&tokens=5000&seed=2&epochs=500")
    for app in (a, b):
        assert app.metric("Examples seen") == "0"
        app.main().get_by_role("button", name="Start").click()
    for app in (a, b):  # both run at once
        app.wait_metric_change("Examples seen", "0")
    a.rerun(a.main().get_by_role("button", name="Pause").click)
    expect(a.main().get_by_role("button", name="Start")).to_be_visible()  # a paused, b runs on
    # each tab keeps its own corpus (its address bar holds its lesson link) and its own model
    assert "royalty" in a.page.url and "royalty" not in b.page.url
    assert "generated" in b.page.url and "seed=2" in b.page.url
    vocab_a = set(build_lesson(Settings(preset="royalty")).vocab.words)
    vocab_b = set(
        build_lesson(Settings(source="generated", generated_tokens=5000, seed=2)).vocab.words
    )
    words_a = set(a.wait_until(PROJECTED_WORDS, what="a's projection"))
    words_b = set(b.wait_until(PROJECTED_WORDS, what="b's projection"))
    assert words_a and words_a <= vocab_a and not words_a <= vocab_b
    assert words_b and words_b <= vocab_b and not words_b <= vocab_a
    paused_a = a.metric("Examples seen")
    seen_b = b.metric("Examples seen")
    b.wait_metric_change("Examples seen", b.wait_metric_change("Examples seen", seen_b))
    assert a.metric("Examples seen") == paused_a  # b trained two ticks; a did not move
    b.rerun(lambda: b.main().get_by_role("button", name="Pause").click())
    expect(b.main().get_by_role("button", name="Start")).to_be_visible()
    a.full_screenshot(artifacts / "screenshots" / "session_a.png")
    b.full_screenshot(artifacts / "screenshots" / "session_b.png")
    assert not a.exceptions() and not b.exceptions()
