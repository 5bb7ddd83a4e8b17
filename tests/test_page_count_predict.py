"""The "Count vs predict" page: helpers, figures, and AppTest (each run() is one tick)."""

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from lab import count_view as cv
from lab.figures.count import correlation_series, pmi_scatter
from lab.lesson import Settings, build_lesson
from tests.apptest import metric, open_page, plain, trainer
from w2v_core.cooccur import cooccurrence
from w2v_core.shifted_pmi import fit, shifted_pmi
from w2v_core.trainer import Trainer

ROOT = Path(__file__).resolve().parents[1]


# ---- helpers and figures, without Streamlit ------------------------------------------------


@pytest.fixture(scope="module")
def royalty():
    s = Settings()
    tr = Trainer(s.config()).prepare(build_lesson(s).sentences)
    cfg = tr.config
    data = cv.count_data(tr.corpus_, tr.vocab_, cfg.window, cfg.negative, cfg.noise_alpha, cfg.dim)
    return tr, data


def test_count_data_matches_the_engine(royalty):
    tr, data = royalty
    cfg = tr.config
    C = cooccurrence(tr.corpus_, len(tr.vocab_), cfg.window)
    t = shifted_pmi(C, cfg.negative, noise=tr.vocab_.noise_probs(cfg.noise_alpha))
    np.testing.assert_allclose(data.target.target, t.target)
    assert data.E.shape == (len(tr.vocab_), cfg.dim)
    tr2 = Trainer(cfg).prepare(build_lesson(Settings()).sentences)
    tr2.advance(epochs=2)
    f = cv.model_fit(data, tr2.W_in_, tr2.W_out_, n_plot=50)
    assert f.corr == pytest.approx(fit(t, tr2.W_in_, tr2.W_out_).corr)
    assert len(f.x) == len(f.y) == len(f.labels) == 50
    w = tr.words_
    i, j = data.target.rows[0], data.target.cols[0]
    assert f.labels[0] == f"{w[i]} → {w[j]}"
    assert f.y[0] == pytest.approx(float(tr2.W_in_[i] @ tr2.W_out_[j]), rel=1e-5)


def test_neighbours_and_overlap(royalty):
    tr, data = royalty
    nb = cv.neighbours(data.E, data.E, data.words, "king", 5)  # same vectors on both sides
    assert nb.count == nb.predict and len(nb.shared) == 5
    nb = cv.neighbours(data.E, tr.W_in_, data.words, "king", 5)
    assert "king" not in [w for w, _ in nb.count + nb.predict]
    assert set(nb.shared) == {w for w, _ in nb.count} & {w for w, _ in nb.predict}
    with pytest.raises(cv.W2VError):
        cv.neighbours(data.E[:5], tr.W_in_, data.words, data.words[20], 3)


def test_series_is_immutable_bounded_and_keeps_the_start():
    s = ()
    s = cv.append_point(s, 0, float("nan"))  # undefined: not recorded
    assert s == ()
    for x in range(1, 50):
        new = cv.append_point(s, x * 10, x / 100, max_len=8)
        assert isinstance(new, tuple) and new is not s
        s = new
    assert len(s) <= 8 and s[0] == (10, 0.01) and s[-1] == (490, 0.49)
    assert [p[0] for p in s] == sorted(p[0] for p in s)
    assert cv.append_point(s, 490, 0.9, max_len=8) is s  # same x: unchanged
    assert cv.append_point(s, 5, 0.2) == ((5, 0.2),)  # the model went back: start again


def test_ranges_only_grow():
    r = cv.scatter_range(None, np.array([-1.0, 2.0]), np.array([0.0, 0.0]))
    assert r[0] < -1 and r[1] > 2
    r2 = cv.scatter_range(r, np.array([0.0]), np.array([0.5]))
    assert r2 == r
    r3 = cv.scatter_range(r, np.array([0.0]), np.array([5.0]))
    assert r3[0] == r[0] and r3[1] > 5
    x, y = cv.series_ranges(None, ((10, 0.2),), 960)
    assert x == (0.0, 960.0) and y == (0.0, 1.0)
    x2, y2 = cv.series_ranges((x, y), ((10, 0.2), (5000, -0.3)), 960)
    assert x2[1] >= 5000 and y2[0] < -0.3
    assert cv.series_ranges((x2, y2), ((1, 0.5),), 960) == (x2, y2)


def test_identity_note_names_what_differs():
    assert cv.identity_note("skipgram", "negative") is None
    assert "CBOW" in cv.identity_note("cbow", "negative")
    assert "log P(c | w)" in cv.identity_note("skipgram", "softmax")
    assert "Huffman" in cv.identity_note("skipgram", "hs")


def test_figures_fix_ranges_and_draw_the_diagonal():
    fig = pmi_scatter(np.array([0.0, 1]), np.array([0.5, 0.2]), ["a → b", "b → a"],
                      np.array([3, 1]), (-2.0, 3.0), 5)  # fmt: skip
    assert list(fig.layout.xaxis.range) == list(fig.layout.yaxis.range) == [-2.0, 3.0]
    assert list(fig.data[0].x) == list(fig.data[0].y) == [-2.0, 3.0]  # y = x
    assert fig.layout.uirevision and "log 5" in fig.layout.xaxis.title.text
    fig = correlation_series(((0, 0.1), (100, 0.4)), ((0.0, 960.0), (0.0, 1.0)))
    assert list(fig.layout.xaxis.range) == [0.0, 960.0] and fig.layout.uirevision


# ---- the page ---------------------------------------------------------------------------------


def page() -> AppTest:
    return open_page("app_pages/count_predict.py")


def engine_corr(tr) -> float:
    cfg = tr.config
    C = cooccurrence(tr.corpus_, len(tr.vocab_), cfg.window)
    t = shifted_pmi(C, cfg.negative, noise=tr.vocab_.noise_probs(cfg.noise_alpha))
    return fit(t, tr.W_in_, tr.W_out_).corr


def specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def test_renders_on_the_default_preset():
    at = page()
    tr = trainer(at)
    assert tr.examples_seen_ == 0
    assert metric(at, "Correlation r") == "undefined"  # W_out = 0: every score is 0
    C = cooccurrence(tr.corpus_, len(tr.vocab_), tr.config.window)
    assert metric(at, "Pairs compared") == f"{C.count_nonzero():,}"  # every co-occurring pair
    assert not at.info or all("SGNS" not in i.value for i in at.info)
    scatter = specs(at)[0]
    assert scatter["layout"]["xaxis"]["title"]["text"] == "PMI_α(w, c) − log 5"
    assert scatter["layout"]["xaxis"]["range"] == scatter["layout"]["yaxis"]["range"]
    # neighbours of "king" under both kinds of vectors
    assert at.selectbox(key="count_word").value == "king"
    count, predict = at.dataframe[0].value, at.dataframe[1].value
    assert len(count) == len(predict) == 10
    assert "king" not in set(count["word"]) | set(predict["word"])
    shared = set(count["word"]) & set(predict["word"])
    assert metric(at, "Overlap of the two lists") == f"{len(shared)} of 10"


def test_ticks_train_the_shared_model_and_the_metric_follows_it():
    at = page()
    at.button(key="count_start").click().run()
    seen = [trainer(at).examples_seen_]
    for _ in range(3):
        at.run()
        seen.append(trainer(at).examples_seen_)
    assert not at.exception
    assert seen[0] > 0 and all(b > a for a, b in zip(seen, seen[1:], strict=False))
    tr = trainer(at)
    r = engine_corr(tr)
    assert np.isfinite(r)
    assert metric(at, "Correlation r") == f"{r:.3f}"
    series = at.session_state["cvp_series"]
    assert isinstance(series, tuple) and len(series) >= 3
    assert series[-1] == (tr.examples_seen_, pytest.approx(r))
    assert len(specs(at)) == 2  # the scatter and the series
    at.button(key="count_start").click().run()  # pause
    W, n = trainer(at).W_in_, trainer(at).examples_seen_
    at.run()
    at.run()
    assert trainer(at).examples_seen_ == n and trainer(at).W_in_ is W


def test_train_one_epoch_and_select_another_word():
    at = page()
    at.button(key="count_epoch").click().run()
    tr = trainer(at)
    assert tr.epoch_ == 1 and not at.exception
    assert metric(at, "Correlation r") == f"{engine_corr(tr):.3f}"
    at.selectbox(key="count_word").set_value("queen").run()
    assert not at.exception
    assert "queen" not in set(at.dataframe[0].value["word"]) | set(at.dataframe[1].value["word"])
    assert trainer(at).examples_seen_ == tr.examples_seen_  # choosing a word does not train


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [("w_model", "cbow", "CBOW"), ("w_loss", "softmax", "log P(c | w)")],
)
def test_other_models_get_the_explanation(key, value, expected):
    at = page()
    at.radio(key=key).set_value(value).run()
    assert not at.exception
    notes = [i.value for i in at.info if "SGNS" in i.value]
    assert notes and expected in notes[0] and "k = 5" in notes[0]
    at.button(key="count_epoch").click().run()
    assert not at.exception
    assert metric(at, "Correlation r") == f"{engine_corr(trainer(at)):.3f}"
    assert specs(at)  # the scatter is still drawn


def test_divergence_shows_the_message_and_keeps_the_last_good_model():
    at = page()
    at.number_input(key="w_alpha").set_value(100.0).run()
    for _ in range(5):
        at.button(key="count_epoch").click().run()
        if at.error:
            break
    assert at.error and "diverged" in at.error[0].value
    tr = trainer(at)
    assert np.isfinite(tr.W_in_).all() and np.isfinite(tr.W_out_).all()
    assert not at.exception


def test_changed_settings_keep_the_trained_model_until_reset():
    at = page()
    at.button(key="count_epoch").click().run()
    tr = trainer(at)
    at.slider(key="w_dim").set_value(12).run()
    assert not at.exception
    assert any("changed" in w.value for w in at.warning)
    assert trainer(at) is tr  # nothing lost
    at.button(key="count_apply_settings").click().run()
    assert trainer(at).config.dim == 12 and trainer(at).examples_seen_ == 0
    assert metric(at, "Correlation r") == "undefined"


def test_hierarchical_softmax_is_explained():
    at = page()
    at.radio(key="w_loss").set_value("hs").run()
    at.button(key="count_epoch").click().run()
    assert not at.exception
    notes = [i.value for i in at.info if "SGNS" in i.value]
    assert notes and "Huffman" in notes[0]


# ---- exercises: answers from the counts, solved and failed through the page ---------------


def answer_box(at, ex):
    return at.text_input(key=f"ex_{ex.key}_{ex.instance}")


def test_exercises_are_solved_with_the_counts_answer_and_fail_with_a_wrong_one():
    at = page()
    data = at.session_state["cvp_data"]
    les = build_lesson(Settings())
    exs = {e.key: e for e in cv.exercises(data, Settings().seed, les.categories)}
    assert set(exs) == {"count.shift", "count.neighbour"}
    shift = exs["count.shift"]
    t = data.target  # the asked pair's PMI_α − log k, read from the engine's counts
    asked = plain(shift.prompt)
    i = next(
        j
        for j in range(len(t))
        if f"(**{data.words[t.rows[j]]}**, **{data.words[t.cols[j]]}**)" in asked
    )
    assert shift.answer == pytest.approx(t.pmi[i] - np.log(data.k), abs=0.006)
    for ex in exs.values():
        answer_box(at, ex).set_value("zzz" if ex.kind == "word" else "999").run()
        at.button(key=f"ex_check_{ex.key}_{ex.instance}").click().run()
        assert at.error, ex.key
        answer_box(at, ex).set_value(ex.shown_answer()).run()
        at.button(key=f"ex_check_{ex.key}_{ex.instance}").click().run()
        assert any(s.value.startswith("Right.") for s in at.success), ex.key
    assert not at.exception
