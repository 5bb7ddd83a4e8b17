"""Compare runs: how long a 3-seed sweep of 6 values takes, and what it shows.

1. The page's default window sweep (6 values, 3 seeds, the sidebar's defaults on the
   default generated corpus, difficulty ``Settings.generated_difficulty``), run exactly
   as the page runs it (``compare_view.run_all``: the cap, numba for negative sampling):
   wall time, training time, the cap's estimate, and per setting mean ± sample sd of
   category@k and analogy accuracy (3CosAdd, 3CosMul), seconds per run and examples/s.
2. The same sweep on the plain templates (difficulty 0): the scores saturate there,
   which is why the difficulty exists.

The first (compile/cache-load) run of the numba kernels is made before timing.

Usage: flock /work/bench.lock .venv/bin/python -m benchmarks.bench_compare [--no-doc]
"""

import argparse
import time

from benchmarks.doc import machine, write_section
from lab import compare_view as cv
from lab.lesson import Settings, build_lesson

SEEDS = 3


def sweep(difficulty: float) -> tuple[list[str], float]:
    """Markdown lines of one timed sweep, and its wall time."""
    s = Settings(source="generated", generated_difficulty=difficulty)
    les = build_lesson(s)
    values = list(cv.KNOBS["window"].sweep)
    p = cv.plan(s, les, "window", values, seeds=SEEDS)
    t0 = time.perf_counter()
    cmp = cv.run_all(s, les, "window", values, seeds=SEEDS)
    wall = time.perf_counter() - t0
    train = sum(r.seconds for r in cmp.runs)
    lines = [
        f"**{les.title}, difficulty {difficulty:g}**: window sweep {values}, {SEEDS} seeds "
        f"({len(cmp.runs)} runs), {p.epochs} of {s.epochs} epochs each after the cap.",
        "",
        f"- wall time {wall:.2f} s (training {train:.2f} s, the rest preparing and scoring); "
        f"the cap estimated {p.seconds:.1f} s of {p.budget:.0f} s",
        f"- {cv.verdict(cmp, 'category')}",
        "",
        "| window | category@k | analogy 3CosAdd | analogy 3CosMul | s per run | examples/s |",
        "|---|---|---|---|---|---|",
    ]
    for row in cv.sweep_table(cmp):
        lines.append(
            f"| {row['setting'].split('= ')[1]} | {row['category@k']} | {row['analogy 3CosAdd']} "
            f"| {row['analogy 3CosMul']} | {row['s per run']} | {row['examples/s']} |"
        )
    return lines, wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-doc", action="store_true", help="print only")
    args = ap.parse_args()
    t_start = time.perf_counter()
    warm = Settings(source="generated", generated_tokens=1_000, epochs=1)
    cv.run_all(warm, build_lesson(warm), "window", [2])  # numba: load the compiled kernels
    default = Settings().generated_difficulty
    hard, _ = sweep(default)
    plain, _ = sweep(0.0)
    body = "\n".join(
        [
            "## Compare runs",
            "",
            "The page's default window sweep, 6 values × 3 seeds, timed as the page runs it "
            "(one thread, numba kernels for negative sampling); mean ± sample sd over seeds.",
            "",
            "```bash",
            "flock /work/bench.lock .venv/bin/python -m benchmarks.bench_compare",
            "```",
            "",
            *hard,
            "",
            *plain,
            "",
            f"{time.strftime('%Y-%m-%d %H:%M')}; {machine()}; "
            f"{time.perf_counter() - t_start:.0f} s in all.",
        ]
    )
    print(body)
    if not args.no_doc:
        write_section("compare", body)


if __name__ == "__main__":
    main()
