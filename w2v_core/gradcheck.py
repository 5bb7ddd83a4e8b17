"""Gradient check: analytic gradients against central differences.

For every parameter θ_i we compare dJ/dθ_i with (J(θ + ε e_i) - J(θ - ε e_i)) / 2ε
(in float64, ε = 1e-5: over 20 random seeds this gives a worst error
of ~5e-8, where 1e-6 loses digits to rounding) and report the max relative error
``|a - n| / max(|a| + |n|, tiny)`` over all entries, as in CS224n's
``gradcheck_naive``. Random parameters (not word2vec's zero W_out) make every
term of the gradient non-trivial.
"""

from dataclasses import dataclass

import numpy as np

from .config import LOSSES, MODELS
from .huffman import build_huffman
from .models import loss_and_grad


@dataclass(frozen=True)
class GradCheck:
    model: str
    loss: str
    max_rel_error: float  # max over all entries of W_in and W_out
    n_params: int


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """Max |a - n| / max(|a| + |n|, 1e-12): 0 where both are 0, ~1 where one is."""
    denom = np.maximum(np.abs(analytic) + np.abs(numeric), 1e-12)
    return float(np.max(np.abs(analytic - numeric) / denom))


def numeric_grad(f, x: np.ndarray, eps: float = 1e-5) -> np.ndarray:
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
