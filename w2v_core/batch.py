"""Vectorized minibatch SGD: the fast NumPy path of the trainer.

A batch of B examples is evaluated at the *same* parameters, and the summed
update is applied once (W <- W - alpha * dJ/dW). A word that appears several
times in a batch gets the sum of its updates: the per-example maths, minus the
small interactions between examples of one batch.

Layout: ``theta`` (2V, d) stacks W_in (rows 0..V-1, the embedding matrix E)
over W_out (rows V..2V-1); the trainer's W_in_/W_out_ are views of it. One
sparse matrix S (2V, 2B) describes the whole update: column b < B carries
example b's output-side coefficients dJ/dscore (applied to h_b), column B + b
carries how dJ/dh_b flows back to its input rows (1 for skip-gram, 1/m for
CBOW). So the update is theta -= alpha * S @ [h; dJ/dh], every contribution
summed, duplicates included. ``scatter_add`` adds it into theta's rows in place,
at C speed, touching only the rows S names. S is built column by column (CSC),
so no sort is needed.

Negative sampling and hierarchical softmax (Morin & Bengio 2005; Mikolov et al.
2013a) are both sums of binary logistic terms -log σ(±u·h) over a few rows of
W_out: one layer, ``binary_logistic``, serves both (under HS the rows are the
inner nodes on the target's Huffman path, rows 0..V-2 of W_out).

These functions update the ``theta`` they are given in place: the trainer only
passes private copies, or its own weights, never arrays a caller holds.
"""

import numpy as np
from scipy import sparse
from scipy.special import expit, logsumexp

try:  # the compiled loop behind SciPy's ``csc_array @ dense``: Y += A @ X, into Y in place
    from scipy.sparse._sparsetools import csc_matvecs as _csc_matvecs
except ImportError:  # pragma: no cover - a SciPy that moved it: the public path below
    _csc_matvecs = None

TINY = 1e-30  # floor inside log: a saturated σ counts as loss log(1/TINY) ≈ 69, not inf

# Examples scored at a time. Their rows u (256 x (1+k) x d float32: 600 kB at k = 5, d = 100)
# are gathered, scored and summed into dJ/dh while they are still in the CPU's cache;
# gathering the whole batch's rows first (2.4 MB at B = 1024) left them to main memory
# between the passes (measured: the three passes 495 us a batch at once, 379 us by 256).
SUB_BATCH = 256


def scatter_add(theta, rows, coef, indptr, M) -> None:
    """theta[rows[e]] += coef[e] * M[col(e)] for every entry e, in place, duplicates summed.

    theta (R, d); M (n_cols, d); entries listed column by column: indptr (n_cols+1,)
    delimits the columns, rows (E,) and coef (E,) are the entries' rows and values.

    That is theta += S @ M for the sparse S (R, n_cols) = csc(coef, rows, indptr). SciPy's
    public ``S @ M`` would first fill a dense (R, d) result: for a batch that touches a few
    thousand of theta's rows, that result, and the gather and write-back of a compact copy
    of the rows around it, cost more than the update itself (measured on batches of 1,024
    skip-gram pairs: 1.35 -> 0.87 ms with the loop below alone, 0.74 ms with the blocks of
    ``binary_logistic``). The loop is SciPy's own
    (``scipy.sparse._sparsetools``, unchanged since 2014); if a SciPy release moves it,
    the public product on the unique rows does the same.
    """
    if _csc_matvecs is not None:
        indptr = indptr.astype(rows.dtype, copy=False)  # one index type: no converted copies
        coef = coef.astype(theta.dtype, copy=False)
        _csc_matvecs(len(theta), len(M), theta.shape[1], indptr, rows, coef, M, theta)
        return
    uniq, inv = np.unique(rows, return_inverse=True)  # (n,), (E,)
    S = sparse.csc_array((coef, inv.ravel(), indptr), shape=(len(uniq), len(M)))  # (n, cols)
    theta[uniq] += S @ M  # (n, d)


def binary_logistic(theta, V: int, h, in_rows, in_coef, in_ptr, out_ids, signs, alpha: float):
    """A sum of binary logistic terms per example: negative sampling and hierarchical softmax.

    Example b scores rows out_ids[b, j] of W_out and wants σ(signs[b, j] · u·h) high:
    J_b = -Σ_j log σ(s_bj u_bj·h_b), with dJ/d(u·h) = (σ(s u·h) - 1) s.

    h (B, d): hidden vectors, or None when each example has one input row with
    dh/dv = 1 (skip-gram: h is that row); out_ids (B, L): W_out row ids, -1 for
    padding (column 0 must be valid); signs (B, L): +1 or -1 (negative sampling: +1
    for the true word, -1 for noise; hierarchical softmax: 1 - 2 c_j along the path);
    (in_rows, in_coef, in_ptr): CSC entries of dh/dW_in. Returns (loss summed over
    the batch, the rows of theta updated; a row may repeat).

    Every read happens before the one write: the whole batch sees the same theta.
    """
    valid = out_ids >= 0  # (B, L)
    width = int(np.flatnonzero(valid.any(axis=0))[-1]) + 1  # drop trailing all-padding columns
    valid, out_ids, signs = valid[:, :width], out_ids[:, :width], signs[:, :width]
    B, K = out_ids.shape
    d, dtype = theta.shape[1], theta.dtype
    out_rows = np.where(valid, out_ids, out_ids[:, :1])  # (B, L) padding reads column 0
    out_rows += V  # rows of W_out in theta
    M = np.empty((2 * B, d), dtype=dtype)  # (2B, d) [h; dJ/dh]: S's columns multiply these
    if h is None:  # skip-gram: h_b = v_c, row in_rows[b] (mode="clip": valid ids, no buffer)
        theta.take(in_rows, axis=0, out=M[:B], mode="clip")  # (B, d)
    else:
        M[:B] = h
    h, grad_h = M[:B], M[B:]  # (B, d), (B, d) views
    p = np.empty((B, K), dtype=dtype)  # (B, L) σ(s u·h): the probabilities to raise
    delta = np.empty((B, K), dtype=dtype)  # (B, L) dJ/dscores = σ(u·h) - label
    U_buf = np.empty((min(B, SUB_BATCH), K, d), dtype=dtype)  # (b, L, d) reused
    for lo in range(0, B, SUB_BATCH):
        hi = min(B, lo + SUB_BATCH)
        U = theta.take(out_rows[lo:hi], axis=0, out=U_buf[: hi - lo], mode="clip")  # (b, L, d)
        scores = np.einsum("bld,bd->bl", U, h[lo:hi])  # (b, L) u·h
        p[lo:hi] = expit(scores * signs[lo:hi])  # (b, L)
        delta[lo:hi] = (p[lo:hi] - 1) * signs[lo:hi] * valid[lo:hi]  # (b, L)
        np.matmul(delta[lo:hi, None, :], U, out=grad_h[lo:hi, None, :])  # (b, 1, d) Σ_j δ_j u_j
    loss = -np.log(np.maximum(p, TINY)).sum(where=valid)  # J = -Σ log p
    rows = np.concatenate([out_rows.ravel(), in_rows])  # (E,) every row written
    coef = np.concatenate([delta.ravel(), in_coef])  # (E,) theta's dtype, as delta and in_coef
    coef *= dtype.type(-alpha)  # fold the step -alpha in: no (n, d) temporary
    indptr = np.concatenate([np.arange(0, B * K, K), B * K + in_ptr])  # (2B+1,)
    scatter_add(theta, rows, coef, indptr, M)  # theta -= alpha * S @ [h; dJ/dh]
    return float(loss), rows


def negative_sampling(theta, V: int, h, in_rows, in_coef, in_ptr, outputs, alpha: float):
    """Negative-sampling output layer shared by skip-gram and CBOW.

    outputs (B, 1+k): word ids, true word first, -1 for a skipped noise draw.
    """
    sign = np.full(outputs.shape[1], -1, dtype=theta.dtype)  # (1+k,) +1 true word, -1 noise
    sign[0] = 1
    signs = np.broadcast_to(sign, outputs.shape)  # (B, 1+k)
    return binary_logistic(theta, V, h, in_rows, in_coef, in_ptr, outputs, signs, alpha)


def hierarchical_softmax(theta, V, h, in_rows, in_coef, in_ptr, outputs, alpha, *, signs):
    """Hierarchical-softmax output layer: outputs (B, L) inner-node ids on each target's
    path (root first, -1 pads); signs (B, L) 1 - 2 c_j, the branch taken at each node."""
    return binary_logistic(theta, V, h, in_rows, in_coef, in_ptr, outputs, signs, alpha)


def _layer(loss: str, signs):
    """The output layer for ``loss``: f(theta, V, h, in_rows, in_coef, in_ptr, outputs, alpha)."""
    if loss == "softmax":
        return softmax
    if loss == "hs":
        if signs is None:
            raise ValueError("hierarchical softmax needs the signs of the path")
        return lambda *args: hierarchical_softmax(*args, signs=signs)
    return negative_sampling


def softmax(theta, V: int, h, in_rows, in_coef, in_ptr, targets, alpha: float):
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
    scatter_add(theta, in_rows, in_coef * -alpha, in_ptr, grad_h)  # W_in rows -= alpha dJ/dv
    return float(loss), np.concatenate([in_rows, np.arange(V, 2 * V)])


def skipgram(theta, V: int, centres, outputs, alpha: float, loss="negative", signs=None):
    """B skip-gram examples. centres (B,): input ids; outputs (B, 1+k) for negative
    sampling, (B,) for softmax, (B, L) path node ids with signs (B, L) for "hs".
    h = v_c, the centre's own row (the layer reads it)."""
    B = len(centres)
    in_coef = np.ones(B, dtype=theta.dtype)  # dh/dv_c = 1
    in_ptr = np.arange(B + 1)  # one input row per example
    return _layer(loss, signs)(theta, V, None, centres, in_coef, in_ptr, outputs, alpha)


def train_range(
    model, loss, theta, V, inputs, outputs, alphas, batch_size, touched, exact=False, signs=None
):
    """Consecutive minibatches of ``batch_size``; batch i uses learning rate alphas[i].

    Marks updated rows in ``touched`` (2V,). Stops before applying a batch whose
    loss is not finite. Returns (loss sum of the applied batches, batches applied).
    ``signs`` (n, L) goes with the (n, L) path node ids of hierarchical softmax.
    """
    total = 0.0
    for i, alpha in enumerate(alphas):
        lo, hi = i * batch_size, min(len(outputs), (i + 1) * batch_size)
        sg = None if signs is None else signs[lo:hi]  # (b, L)
        args = (theta, V, inputs[lo:hi], outputs[lo:hi], float(alpha), loss)
        if model == "skipgram":
            J, rows = skipgram(*args, sg)
        else:
            J, rows = cbow(*args, exact, sg)
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
    return _layer(loss, signs)(theta, V, h, in_rows, in_coef, in_ptr, outputs, alpha)
