"""Live training in a real browser: Start moves the loss and the projection, Pause stops them."""

import pytest

pytestmark = pytest.mark.browser

PROJECTION = """() => {
    const g = [...document.querySelectorAll('.js-plotly-plot')].find(
        g => g.layout && g.layout.xaxis && g.layout.xaxis.title &&
             String(g.layout.xaxis.title.text || '').startsWith('PC 1'));
    return g ? JSON.stringify(g.data.map(t => [t.x, t.y])) : null; }"""


def test_start_moves_the_model_and_pause_stops_it(new_app, artifacts):
    app = new_app("/?epochs=500")  # enough epochs that training cannot finish mid-test
    app.go_to("Live training")
    assert not app.exceptions()
    seen0 = app.metric("Examples seen")
    assert seen0 == "0"
    app.settle()
    layout0 = app.page.evaluate(PROJECTION)
    assert layout0, "no PCA projection on the page"

    app.main().get_by_role("button", name="Start").click()
    seen1 = app.wait_metric_change("Examples seen", seen0)  # ticks arrive by themselves
    seen2 = app.wait_metric_change("Examples seen", seen1)
    assert int(seen2.replace(",", "")) > int(seen1.replace(",", "")) > 0
    loss = app.metric("Loss per example")
    assert loss not in ("–", "nan")
    app.page.wait_for_function(f"() => ({PROJECTION})() !== {layout0!r}", timeout=15_000)
    app.full_screenshot(artifacts / "screenshots" / "live_running.png")
    assert not app.exceptions()

    app.rerun(lambda: app.main().get_by_role("button", name="Pause").click())
    app.settle()
    paused = app.metric("Examples seen")
    layout = app.page.evaluate(PROJECTION)
    runs = app.runs()
    app.page.wait_for_timeout(2_000)  # a still model: nothing may change in this window
    assert app.metric("Examples seen") == paused
    assert app.page.evaluate(PROJECTION) == layout
    assert app.runs() == runs, "the page kept rerunning after Pause"
    assert not app.exceptions()
    app.full_screenshot(artifacts / "screenshots" / "live_paused.png")
