"""AppTest of the "Compare runs" page (small preset, few epochs set in the sidebar first)."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lab.compare_view import KNOBS, format_value
from tests.apptest import open_page, values

ROOT = Path(__file__).resolve().parents[1]
PAGE = "app_pages/compare.py"


def page(**sidebar) -> AppTest:
    return open_page(PAGE, **{"w_epochs": 3, **sidebar})


def charts(at) -> dict[str, dict]:
    """Chart specs by their title (or y-axis title when there is none)."""
    out = {}
    for c in at.get("plotly_chart"):
        spec = json.loads(c.proto.spec)
        lay = spec["layout"]
        title = lay.get("title", {}).get("text") or lay["yaxis"]["title"]["text"]
        out[title] = spec
    return out


def test_page_renders_with_the_cap_stated():
    at = page()
    assert any("Cap: about" in c.value and "3 epochs" in c.value for c in at.caption)
    assert at.button(key="compare_run") and at.button(key="compare_sweep_run")
    assert any("Run both" in i.value for i in at.info)


def test_run_both_draws_two_loss_traces_and_both_runs():
    at = page()
    at.button(key="compare_run").click().run()
    assert not at.exception
    figs = charts(at)
    loss = figs["Loss per epoch"]["data"]
    assert [t["name"] for t in loss] == ["A: window = 1", "B: window = 5"]
    assert [len(values(t["y"])) for t in loss] == [3, 3]
    score = figs["Ground truth per epoch"]["data"]
    assert len(score) == 2 and all(0 <= y <= 1 for t in score for y in values(t["y"]))
    cmp = at.session_state["cmp_pair"][1]
    assert [r.config.window for r in cmp.runs] == [1, 5]
    assert [m.value for m in at.metric if m.label == "Final loss"] == [
        f"{r.final_loss:.3f}" for r in cmp.runs
    ]
    table = at.dataframe[0].value
    assert list(table.columns) == ["A: window = 1", "B: window = 5"] and len(table) == 3


def test_sweep_draws_one_point_per_value():
    at = page()
    at.selectbox(key="compare_sweep_knob").set_value("dim").run()
    at.multiselect(key="compare_sweep_values_dim").set_value([2, 10, 50]).run()
    at.button(key="compare_sweep_run").click().run()
    assert not at.exception
    spec = charts(at)["ground-truth score"]
    (trace,) = spec["data"]
    assert list(values(trace["x"])) == [2, 10, 50]
    assert all(0 <= y <= 1 for y in values(trace["y"]))
    table = at.dataframe[-1].value
    assert list(table["Dimensions d"]) == ["2", "10", "50"]


def test_sweep_without_categories_plots_the_loss():
    at = page(w_preset="fox")
    at.button(key="compare_sweep_run").click().run()
    assert not at.exception
    spec = charts(at)["final mean loss"]
    assert len(values(spec["data"][0]["x"])) == 7  # the default window values
    assert any("no known word categories" in c.value for c in at.caption)


def test_a_diverging_run_shows_its_message_and_the_other_run_stays():
    at = page()
    at.selectbox(key="compare_knob").set_value("alpha").run()
    at.number_input(key="compare_b_alpha").set_value(50.0).run()
    at.button(key="compare_run").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("Run B:") and "diverged" in errors[0]
    loss = charts(at)["Loss per epoch"]["data"]
    assert [t["name"] for t in loss] == [
        "A: learning rate = 0.005",
        "B: learning rate = 50 (diverged)",
    ]
    assert len(values(loss[0]["y"])) == 3  # run A trained all its epochs
    finals = [m.value for m in at.metric if m.label == "Final loss"]
    assert finals[0] != "–" and finals[1] == "–"


def test_a_new_corpus_invalidates_the_results():
    at = page()
    at.button(key="compare_run").click().run()
    at.button(key="compare_sweep_run").click().run()
    assert "Loss per epoch" in charts(at)
    at.selectbox(key="w_preset").set_value("fruit").run()
    assert not at.exception
    assert not at.get("plotly_chart")
    notes = [w.value for w in at.warning if "corpus changed" in w.value]
    assert len(notes) == 2 and all("Kings and queens" in n for n in notes)
    at.button(key="compare_run").click().run()
    assert charts(at)["Loss per epoch"] and at.session_state["cmp_pair"][1].corpus != (
        "Kings and queens"
    )


@pytest.mark.parametrize("knob", list(KNOBS))
def test_every_knob_runs_both_and_sweeps(knob):
    at = page()
    at.selectbox(key="compare_knob").set_value(knob).run()
    at.button(key="compare_run").click().run()
    assert not at.exception and not at.error
    kb = KNOBS[knob]
    names = [t["name"] for t in charts(at)["Loss per epoch"]["data"]]
    assert names == [f"A: {format_value(knob, kb.a)}", f"B: {format_value(knob, kb.b)}"]
    at.selectbox(key="compare_sweep_knob").set_value(knob).run()
    at.button(key="compare_sweep_run").click().run()
    assert not at.exception
    spec = charts(at)["ground-truth score"]
    # every value is scored, or named as diverged (a large learning rate may, seed by seed)
    diverged = [e.value for e in at.error if "Training diverged" in e.value]
    assert len(values(spec["data"][0]["x"])) + len(diverged) == len(kb.sweep)


def test_a_large_corpus_states_what_the_cap_cuts():
    at = page(w_source="generated", w_gen_tokens=300_000, w_epochs=50)
    caps = [c.value for c in at.caption if c.value.startswith("Cap: about")]
    assert len(caps) == 2  # A vs B, and the sweep
    assert all(
        "To stay under it, each run trains" in c and "of the sidebar's 50 epochs" in c for c in caps
    )
