"""Vectorized minibatch SGD: the fast NumPy path of the trainer.

A batch of B examples is evaluated at the *same* parameters, and the summed
update is applied once (W <- W - alpha * dJ/dW). A word that appears several
times in a batch gets the sum of its updates: the per-example maths, minus the
small interactions between examples of one batch.

Layout: ``theta`` (2V, d) stacks W_in (rows 0..V-1, the embedding matrix E)
over W_out (rows V..2V-1); the trainer's W_in_/W_out_ are views of it. Then one
sparse matrix S (n_unique_rows, 2B) describes the whole update: column b < B
carries example b's output-side coefficients dJ/dscore (applied to h_b), column
B + b carries how dJ/dh_b flows back to its input rows (1 for skip-gram, 1/m
for CBOW). One product ``S @ [h; dJ/dh]`` sums every contribution, duplicates
included, at C speed through the public scipy.sparse API (``np.add.at`` was
2-3x slower). S is built column by column (CSC), so no sort is needed.

Negative sampling and hierarchical softmax (Morin & Bengio 2005; Mikolov et al.
2013a) are both sums of binary logistic terms -log σ(±u·h) over a few rows of
W_out: one layer, ``binary_logistic``, serves both (under HS the rows are the
inner nodes on the target's Huffman path, rows 0..V-2 of W_out).

These functions update the ``theta`` they are given in place: the trainer only
passes private copies, never arrays a caller holds.
"""

import numpy as np
from scipy import sparse
from scipy.special import expit, logsumexp

TINY = 1e-30  # floor inside log: a saturated σ counts as loss log(1/TINY) ≈ 69, not inf


def row_scratch(n_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Reusable work arrays for ``compact_rows`` over a theta of ``n_rows`` rows."""
    return np.zeros(n_rows, dtype=bool), np.empty(n_rows, dtype=np.int32)  # (2V,), (2V,)


def compact_rows(rows: np.ndarray, n_rows: int, scratch=None) -> tuple[np.ndarray, np.ndarray]:
    """Unique rows (sorted) and each entry's index among them, in O(n_rows + E).

    ``scratch`` (from ``row_scratch``) saves two (n_rows,) allocations per call.
    """
    seen, where = row_scratch(n_rows) if scratch is None else scratch  # (2V,) all False
    seen[rows] = True
    uniq = np.flatnonzero(seen)  # (n,)
    seen[uniq] = False  # all False again for the next batch
    where[uniq] = np.arange(len(uniq), dtype=np.int32)  # row -> compact index
    return uniq, where.take(rows)  # (n,), (E,)


def as_rows(a: np.ndarray) -> np.ndarray:
    """(m,) view of a C-contiguous (m, d) array whose items are whole rows (void, d * itemsize
    bytes). ``put`` on it copies each row with one memmove; on the standard run's batches
    that writes theta back about 1.6x faster than ``a[idx] = b`` (NumPy's general
    fancy-index loop)."""
    return a.view(np.dtype((np.void, a.shape[1] * a.itemsize))).reshape(-1)


def apply_update(theta, rows, coef, indptr, M, alpha: float) -> np.ndarray:
    """theta[r] -= alpha * Σ_e coef[e] * M[col(e)] over entries e with rows[e] = r.

    Entries are listed column by column; ``indptr`` (n_cols+1,) delimits the columns.
    Returns the unique rows that received an update.
    """
    uniq, inv = compact_rows(rows, theta.shape[0])  # (n,), (E,)
    coef = coef * theta.dtype.type(alpha)  # (E,) fold the learning rate in: no (n, d) temporary
    S = sparse.csc_array((coef, inv, indptr), shape=(len(uniq), M.shape[0]))  # (n, 2B)
    theta[uniq] -= S @ M  # (n, d)
    return uniq


def binary_logistic(
    theta, V: int, h, in_rows, in_coef, in_ptr, out_ids, signs, alpha: float, scratch=None
):
    """A sum of binary logistic terms per example: negative sampling and hierarchical softmax.

    Example b scores rows out_ids[b, j] of W_out and wants σ(signs[b, j] · u·h) high:
    J_b = -Σ_j log σ(s_bj u_bj·h_b), with dJ/d(u·h) = (σ(s u·h) - 1) s.

    h (B, d): hidden vectors, or None when each example has one input row with
    dh/dv = 1 (skip-gram: h is that row); out_ids (B, L): W_out row ids, -1 for
    padding (column 0 must be valid); signs (B, L): +1 or -1 (negative sampling: +1
    for the true word, -1 for noise; hierarchical softmax: 1 - 2 c_j along the path);
    (in_rows, in_coef, in_ptr): CSC entries of dh/dW_in. Returns (loss summed over
    the batch, unique rows of theta updated).

    Every row the batch reads is also a row it writes, so the rows are gathered
    once into a compact table T, read from there (in cache) and written back once.
    """
    valid = out_ids >= 0  # (B, L)
    width = int(np.flatnonzero(valid.any(axis=0))[-1]) + 1  # drop trailing all-padding columns
    valid, out_ids, signs = valid[:, :width], out_ids[:, :width], signs[:, :width]
    B, K = out_ids.shape
    out_rows = np.where(valid, out_ids, out_ids[:, :1])  # (B, L) padding reads column 0
    out_rows += V  # rows of W_out in theta
    rows = np.concatenate([out_rows.ravel(), in_rows])  # (E,) every row read or written
    uniq, inv = compact_rows(rows, len(theta), scratch)  # (n,), (E,)
    T = theta.take(uniq, axis=0)  # (n, d) the batch's rows at the batch's start
    U = T.take(inv[: B * K].reshape(B, K), axis=0)  # (B, L, d) u_{b,1}..u_{b,L}
    M = np.empty((2 * B, theta.shape[1]), dtype=theta.dtype)  # (2B, d) [h; dJ/dh]
    if h is None:
        h = T.take(inv[B * K :], axis=0)  # (B, d) v_c
    M[:B] = h  # column b of S uses h_b ...
    scores = np.matmul(U, h[:, :, None])[:, :, 0]  # (B, L) u·h
    p = expit(scores * signs)  # (B, L) σ(s u·h): the probabilities to raise
    loss = -np.log(np.maximum(p, TINY)).sum(where=valid)  # J = -Σ log p
    delta = (p - 1) * signs * valid  # (B, L) dJ/dscores = σ(u·h) - label
    np.matmul(delta[:, None, :], U, out=M[B:, None, :])  # ... column B+b dJ/dh_b = Σ_j δ_j u_j
    coef = np.concatenate([delta.ravel(), in_coef])  # (E,)
    coef *= theta.dtype.type(alpha)  # fold the learning rate in: no (n, d) temporary
    indptr = np.concatenate([np.arange(0, B * K, K), B * K + in_ptr])  # (2B+1,)
    S = sparse.csc_array((coef, inv, indptr), shape=(len(uniq), 2 * B))  # (n, 2B)
    T -= S @ M  # (n, d) every contribution, duplicates summed
    as_rows(theta).put(uniq, as_rows(T))  # each row written once: theta[uniq] = T
    return float(loss), uniq


def negative_sampling(
    theta, V: int, h, in_rows, in_coef, in_ptr, outputs, alpha: float, scratch=None
):
    """Negative-sampling output layer shared by skip-gram and CBOW.

    outputs (B, 1+k): word ids, true word first, -1 for a skipped noise draw.
    """
    sign = np.full(outputs.shape[1], -1, dtype=theta.dtype)  # (1+k,) +1 true word, -1 noise
    sign[0] = 1
    signs = np.broadcast_to(sign, outputs.shape)  # (B, 1+k)
    args = (theta, V, h, in_rows, in_coef, in_ptr, outputs, signs, alpha, scratch)
    return binary_logistic(*args)


def hierarchical_softmax(theta, V, h, in_rows, in_coef, in_ptr, outputs, alpha, scratch, *, signs):
    """Hierarchical-softmax output layer: outputs (B, L) inner-node ids on each target's
    path (root first, -1 pads); signs (B, L) 1 - 2 c_j, the branch taken at each node."""
    args = (theta, V, h, in_rows, in_coef, in_ptr, outputs, signs, alpha, scratch)
    return binary_logistic(*args)


def _layer(loss: str, signs):
    """The output layer for ``loss``: f(theta, V, h, in_rows, in_coef, in_ptr, outputs, alpha,
    scratch)."""
    if loss == "softmax":
        return softmax
    if loss == "hs":
        if signs is None:
            raise ValueError("hierarchical softmax needs the signs of the path")
        return lambda *args: hierarchical_softmax(*args, signs=signs)
    return negative_sampling


def softmax(theta, V: int, h, in_rows, in_coef, in_ptr, targets, alpha: float, scratch=None):
    """Full-softmax output layer: every row of W_out is updated (dense)."""
    B = len(targets)
    if h is None:
        h = theta.take(in_rows, axis=0)  # (B, d) skip-gram: v_c
    W_out = theta[V:]  # (V, d) view
    scores = h @ W_out.T  # (B, V)
    lse = logsumexp(scores, axis=1)  # (B,)
    loss = (lse - scores[np.arange(B), targets]).sum()
    delta = np.exp(scores - lse[:, None])  # (B, V) y_hat
    delta[np.arange(B), targets] -= 1  # (B, V) y_hat - y
    grad_h = delta @ W_out  # (B, d)
    W_out -= alpha * (delta.T @ h)  # (V, d) dense update of the view
    rows = apply_update(theta, in_rows, in_coef, in_ptr, grad_h, alpha)
    return float(loss), np.concatenate([rows, np.arange(V, 2 * V)])


def skipgram(
    theta, V: int, centres, outputs, alpha: float, loss="negative", signs=None, scratch=None
):
    """B skip-gram examples. centres (B,): input ids; outputs (B, 1+k) for negative
    sampling, (B,) for softmax, (B, L) path node ids with signs (B, L) for "hs".
    h = v_c, the centre's own row (the layer reads it)."""
    B = len(centres)
    in_coef = np.ones(B, dtype=theta.dtype)  # dh/dv_c = 1
    in_ptr = np.arange(B + 1)  # one input row per example
    args = (theta, V, None, centres, in_coef, in_ptr, outputs, alpha, scratch)
    return _layer(loss, signs)(*args)


def train_range(
    model, loss, theta, V, inputs, outputs, alphas, batch_size, touched, exact=False, signs=None
):
    """Consecutive minibatches of ``batch_size``; batch i uses learning rate alphas[i].

    Marks updated rows in ``touched`` (2V,). Stops before applying a batch whose
    loss is not finite. Returns (loss sum of the applied batches, batches applied).
    ``signs`` (n, L) goes with the (n, L) path node ids of hierarchical softmax.
    """
    total = 0.0
    scratch = row_scratch(len(theta))
    for i, alpha in enumerate(alphas):
        lo, hi = i * batch_size, min(len(outputs), (i + 1) * batch_size)
        sg = None if signs is None else signs[lo:hi]  # (b, L)
        args = (theta, V, inputs[lo:hi], outputs[lo:hi], float(alpha), loss)
        if model == "skipgram":
            J, rows = skipgram(*args, sg, scratch)
        else:
            J, rows = cbow(*args, exact, sg, scratch)
        if not np.isfinite(J):
            return total, i
        touched[rows] = True
        total += J
    return total, len(alphas)


def cbow(
    theta,
    V,
    contexts,
    outputs,
    alpha: float,
    loss="negative",
    exact=False,
    signs=None,
    scratch=None,
):
    """B CBOW examples. contexts (B, 2W): ids, -1 for padding; h = mean of context rows.

    exact=True sends dJ/dh / m to each context row (the gradient of the mean);
    exact=False sends all of dJ/dh to each, like word2vec.c and gensim.
    """
    valid = contexts >= 0  # (B, 2W)
    m = valid.sum(axis=1)  # (B,) context words per example
    safe = np.where(valid, contexts, 0)  # (B, 2W)
    h = (theta.take(safe, axis=0) * valid[:, :, None]).sum(axis=1) / m[:, None]  # (B, d)
    h = h.astype(theta.dtype, copy=False)
    in_rows = contexts[valid]  # (E,) row-major: grouped by example
    in_coef = np.repeat(1.0 / m if exact else np.ones(len(m)), m).astype(theta.dtype)  # (E,)
    in_ptr = np.concatenate([[0], np.cumsum(m)])  # (B+1,)
    return _layer(loss, signs)(theta, V, h, in_rows, in_coef, in_ptr, outputs, alpha, scratch)
