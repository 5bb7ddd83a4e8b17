"""The gradient check of the engine: CS224n's error metric and the check of one real example."""

import numpy as np
import pytest

from w2v_core.gradcheck import TOLERANCE, check_example, checked_out_rows, relative_error
from w2v_core.huffman import build_huffman
from w2v_core.models import loss_and_grad
from w2v_core.step import sgd_step

COMBOS = [(m, l) for m in ("skipgram", "cbow") for l in ("negative", "softmax", "hs")]


def make_step(model="skipgram", loss="negative", V=12, d=4, zero_out=False, negatives=(5, 7, 5)):
    rng = np.random.default_rng(0)
    W_in = rng.normal(0, 0.5, (V, d))
    W_out = np.zeros((V, d)) if zero_out else rng.normal(0, 0.5, (V, d))
    if loss == "hs":
        W_out[V - 1] = 0.0  # row V-1 is no inner node
    inputs = [2] if model == "skipgram" else [2, 3, 3, 9]
    tree = build_huffman(np.arange(V, 0, -1) * 3) if loss == "hs" else None
    step = sgd_step(model, loss, inputs, 4, np.array(negatives), W_in, W_out, 0.1, tree=tree)
    return step, W_in, W_out


def test_relative_error_is_cs224n_elementwise():
    a = np.array([1e-9, -2e-9])
    assert relative_error(a, a + 1e-12) == pytest.approx(1e-12)  # small: absolute error
    assert relative_error(np.array([10.0]), np.array([11.0])) == pytest.approx(1 / 11)
    assert relative_error(np.array([0.5, 3.0]), np.array([0.5, 3.3])) == pytest.approx(0.3 / 3.3)
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(np.zeros(0), np.zeros(0)) == 0.0


@pytest.mark.parametrize(("model", "loss"), COMBOS)
def test_check_example_agrees(model, loss):
    step, W_in, W_out = make_step(model, loss)
    W_in0, W_out0 = W_in.copy(), W_out.copy()
    res = check_example(step, W_in, W_out)
    assert np.array_equal(W_in, W_in0) and np.array_equal(W_out, W_out0)  # not modified
    assert res.passed and res.err_in < 1e-8 and res.err_out < 1e-8
    assert res.untouched_in >= 0 and res.untouched_in not in step.rows_in
    assert res.untouched_in_max == 0.0  # a row outside the example gets no gradient
    assert np.allclose(res.sample_in[0], res.sample_in[1], atol=1e-7)
    assert res.n_entries == (len(res.rows_in) + len(res.rows_out)) * W_in.shape[1]
    if loss == "hs":
        assert list(res.rows_out) == sorted(step.path) and res.sample_out_row == step.path[-1]
    else:
        assert res.sample_out_row == step.output


def test_check_example_catches_a_wrong_gradient():
    """The check can fail: a step whose analytic gradient is off is reported."""
    step, W_in, W_out = make_step("skipgram", "negative")
    res = check_example(step, W_in, W_out)
    J = loss_and_grad("skipgram", "negative", 2, 4, W_in, W_out, step.negatives)
    wrong = J.grad_W_out[checked_out_rows(step)] * 1.5
    num = res.sample_out[1]
    assert relative_error(wrong[0], num) > TOLERANCE


def test_softmax_checks_the_true_word_and_the_most_probable():
    step, W_in, W_out = make_step("skipgram", "softmax")
    rows = checked_out_rows(step, cap=4)
    assert rows[0] == step.output and len(rows) == 4
    others = step.probs[rows[1:]]
    assert np.all(np.diff(others) <= 0)
    res = check_example(step, W_in, W_out)
    assert not res.out_rows_all and res.passed


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
    assert res.err_in == 0.0 and res.err_out < 1e-8
