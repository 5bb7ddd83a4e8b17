"""The guided tour in a real browser: a lesson link opens step 1, Next walks every step
across the pages (each screen drawn, no exception), End returns to the whole page."""

import pytest
from conftest import expect

from lab.routes import ROUTES
from lab.tour_steps import TOUR

pytestmark = pytest.mark.browser


def test_one_full_guided_tour(new_app, artifacts):
    app = new_app("/?preset=royalty&tour=1")
    n = len(TOUR)
    titles = {r.file: r.title for r in ROUTES}
    for i, step in enumerate(TOUR):
        expect(app.main().get_by_text(f"Guided tour: step {i + 1} of {n}")).to_be_visible()
        app.settle()
        # the address bar is a lesson link to this step, on its page
        assert f"tour={i + 1}" in app.page.url
        nav = app.nav_link(titles[step.page])
        expect(nav).to_have_attribute("aria-current", "page")
        if i in (0, n - 1):
            app.full_screenshot(artifacts / "screenshots" / f"tour_step_{i + 1}.png")
        assert not app.exceptions(), (i, step.page)
        if i < n - 1:
            app.rerun(app.main().get_by_role("button", name="Next").click)
    expect(app.main().get_by_role("button", name="Next")).to_be_disabled()
    app.rerun(app.main().get_by_role("button", name="End the tour").click)
    expect(app.main().get_by_text("Guided tour: step")).to_have_count(0)
    assert "tour=" not in app.page.url
