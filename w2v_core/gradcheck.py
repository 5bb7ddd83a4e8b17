"""Gradient check: analytic gradients against central differences.

For a parameter θ_i the numeric derivative is the central difference

    n_i = (J(θ + ε e_i) - J(θ - ε e_i)) / 2ε        (ε = 1e-5, in float64)

and it is compared with the analytic a_i = dJ/dθ_i of ``models.loss_and_grad``
(the same function the teaching step ``step.sgd_step`` uses; ``batch.py``'s
vectorised path is tested against that step). J is evaluated with the engine's own
loss, ``loss_and_grad(...).loss``: the check writes no loss of its own.

One error metric, CS224n's (``gradcheck_naive`` of assignment 2):

    err = max_i |a_i - n_i| / max(1, |a_i|, |n_i|)     and the check passes below 1e-5.

The floor of 1 makes it an absolute error for small gradients (central differences
carry ~1e-10 of rounding noise, which must not look like a bug when the true
gradient is tiny, e.g. early in training when W_out is almost zero) and a relative
one for large gradients.

``check`` runs on a small random model (random W_out, not word2vec's zeros, so every
term of the gradient counts); ``check_example`` on one real example of a trainer at
its current weights, for the rows that example touches.
"""

from dataclasses import dataclass

import numpy as np

from .config import LOSSES, MODELS
from .huffman import build_huffman
from .models import loss_and_grad
from .step import Step

EPS = 1e-5  # the step of the central differences
TOLERANCE = 1e-5  # CS224n's threshold on ``relative_error``
MAX_CHECK_OUT_ROWS = 8  # softmax: W_out rows checked numerically (all V rows move)


@dataclass(frozen=True)
class GradCheck:
    model: str
    loss: str
    max_rel_error: float  # ``relative_error`` over all entries of W_in and W_out
    n_params: int


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """CS224n's error: max over entries of |a - n| / max(1, |a|, |n|) (0 for no entries)."""
    a = np.ravel(np.asarray(analytic, dtype=np.float64))  # (n,)
    n = np.ravel(np.asarray(numeric, dtype=np.float64))  # (n,)
    if a.size == 0:
        return 0.0
    denom = np.maximum(1.0, np.maximum(np.abs(a), np.abs(n)))  # (n,)
    return float(np.max(np.abs(a - n) / denom))


def numeric_grad(f, x: np.ndarray, eps: float = EPS) -> np.ndarray:
    """Central differences of the scalar function f at x (x is restored afterwards)."""
    g = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + eps
        plus = f()
        x[i] = old - eps
        minus = f()
        x[i] = old
        g[i] = (plus - minus) / (2 * eps)
    return g


def check(model: str, loss: str, V: int = 8, d: int = 5, k: int = 4, seed: int = 0) -> GradCheck:
    """Check one model/loss pair on a random example with random weights.

    For hierarchical softmax the tree is built from random descending counts and
    the word to predict is the one with the longest code (the most nodes checked).
    """
    rng = np.random.default_rng(seed)
    W_in = rng.normal(0.0, 0.5, size=(V, d))  # (V, d) float64
    W_out = rng.normal(0.0, 0.5, size=(V, d))  # (V, d) under HS row V-1 is unused
    o = 1
    neg = rng.integers(0, V, size=k)  # (k,) may repeat, like real draws
    path = code = np.empty(0, dtype=np.int64)  # (0,)
    if loss == "hs":
        tree = build_huffman(np.sort(rng.integers(1, 100, size=V))[::-1])
        o = int(np.argmax(tree.lengths))
        path, code = tree.path(o), tree.code(o)  # (L,), (L,)
    inputs = 2 if model == "skipgram" else np.array([2, 3, 3, 5])  # a repeated context word
    lg = loss_and_grad(model, loss, inputs, o, W_in, W_out, neg, path, code)

    def J() -> float:
        return loss_and_grad(model, loss, inputs, o, W_in, W_out, neg, path, code).loss

    err_in = relative_error(lg.grad_W_in, numeric_grad(J, W_in))
    err_out = relative_error(lg.grad_W_out, numeric_grad(J, W_out))
    return GradCheck(model, loss, max(err_in, err_out), 2 * V * d)


def check_all(seed: int = 0) -> list[GradCheck]:
    return [check(m, l, seed=seed) for m in MODELS for l in LOSSES]


# ---- one real example ------------------------------------------------------------------


@dataclass(frozen=True)
class ExampleCheck:
    """Analytic vs central-difference gradient of one real example, per matrix."""

    rows_in: np.ndarray  # W_in rows checked (the input rows, then one row the example skips)
    rows_out: np.ndarray  # W_out rows checked
    err_in: float  # ``relative_error`` over the checked W_in entries
    err_out: float  # ``relative_error`` over the checked W_out entries
    n_entries: int  # entries perturbed (each costs two loss evaluations)
    untouched_in: int  # a W_in row outside the example (-1 if none)
    untouched_in_max: float  # max |numeric gradient| on that row (0: the row gets nothing)
    out_rows_all: bool  # True when every row of W_out that receives a gradient was checked
    sample_in: np.ndarray  # (2, d) analytic and numeric dJ/dW_in of the first input row
    sample_out: np.ndarray  # (2, d) analytic and numeric dJ/dW_out of row sample_out_row
    sample_out_row: int  # the word to predict, or under hs the deepest node on its path

    @property
    def passed(self) -> bool:
        return max(self.err_in, self.err_out) < TOLERANCE


def _numeric_rows(J, W: np.ndarray, rows: np.ndarray, eps: float) -> np.ndarray:
    """Central differences of J with respect to W[rows] (W is a private float64 copy)."""
    x = W[rows].copy()  # (r, d)

    def f() -> float:
        W[rows] = x
        return J()

    g = numeric_grad(f, x, eps)
    W[rows] = x
    return g


def checked_out_rows(step: Step, cap: int = MAX_CHECK_OUT_ROWS) -> np.ndarray:
    """W_out rows to check: the rows the step changes; for softmax (all V rows) the word
    to predict and the most probable others, ``cap`` in all."""
    if step.loss_kind != "softmax":
        return step.rows_out
    order = np.argsort(-step.probs, kind="stable")  # (V,)
    order = order[order != step.output][: max(0, cap - 1)]
    return np.concatenate([[step.output], order]).astype(np.int64)


def check_example(step: Step, W_in, W_out, eps: float = EPS) -> ExampleCheck:
    """Check the gradient of ``step``'s example at the weights *before* the step.

    ``W_in``, ``W_out`` (V, d): those weights (not modified). The analytic gradient
    is ``loss_and_grad`` (the exact gradient; for CBOW that is dJ/dh / m per context
    row, whereas word2vec's update moves each row by the whole dJ/dh). Checked rows:
    the input rows plus one row outside the example for W_in; ``checked_out_rows``
    for W_out.
    """
    Win = np.array(W_in, dtype=np.float64)  # (V, d) private copies: the check perturbs them
    Wout = np.array(W_out, dtype=np.float64)  # (V, d)
    V = len(Win)
    centre = step.inputs[0] if step.model == "skipgram" else step.inputs
    args = (step.output, Win, Wout, step.negatives, step.path, step.code)
    lg = loss_and_grad(step.model, step.loss_kind, centre, *args)

    def J() -> float:
        return loss_and_grad(step.model, step.loss_kind, centre, *args).loss

    outside = np.setdiff1d(np.arange(min(V, len(step.rows_in) + 1)), step.rows_in)
    untouched = int(outside[0]) if len(outside) else -1
    rows_in = step.rows_in if untouched < 0 else np.append(step.rows_in, untouched)
    rows_out = checked_out_rows(step)
    num_in = _numeric_rows(J, Win, rows_in, eps)  # (r_in, d)
    num_out = _numeric_rows(J, Wout, rows_out, eps)  # (r_out, d)
    sample_row = int(step.path[-1]) if step.loss_kind == "hs" else step.output
    at = int(np.flatnonzero(rows_out == sample_row)[0])
    return ExampleCheck(
        rows_in=rows_in,
        rows_out=rows_out,
        err_in=relative_error(lg.grad_W_in[rows_in], num_in),
        err_out=relative_error(lg.grad_W_out[rows_out], num_out),
        n_entries=int(num_in.size + num_out.size),
        untouched_in=untouched,
        untouched_in_max=float(np.abs(num_in[-1]).max()) if untouched >= 0 else 0.0,
        out_rows_all=len(rows_out) == len(step.rows_out),
        sample_in=np.stack([lg.grad_W_in[rows_in[0]], num_in[0]]),
        sample_out=np.stack([lg.grad_W_out[sample_row], num_out[at]]),
        sample_out_row=sample_row,
    )
