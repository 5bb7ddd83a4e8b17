"""Optional numba kernels: the minibatch maths of ``batch.py``, compiled.

Same algorithm, same batches, same negatives, same result to float tolerance
(tested): every example of a batch is scored at the parameters the batch
started with, then the summed updates are applied. Per batch:

1. in parallel over examples: h, scores, σ, loss, delta = σ(s) - label and
   dJ/dh (reads the weights only, writes per-example buffers);
2. in parallel over threads: W_out rows -= alpha * delta * h and W_in rows -=
   alpha * dJ/dh (divided by m for CBOW's exact update). Each thread owns
   blocks of 16 consecutive rows (block number modulo the thread count): no
   locks, no races, and the same summation order whatever the number of threads.

The loop over batches runs inside the compiled code, so Python is entered once
per chunk of ~65k examples rather than once per batch.

numba is optional: ``available()`` says whether it imports. Compiled code is
cached on disk (``cache=True``), so only the first run pays the compile time.
"""

import math
import os

import numpy as np

# numba's OpenMP threads go to sleep right after each parallel region by default, and
# waking them costs more than a whole minibatch: with two threads training ran at half
# the speed of one. Spinning a little longer (a few ms) before sleeping fixes that
# without burning a core once training stops. Must be set before OpenMP starts.
os.environ.setdefault("GOMP_SPINCOUNT", "10000000")

try:
    import numba
    from numba import njit, prange
except ImportError:  # pragma: no cover - exercised only without numba
    numba = None

from .batch import TINY

# Pass 2 gives each thread blocks of 16 consecutive rows (row >> 4). Owning every other row
# instead made two threads twice as slow as one on real text: a row of 100 float32 is not a
# whole number of 64-byte cache lines, so neighbouring rows (the frequent words, updated in
# every batch) shared lines that both threads kept writing (false sharing).
BLOCK_SHIFT = 4

_FLAGS = {"reassoc", "contract", "arcp", "nsz"}  # vectorize dot products; keep NaN/inf semantics


def available() -> bool:
    return numba is not None


def _range_kernel(theta, V, inputs, outputs, alphas, bs, touched, exact, T):
    """Negative sampling over consecutive batches. inputs (n, m): ids, -1 = padding."""
    n, K = outputs.shape
    m_max, d = inputs.shape[1], theta.shape[1]
    h = np.empty((bs, d), dtype=theta.dtype)  # (B, d) hidden vectors
    grad_h = np.empty((bs, d), dtype=theta.dtype)  # (B, d) dJ/dh
    delta = np.empty((bs, K), dtype=theta.dtype)  # (B, 1+k) dJ/dscore
    counts = np.empty(bs, dtype=np.int64)  # (B,) inputs per example
    losses = np.empty(bs)  # (B,)
    total = 0.0
    for i in range(len(alphas)):
        lo = i * bs
        B = min(n, lo + bs) - lo
        alpha = alphas[i]
        for b in prange(B):  # pass 1: read-only on theta
            e = lo + b
            m = 0
            for x in range(d):
                h[b, x] = 0.0
                grad_h[b, x] = 0.0
            for j in range(m_max):
                c = inputs[e, j]
                if c >= 0:
                    m += 1
                    for x in range(d):
                        h[b, x] += theta[c, x]
            counts[b] = m
            for x in range(d):
                h[b, x] /= m
            J = 0.0
            for j in range(K):
                o = outputs[e, j]
                if o < 0:
                    delta[b, j] = 0.0
                    continue
                s = theta.dtype.type(0.0)  # accumulate in the weights' precision
                for x in range(d):
                    s += theta[V + o, x] * h[b, x]
                sig = 1.0 / (1.0 + math.exp(-s))  # σ(s)
                p = sig if j == 0 else 1.0 - sig  # probability of the right answer
                J -= math.log(max(p, TINY))  # same floor as batch.py
                g = sig - (1.0 if j == 0 else 0.0)
                delta[b, j] = g
                for x in range(d):
                    grad_h[b, x] += g * theta[V + o, x]
            losses[b] = J
        J_batch = losses[:B].sum()
        if not math.isfinite(J_batch):
            return total, i
        total += J_batch
        for p in prange(T):  # pass 2: each thread updates (and marks) the rows it owns
            for b in range(B):
                e = lo + b
                for j in range(K):
                    o = outputs[e, j]
                    if o >= 0 and (o >> BLOCK_SHIFT) % T == p:
                        g = theta.dtype.type(alpha * delta[b, j])
                        for x in range(d):
                            theta[V + o, x] -= g * h[b, x]
                        touched[V + o] = True
                scale = theta.dtype.type(alpha / counts[b] if exact else alpha)
                for j in range(m_max):
                    c = inputs[e, j]
                    if c >= 0 and (c >> BLOCK_SHIFT) % T == p:
                        for x in range(d):
                            theta[c, x] -= scale * grad_h[b, x]
                        touched[c] = True
    return total, len(alphas)


if numba is not None:
    _range_kernel = njit(cache=True, parallel=True, fastmath=_FLAGS)(_range_kernel)


def train_range(
    model, theta, V, inputs, outputs, alphas, batch_size, touched, threads=1, exact=False
):
    """Like ``batch.train_range`` for negative sampling, compiled. Updates ``theta`` in place."""
    if numba is None:
        raise ImportError("the numba backend needs the numba package: pip install numba")
    numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
    T = numba.get_num_threads()
    if model == "skipgram":
        inputs = inputs.reshape(-1, 1)  # (n, 1)
    alphas = np.asarray(alphas, dtype=np.float64)
    loss, n_ok = _range_kernel(theta, V, inputs, outputs, alphas, batch_size, touched, exact, T)
    return float(loss), int(n_ok)
