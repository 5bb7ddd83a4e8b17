"""Live training: redraw speed, training throughput while live, memory per session.

1. Redraws/s: one frame of the live page's figures (PCA aligned by Procrustes,
   heatmaps of W_in and W_out, the projection and the loss), built and
   serialized to JSON as ``st.plotly_chart`` does, at V = 40 (the default
   example) and V = 200 (the generated corpus cut to 200 words).
2. Throughput: examples/s of the headless engine (``Trainer.advance``) against
   the page's fragment ticks at "max" speed (train for the tick's time budget,
   then rebuild every view), on the same settings.
3. Memory: the bytes one session holds (weights, this epoch's examples, the
   capped history) after training, against the caps.

Usage: .venv/bin/python -m benchmarks.bench_live [--no-doc]
"""

import argparse
import statistics
import time

from benchmarks.doc import machine, write_section
from lab import live
from lab.figures.train import loss_figure, matrix_heatmap, projection_figure
from lab.lesson import Settings, build_lesson
from w2v_core.trainer import Trainer


def trained(settings: Settings, max_vocab: int | None = None, examples: int = 20_000) -> Trainer:
    les = build_lesson(settings)
    cfg = settings.config() if max_vocab is None else settings.config(max_vocab=max_vocab)
    tr = Trainer(cfg).prepare(les.sentences)
    tr.advance(examples)
    return tr, les


AXES = {"pca": ("PC 1", "PC 2"), "tsne": ("t-SNE 1", "t-SNE 2"), "umap": ("UMAP 1", "UMAP 2")}


def views(tr: Trainer, les, prev, method: str = "pca", top: int = 25):
    """One redraw of the live views (the projection frame by ``method``, aligned on
    ``prev``, the two heatmaps, the projection and the loss), built and serialized as
    ``st.plotly_chart`` does; returns the new frame."""
    words = tr.words_
    n = min(len(words), 300)
    frame = live.live_frame(tr.W_in_[:n], prev, method, live.PERPLEXITY, tr.config.seed)
    figs = [
        matrix_heatmap(tr.W_in_[:top], words[:top], [0, 1], "W_in", 0.5),
        matrix_heatmap(tr.W_out_[:top], words[:top], [0, 1], "W_out", 0.5),
        projection_figure(frame.points, words[:n], live.groups(words[:n], les.categories),
                          frame.ranges, AXES[method]),  # fmt: skip
        loss_figure(tr.history_.loss, live.smooth_loss(tr.history_.loss, 1024), []),
    ]
    for f in figs:
        f.to_json()
    return frame


def redraw_rate(tr: Trainer, les, method: str = "pca", frames: int = 40) -> float:
    """Frames per second of the live views, the weights trained a little between frames."""
    prev = views(tr, les, None, method)  # the first frame is not a tick's (t-SNE's is slower)
    times = []
    for _ in range(frames):
        tr.advance(50)  # the weights change between frames, as while running
        t0 = time.perf_counter()
        prev = views(tr, les, prev, method)
        times.append(time.perf_counter() - t0)
    return 1.0 / statistics.median(times)


def headless_rate(settings: Settings, seconds: float = 3.0) -> float:
    les = build_lesson(settings)
    tr = Trainer(settings.config(epochs=100_000)).prepare(les.sentences)
    tr.advance(2000)  # warm up
    t0, done = time.perf_counter(), 0
    while time.perf_counter() - t0 < seconds:
        done += tr.advance(50_000).examples
    return done / (time.perf_counter() - t0)


def live_rate(settings: Settings, method: str = "pca", ticks: int = 12) -> tuple[float, float]:
    """(examples/s, seconds per tick) of the page's fragment ticks at the Fast pace.

    A tick of the live page reruns only its fragment: ``lab.live.train_tick`` for a
    time budget of max(TICK_SECONDS, the last redraw), then every view is rebuilt and
    serialized. This replays exactly that loop (AppTest cannot run a fragment alone:
    each of its runs is a full script run, sidebar included).
    """
    les = build_lesson(settings)
    tr = Trainer(settings.config(epochs=100_000)).prepare(les.sentences)
    tr.advance(2000)
    prev = views(tr, les, None, method)
    draw, done, t0 = 0.0, 0, time.perf_counter()
    for _ in range(ticks):
        done += live.train_tick(tr, None, budget=max(live.TICK_SECONDS, draw)).examples
        t1 = time.perf_counter()
        prev = views(tr, les, prev, method)
        draw = time.perf_counter() - t1
    el = time.perf_counter() - t0
    return done / el, el / ticks


def session_bytes(tr: Trainer) -> dict:
    ex = tr.examples
    ex_bytes = sum(getattr(ex, f).nbytes for f in ex.__dataclass_fields__)
    return {
        "weights": tr.W_in_.nbytes + tr.W_out_.nbytes,
        "examples of the epoch": ex_bytes,
        "history": tr.history_.nbytes,
        "history cap": tr.config.history_bytes,
    }


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--no-doc", action="store_true")
    args = p.parse_args(argv)
    t_start = time.time()
    default = Settings()
    generated = Settings(source="generated", generated_tokens=20_000)
    rows = []
    for name, s, mv in [
        ("default example", default, None),
        ("generated, V=200", generated, 200),
    ]:
        tr, les = trained(s, mv)
        rows.append((name, len(tr.vocab_), redraw_rate(tr, les)))
    lines = ["| corpus | V | redraws/s (heatmaps + PCA + projection + loss) |", "|---|---:|---:|"]
    lines += [f"| {n} | {v} | {r:.1f} |" for n, v, r in rows]
    tput = []
    for name, s in [("default example", default), ("generated 20k", generated)]:
        head = headless_rate(s)
        rate, per_tick = live_rate(s)
        tput.append((name, head, rate, per_tick))
    lines += ["", "| corpus | headless examples/s | live page examples/s | ratio | s per tick |",
              "|---|---:|---:|---:|---:|"]  # fmt: skip
    lines += [f"| {n} | {h:,.0f} | {r:,.0f} | {r / h:.0%} | {t:.2f} |" for n, h, r, t in tput]
    big, _ = trained(Settings(source="generated", generated_tokens=1_000_000), examples=200_000)
    mem = session_bytes(big)
    lines += ["", "Memory held by one session on a 1M-token generated corpus (bytes):", ""]
    lines += [f"- {k}: {v / 2**20:.1f} MB" for k, v in mem.items()]
    body = "\n".join(
        [
            "## Live training",
            "",
            "Redraw rate of the live views, and training throughput while the page runs: "
            "the fragment's tick (train for max(1 s, last redraw), then rebuild and "
            "serialize every view) replayed without a browser, against the headless engine.",
            "",
            "```bash",
            ".venv/bin/python -m benchmarks.bench_live",
            "```",
            "",
            *lines,
            "",
            f"{time.strftime('%Y-%m-%d %H:%M')}; {machine()}; "
            f"{time.time() - t_start:.0f} s in all.",
        ]
    )
    print(body)
    if not args.no_doc:
        write_section("live", body)


if __name__ == "__main__":
    main()
