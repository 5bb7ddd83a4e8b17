"""Live training in a real browser: Start moves the loss and the projection, Pause stops them."""

import pytest

pytestmark = pytest.mark.browser

PROJECTION = """() => {
    const g = [...document.querySelectorAll('.js-plotly-plot')].find(
        g => g.layout && g.layout.xaxis && g.layout.xaxis.title &&
             String(g.layout.xaxis.title.text || '').startsWith('PC 1'));
    return g ? JSON.stringify(g.data.map(t => [t.x, t.y])) : null; }"""


def metric(app, label: str) -> str:
    box = app.main().locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def wait_until_changed(app, label: str, old: str, timeout_ms: int = 20_000) -> str:
    app.page.wait_for_function(
        """([label, old]) => {
            const m = [...document.querySelectorAll('[data-testid="stMetric"]')]
                .find(e => e.innerText.includes(label));
            const v = m && m.querySelector('[data-testid="stMetricValue"]');
            return v && v.innerText.trim() !== old; }""",
        arg=[label, old],
        timeout=timeout_ms,
        polling=100,
    )
    return metric(app, label)


def test_start_moves_the_model_and_pause_stops_it(new_app, artifacts):
    app = new_app()
    app.go_to("Live training")
    assert not app.exceptions()
    seen0 = metric(app, "Examples seen")
    assert seen0 == "0"
    app.settle()
    layout0 = app.page.evaluate(PROJECTION)
    assert layout0, "no PCA projection on the page"

    app.main().get_by_role("button", name="Start").click()
    seen1 = wait_until_changed(app, "Examples seen", seen0)  # ticks arrive by themselves
    seen2 = wait_until_changed(app, "Examples seen", seen1)
    assert int(seen2.replace(",", "")) > int(seen1.replace(",", "")) > 0
    loss = metric(app, "Loss per example")
    assert loss not in ("–", "nan")
    app.page.wait_for_function(f"() => ({PROJECTION})() !== {layout0!r}", timeout=15_000)
    app.full_screenshot(artifacts / "screenshots" / "live_running.png")
    assert not app.exceptions()

    app.rerun(lambda: app.main().get_by_role("button", name="Pause").click())
    app.settle()
    paused = metric(app, "Examples seen")
    layout = app.page.evaluate(PROJECTION)
    runs = app.runs()
    app.page.wait_for_timeout(2_000)  # a still model: nothing may change in this window
    assert metric(app, "Examples seen") == paused
    assert app.page.evaluate(PROJECTION) == layout
    assert app.runs() == runs, "the page kept rerunning after Pause"
    assert not app.exceptions()
    app.full_screenshot(artifacts / "screenshots" / "live_paused.png")
