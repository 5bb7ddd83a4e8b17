"""Optional numba kernels: the minibatch maths of ``batch.py``, compiled.

Same algorithm, same batches, same negatives, same result to float tolerance
(tested): every example of a batch is scored at the parameters the batch
started with, then the summed updates are applied. Per batch:

1. in parallel over examples: h, scores, σ, delta = σ(s) - label and dJ/dh
   (reads the weights only, writes per-example buffers); the loss takes one log
   per example, of the product of its 1+k probabilities, instead of 1+k logs;
2. in parallel over threads: W_out rows -= alpha * delta * h and W_in rows -=
   alpha * dJ/dh (divided by m for CBOW's exact update). Each thread owns
   blocks of 16 consecutive rows (block number modulo the thread count): no
   locks, no races, and the same summation order whatever the number of threads.

While pass 1 works on one example, it asks the CPU to start loading the rows
of the example two ahead (``prefetch_row``): the rows are picked at random from
a table larger than the cache, and that wait was the kernel's largest cost. The
hint changes no number (measured: 437 -> 372 ns a pair on one thread).

The loop over batches runs inside the compiled code, so Python is entered once
per chunk of ~65k examples rather than once per batch. Two helpers compile the
rest of an epoch's work: ``expand_pairs`` (the skip-gram pairs of the kept
tokens) and ``noise_outputs`` (alias-method lookups of the negatives); the
random numbers stay NumPy's, so the pairs and the negatives are identical.
``ThreadPace`` picks between one thread and several, chunk by chunk.

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

AHEAD = 2  # pass 1 prefetches the rows of the example this many places ahead

# Pass 2 gives each thread blocks of 16 consecutive rows (row >> 4). Owning every other row
# instead made two threads twice as slow as one on real text: a row of 100 float32 is not a
# whole number of 64-byte cache lines, so neighbouring rows (the frequent words, updated in
# every batch) shared lines that both threads kept writing (false sharing).
BLOCK_SHIFT = 4

_FLAGS = {"reassoc", "contract", "arcp", "nsz"}  # vectorize dot products; keep NaN/inf semantics


def available() -> bool:
    return numba is not None


def _prefetch_intrinsic():
    """``prefetch_line(a, i, j)``: a hint that a[i, j] will be read soon (LLVM's
    ``llvm.prefetch``: read, keep in all cache levels). It changes no value."""
    from llvmlite import ir
    from numba.core import cgutils
    from numba.extending import intrinsic

    @intrinsic
    def prefetch_line(typingctx, a, i, j):
        if not isinstance(a, numba.types.Array) or a.ndim != 2:
            return None

        def codegen(context, builder, signature, args):
            aty, ity, jty = signature.args
            arr = context.make_array(aty)(context, builder, args[0])
            cast = context.cast
            idx = [
                cast(builder, args[1], ity, numba.types.intp),
                cast(builder, args[2], jty, numba.types.intp),
            ]
            ptr = cgutils.get_item_pointer(context, builder, aty, arr, idx, wraparound=False)
            i8p, i32 = ir.IntType(8).as_pointer(), ir.IntType(32)
            fnty = ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32])
            fn = cgutils.get_or_insert_function(builder.module, fnty, "llvm.prefetch.p0i8")
            builder.call(fn, [builder.bitcast(ptr, i8p), i32(0), i32(3), i32(1)])
            return context.get_dummy_value()

        return numba.types.void(a, i, j), codegen

    return prefetch_line


def _prefetch_row(a, i):
    """Hint that row a[i] will be read soon: one prefetch per 64-byte cache line."""
    step = max(1, 64 // a.itemsize)
    for x in range(0, a.shape[1], step):
        prefetch_line(a, i, x)


def _no_prefetch_row(a, i):
    """The stand-in where the prefetch hint does not compile: does nothing."""


def _range_kernel(theta, V, inputs, outputs, alphas, bs, touched, exact, T):
    """Negative sampling over consecutive batches. inputs (n, m): ids, -1 = padding."""
    n, K = outputs.shape
    m_max, d = inputs.shape[1], theta.shape[1]
    f = theta.dtype.type  # float32 maths stays float32 (exp included), float64 stays exact
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
            if b + AHEAD < B:  # start loading the rows of the example AHEAD places on
                for j in range(m_max):
                    if inputs[e + AHEAD, j] >= 0:
                        prefetch_row(theta, inputs[e + AHEAD, j])
                for j in range(K):
                    if outputs[e + AHEAD, j] >= 0:
                        prefetch_row(theta, V + outputs[e + AHEAD, j])
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
            P = 1.0  # product of the probabilities of the right answers: one log per example
            for j in range(K):
                o = outputs[e, j]
                if o < 0:
                    delta[b, j] = 0.0
                    continue
                s = f(0.0)  # accumulate in the weights' precision
                for x in range(d):
                    s += theta[V + o, x] * h[b, x]
                if j == 0:  # the true word: p = σ(s), dJ/ds = σ(s) - 1
                    p = f(1.0) / (f(1.0) + math.exp(-s))
                    g = p - f(1.0)
                else:  # a noise word: p = σ(-s), dJ/ds = σ(s) = 1 - p
                    p = f(1.0) / (f(1.0) + math.exp(s))
                    g = f(1.0) - p
                P *= max(p, TINY)  # same floor as batch.py; >= 1e-30^(1+k) fits a float64
                delta[b, j] = g
                for x in range(d):
                    grad_h[b, x] += g * theta[V + o, x]
            losses[b] = -math.log(P)  # J = -Σ log p
        J_batch = losses[:B].sum()
        if not math.isfinite(J_batch):
            return total, i
        total += J_batch
        for p in prange(T):  # pass 2: each thread updates (and marks) the rows it owns
            # (T == 1: the one thread owns every row; no integer division per entry)
            for b in range(B):
                e = lo + b
                if b + AHEAD < B:  # the output rows this thread updates AHEAD examples on
                    for j in range(K):
                        o = outputs[e + AHEAD, j]
                        if o >= 0 and (T == 1 or (o >> BLOCK_SHIFT) % T == p):
                            prefetch_row(theta, V + o)
                for j in range(K):
                    o = outputs[e, j]
                    if o >= 0 and (T == 1 or (o >> BLOCK_SHIFT) % T == p):
                        g = f(alpha * delta[b, j])
                        for x in range(d):
                            theta[V + o, x] -= g * h[b, x]
                        touched[V + o] = True
                scale = f(alpha / counts[b] if exact else alpha)
                for j in range(m_max):
                    c = inputs[e, j]
                    if c >= 0 and (T == 1 or (c >> BLOCK_SHIFT) % T == p):
                        for x in range(d):
                            theta[c, x] -= scale * grad_h[b, x]
                        touched[c] = True
    return total, len(alphas)


def _noise_outputs(u, accept, alias, truth):
    """``NoiseSampler.outputs`` compiled: the same float64 arithmetic, so the same ids."""
    n, k = u.shape
    V = len(accept)
    out = np.empty((n, k + 1), dtype=np.int32)  # (n, 1+k)
    for i in prange(n):
        t = truth[i]
        out[i, 0] = t
        for j in range(k):
            x = u[i, j] * V  # uniform in [0, V)
            col = np.int32(x)  # truncation, as astype(np.int32)
            w = col if x - col < accept[col] else alias[col]
            out[i, j + 1] = -1 if w == t else w
    return out


def _expand_pairs(kept, left, right, ids, first, n):
    """``pairs.expand_pairs`` compiled; first (N',) is each target's first pair."""
    target = np.empty(n, dtype=np.int32)  # (n,)
    context = np.empty(n, dtype=np.int32)  # (n,)
    token = np.empty(n, dtype=np.int32)  # (n,)
    context_token = np.empty(n, dtype=np.int32)  # (n,)
    for i in prange(len(kept)):
        p = first[i]
        t = kept[i]
        for o in range(-left[i], right[i] + 1):
            if o != 0:
                c = kept[i + o]
                target[p], context[p], token[p], context_token[p] = ids[t], ids[c], t, c
                p += 1
    return target, context, token, context_token


if numba is not None:
    prefetch_line = _prefetch_intrinsic()
    prefetch_row = njit(cache=True, inline="always")(_prefetch_row)
else:  # pragma: no cover - exercised only without numba
    prefetch_row = _no_prefetch_row
_prefetch_checked = numba is None


def _check_prefetch() -> None:
    """Before the kernel first compiles: if this numba/LLVM build refuses the prefetch hint,
    the kernel is built with the stand-in (a hint only: it costs speed, never a result).
    Not done at import: compiling anything loads LLVM (~50 MB), which a process that never
    trains should not pay."""
    global prefetch_row, _prefetch_checked
    if _prefetch_checked:
        return
    _prefetch_checked = True
    try:
        prefetch_row(np.zeros((2, 16), dtype=np.float32), 1)  # compiles (or loads) it now
    except Exception:  # pragma: no cover - depends on the numba/LLVM build
        prefetch_row = njit(cache=True, inline="always")(_no_prefetch_row)


if numba is not None:  # nogil: a helper thread draws the next chunk while the kernel trains
    _range_kernel = njit(cache=True, parallel=True, fastmath=_FLAGS, nogil=True)(_range_kernel)
    # no fastmath: exact ids. The serial twins run on the trainer's helper thread.
    _noise_outputs_serial = njit(cache=True, nogil=True)(_noise_outputs)
    _noise_outputs = njit(cache=True, parallel=True, nogil=True)(_noise_outputs)
    _expand_pairs_serial = njit(cache=True, nogil=True)(_expand_pairs)
    _expand_pairs = njit(cache=True, parallel=True, nogil=True)(_expand_pairs)


def _need_numba():
    if numba is None:
        raise ImportError("the numba backend needs the numba package: pip install numba")


def noise_outputs(sampler, truth, u, parallel: bool = True):
    """Like ``sampler.outputs(truth, u)``, compiled (on one thread unless ``parallel``)."""
    _need_numba()
    accept, alias = sampler.tables
    kernel = _noise_outputs if parallel else _noise_outputs_serial
    return kernel(u, accept, alias, np.ascontiguousarray(truth))


def expand_pairs(kept, left, right, ids, parallel: bool = True):
    """Like ``pairs.expand_pairs``, compiled (on one thread unless ``parallel``)."""
    _need_numba()
    counts = left + right  # (N',)
    first = np.cumsum(counts) - counts  # (N',) index of each target's first pair
    n = int(counts.sum())
    kernel = _expand_pairs if parallel else _expand_pairs_serial
    return kernel(kept, left, right, ids, first, n)


def expand_pairs_serial(kept, left, right, ids):
    """``expand_pairs`` on one thread."""
    return expand_pairs(kept, left, right, ids, parallel=False)


def train_range(
    model, theta, V, inputs, outputs, alphas, batch_size, touched, threads=1, exact=False
):
    """Like ``batch.train_range`` for negative sampling, compiled. Updates ``theta`` in place."""
    _need_numba()
    _check_prefetch()
    numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
    T = numba.get_num_threads()
    if model == "skipgram":
        inputs = inputs.reshape(-1, 1)  # (n, 1)
    alphas = np.asarray(alphas, dtype=np.float64)
    loss, n_ok = _range_kernel(theta, V, inputs, outputs, alphas, batch_size, touched, exact, T)
    return float(loss), int(n_ok)


class ThreadPace:
    """Chooses, chunk by chunk, the thread count that has been training fastest.

    The kernel's result does not depend on the thread count (each row's updates are
    applied in example order), so switching between chunks changes speed only. Two
    threads are not always faster: every row one core writes must travel to the other,
    and on a virtual machine whose two vCPUs sit on different dies that traffic made
    two threads 2-3x *slower* than one (measured here, and it comes and goes as the
    host moves the vCPUs). So the trainer measures both and keeps the faster, trying
    the other again after ``explore`` chunks. Each retry that confirms the choice
    doubles that wait (up to ``max_explore``): a retry of the slower option costs a
    whole chunk at its pace. A retry that changes the choice resets it.
    """

    def __init__(self, threads: int, explore: int = 16, max_explore: int = 128):
        self.options = sorted({1, max(1, threads)}, reverse=True)  # (threads,) or (threads, 1)
        self.min_explore = explore  # chunks between retries after the choice changed
        self.max_explore = max_explore  # ... and at most this many once it keeps holding
        self.explore = explore  # chunks until the other option is retried
        self.pace: dict[int, float] = {}  # threads -> seconds per example (moving average)
        self.since = 0  # chunks since the other option was last tried

    def best(self) -> int | None:
        """The faster option so far (None until every option was timed)."""
        if any(t not in self.pace for t in self.options):
            return None
        return min(self.options, key=self.pace.__getitem__)

    def choose(self) -> int:
        best = self.best()
        if best is None:
            return next(t for t in self.options if t not in self.pace)
        if len(self.options) > 1 and self.since >= self.explore - 1:
            return next(t for t in self.options if t != best)
        return best

    def record(self, threads: int, seconds: float, examples: int) -> None:
        before = self.best()
        if examples >= 1000:  # shorter runs are too short to time
            per = seconds / examples
            old = self.pace.get(threads)
            self.pace[threads] = per if old is None else 0.5 * old + 0.5 * per
        if before is None or threads == before:
            self.since += 1
            return
        self.since = 0  # that was a retry of the other option
        held = self.best() == before
        self.explore = min(self.max_explore, 2 * self.explore) if held else self.min_explore
