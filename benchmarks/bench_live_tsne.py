"""Live t-SNE: redraws per second, training throughput while live, time per update.

1. Redraws/s with the projection on t-SNE: one frame of the live page (a warm-started
   t-SNE update of ``TSNE_TICK_ITER`` iterations aligned by Procrustes, the two
   heatmaps, the projection and the loss), built and serialized as
   ``st.plotly_chart`` does, at V = 60 (the default corpus) and V = 200.
2. Throughput: examples/s of the headless engine against the page's fragment ticks at
   the Fast pace (train for max(1 s, last redraw), then redraw with t-SNE).
3. Time per live update (``lab.live.live_frame``) at V = 100, 200, 500: the first
   frame (early exaggeration) and the warm-started ones, PCA for comparison.

Usage: .venv/bin/python -m benchmarks.bench_live_tsne [--no-doc]
"""

import argparse
import statistics
import time

import numpy as np

from benchmarks.bench_live import headless_rate, live_rate, redraw_rate, trained
from benchmarks.doc import machine, write_section
from lab import live
from lab.lesson import Settings
from w2v_core.projection import TSNE_TICK_ITER


def update_times(V: int, repeats: int = 10) -> dict:
    """Seconds per live_frame at V words (d = 50): first t-SNE frame, warm t-SNE, PCA."""
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(10, 50))  # (10, d) clusters, as a trained model has
    X = centres[rng.integers(10, size=V)] + 0.3 * rng.normal(size=(V, 50))  # (V, d)
    t0 = time.perf_counter()
    f = live.live_frame(X, None, "tsne")
    first = time.perf_counter() - t0
    warm, pca = [], []
    p = live.pca_frame(X, None)
    for _ in range(repeats):
        X = X + 0.01 * rng.normal(size=X.shape)  # (V, d) a tick's worth of training
        t0 = time.perf_counter()
        f = live.live_frame(X, f, "tsne")
        warm.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        p = live.live_frame(X, p, "pca")
        pca.append(time.perf_counter() - t0)
    return {"first": first, "warm": statistics.median(warm), "pca": statistics.median(pca)}


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--no-doc", action="store_true")
    args = p.parse_args(argv)
    t_start = time.time()
    default = Settings()
    generated = Settings(source="generated", generated_tokens=20_000)
    lines = ["| corpus | V | redraws/s, t-SNE | redraws/s, PCA |", "|---|---:|---:|---:|"]
    for name, s, mv in [("default example", default, None), ("generated", generated, 200)]:
        tr, les = trained(s, mv)
        tsne = redraw_rate(tr, les, "tsne")
        tr, les = trained(s, mv)
        pca = redraw_rate(tr, les, "pca")
        lines.append(f"| {name} | {len(tr.vocab_)} | {tsne:.1f} | {pca:.1f} |")
    lines += ["", "| corpus | headless examples/s | live, t-SNE, examples/s | ratio | s per tick |",
              "|---|---:|---:|---:|---:|"]  # fmt: skip
    for name, s in [("default example", default), ("generated 20k", generated)]:
        head = headless_rate(s)
        rate, per_tick = live_rate(s, "tsne")
        lines.append(f"| {name} | {head:,.0f} | {rate:,.0f} | {rate / head:.0%} | {per_tick:.2f} |")
    lines += ["", f"Seconds per projection update (t-SNE: {TSNE_TICK_ITER} warm iterations; "
              "d = 50, 10 clusters):", "",
              "| V | first t-SNE frame | t-SNE update | PCA update |",
              "|---:|---:|---:|---:|"]  # fmt: skip
    for V in (100, 200, 500):
        t = update_times(V)
        lines.append(f"| {V} | {t['first']:.3f} | {t['warm']:.3f} | {t['pca']:.4f} |")
    body = "\n".join([
        "## Live t-SNE",
        "",
        "The Live page's projection on t-SNE (openTSNE, warm-started each tick): redraws per "
        "second of the live views, training throughput at the Fast pace against the headless "
        "engine, and the time of one projection update.",
        "",
        "```bash",
        "flock /work/bench.lock .venv/bin/python -m benchmarks.bench_live_tsne",
        "```",
        "",
        *lines,
        "",
        f"{time.strftime('%Y-%m-%d %H:%M')}; {machine()}; {time.time() - t_start:.0f} s in all.",
    ])  # fmt: skip
    print(body)
    if not args.no_doc:
        write_section("live-tsne", body)


if __name__ == "__main__":
    main()
