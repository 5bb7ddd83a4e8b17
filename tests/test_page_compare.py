"""AppTest of the "Compare runs" page (small preset, few epochs set in the sidebar first)."""

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from lab import compare_view as cv
from lab.compare_view import KNOBS, format_value
from tests.apptest import finish_jobs, open_page, plain, values

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


def sweep_table(at):
    """The sweep's table (the one with a "setting" column)."""
    (table,) = [d.value for d in at.dataframe if "setting" in d.value.columns]
    return table


def click(at, key: str) -> AppTest:
    at.button(key=key).click().run()
    return finish_jobs(at)


def test_page_renders_with_the_cap_and_seeds_stated():
    at = page()
    caps = [c.value for c in at.caption if c.value.startswith("Cap: about")]
    assert len(caps) == 3 and all("× 3 seeds" in c and "3 epochs" in c for c in caps)
    assert at.number_input(key="compare_pair_seeds").value == cv.SEEDS
    assert any("Run both" in i.value for i in at.info)
    code = at.code[0].value
    assert "vector_size=10" in code and "window=2" in code and "sg=1" in code


def test_run_both_shows_mean_and_spread_over_seeds():
    at = page()
    at.number_input(key="compare_pair_seeds").set_value(2).run()
    click(at, "compare_run")
    assert not at.exception
    cmp = at.session_state["cmp_pair"][1]
    assert cmp.seeds == 2 and [r.seed for r in cmp.runs] == [0, 1, 0, 1]
    assert [r.config.window for r in cmp.runs] == [1, 1, 3, 3]
    shown = [m.value for m in at.metric if m.label == "category@k"]
    assert shown == [sp.text() for sp in cv.spreads(cmp, "category")]
    assert all(" ± " in v for v in shown)
    figs = charts(at)
    loss = figs["Loss per epoch"]["data"]
    assert [t["name"] for t in loss] == ["A: window = 1", "B: window = 3"]
    mean, sd = cv.epoch_spread(cmp.group(1), "loss")
    np.testing.assert_allclose(values(loss[0]["y"]), mean)
    np.testing.assert_allclose(values(loss[0]["error_y"]["array"]), sd)
    assert "Score per epoch" in figs
    gap, within = cv.pair_gap(cmp, "category")
    says = [x.value for x in (*at.info, *at.success) if x.value.startswith("category@k: B − A")]
    assert len(says) == 1 and f"{gap:+.3f}" in says[0]
    assert ("may be luck" in says[0]) == within
    # honest timings: seconds with three decimals and examples per second, per seed
    times = [c.value for c in at.caption if c.value.startswith("Seed ")]
    assert len(times) == 4 and all(" s (" in t and "examples/s" in t for t in times)
    assert times[0] == f"Seed 0: {cv.timing(cmp.runs[0])}."


def test_sweep_draws_mean_and_error_bars_and_a_verdict():
    at = page()
    at.selectbox(key="compare_sweep_knob").set_value("dim").run()
    at.multiselect(key="compare_sweep_values_dim").set_value([2, 10, 50]).run()
    at.number_input(key="compare_sweep_seeds").set_value(2).run()
    click(at, "compare_sweep_run")
    assert not at.exception
    cmp = at.session_state["cmp_sweep"][1]
    (trace,) = charts(at)["category@k"]["data"]
    assert list(values(trace["x"])) == [2, 10, 50]
    xs, ys, sds, _ = cv.sweep_points(cmp, "category")
    np.testing.assert_allclose(values(trace["y"]), ys)
    np.testing.assert_allclose(values(trace["error_y"]["array"]), sds)
    assert any(i.value == cv.verdict(cmp, "category") for i in at.info)
    table = sweep_table(at)
    assert list(table["setting"]) == ["dimensions d = 2", "dimensions d = 10", "dimensions d = 50"]
    assert set(table["seeds"]) == {2}


def test_sweep_plots_analogy_accuracy_when_asked():
    at = page(w_source="generated", w_gen_tokens=3_000)
    at.number_input(key="compare_sweep_seeds").set_value(2).run()
    at.multiselect(key="compare_sweep_values_window").set_value([1, 3]).run()
    click(at, "compare_sweep_run")
    cmp = at.session_state["cmp_sweep"][1]
    assert cmp.has_analogies
    for name in ("analogy_add", "analogy_mul"):
        at.radio(key="compare_sweep_score").set_value(name).run()
        (trace,) = charts(at)[cv.SCORES[name]]["data"]
        np.testing.assert_allclose(values(trace["y"]), cv.sweep_points(cmp, name)[1])


def test_sweep_without_categories_plots_the_loss():
    at = page(w_preset="fox")
    at.number_input(key="compare_sweep_seeds").set_value(1).run()
    click(at, "compare_sweep_run")
    assert not at.exception
    spec = charts(at)["final mean loss"]
    assert len(values(spec["data"][0]["x"])) == len(KNOBS["window"].sweep)
    assert any("no known word categories" in c.value.lower() for c in at.caption)


def test_grid_draws_a_heatmap_of_the_mean_score():
    at = page()
    at.selectbox(key="compare_grid_k2").set_value("dim").run()
    at.multiselect(key="compare_grid_v1_window").set_value([1, 3]).run()
    at.multiselect(key="compare_grid_v2_dim").set_value([2, 10]).run()
    at.number_input(key="compare_grid_seeds").set_value(2).run()
    click(at, "compare_grid_run")
    assert not at.exception
    cmp = at.session_state["cmp_grid"][1]
    assert cmp.knob == ("window", "dim") and len(cmp.values) == 4 and len(cmp.runs) == 8
    heat = next(t for c in charts(at).values() for t in c["data"] if t["type"] == "heatmap")
    _, _, mean, _ = cv.grid_matrix(cmp, "category")
    z = values(heat["z"]) if isinstance(heat["z"], dict) else np.array(heat["z"], dtype=float)
    np.testing.assert_allclose(np.asarray(z, dtype=float).reshape(mean.shape), mean)


def test_a_diverging_run_shows_its_message_and_the_other_run_stays():
    at = page()
    at.selectbox(key="compare_knob").set_value("alpha").run()
    at.selectbox(key="compare_b_alpha").set_value(100.0).run()
    at.number_input(key="compare_pair_seeds").set_value(1).run()
    click(at, "compare_run")
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("Seed 0:") and "diverged" in errors[0]
    shown = [m.value for m in at.metric if m.label == "final mean loss"]
    assert shown[0] != "–" and shown[1] == "–"


def test_a_new_corpus_invalidates_the_results():
    at = page()
    at.number_input(key="compare_pair_seeds").set_value(1).run()
    click(at, "compare_run")
    assert "Loss per epoch" in charts(at)
    at.selectbox(key="w_preset").set_value("fruit").run()
    assert not at.exception
    assert not at.get("plotly_chart")
    notes = [w.value for w in at.warning if "corpus changed" in w.value]
    assert len(notes) == 1 and "Kings and queens" in notes[0]


@pytest.mark.parametrize("knob", list(KNOBS))
def test_every_knob_sweeps(knob):
    at = page()
    at.selectbox(key="compare_sweep_knob").set_value(knob).run()
    at.number_input(key="compare_sweep_seeds").set_value(2).run()
    at.multiselect(key=f"compare_sweep_values_{knob}").set_value(list(KNOBS[knob].sweep[:3])).run()
    click(at, "compare_sweep_run")
    assert not at.exception
    cmp = at.session_state["cmp_sweep"][1]
    assert [r.config.to_dict()[knob] for r in cmp.runs] == [
        v for v in KNOBS[knob].sweep[:3] for _ in range(2)
    ]
    spec = charts(at)["category@k"]
    n = len(KNOBS[knob].sweep[:3])
    failed = cv.sweep_points(cmp, "category")[3]  # every seed diverged
    assert len(values(spec["data"][0]["x"])) + len(failed) == n
    assert knob == "alpha" or not failed
    assert format_value(knob, KNOBS[knob].sweep[0]) in list(sweep_table(at)["setting"])


def test_own_pairs_train_on_exactly_the_typed_pairs():
    at = page()
    at.text_area(key="compare_pairs_text").set_value("sun moon\nmoon sun\nbad line here").run()
    assert [plain(e.value) for e in at.error] == [
        "Line 3: expected two words (input output), found 3."
    ]
    at.number_input(key="compare_pairs_epochs").set_value(50).run()
    at.button(key="compare_pairs_run").click().run()
    assert not at.exception
    run = at.session_state["cmp_pairs"]
    assert run.words == ("sun", "moon") and run.pairs.tolist() == [[0, 1], [1, 0]]
    assert len(run.epoch_loss) == 50 and run.W_in.shape == (2, 10)
    figs = charts(at)
    assert {"W_in (v_w)", "W_out (u_w)"} <= set(figs)
    (probs,) = [d.value for d in at.dataframe if list(d.value.columns) == ["sun", "moon"]]
    assert list(probs.index) == ["sun", "moon"]
    np.testing.assert_allclose(probs.to_numpy(), run.probs.round(2))


def test_own_pairs_with_only_bad_lines_say_so():
    at = page()
    at.text_area(key="compare_pairs_text").set_value("one\ntwo three four").run()
    assert not at.exception
    assert len(at.error) == 2 and any("valid pair" in i.value for i in at.info)


def test_minibatch_view_shows_the_live_trainers_next_batch():
    from lab import tinker_view as tv
    from tests.apptest import trainer

    at = page()
    tr = trainer(at)
    b = tv.next_batch(tr)
    centre_table = at.dataframe[0].value if "centre" in at.dataframe[0].value else None
    tables = [d.value for d in at.dataframe if "neg 1" in d.value.columns]
    assert len(tables) == 1 and centre_table is not None
    np.testing.assert_array_equal(tables[0]["centre"].to_numpy(), b.centre)
    np.testing.assert_array_equal(tables[0]["true"].to_numpy(), b.context[:, 0])
    rows = [d.value for d in at.dataframe if list(d.value.columns) == ["example", "centre",
            "context", "label"]]  # fmt: skip
    assert len(rows) == 1 and list(rows[0]["label"][: b.context.shape[1]]) == [1] + [0] * (
        (b.context[0] >= 0).sum() - 1
    )
    assert any(f"context {tuple(b.context.shape)}" in c.value for c in at.caption)


def test_exercises_are_solved_by_the_models_answers_and_fail_wrong_ones():
    from lab.lesson import Settings, build_lesson

    at = page()
    s = Settings(epochs=3)
    les = build_lesson(s)
    (ex, best, spread) = cv.exercises(s, les)
    assert best.needs and spread.needs  # no runs yet
    box = at.text_input(key=f"ex_{ex.key}_{ex.instance}")
    box.set_value(str(ex.answer + 1)).run()
    at.button(key=f"ex_check_{ex.key}_{ex.instance}").click().run()
    assert any("Not quite" in e.value for e in at.error)
    at.text_input(key=f"ex_{ex.key}_{ex.instance}").set_value(f"{ex.answer:,}").run()
    at.button(key=f"ex_check_{ex.key}_{ex.instance}").click().run()
    assert any(x.value.startswith("Right.") for x in at.success)
    # after a sweep, the best value is the sweep's own
    at.number_input(key="compare_sweep_seeds").set_value(2).run()
    at.multiselect(key="compare_sweep_values_window").set_value([1, 2, 3]).run()
    click(at, "compare_sweep_run")
    cmp = at.session_state["cmp_sweep"][1]
    best = cv.exercises(s, les, sweep=cmp)[1]
    assert not best.needs and best.answer in ("1", "2", "3")
    _, ys, _, _ = cv.sweep_points(cmp, "category")
    assert best.answer == str([1, 2, 3][int(np.argmax(ys))])
    wrong = next(o for o in best.options if o != best.answer)
    at.radio(key=f"ex_{best.key}_{best.instance}").set_value(wrong).run()
    at.button(key=f"ex_check_{best.key}_{best.instance}").click().run()
    assert any("Not quite" in e.value for e in at.error)
    at.radio(key=f"ex_{best.key}_{best.instance}").set_value(best.answer).run()
    at.button(key=f"ex_check_{best.key}_{best.instance}").click().run()
    assert any(x.value.startswith("Right.") for x in at.success)


def test_word_pair_judgements_add_a_rank_correlation_to_every_run():
    at = page()
    at.text_area(key="compare_judgements").input(
        "king queen 9\nman woman 8\ncat dog 6\nking gold 2\nking zebra 4"
    ).run()
    assert any("4 of 5 pairs" in i.value for i in at.info)
    assert any("zebra" in plain(c.value) for c in at.caption if "Not in" in c.value)
    at.number_input(key="compare_sweep_seeds").set_value(2).run()
    at.multiselect(key="compare_sweep_values_window").set_value([1, 3]).run()
    click(at, "compare_sweep_run")
    assert not at.exception
    cmp = at.session_state["cmp_sweep"][1]
    assert all(r.wordsim is not None for r in cmp.runs)
    at.radio(key="compare_sweep_score").set_value("wordsim").run()
    (trace,) = charts(at)[cv.SCORES["wordsim"]]["data"]
    np.testing.assert_allclose(values(trace["y"]), cv.sweep_points(cmp, "wordsim")[1])
    assert cv.SCORES["wordsim"] in sweep_table(at).columns
    # the pairs outlive a visit to another page
    at.switch_page("app_pages/text.py").run()
    at.switch_page(PAGE).run()
    assert at.text_area(key="compare_judgements").value.startswith("king queen 9")


def test_malformed_judgements_say_which_line_and_runs_go_on_without_them():
    at = page()
    at.text_area(key="compare_judgements").input("king queen 9\nking queen\n").run()
    assert any("line 2" in e.value for e in at.error)
    click(at, "compare_run")
    assert not at.exception
    assert not at.session_state["cmp_pair"][1].has_wordsim
