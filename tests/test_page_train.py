"""AppTest of the live-training page: each run() is one tick of the fragment."""

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from lab import live
from lab.lesson import Settings, build_lesson
from lab.session import SHARE_OPEN
from tests.apptest import metric, open_page, plain, trainer
from w2v_core.trainer import Trainer


def page(**state) -> AppTest:
    return open_page("app_pages/train.py", **state)


def last_rows(at):
    return at.session_state["live_last"]


def test_lecture_pace_starts_with_single_examples_and_outlines_few_rows():
    at = page()
    tr = trainer(at)
    V = len(tr.vocab_)
    at.button(key="train_start").click().run()
    sizes, outlined = [], []
    for _ in range(10):
        before = trainer(at).examples_seen_
        at.run()
        sizes.append(trainer(at).examples_seen_ - before)
        rows_in, rows_out = last_rows(at)
        outlined.append((len(rows_in), len(rows_out)))
    assert not at.exception
    assert sizes[:2] == [1, 1] and sizes == sorted(sizes)  # single examples, then more
    for n_in, n_out in outlined:  # a minority of each matrix's rows per tick
        assert n_in < V / 2 and n_out < V / 2, outlined
    assert trainer(at).history_.loss[-1][1] < trainer(at).history_.loss[0][1] + 1.0


def test_lecture_pace_spreads_the_default_run_over_about_a_minute():
    s = Settings()
    tr = Trainer(s.config()).prepare(build_lesson(s).sentences)
    total = len(tr.examples) * s.epochs
    seen = ticks = 0
    while seen < total:
        seen += live.tick_examples("lecture", seen, total)
        ticks += 1
    assert 50 <= ticks * live.TICK_SECONDS <= 75  # seconds, at one tick per second


def test_fast_pace_is_one_click_away():
    at = page()
    at.radio(key="train_pace").set_value("fast").run()
    at.button(key="train_start").click().run()
    at.run()
    assert trainer(at).examples_seen_ > 1000  # a tick's worth of time, not a few examples
    assert not at.exception


def test_smoothed_loss_matches_the_reported_loss_and_epochs_sit_at_their_ends():
    at = page()
    for _ in range(3):
        at.button(key="train_run_epoch").click().run()
    at.button(key="train_run_100").click().run()
    tr = trainer(at)
    per_epoch = len(tr.examples)
    # markers sit where the epochs ended (static window, no subsampling: equal epochs)
    assert tr.history_.epoch_end == [per_epoch, 2 * per_epoch, 3 * per_epoch]
    while not trainer(at).done:
        at.button(key="train_run_epoch").click().run()
    tr = trainer(at)
    smoothed = live.smooth_loss(tr.history_.loss, per_epoch)
    shown = float(metric(at, "Loss"))
    assert shown == pytest.approx(smoothed[-1], abs=5e-4)  # the metric is the curve's end
    assert shown == pytest.approx(tr.history_.epoch_loss[-1], rel=0.05)  # and the last epoch's
    spec = next(c.proto.spec for c in at.get("plotly_chart") if "per epoch" in c.proto.spec)
    assert "epoch end at" in spec


def test_smoothing_follows_a_fast_fall_without_lagging_points():
    pts = [(10 * (i + 1), 4.0 if i < 5 else 1.0) for i in range(10)]  # a step down
    assert live.smooth_loss(pts, per_epoch=1000)[-1] == pytest.approx(1.0)
    big_ticks = [(2048 * (i + 1), 3.0 - 0.1 * i) for i in range(10)]  # 10 ticks of 2 epochs
    assert live.smooth_loss(big_ticks, per_epoch=1024)[-1] == pytest.approx(2.1)


def test_changed_settings_keep_the_trained_model_until_a_new_one_is_started():
    at = page()
    at.button(key="train_run_epoch").click().run()
    tr = trainer(at)
    seen = tr.examples_seen_
    at.slider(key="w_window").set_value(3).run()
    assert not at.exception
    assert any("changed since your model was trained" in w.value for w in at.warning)
    assert trainer(at) is tr and tr.examples_seen_ == seen  # nothing lost
    # the lesson link describes the model on screen, and says the sidebar differs
    assert at.query_params["window"] == "2"
    at.session_state[SHARE_OPEN] = True  # open the share box
    at.run()
    assert any("window 2 (sidebar 3)" in c.value for c in at.sidebar.caption)
    at.button(key="train_apply_settings").click().run()
    assert trainer(at).config.window == 3 and trainer(at).examples_seen_ == 0
    assert at.query_params["window"] == "3"
    assert not at.warning and not at.exception


def test_a_new_corpus_resets_the_views_like_a_fresh_session():
    at = page()
    at.button(key="train_run_epoch").click().run()
    at.multiselect(key="train_watch").set_value(["king", "prince"]).run()
    at.selectbox(key="w_preset").set_value("fox").run()  # the watched words are not in it
    assert not at.exception
    at.button(key="train_apply_settings").click().run()
    assert not at.exception
    fresh = page(w_preset="fox")
    for a, b in ((at, fresh),):
        assert a.session_state["live_frame"].points == pytest.approx(
            b.session_state["live_frame"].points
        )  # the PCA frame is oriented as a fresh session's
    watched = at.multiselect(key="train_watch").value
    assert watched and set(watched) <= set(trainer(at).words_)
    assert "live_scores" not in at.session_state or not at.session_state["live_scores"]


def test_pause_stops_all_change():
    at = page()
    at.button(key="train_start").click().run()
    at.run()
    at.button(key="train_start").click().run()  # now "Pause"
    tr = trainer(at)
    seen, W = tr.examples_seen_, tr.W_in_
    for _ in range(3):
        at.run()
    assert trainer(at).examples_seen_ == seen
    assert trainer(at).W_in_ is W


def test_step_names_the_example_outlines_its_rows_and_applies_exactly_one():
    at = page()
    at.button(key="train_run_100").click().run()
    tr = trainer(at)
    seen = tr.examples_seen_
    at.button(key="train_step").click().run()
    assert trainer(at).examples_seen_ == seen  # first press: forward pass only
    assert any("not applied yet" in m.value for m in at.markdown)
    pending = at.session_state["live_pending"]
    table = at.dataframe[0].value
    words = tr.words_
    assert list(table["word"])[:2] == [words[pending.inputs[0]], words[pending.output]]
    noise = [w for r, w in zip(table["role"], table["word"], strict=True) if r.startswith("noise")]
    assert noise == [words[j] for j in pending.negatives]
    rows_in, rows_out = last_rows(at)  # the outline shows the rows the step will change
    assert list(rows_in) == list(pending.rows_in) and list(rows_out) == list(pending.rows_out)
    assert any(f"{pending.loss:.4f} before" in t.value for t in at.markdown)
    at.button(key="train_step").click().run()
    assert trainer(at).examples_seen_ == seen + 1
    assert any("last Step applied" in m.value for m in at.markdown)


def test_step_with_a_diverging_rate_shows_a_message():
    at = page(w_preset="fox")
    at.radio(key="train_fix_lr").set_value(True).run()
    at.number_input(key="train_lr").set_value(100.0).run()
    at.button(key="train_run_100").click().run()
    for _ in range(60):
        at.button(key="train_step").click().run()
        if at.error:
            break
    assert not at.exception
    assert at.error and "diverged" in at.error[0].value
    tr = trainer(at)
    assert np.isfinite(tr.W_in_).all() and np.isfinite(tr.W_out_).all()


def test_reset_restores_the_seeded_initial_state_and_clears_the_rate():
    at = page()
    at.button(key="train_run_epoch").click().run()
    assert metric(at, "Words/s") != "–"
    at.button(key="train_reset").click().run()
    tr = trainer(at)
    assert tr.examples_seen_ == 0
    assert metric(at, "Words/s") == "–"
    s = Settings()
    fresh = Trainer(s.config()).prepare(build_lesson(s).sentences)
    np.testing.assert_array_equal(tr.W_in_, fresh.W_in_)


def test_huge_learning_rate_shows_divergence_and_keeps_last_good_model():
    at = page()
    at.button(key="train_run_100").click().run()
    at.radio(key="train_fix_lr").set_value(True).run()
    at.number_input(key="train_lr").set_value(50.0).run()
    for _ in range(30):
        at.button(key="train_run_epoch").click().run()
        if at.error:
            break
    assert at.error and "diverged" in at.error[0].value
    tr = trainer(at)
    assert np.isfinite(tr.W_in_).all() and np.isfinite(tr.W_out_).all()
    assert not at.exception


def test_presenter_mode_prints_larger_and_shows_the_views_on_one_screen():
    normal, shown = page(), page(presenter=True)
    for at in (normal, shown):
        at.button(key="train_run_epoch").click().run()
    size = {}
    for name, at in (("normal", normal), ("presenter", shown)):
        spec = next(c.proto.spec for c in at.get("plotly_chart") if "W_in = E" in c.proto.spec)
        size[name] = spec
    assert '"size":18.2' in size["presenter"] and '"size":18.2' not in size["normal"]
    assert len(shown.html) >= 1  # the presenter style sheet
    assert not shown.exception


@pytest.mark.parametrize("source", ["fox", "nlp", "generated"])
def test_runs_on_other_corpora(source):
    at = page()
    if source == "generated":
        at.radio(key="w_source").set_value("generated").run()
    else:
        at.selectbox(key="w_preset").set_value(source).run()
    at.button(key="train_run_epoch").click().run()
    assert not at.exception
    at.radio(key="train_proj").set_value("tsne").run()
    assert not at.exception
    assert at.session_state["live_frame"].method in ("tsne", "pca")  # pca: too few words


def test_the_objective_beside_the_curve_follows_the_model_and_output_layer():
    at = page(w_model="cbow", w_loss="hs")
    formulas = [x.value for x in at.latex]
    assert any(r"\log p(w_t \mid w_{t-c}" in f for f in formulas)  # CBOW's objective
    assert any(r"\log\sigma(s_j\,u_{n_j}^\top h)" in f for f in formulas)  # per-example loss


# ---- the projection chosen: PCA, t-SNE that moves while training runs, UMAP if installed -----


def chart_points(at, key="train_projection") -> np.ndarray:
    """The projection chart's points (all traces), sorted, as drawn."""
    import json

    from tests.apptest import values

    spec = json.loads(next(c.proto.spec for c in at.get("plotly_chart") if c.key == key))
    pts = [
        (x, y)
        for t in spec["data"]
        if t.get("type") == "scatter"
        for x, y in zip(values(t.get("x")), values(t.get("y")), strict=True)
    ]
    return np.unique(np.array(pts), axis=0)  # watched words are drawn twice (highlighted)


@pytest.mark.parametrize("method", ["pca", "tsne", "umap"])
def test_each_projection_keeps_updating_while_training_runs(method):
    at = page()
    at.radio(key="train_proj").set_value(method).run()
    at.button(key="train_start").click().run()
    frames, drawn = [], []
    for _ in range(4):
        at.run()
        frames.append(at.session_state["live_frame"])
        drawn.append(chart_points(at))
    assert not at.exception
    shown = "pca" if method == "umap" and not live.umap_available() else method
    assert all(f.method == shown for f in frames)
    for f, pts in zip(frames, drawn, strict=True):  # the chart draws the model's frame
        np.testing.assert_allclose(pts, np.unique(f.points, axis=0), rtol=1e-6)
    assert not np.allclose(drawn[-1], drawn[-2])  # the points move between ticks
    f = frames[-1]
    assert np.isfinite(f.movement) and metric(at, "Movement") == f"{f.movement:.3f}"
    if shown != method:  # UMAP without umap-learn: PCA, and the page says why
        assert any("umap-learn" in plain(i.value) for i in at.info)
        assert "not installed" in live.projection_label("umap")
    track = at.session_state["live_track"]
    assert len(track) >= 4 and {m for _, m, _ in track} == {shown}  # recorded for the replay
    at.button(key="train_start").click().run()  # Pause: the replay shows the recorded frames
    assert any(f"frames of {live.PROJECTIONS[shown]} recorded" in c.value for c in at.caption)
    assert not at.exception


def test_tsne_continues_its_layout_and_settles_as_the_model_converges():
    at = page(w_epochs=3)
    at.button(key="train_run_epoch").click().run()
    at.button(key="train_run_epoch").click().run()
    at.radio(key="train_proj").set_value("tsne").run()
    first = at.session_state["live_frame"]
    assert first.method == "tsne" and np.isnan(first.movement)
    moves = []
    for _ in range(8):  # the last epoch: the learning rate decays to 0, the model settles
        at.button(key="train_run_100").click().run()
        moves.append(at.session_state["live_frame"].movement)
    assert not at.exception
    # the layout settles: the last moves are smaller than the first ones, and small
    assert np.mean(moves[-3:]) < 0.75 * np.mean(moves[:3]) and moves[-1] < 0.05, moves


def test_perplexity_is_lowered_with_a_notice_when_there_are_few_words():
    at = page(w_preset="fox")
    at.button(key="train_run_epoch").click().run()
    at.radio(key="train_proj").set_value("tsne").run()
    n = len(at.session_state["live_frame"].points)
    at.slider(key="train_perplexity").set_value(50).run()
    assert not at.exception
    used = (n - 1) / 3
    if n >= 5:
        assert any(f"lowered from 50 to {used:.1f}" in plain(i.value) for i in at.info)


def test_degenerate_vectors_fall_back_to_pca_with_a_message():
    at = page()  # W_out starts at zero: every row identical
    at.radio(key="train_matrix").set_value("W_out").run()
    at.radio(key="train_proj").set_value("tsne").run()
    assert not at.exception
    assert at.session_state["live_frame"].method == "pca"
    assert any("t-SNE cannot lay these vectors out" in plain(i.value) for i in at.info)


# ---- exercises: answers from the model, solved and failed through the page ----------------


def exercise(at, key):
    from lab import train_view as tv

    s = Settings()
    return next(e for e in tv.exercises(trainer(at), s.seed, build_lesson(s).categories)
                if e.key == key)  # fmt: skip


def check_answer(at, ex, text: str):
    at.text_input(key=f"ex_{ex.key}_{ex.instance}").set_value(text).run()
    at.button(key=f"ex_check_{ex.key}_{ex.instance}").click().run()


def test_next_rows_exercise_is_the_rows_the_step_changes():
    at = page()
    at.button(key="train_run_100").click().run()
    ex = exercise(at, "train.next_rows")
    check_answer(at, ex, "zzz")
    assert at.error and not at.success
    check_answer(at, ex, ex.shown_answer())
    assert any(s.value.startswith("Right.") for s in at.success)
    at.button(key="train_step").click().run()  # the model's own next step changes exactly those
    rows_in = at.session_state["live_pending"].rows_in
    assert {trainer(at).words_[int(r)] for r in rows_in} == set(ex.answer)
    assert not at.exception


def test_neighbour_exercise_is_answered_by_training():
    at = page(w_epochs=2)
    ex = exercise(at, "train.neighbour")
    assert ex.needs and at.button(key=f"ex_check_{ex.key}_{ex.instance}").disabled
    while not trainer(at).done:
        at.button(key="train_run_epoch").click().run()
    ex = exercise(at, "train.neighbour")
    assert not ex.needs
    W, words = trainer(at).W_in_, trainer(at).words_
    q = words.index(plain(ex.prompt).split("**")[1])
    cos = W @ W[q] / (np.linalg.norm(W, axis=1) * np.linalg.norm(W[q]) + 1e-12)  # (V,)
    cos[q] = -np.inf
    assert ex.answer == words[int(np.argmax(cos))]  # the trained model's nearest neighbour
    wrong = next(w for w in words if w != ex.answer)
    check_answer(at, ex, wrong)
    assert at.error
    check_answer(at, ex, ex.answer)
    assert any(s.value.startswith("Right.") for s in at.success)


def test_one_colour_draws_the_projection_without_categories():
    at = page()

    def n_traces() -> int:
        spec = next(c.proto.spec for c in at.get("plotly_chart") if c.key == "train_projection")
        return len(json.loads(spec)["data"])

    coloured = n_traces()
    at.radio(key="train_colour").set_value(False).run()
    assert n_traces() < coloured and not at.exception
