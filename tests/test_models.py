"""Gradients of the six model/loss pairs, and the one-step teaching path."""

import numpy as np
import pytest

from w2v_core import batch
from w2v_core.gradcheck import check, relative_error
from w2v_core.huffman import build_huffman
from w2v_core.models import loss_and_grad
from w2v_core.step import sgd_step


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
@pytest.mark.parametrize("loss", ["negative", "softmax", "hs"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_check(model, loss, seed):
    r = check(model, loss, seed=seed)
    assert r.max_rel_error < 1e-6, r


def test_gradcheck_detects_a_wrong_gradient():
    rng = np.random.default_rng(0)
    W_in, W_out = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    g = loss_and_grad("skipgram", "negative", 2, 1, W_in, W_out, [3, 4]).grad_W_in
    assert relative_error(g, g * 1.01) > 1e-3
    assert relative_error(g, g) == 0


def test_softmax_loss_is_minus_log_probability():
    rng = np.random.default_rng(1)
    W_in, W_out = rng.normal(size=(5, 4)), rng.normal(size=(5, 4))
    lg = loss_and_grad("skipgram", "softmax", 0, 3, W_in, W_out)
    s = W_out @ W_in[0]
    assert lg.loss == pytest.approx(-np.log(np.exp(s[3]) / np.exp(s).sum()))


@pytest.mark.parametrize("model", ["skipgram", "cbow", "cbow-exact"])
@pytest.mark.parametrize("loss", ["negative", "softmax", "hs"])
def test_batch_of_one_equals_the_teaching_step(model, loss):
    """The vectorized path and the per-example path make the same update."""
    model, update = (model.split("-")[0], "gradient") if "exact" in model else (model, "word2vec")
    rng = np.random.default_rng(3)
    V, d = 7, 4
    W_in, W_out = rng.normal(size=(V, d)), rng.normal(size=(V, d))
    W_out[V - 1] = 0.0  # under hs row V-1 is no inner node (the trainer keeps it at 0)
    tree = build_huffman([40, 30, 9, 8, 5, 2, 1])  # word 1's path has several nodes
    inputs = np.array([2]) if model == "skipgram" else np.array([2, 5, 5, -1])
    negs = np.array([4, 1, 6])  # 1 is the true word: skipped in both paths
    step = sgd_step(model, loss, inputs, 1, negs, W_in, W_out, 0.1, update, tree)
    theta = np.concatenate([W_in, W_out])
    signs = None
    if loss == "softmax":
        outputs = np.array([1])
    elif loss == "hs":
        L = tree.max_length  # padded to the longest code, as the trainer does
        outputs = np.full((1, L), -1)
        signs = np.zeros((1, L))
        outputs[0, : tree.lengths[1]] = tree.path(1)
        signs[0, : tree.lengths[1]] = 1 - 2 * tree.code(1)
        assert tree.lengths[1] >= 2 and tree.lengths[1] < L
    else:
        outputs = np.array([[1, 4, -1, 6]])
    if model == "skipgram":
        J, rows = batch.skipgram(theta, V, inputs, outputs, 0.1, loss, signs)
    else:
        J, rows = batch.cbow(
            theta, V, inputs[None, :], outputs, 0.1, loss, update == "gradient", signs
        )
    assert J == pytest.approx(step.loss)
    np.testing.assert_allclose(theta[:V], step.W_in, atol=1e-12)
    np.testing.assert_allclose(theta[V:], step.W_out, atol=1e-12)
    changed = np.flatnonzero(
        np.any(np.concatenate([step.W_in, step.W_out]) != np.concatenate([W_in, W_out]), axis=1)
    )
    assert set(changed) <= set(rows)
    if loss == "hs":
        assert set(step.rows_out) == set(tree.path(1)) and list(step.scored_ids) == list(
            tree.path(1)
        )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("compiled", [True, False])
def test_scatter_add_sums_duplicates_into_the_named_rows_only(dtype, compiled, monkeypatch):
    """theta[rows[e]] += coef[e] * M[col(e)], duplicates summed, other rows untouched; SciPy's
    compiled loop and the public fallback give the same result, in place."""
    if not compiled:
        monkeypatch.setattr(batch, "_csc_matvecs", None)
    rng = np.random.default_rng(0)
    theta = rng.normal(size=(9, 4)).astype(dtype)  # (R, d)
    M = rng.normal(size=(3, 4)).astype(dtype)  # (n_cols, d)
    rows = np.array([2, 7, 2, 2, 5, 7], dtype=np.int32)  # (E,) row 2 three times
    coef = rng.normal(size=6).astype(dtype)  # (E,)
    indptr = np.array([0, 2, 5, 6])  # column 0: entries 0-1, column 1: 2-4, column 2: 5
    want = theta.copy()
    for e, col in enumerate([0, 0, 1, 1, 1, 2]):
        want[rows[e]] += coef[e] * M[col]
    ref = theta  # the same array object must receive the update
    batch.scatter_add(theta, rows, coef, indptr, M)
    assert theta is ref
    np.testing.assert_allclose(theta, want, rtol=1e-5 if dtype == np.float32 else 1e-12)
    untouched = [r for r in range(9) if r not in rows]
    np.testing.assert_array_equal(theta[untouched], want[untouched])


def test_step_reports_the_rows_it_touches_and_returns_new_arrays():
    rng = np.random.default_rng(4)
    W_in, W_out = rng.normal(size=(9, 3)), rng.normal(size=(9, 3))
    before = W_in.copy(), W_out.copy()
    s = sgd_step("skipgram", "negative", [2], 5, [7, 8, 5], W_in, W_out, alpha=0.5)
    np.testing.assert_array_equal(W_in, before[0])  # inputs untouched
    np.testing.assert_array_equal(W_out, before[1])
    assert list(s.rows_in) == [2]
    assert list(s.rows_out) == [5, 7, 8]
    assert s.dropped_negatives == 1
    diff_in = np.flatnonzero(np.any(s.W_in != W_in, axis=1))
    diff_out = np.flatnonzero(np.any(s.W_out != W_out, axis=1))
    assert list(diff_in) == [2] and list(diff_out) == [5, 7, 8]
    assert s.loss_after < s.loss  # a small step downhill lowers this example's loss
