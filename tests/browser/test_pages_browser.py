"""The app in a real headless Chromium: every page through the sidebar, and sidebar controls.

Pages come from the router (app.py), so these tests follow pages as they are
added or renamed. Each visited page is saved as a full-page screenshot in
tests/artifacts/screenshots/<n>_<slug>.png, and what was seen on it (title,
error boxes, horizontal overflow) in tests/artifacts/browser-pages.json.

Run: .venv/bin/python -m pytest tests/browser -q
"""

import json
from pathlib import Path

import pytest
from conftest import expect

from w2v_core.corpora import PRESETS

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]

SEEN: dict[str, dict] = {}  # page title -> what the browser showed (written per test)


def _no_exception(app) -> None:
    shown = app.exceptions()
    assert not shown, "exception box on the page:\n" + "\n---\n".join(shown)


def _record(artifacts, title: str, info: dict) -> None:
    SEEN[title] = info
    (artifacts / "browser-pages.json").write_text(json.dumps(SEEN, indent=1), encoding="utf-8")


def test_router_has_pages(pages):
    assert len(pages) >= 5, f"app.py lists {len(pages)} pages"
    assert len({p.slug for p in pages}) == len(pages), "two pages with the same slug"
    missing = [p.path for p in pages if not (ROOT / p.path).is_file()]
    assert not missing, f"app.py routes to missing files: {missing}"


def test_sidebar_lists_every_page(shared_app, pages):
    assert shared_app.nav_titles() == [p.title for p in pages]
    _no_exception(shared_app)


def test_page_through_sidebar(shared_app, page_entry, artifacts):
    app, entry = shared_app, page_entry
    app.go_to(entry.title)

    expect(app.nav_link(entry.title)).to_have_attribute("aria-current", "page")
    _no_exception(app)
    h1 = app.main().locator("h1").first
    expect(h1).to_be_visible()
    heading = h1.inner_text().strip()
    assert heading, f"empty title (h1) on {entry.title!r}"

    app.full_screenshot(entry.screenshot)
    assert entry.screenshot.stat().st_size > 10_000  # a real picture, not a blank frame

    overflow = app.page.evaluate(
        """() => { const m = document.querySelector('[data-testid="stMain"]');
                   return m ? m.scrollWidth - m.clientWidth : 0; }"""
    )
    _record(
        artifacts,
        entry.title,
        {
            "path": entry.path,
            "url": app.page.url,
            "h1": heading,
            "errors": app.errors(),
            "horizontal_overflow_px": overflow,
            "screenshot": entry.screenshot.name,
        },
    )


def test_example_select_changes_the_page(new_app):
    """Choosing another built-in example in the sidebar reruns and redraws the page."""
    app = new_app()  # on the default page
    before = app.main().inner_text()
    fox = PRESETS["fox"].title

    combo = app.sidebar().get_by_role("combobox", name="Example", exact=True)
    if combo.input_value() == fox:  # in case the default example becomes the fox
        pytest.skip("the fox is already the default example")
    combo.click()
    app.rerun(lambda: app.page.get_by_role("option", name=fox, exact=True).click())

    _no_exception(app)
    expect(combo).to_have_value(fox)
    app.wait_until(
        "(before) => document.querySelector('[data-testid=\"stMain\"]').innerText !== before",
        arg=before,
        what="the page to change with the corpus",
    )
    expect(app.main().locator("h1").first).to_be_visible()


def test_window_slider_by_keyboard(new_app, pages):
    """The Window slider moves with the arrow keys; the page reruns without an exception."""
    app = new_app()
    pairs = next((p for p in pages if p.path.endswith("pairs.py")), pages[-1])
    app.go_to(pairs.title)

    box = app.sidebar().locator('[data-testid="stSlider"]')
    box = box.filter(has=app.page.get_by_text("Window", exact=True))
    slider = box.locator('input[type="range"]')  # its accessible name repeats the label
    start = int(slider.input_value())
    slider.focus()
    key = "ArrowRight" if start < int(slider.get_attribute("max")) else "ArrowLeft"
    app.rerun(lambda: app.page.keyboard.press(key))

    _no_exception(app)
    expect(slider).to_have_value(str(start + (1 if key == "ArrowRight" else -1)))
    expect(app.main().locator("h1").first).to_be_visible()
