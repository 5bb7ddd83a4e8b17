"""Page 5 builders and helpers, without Streamlit: figures, tables and the gradient check."""

import numpy as np
import pytest

from lab.figures.model import lookup_figure, network_figure, probs_figure, update_figure
from lab.model_view import (
    MAX_HEATMAP_ROWS,
    after_step,
    changed_rows,
    check_example,
    cost_per_example,
    display_rows,
    example_loss,
    hidden_table,
    norm_rel_error,
    row_labels,
    score_table,
    sentence_around,
    superscript,
    train_budget,
    unique_labels,
)
from w2v_core.models import loss_and_grad
from w2v_core.pairs import Corpus
from w2v_core.step import sgd_step

COMBOS = [(m, l) for m in ("skipgram", "cbow") for l in ("negative", "softmax")]


def weights(V=12, d=4, seed=0, zero_out=False):
    rng = np.random.default_rng(seed)
    W_in = rng.normal(0, 0.5, (V, d))
    W_out = np.zeros((V, d)) if zero_out else rng.normal(0, 0.5, (V, d))
    return W_in, W_out


def make_step(model="skipgram", loss="negative", V=12, d=4, zero_out=False, negatives=(5, 7, 5)):
    W_in, W_out = weights(V, d, zero_out=zero_out)
    inputs = [2] if model == "skipgram" else [2, 3, 3, 9]
    return sgd_step(model, loss, inputs, 4, np.array(negatives), W_in, W_out, 0.1), W_in, W_out


WORDS = [f"w{i}" for i in range(12)]


# ---- helpers -----------------------------------------------------------------------


def test_display_rows_keeps_top_rows_and_the_required_ones():
    ids = display_rows(100, 5, [42, 3, 99])
    assert list(ids) == [0, 1, 2, 3, 4, 42, 99]
    assert list(display_rows(3, 10)) == [0, 1, 2]  # never more rows than V
    big = display_rows(10_000, 500, np.arange(5000, 5010))
    assert len(big) == MAX_HEATMAP_ROWS and set(range(5000, 5010)) <= set(big)


def test_small_text_helpers():
    assert superscript(10) == "¹⁰" and superscript(2) == "²"
    assert unique_labels(["a", "b", "a", "a"]) == ["a", "b", "a (draw 2)", "a (draw 3)"]
    assert row_labels([0, 3], ["x", "y", "z", "king"]) == ["0: x", "3: king"]
    assert train_budget(960, 500_000) == 960 and train_budget(3_000_000, 500_000) == 500_000
    c = cost_per_example(V=40, d=10, k=5)
    assert c == {"softmax_dots": 40, "softmax_madds": 400, "negative_dots": 6, "negative_madds": 60}


def test_norm_rel_error_is_absolute_for_tiny_gradients():
    a = np.array([1e-9, -2e-9])
    assert norm_rel_error(a, a + 1e-12) < 1e-11  # tiny noise on a tiny gradient: fine
    assert norm_rel_error(np.array([10.0]), np.array([11.0])) == pytest.approx(1 / 21)
    assert norm_rel_error(np.zeros(3), np.zeros(3)) == 0.0


def test_sentence_around_stays_inside_the_sentence():
    corpus = Corpus.from_encoded([np.array([1, 2, 3]), np.array([4, 5, 6, 7])])
    ids, first, sent = sentence_around(corpus, 4, radius=1)
    assert (list(ids), first, sent) == ([4, 5, 6], 3, 1)
    ids, first, sent = sentence_around(corpus, 3, radius=5)
    assert list(ids) == [4, 5, 6, 7] and first == 3


@pytest.mark.parametrize(("model", "loss"), COMBOS)
def test_example_loss_matches_the_engine(model, loss):
    step, W_in, W_out = make_step(model, loss)
    centre = step.inputs[0] if model == "skipgram" else step.inputs
    J = loss_and_grad(model, loss, centre, 4, W_in, W_out, step.negatives).loss
    assert example_loss(model, loss, step.inputs, 4, step.negatives, W_in, W_out) == pytest.approx(
        J, rel=1e-12
    )
    assert step.loss == pytest.approx(J, rel=1e-12)


@pytest.mark.parametrize(("model", "loss"), COMBOS)
def test_after_step_recomputes_the_loss_after(model, loss):
    step, *_ = make_step(model, loss)
    h, scores, probs = after_step(step)
    if loss == "softmax":
        J = -np.log(probs[step.output])
    else:
        J = -np.log(probs[0]) - np.log(1 - probs[1:]).sum()
    assert J == pytest.approx(step.loss_after, rel=1e-9)
    assert step.loss_after < step.loss  # one step with a small alpha lowers this example's loss


def test_score_table_lists_labels_and_deltas():
    step, *_ = make_step("skipgram", "negative", negatives=(5, 4, 7))  # the draw of 4 is dropped
    t = score_table(step, WORDS)
    assert list(t["word"]) == ["w4", "w5", "w7"]
    assert list(t["label y"]) == [1, 0, 0]
    assert list(t["role"]) == ["true word", "noise", "noise"]
    assert np.allclose(t["δ = p − y"], t["σ(u·h)"] - t["label y"])
    assert np.allclose(t["σ(u·h)"], 1 / (1 + np.exp(-t["score u·h"])))
    soft, *_ = make_step("skipgram", "softmax", V=12)
    ts = score_table(soft, WORDS, max_rows=5)
    assert len(ts) == 5 and ts["word"].iloc[0] == "w4" and ts["label y"].sum() == 1
    others = ts["softmax p"].iloc[1:].to_numpy()
    assert np.all(np.diff(others) <= 0)  # most probable others, in order


def test_hidden_table_shows_the_cbow_mean():
    step, W_in, _ = make_step("cbow", "negative")
    t = hidden_table(step, W_in, WORDS)
    assert list(t.index) == ["v_w2", "v_w3", "v_w3", "v_w9", "h = mean"]
    assert np.allclose(t.loc["h = mean"].to_numpy(), W_in[[2, 3, 3, 9]].mean(axis=0))
    sg, W_in, _ = make_step("skipgram", "negative")
    assert list(hidden_table(sg, W_in, WORDS).index) == ["v_w2", "h"]


def test_changed_rows_are_the_step_rows():
    step, W_in, W_out = make_step("skipgram", "negative")
    assert set(changed_rows(W_in, step.W_in)) <= set(step.rows_in)
    assert set(changed_rows(W_out, step.W_out)) == set(step.rows_out)


@pytest.mark.parametrize(("model", "loss"), COMBOS)
def test_check_example_agrees(model, loss):
    step, W_in, W_out = make_step(model, loss)
    res = check_example(step, W_in, W_out)
    assert res.err_in < 1e-6 and res.err_out < 1e-6
    assert res.untouched_in >= 0 and res.untouched_in not in step.rows_in
    assert res.untouched_in_max == 0.0  # a row outside the example gets no gradient
    assert np.allclose(res.sample_in[0], res.sample_in[1], atol=1e-7)
    assert res.n_entries == (len(res.rows_in) + len(res.rows_out)) * W_in.shape[1]


def test_cbow_update_is_m_times_the_exact_gradient():
    step, W_in, W_out = make_step("cbow", "negative")  # contexts [2, 3, 3, 9]: m = 4
    res = check_example(step, W_in, W_out)
    numeric_row2 = res.sample_in[1]  # exact dJ/dv_2 = dJ/dh / m (row 2 occurs once)
    update_row2 = step.delta_W_in[list(step.rows_in).index(2)]
    assert np.allclose(update_row2, -step.alpha * 4 * numeric_row2, atol=1e-8)
    assert np.allclose(update_row2, -step.alpha * step.grad_h)  # word2vec: the whole dJ/dh


def test_check_example_with_zero_w_out():
    step, W_in, W_out = make_step("skipgram", "negative", zero_out=True)
    assert not np.any(step.grad_h)
    res = check_example(step, W_in, W_out)
    assert res.err_in == 0.0 and res.err_out < 1e-6


# ---- figures --------------------------------------------------------------------------


def _texts(fig):
    return [a.text for a in fig.layout.annotations]


def test_network_figure_shows_shapes_and_the_example():
    fig = network_figure(40, 10, [f"w{i}" for i in range(40)], "skipgram", "negative",
                         [24], 3, [16, 24])  # fmt: skip
    notes = " ".join(_texts(fig))
    assert "V × d = 40 × 10" in notes and "θ_t" in notes and "d = 10" in notes
    texts = [t for tr in fig.data if tr.text is not None for t in tr.text]
    assert "w24 (24) · x=1" in texts and "w0 (0) · x=0" in texts
    assert "w3 (3)  ← predict" in texts and "w16 (16)  ← noise" in texts
    assert sum("x=1" in t for t in texts) == 1
    assert any(t == "h10" for t in texts) and "⋮" in texts  # d = 10 > 8: dots in the middle
    names = {tr.name for tr in fig.data}
    assert "row of W_in copied into h" in names and "true word score u_o·h" in names
    assert list(fig.layout.xaxis.range) == [-3.2, 9.2]


def test_network_figure_cbow_softmax_and_tiny_sizes():
    words = [f"w{i}" for i in range(50_000)]
    fig = network_figure(50_000, 100, words, "cbow", "softmax", [7, 9, 49_999], 4)
    texts = [t for tr in fig.data if tr.text is not None for t in tr.text]
    assert sum("x=1" in t for t in texts) == 3
    assert len([t for t in texts if "(" in t]) <= 20  # capped, whatever V is
    assert "rows of W_in averaged into h" in {tr.name for tr in fig.data}
    assert "V × d = 50,000 × 100" in " ".join(_texts(fig))
    small = network_figure(2, 2, ["a", "b"], "skipgram", "negative", [0], 1, [1])
    texts = [t for tr in small.data if tr.text is not None for t in tr.text]
    assert "⋮" not in texts and "h2" in texts


def test_lookup_figure_picks_one_row():
    W_in, _ = weights(V=80, d=6)
    fig = lookup_figure(W_in, [f"w{i}" for i in range(80)], 70, n_rows=10)
    x, block, h = fig.data
    z = np.asarray(x.z).ravel()
    assert z.sum() == 1 and len(z) == 11  # top 10 rows + the chosen row 70
    sel = int(np.argmax(z))
    assert np.allclose(np.asarray(block.z)[sel], W_in[70])
    assert np.allclose(np.asarray(h.z).ravel(), W_in[70])
    assert "row 70" in fig.layout.annotations[-1].text
    assert len(fig.layout.shapes) == 2  # the chosen row is outlined in x and in W_in
    assert list(fig.layout.yaxis.ticktext)[sel] == "70: w70"
    big = lookup_figure(np.zeros((1000, 3)), [f"w{i}" for i in range(1000)], 5, n_rows=500)
    assert len(big.data[1].z) == MAX_HEATMAP_ROWS


def test_update_figure_outlines_exactly_the_updated_rows():
    step, W_in, W_out = make_step("skipgram", "negative")
    fig = update_figure(W_in, step.W_in, W_out, step.W_out, WORDS, step.rows_in, step.rows_out, 12)
    d_in, d_out = (np.asarray(t.z) for t in fig.data)
    assert np.flatnonzero(np.abs(d_in).sum(axis=1)).tolist() == step.rows_in.tolist()
    assert np.flatnonzero(np.abs(d_out).sum(axis=1)).tolist() == step.rows_out.tolist()
    assert len(fig.layout.shapes) == len(step.rows_in) + len(step.rows_out)
    assert np.allclose(d_out[step.rows_out], step.delta_W_out)
    soft, W_in, W_out = make_step("skipgram", "softmax")
    fig = update_figure(W_in, soft.W_in, W_out, soft.W_out, WORDS, soft.rows_in, soft.rows_out, 12)
    assert len(fig.layout.shapes) == len(soft.rows_in)  # all V rows move: none outlined
    assert "12 of 12 rows updated" in fig.layout.annotations[1].text


def test_update_figure_with_unchanged_w_in():
    step, W_in, W_out = make_step("skipgram", "negative", zero_out=True)
    fig = update_figure(W_in, step.W_in, W_out, step.W_out, WORDS, step.rows_in, step.rows_out)
    assert not np.any(np.asarray(fig.data[0].z))
    assert "largest |change| 0" in fig.layout.annotations[0].text


def test_probs_figure_bars_and_targets():
    fig = probs_figure(["is", "king", "king"], [True, False, False], [0.5, 0.4, 0.4],
                       [0.6, 0.3, 0.3], "negative")  # fmt: skip
    before, after, target = fig.data
    assert list(before.x) == ["is", "king", "king (draw 2)"]
    assert list(after.y) == [0.6, 0.3, 0.3] and list(target.y) == [1.0, 0.0, 0.0]
    assert fig.layout.yaxis.title.text == "σ(u_w·h)" and list(fig.layout.yaxis.range) == [0, 1.12]
    soft = probs_figure(["a"], [True], [0.1], [0.2], "softmax")
    assert soft.layout.yaxis.title.text == "softmax p(w | h)"
