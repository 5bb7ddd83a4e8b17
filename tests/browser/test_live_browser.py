"""Live training in a real browser: Start moves the loss and the projection, Pause stops them."""

import pytest
from conftest import expect

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
    layout0 = app.wait_until(PROJECTION, what="the PCA projection")

    app.main().get_by_role("button", name="Start").click()
    seen1 = app.wait_metric_change("Examples seen", seen0)  # ticks arrive by themselves
    seen2 = app.wait_metric_change("Examples seen", seen1)
    assert int(seen2.replace(",", "")) > int(seen1.replace(",", "")) > 0
    loss = app.metric("Loss")
    assert loss not in ("–", "nan")
    app.wait_until(f"() => ({PROJECTION})() !== {layout0!r}", what="the projection to move")
    app.full_screenshot(artifacts / "screenshots" / "live_running.png")
    assert not app.exceptions()

    app.rerun(lambda: app.main().get_by_role("button", name="Pause").click())
    # a tick's fragment run may end first and count as "a run": wait for the paused page itself
    expect(app.main().get_by_role("button", name="Start")).to_be_visible()
    app.settle()
    paused = app.metric("Examples seen")
    layout = app.wait_until(PROJECTION, what="the PCA projection after Pause")
    runs = app.runs()
    # a negative assertion needs a window of time: two ticks' worth, in which nothing may change
    app.page.wait_for_timeout(2_000)
    assert app.metric("Examples seen") == paused
    assert app.page.evaluate(PROJECTION) == layout
    assert app.runs() == runs, "the page kept rerunning after Pause"
    assert not app.exceptions()
    app.full_screenshot(artifacts / "screenshots" / "live_paused.png")


TSNE = PROJECTION.replace("startsWith('PC 1')", "startsWith('t-SNE 1')")


def test_tsne_points_move_between_ticks_while_training_runs(new_app, artifacts):
    app = new_app("/?epochs=500")  # enough epochs that training cannot finish mid-test
    app.go_to("Live training")
    app.settle()
    app.rerun(lambda: app.main().get_by_text("t-SNE", exact=True).click())
    app.settle()
    layout0 = app.wait_until(TSNE, what="the t-SNE projection")
    app.main().get_by_role("button", name="Start").click()
    layout1 = app.wait_until(f"() => {{ const l = ({TSNE})(); return l !== {layout0!r} && l; }}",
                             what="the t-SNE points to move")  # fmt: skip
    app.wait_until(f"() => {{ const l = ({TSNE})(); return l !== {layout1!r} && l; }}",
                   what="the t-SNE points to move again on a later tick")  # fmt: skip
    app.full_screenshot(artifacts / "screenshots" / "live_tsne_running.png")
    assert not app.exceptions()
    app.rerun(lambda: app.main().get_by_role("button", name="Pause").click())
