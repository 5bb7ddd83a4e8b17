"""Optional numba kernels: the minibatch maths of ``batch.py``, compiled.

Same algorithm, same batches, same result to float tolerance (tested): every
example of a batch is scored at the parameters the batch started with, then the
summed updates are applied. Three passes per batch:

1. in parallel over examples: scores, σ, loss, delta = σ(s) - label, and dJ/dh
   (reads only);
2. W_out rows -= alpha * delta * h (h is still the old W_in row or context mean);
3. W_in rows  -= alpha * dJ/dh (divided by m for CBOW with the exact update).

Passes 2 and 3 write shared rows, so each thread owns the rows whose id is
congruent to its number modulo the thread count: no locks, no races, and the
same summation order whatever the number of threads.

numba is optional: ``available()`` says whether it imports, and the trainer
falls back to nothing silently only if asked for numpy. Compiled code is cached
on disk (``cache=True``), so only the first run pays the compile time.
"""

import math

import numpy as np

try:
    import numba
    from numba import njit, prange
except ImportError:  # pragma: no cover - exercised only without numba
    numba = None

_FLAGS = {"reassoc", "contract", "arcp", "nsz"}  # vectorize dot products; keep NaN/inf semantics


def available() -> bool:
    return numba is not None


def _softplus_neg(z):
    """-log σ(z) = log(1 + e^-z), stable for both signs."""
    if z >= 0:
        return math.log1p(math.exp(-z))
    return -z + math.log1p(math.exp(z))


def _kernel(theta, V, inputs, n_inputs, outputs, alpha, n_threads, exact):
    """One minibatch of negative sampling. inputs (B, m): ids (-1 = padding); h = their mean."""
    B, K = outputs.shape
    d = theta.shape[1]
    h = np.zeros((B, d), dtype=theta.dtype)  # (B, d)
    grad_h = np.zeros((B, d), dtype=theta.dtype)  # (B, d)
    delta = np.zeros((B, K), dtype=theta.dtype)  # (B, 1+k)
    losses = np.zeros(B)  # (B,)
    for b in prange(B):  # pass 1: read-only
        m = n_inputs[b]
        for i in range(inputs.shape[1]):
            c = inputs[b, i]
            if c >= 0:
                for x in range(d):
                    h[b, x] += theta[c, x]
        for x in range(d):
            h[b, x] /= m
        for j in range(K):
            o = outputs[b, j]
            if o < 0:
                continue
            s = 0.0
            for x in range(d):
                s += theta[V + o, x] * h[b, x]
            z = s if j == 0 else -s  # σ(z) is the probability this pair should get
            losses[b] += _softplus_neg(z)
            sig = 1.0 / (1.0 + math.exp(-s))
            g = sig - 1.0 if j == 0 else sig  # dJ/ds
            delta[b, j] = g
            for x in range(d):
                grad_h[b, x] += g * theta[V + o, x]
    for p in prange(n_threads):  # pass 2: W_out rows owned by thread p
        for b in range(B):
            for j in range(K):
                o = outputs[b, j]
                if o >= 0 and o % n_threads == p:
                    g = alpha * delta[b, j]
                    for x in range(d):
                        theta[V + o, x] -= g * h[b, x]
    for p in prange(n_threads):  # pass 3: W_in rows owned by thread p
        for b in range(B):
            scale = alpha / n_inputs[b] if exact else alpha
            for i in range(inputs.shape[1]):
                c = inputs[b, i]
                if c >= 0 and c % n_threads == p:
                    for x in range(d):
                        theta[c, x] -= scale * grad_h[b, x]
    touched = np.zeros(theta.shape[0], dtype=np.bool_)  # (2V,)
    for b in range(B):
        for i in range(inputs.shape[1]):
            if inputs[b, i] >= 0:
                touched[inputs[b, i]] = True
        for j in range(K):
            if outputs[b, j] >= 0:
                touched[V + outputs[b, j]] = True
    return losses.sum(), np.flatnonzero(touched)


if numba is not None:
    _softplus_neg = njit(cache=True, fastmath=_FLAGS)(_softplus_neg)
    _kernel = njit(cache=True, parallel=True, fastmath=_FLAGS)(_kernel)


def train_batch(model, theta, V: int, inputs, outputs, alpha: float, threads=1, exact=False):
    """Negative-sampling minibatch on ``theta`` (2V, d), in place. Returns (loss sum, rows)."""
    if numba is None:
        raise ImportError("the numba backend needs the numba package: pip install numba")
    numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
    n_threads = numba.get_num_threads()
    if model == "skipgram":
        inputs = inputs.reshape(-1, 1)  # (B, 1)
    n_inputs = (inputs >= 0).sum(axis=1).astype(np.int64)  # (B,)
    loss, rows = _kernel(theta, V, inputs, n_inputs, outputs, alpha, n_threads, exact)
    return float(loss), rows
