"""One SGD step on one example, with every intermediate number kept for display.

This is the teaching path: plain per-example maths from ``models.py`` in
float64, returning *new* arrays. The trainer uses ``batch.py`` for speed; with
a batch of one example both give the same update (tested).
"""

from dataclasses import dataclass, field

import numpy as np

from .huffman import HuffmanTree
from .models import hs_output, loss_and_grad, negative_sampling_output, softmax_output


def _no_ids() -> np.ndarray:
    return np.empty(0, dtype=np.int64)  # (0,)


@dataclass(frozen=True)
class Step:
    model: str  # "skipgram" or "cbow"
    loss_kind: str  # "negative", "softmax" or "hs" (hierarchical softmax)
    inputs: np.ndarray  # (m,) ids feeding the hidden layer (1 for skip-gram)
    output: int  # id of the word to predict
    negatives: np.ndarray  # (k',) noise ids used (a draw equal to `output` is dropped)
    dropped_negatives: int  # how many draws equalled the word to predict
    h: np.ndarray  # (d,) hidden vector: v_c, or the mean of the context vectors
    # rows of W_out scored: (k'+1,) [output, *negatives]; (V,) for softmax; for hs (L,)
    # the inner-node ids on the output word's path, root first
    scored_ids: np.ndarray
    scores: np.ndarray  # (k'+1,), (V,) or (L,) u·h of those rows
    probs: np.ndarray  # σ(scores) for negative sampling and hs, softmax(scores) for softmax
    loss: float  # J of this example before the update
    loss_after: float  # J of this example after the update
    grad_h: np.ndarray  # (d,) dJ/dh
    alpha: float  # learning rate used
    rows_in: np.ndarray  # ids of the W_in rows the update changes
    rows_out: np.ndarray  # ids of the W_out rows the update changes (hs: inner-node ids)
    delta_W_in: np.ndarray  # (len(rows_in), d) change of those rows: -alpha * dJ/dW_in
    delta_W_out: np.ndarray  # (len(rows_out), d) change of those rows
    W_in: np.ndarray  # (V, d) W_in after the update (a new array)
    W_out: np.ndarray  # (V, d) W_out after the update (a new array)
    path: np.ndarray = field(default_factory=_no_ids)  # (L,) hs: inner nodes, root first
    code: np.ndarray = field(default_factory=_no_ids)  # (L,) hs: the bit taken at each node


def sgd_step(
    model,
    loss,
    inputs,
    output,
    negatives,
    W_in,
    W_out,
    alpha: float,
    cbow_update="word2vec",
    tree: HuffmanTree | None = None,
) -> Step:
    """Forward pass, gradients and the update for one example; inputs are not modified.

    For CBOW, cbow_update="word2vec" moves each context row by -alpha * dJ/dh (as
    word2vec.c and gensim do); "gradient" by -alpha * dJ/dh / m, the exact gradient.
    For hierarchical softmax (loss "hs") ``tree`` gives the output word's path and
    code; ``negatives`` are ignored.
    """
    inputs = np.atleast_1d(np.asarray(inputs, dtype=np.int64))
    inputs = inputs[inputs >= 0]  # (m,)
    negatives = np.asarray(negatives, dtype=np.int64)  # (k,)
    path = code = _no_ids()  # (0,)
    if loss == "hs":
        if tree is None:
            raise ValueError("hierarchical softmax needs the Huffman tree")
        path, code = tree.path(output), tree.code(output)  # (L,), (L,)
        negatives = _no_ids()
    keep = negatives != output
    neg = negatives[keep]  # (k',)
    W_in64 = W_in.astype(np.float64)  # (V, d)
    W_out64 = W_out.astype(np.float64)  # (V, d)
    centre = inputs[0] if model == "skipgram" else inputs
    lg = loss_and_grad(model, loss, centre, output, W_in64, W_out64, neg, path, code)
    h = W_in64[inputs].mean(axis=0)  # (d,)
    if loss == "softmax":
        _, _, _, probs = softmax_output(h, output, W_out64)
        scored = np.arange(len(W_out))  # (V,)
    elif loss == "hs":
        _, _, _, probs = hs_output(h, path, code, W_out64)
        scored = path  # (L,) inner-node ids, root first
    else:
        _, _, _, probs = negative_sampling_output(h, output, neg, W_out64)
        scored = np.concatenate([[output], neg])  # (k'+1,)
    scores = W_out64[scored] @ h  # (k'+1,), (V,) or (L,)
    rows_in = np.unique(inputs)
    rows_out = np.unique(scored)
    grad_in = lg.grad_W_in  # (V, d)
    if model == "cbow" and cbow_update == "word2vec":
        grad_in = grad_in * len(inputs)  # the whole dJ/dh per occurrence, not dJ/dh / m
    new_in = W_in64 - alpha * grad_in  # (V, d)
    new_out = W_out64 - alpha * lg.grad_W_out  # (V, d)
    after = loss_and_grad(model, loss, centre, output, new_in, new_out, neg, path, code).loss
    return Step(
        model=model,
        loss_kind=loss,
        inputs=inputs,
        output=int(output),
        negatives=neg,
        dropped_negatives=int((~keep).sum()),
        h=h,
        scored_ids=scored,
        scores=scores,
        probs=probs,
        loss=lg.loss,
        loss_after=after,
        grad_h=lg.grad_h,
        alpha=float(alpha),
        rows_in=rows_in,
        rows_out=rows_out,
        delta_W_in=-alpha * grad_in[rows_in],
        delta_W_out=-alpha * lg.grad_W_out[rows_out],
        W_in=new_in.astype(W_in.dtype),
        W_out=new_out.astype(W_out.dtype),
        path=path,
        code=code,
    )
