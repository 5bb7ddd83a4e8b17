"""The Live page's charts update in place (lab/live_chart.py): a Streamlit component keyed by
chart, fed the figure as JSON; st.plotly_chart where Plotly.js cannot be served."""

import json

import pytest

from lab import live_chart
from tests.apptest import charts, open_page

LIVE = ("train_heat_in", "train_heat_out", "train_projection", "train_loss")


def test_the_live_charts_keep_their_key_while_their_figures_change():
    at = open_page("app_pages/train.py")
    at.button(key="train_run_100").click().run()
    first = {c.key: c.spec for c in charts(at)}
    assert set(LIVE) <= {c.key for c in at.get("bidi_component")}  # drawn by the component
    assert not set(LIVE) & {c.key for c in at.get("plotly_chart")}
    at.button(key="train_run_100").click().run()
    second = {c.key: c.spec for c in charts(at)}
    ids = {c.key: c.proto.id for c in at.get("bidi_component")}
    assert all(first[k] != second[k] for k in ("train_heat_in", "train_projection"))
    at.button(key="train_run_100").click().run()
    assert {c.key: c.proto.id for c in at.get("bidi_component")} == ids  # same elements
    layout = json.loads(second["train_projection"])["layout"]
    assert "template" not in layout  # the component applies Streamlit's look itself
    assert layout["uirevision"] == "keep"  # so Plotly.react keeps a user's zoom


def test_without_a_served_plotly_js_the_charts_fall_back_to_st_plotly_chart(monkeypatch):
    monkeypatch.setattr(live_chart, "install_plotly_js", lambda: False)
    live_chart._component.clear()
    try:
        at = open_page("app_pages/train.py")
        at.button(key="train_run_100").click().run()
        assert set(LIVE) <= {c.key for c in at.get("plotly_chart")}
        assert not at.get("bidi_component")
    finally:
        live_chart._component.clear()  # the next session registers the component again


def test_plotly_js_is_copied_once_and_refused_where_it_cannot_be_written(tmp_path, monkeypatch):
    monkeypatch.setattr(live_chart, "STATIC", tmp_path / "static")
    monkeypatch.setattr(live_chart, "SERVED", tmp_path / "static" / "plotly.min.js")
    assert live_chart.install_plotly_js()
    served = live_chart.SERVED
    assert served.read_bytes()[:200] == live_chart.PLOTLY_JS.read_bytes()[:200]
    stamp = served.stat().st_mtime_ns
    assert live_chart.install_plotly_js() and served.stat().st_mtime_ns == stamp  # not again
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setattr(live_chart, "STATIC", blocked)
    monkeypatch.setattr(live_chart, "SERVED", blocked / "plotly.min.js")
    assert live_chart.install_plotly_js() is False


@pytest.mark.parametrize("present", [False, True])
def test_presenter_mode_scales_the_live_charts(present):
    at = open_page("app_pages/train.py", presenter=present)
    at.button(key="train_run_100").click().run()
    spec = json.loads(next(c.spec for c in charts(at) if c.key == "train_heat_in"))
    assert (spec["layout"]["yaxis"]["tickfont"]["size"] > 13) == present
