"""How far each system is from this machine's physical limit for word2vec's work.

The standard run's unit of work is one skip-gram pair with k = 5 negatives, d = 100:

- maths: 1+k dot products u·h, 1+k terms of dJ/dh = Σ δ_j u_j, 1+k output-row
  updates and 1 input-row update, each 2d FLOPs: 2d (3(1+k) + 1) = 3,800 FLOPs;
- memory: 1 + (1+k) rows of 400 bytes, each read and written, picked at random
  from a (2V, d) float32 table (15 MB for news) by the text and the noise.

Two floors bound any implementation on one core:

1. **arithmetic**: FLOPs per pair / the core's float32 peak, measured as a large
   matrix product (BLAS, one thread);
2. **row traffic**: the time to read and write exactly those rows, in the real
   order of the news corpus's pairs and negatives, with no maths in between (a
   compiled loop with no dependency between rows, so the memory system overlaps
   as many misses as it can).

Next to them: the same pairs through our two training paths (the numba kernel
on one thread, the NumPy minibatch), and the whole standard runs of the engine
benchmark (``benchmarks/out/results.json``: train seconds / pairs of all epochs).

Last, where the NumPy minibatch's time goes: NumPy runs one operation at a time,
so each step of a batch is its own pass over memory. ``numpy_passes`` times the
passes that any NumPy minibatch of this design must make, with everything else
(index bookkeeping, σ, the loss) taken out, on the same batches.

Usage: .venv/bin/python -m benchmarks.bench_limit [--pairs N] [--no-doc]
(needs ``python -m benchmarks.data`` first; the row-traffic floor needs numba)
"""

import argparse
import json
import textwrap
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from benchmarks.doc import ROOT, machine, write_section
from w2v_core import batch, fast
from w2v_core.config import W2VConfig
from w2v_core.tokenize import tokenize
from w2v_core.trainer import Trainer

NEWS = ROOT / "benchmarks" / "data" / "news.txt"
RESULTS = ROOT / "benchmarks" / "out" / "results.json"


def flops_per_pair(d: int, k: int) -> int:
    """2d FLOPs for each dot product and each row update of one negative-sampling pair."""
    return 2 * d * (3 * (1 + k) + 1)


def peak_gflops(n: int = 2048, repeats: int = 5) -> float:
    """float32 matrix-product rate of one core (BLAS limited to one thread), GFLOP/s."""
    rng = np.random.default_rng(0)
    a, b = rng.random((n, n), dtype=np.float32), rng.random((n, n), dtype=np.float32)
    with threadpool_limits(1):
        a @ b  # warm up
        best = min(_timed(lambda: a @ b) for _ in range(repeats))
    return 2 * n**3 / best / 1e9


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _touch_rows(theta, V, inputs, outputs):
    """Read and write every row a pair uses, once, with no maths: the row-traffic floor."""
    d = theta.shape[1]
    for e in range(len(inputs)):
        c = inputs[e]
        for x in range(d):
            theta[c, x] += 1e-7
        for j in range(outputs.shape[1]):
            o = outputs[e, j]
            if o >= 0:
                for x in range(d):
                    theta[V + o, x] += 1e-7


PASSES = {
    "gather": f"gather the output rows u, {batch.SUB_BATCH} examples at a time, and the (B, d) "
    "block h",
    "products": "the products u·h (einsum) and dJ/dh = Σ δ u (matmul), block by block",
    "scatter": "add α S @ [h; dJ/dh] into theta's rows (every row's summed update)",
}


def numpy_passes(theta0, V: int, inputs, outputs, bs: int, n_pairs: int = 500_000) -> dict:
    """ns per pair of each array pass in ``PASSES``, on the first n_pairs pairs.

    The indices (rows, the sparse matrix's columns) are built before the clock starts
    and δ is a constant, so only data movement and products are timed, in the order
    of ``batch.binary_logistic``, batch after batch on the same theta (the caches see
    what the minibatch's caches see).
    """
    theta = theta0.copy()  # (2V, d)
    d, k1 = theta.shape[1], outputs.shape[1]
    sub = batch.SUB_BATCH
    indptr = np.concatenate([np.arange(0, bs * k1, k1), bs * k1 + np.arange(bs + 1)])  # (2B+1,)
    batches = []
    for lo in range(0, min(n_pairs, len(inputs)) - bs + 1, bs):
        out = outputs[lo : lo + bs]  # (B, 1+k)
        out_rows = np.where(out >= 0, out, out[:, :1]) + V  # (B, 1+k)
        rows = np.concatenate([out_rows.ravel(), inputs[lo : lo + bs]])  # (E,)
        batches.append((out_rows, inputs[lo : lo + bs], rows))
    delta = np.full((sub, k1), 1e-3, dtype=theta.dtype)  # (b, 1+k)
    coef = np.full(bs * k1 + bs, -1e-6, dtype=theta.dtype)  # (E,) tiny: theta stays finite
    M = np.empty((2 * bs, d), dtype=theta.dtype)  # (2B, d) [h; dJ/dh]
    U_buf = np.empty((sub, k1, d), dtype=theta.dtype)  # (b, 1+k, d)
    seconds = dict.fromkeys(PASSES, 0.0)
    clock = time.perf_counter
    with threadpool_limits(1):
        for out_rows, centres, rows in batches:
            t0 = clock()
            theta.take(centres, axis=0, out=M[:bs], mode="clip")  # (B, d) h
            seconds["gather"] += clock() - t0
            for lo in range(0, bs, sub):
                t0 = clock()
                U = theta.take(out_rows[lo : lo + sub], axis=0, out=U_buf, mode="clip")
                t1 = clock()
                np.einsum("bld,bd->bl", U, M[lo : lo + sub])  # (b, 1+k) scores
                np.matmul(delta[:, None, :], U, out=M[bs + lo : bs + lo + sub, None, :])
                t2 = clock()
                seconds["gather"] += t1 - t0
                seconds["products"] += t2 - t1
            t0 = clock()
            batch.scatter_add(theta, rows, coef, indptr, M)  # theta += S @ M
            seconds["scatter"] += clock() - t0
    return {name: s / (len(batches) * bs) * 1e9 for name, s in seconds.items()}


def news_pairs(n_pairs: int):
    """The standard run's first n pairs of news, with the trainer's own negatives."""
    with open(NEWS, encoding="utf-8") as f:
        sentences = tokenize(f.read(), split="line")
    tr = Trainer(W2VConfig()).prepare(sentences)
    ex = tr.examples  # epoch 1, as the trainer draws it
    n = min(n_pairs, len(ex))
    u = np.random.default_rng(1).random((n, tr.config.negative))  # (n, k)
    outputs = tr.sampler_.outputs(ex.context[:n], u)  # (n, 1+k)
    return tr, ex.target[:n], outputs, len(ex)


def best_ns_per_pair(fn, theta0, n: int, repeats: int = 3) -> float:
    """Best of ``repeats`` runs of fn(theta) on fresh copies of theta0, in ns per pair."""
    times = []
    for _ in range(repeats):
        theta = theta0.copy()
        times.append(_timed(lambda theta=theta: fn(theta)))
    return min(times) / n * 1e9


def measure(n_pairs: int) -> dict:
    tr, inputs, outputs, per_epoch = news_pairs(n_pairs)
    n, V = len(inputs), len(tr.vocab_)
    d, k, bs = tr.config.dim, tr.config.negative, tr.config.batch_size
    rng = np.random.default_rng(2)
    W_out = (rng.random((V, d), dtype=np.float32) - 0.5) / d  # (V, d) not 0: real scores
    theta0 = np.concatenate([tr.W_in_, W_out])  # (2V, d) W_in as initialised over W_out
    alphas = np.full(-(-n // bs), 0.01)  # (n_batches,)
    touched = np.zeros(2 * V, dtype=bool)
    out = {
        "pairs": n,
        "pairs_per_epoch": per_epoch,
        "V": V,
        "d": d,
        "k": k,
        "flops_per_pair": flops_per_pair(d, k),
        "gflops": peak_gflops(),
    }
    out["arithmetic_ns"] = out["flops_per_pair"] / out["gflops"]
    with threadpool_limits(1):
        out["numpy_ns"] = best_ns_per_pair(
            lambda th: batch.train_range(
                "skipgram", "negative", th, V, inputs, outputs, alphas, bs, touched
            ),
            theta0,
            n,
        )
    runs = [numpy_passes(theta0, V, inputs, outputs, bs) for _ in range(3)]
    out["passes_ns"] = min(runs, key=lambda r: sum(r.values()))  # the fastest of 3
    if fast.available():
        from numba import njit

        touch = njit(_touch_rows)
        touch(theta0.copy(), V, inputs[:10], outputs[:10])  # compile
        out["traffic_ns"] = best_ns_per_pair(lambda th: touch(th, V, inputs, outputs), theta0, n)
        out["numba_ns"] = best_ns_per_pair(
            lambda th: fast.train_range(
                "skipgram", th, V, inputs, outputs, alphas, bs, touched, threads=1
            ),
            theta0,
            n,
        )
    return out


def whole_runs(per_epoch: int) -> list[tuple[str, float, int]]:
    """(system, ns per pair, cores) of the engine benchmark's news runs (train time only)."""
    if not RESULTS.exists():
        return []
    res = json.loads(RESULTS.read_text())
    pairs = W2VConfig().epochs * per_epoch  # each epoch draws its own windows: ±0.1%
    rows = []
    for r in res.get("speed", {}).get("news", []):
        cores = 2 if r["system"].endswith("-2") else 1
        rows.append((r["system"], r["train_seconds"] / pairs * 1e9, cores))
    return rows


def table(m: dict) -> str:
    floor = m.get("traffic_ns")
    ratio = (lambda ns: f"{ns / floor:.2f}×") if floor else (lambda ns: "—")
    lines = [
        "| work | ns per pair | × row-traffic floor |",
        "|---|---|---|",
        f"| arithmetic floor: {m['flops_per_pair']:,} FLOPs at {m['gflops']:.0f} GFLOP/s "
        f"(float32 BLAS, 1 core) | {m['arithmetic_ns']:.0f} | {ratio(m['arithmetic_ns'])} |",
    ]
    if floor:
        lines.append(
            f"| row-traffic floor: read + write the pairs' rows, no maths | {floor:.0f} | 1.00× |"
        )
        lines.append(
            f"| ours-numba kernel, 1 thread, same pairs | {m['numba_ns']:.0f} | "
            f"{ratio(m['numba_ns'])} |"
        )
    lines.append(
        f"| ours-numpy minibatch, same pairs | {m['numpy_ns']:.0f} | {ratio(m['numpy_ns'])} |"
    )
    passes = m["passes_ns"]
    for name, ns in passes.items():
        lines.append(f"| ↳ NumPy pass alone: {PASSES[name]} | {ns:.0f} | {ratio(ns)} |")
    total = sum(passes.values())
    lines.append(f"| ↳ the NumPy passes together | {total:.0f} | {ratio(total)} |")
    for system, ns, cores in whole_runs(m["pairs_per_epoch"]):
        per_core = f" ({ns * cores:.0f} core·ns)" if cores > 1 else ""
        lines.append(
            f"| {system}, whole standard run (train s / pairs) | {ns:.0f}{per_core} | {ratio(ns)} |"
        )
    return "\n".join(lines)


def report(m: dict, seconds: float) -> str:
    total = sum(m["passes_ns"].values())
    rest = m["numpy_ns"] - total  # index bookkeeping, σ, the loss, Python between operations
    passes = [
        "The ↳ rows show where the NumPy minibatch's time goes. NumPy runs one operation",
        "at a time, so every step of a batch is a separate pass over memory: each block U",
        "of output rows is gathered once and read twice (by blocks small enough to stay in",
        "cache), and the summed updates are added into theta in a pass of their own. The",
        "rows time those passes alone, on the same batches, with the indices built in",
        "advance and σ and the loss left out.",
        f"Together they take {total:.0f} ns per pair; the rest of our minibatch takes {rest:.0f}.",
    ]
    gensim_1 = dict((s, ns) for s, ns, _ in whole_runs(m["pairs_per_epoch"])).get("gensim-1")
    if gensim_1:
        passes += [
            f"gensim-1's whole run takes {gensim_1:.0f} ns per pair, so to match it a NumPy path",
            f"of this design would have {gensim_1 - total:.0f} ns per pair left for everything",
            "besides these passes, windows and negatives included (the whole runs come from",
            "the engine benchmark's own run, which may have met this VM in a faster or",
            "slower phase than the rows above).",
        ]
    passes.append(
        "A compiled loop (gensim's Cython, our numba kernel) does all of a pair's work "
        "while its rows are in cache."
    )
    return f"""## The physical limit

How close the training paths come to what this machine can do at all for word2vec's
work. Produced by `benchmarks/bench_limit.py`.

- Command: `python -m benchmarks.bench_limit` (took {seconds:.0f} s)
- Machine: {machine()}
- Work: the first {m["pairs"]:,} skip-gram pairs of `news` (standard run: d = {m["d"]},
  k = {m["k"]}, V = {m["V"]:,}; {m["pairs_per_epoch"]:,} pairs per epoch), each with its
  {m["k"]} negatives; timings are the best of 3.

{table(m)}

The arithmetic floor assumes perfect vector code with every row in cache; the
row-traffic floor assumes infinite arithmetic. A real pair pays for both, and its
reads cannot all overlap: the update of a row waits for the scores that need it.
The whole runs also pay for reading the corpus, drawing windows and negatives,
and (gensim) Python between jobs; the 2-core runs are given per pair of the
wall clock and, in brackets, per pair of one core's time.

{textwrap.fill(" ".join(passes), 84)}
"""


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--pairs", type=int, default=2_000_000, help="pairs to time (default 2M)")
    p.add_argument("--no-doc", action="store_true", help="print only; leave docs alone")
    args = p.parse_args(argv)
    if not NEWS.exists():
        raise SystemExit("no news corpus: run `python -m benchmarks.data` first")
    t0 = time.perf_counter()
    m = measure(args.pairs)
    text = report(m, time.perf_counter() - t0)
    print(text)
    if not args.no_doc:
        write_section("limit", text)
        print(f"wrote {Path('docs/benchmarks.md')}")


if __name__ == "__main__":
    main()
