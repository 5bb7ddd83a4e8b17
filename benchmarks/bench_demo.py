"""The flagship demo over many seeds: does each preset's suggested analogy come out right?

For every preset that suggests an analogy a : b :: c : d (``Preset.analogies``; the
royalty preset's is man : king :: woman : queen, i.e. king - man + woman), and for
seeds 0..N-1, the model is trained exactly as the app trains it with its default
lesson settings: ``build_lesson(Settings(preset=..., seed=...))``, then
``Trainer(settings.config()).prepare(lesson.sentences)``, then one of three ways of
advancing through the same 20 epochs:

* Explore's "Train for N epochs" button (``lab.explore_view.train_to_end``: 20 equal
  chunks of examples, which for 20 epochs are whole epochs, as
  ``Trainer.advance(epochs=1)`` would train them);
* Live training ticks of 2,000 examples (the page's default "examples per tick");
* Live training ticks of 640 examples (10 batches of 64).

Minibatches start at the cursor, so each way groups the examples into different batches.

The questions are asked as Explore asks them, of W_in (= E): ``explain_analogy``
(3CosAdd, Mikolov et al. 2013a, with a, b and c ruled out) and ``neighbour_rows``
(cosine). Per preset, analogy and way of training it reports:

* analogy: seeds whose top answer is d;
* kept: seeds where d is the word nearest to b - a + c even with a, b, c allowed
  (the offset itself lands on d, not merely near b);
* d in b's top 3: seeds where d is among the 3 nearest neighbours of b (queen among
  king's for the royalty preset);
* spread: max - min of the cosines of b's 5 nearest neighbours, median and smallest
  over the seeds, and the seeds where all five lie within 0.05 of each other;
* wrong: the other top answers and how often.

Then the margins: the same counts after Explore's training with one setting moved
(window 1 and 3, dim 8 and 12).

Writes its section (``<!-- demo:start -->`` .. ``<!-- demo:end -->``) of
docs/benchmarks.md and prints it. About a minute on one core.

Usage: .venv/bin/python -m benchmarks.bench_demo [--seeds 20] [--no-doc]
"""

import argparse
import time
from collections import Counter
from dataclasses import dataclass, field

from benchmarks.doc import machine, write_section
from lab import explore_view as ev
from lab.lesson import Settings, build_lesson
from w2v_core.analysis import nearest
from w2v_core.corpora import PRESETS
from w2v_core.trainer import Trainer

NEAR = 0.05  # five neighbours all within this of each other look "all the same"
MODES = {  # way of training -> examples per advance (None: Explore's button)
    "Explore button": None,
    "live ticks of 2,000": 2_000,  # the Live training page's default examples per tick
    "live ticks of 640": 640,  # 10 batches of 64
}
MARGINS = ({"window": 1}, {"window": 3}, {"dim": 8}, {"dim": 12})


def train(s: Settings, tick: int | None) -> Trainer:
    """A model trained from the lesson of ``s`` with the app's functions, to the end:
    by Explore's button (``tick`` None) or by live ticks of ``tick`` examples."""
    tr = Trainer(s.config()).prepare(build_lesson(s).sentences)
    if tick is None:
        ev.train_to_end(tr)
    while not tr.done:
        tr.advance(tick)
    return tr


@dataclass
class Tally:
    """What the seeds of one (preset, analogy, way of training) gave."""

    seeds: int = 0
    hits: int = 0  # top answer (a, b, c ruled out) is d
    kept: int = 0  # d is nearest to b - a + c even with a, b, c allowed
    top3: int = 0  # d among b's 3 nearest neighbours
    spreads: list = field(default_factory=list)  # max - min of b's 5 nearest cosines
    wrong: Counter = field(default_factory=Counter)

    def add(self, tr: Trainer, quad: tuple[str, str, str, str]) -> None:
        a, b, c, d = quad
        vec = ev.live_vectors(tr, "W_in")
        view = ev.explain_analogy(vec, a, b, c, k=1)
        answer = view.add[0][0]
        self.seeds += 1
        self.hits += answer == d
        if answer != d:
            self.wrong[answer] += 1
        target = view.rows[3]  # (d,) b - a + c as Explore builds it
        self.kept += nearest(vec.W, vec.words, target, k=1)[0][0] == d
        rows = ev.neighbour_rows(vec, b, 5)
        self.top3 += d in [r["word"] for r in rows[:3]]
        cos = [r["cosine"] for r in rows]
        self.spreads.append(max(cos) - min(cos))

    @property
    def narrow(self) -> int:
        return sum(s < NEAR for s in self.spreads)

    def cells(self) -> list[str]:
        n = self.seeds
        sp = sorted(self.spreads)
        wrong = ", ".join(f"{w} {k}" for w, k in self.wrong.most_common()) or "–"
        return [
            f"{self.hits}/{n}",
            f"{self.kept}/{n}",
            f"{self.top3}/{n}",
            f"{sp[len(sp) // 2]:.2f} / {sp[0]:.2f}",
            f"{self.narrow}/{n}",
            wrong,
        ]


def run(key: str, quad, seeds: int, tick: int | None, **changes) -> Tally:
    tally = Tally()
    for seed in range(seeds):
        tally.add(train(Settings(preset=key, seed=seed, **changes), tick), quad)
    return tally


def corpus_line(key: str) -> str:
    s = Settings(preset=key)
    les = build_lesson(s)
    per_epoch = len(Trainer(s.config()).prepare(les.sentences).examples)
    return (
        f"- **{PRESETS[key].title}** (`{key}`): {len(les.sentences):,} lines, "
        f"{les.n_tokens:,} tokens, V = {len(les.vocab)}, {per_epoch:,} training examples "
        f"per epoch."
    )


HEAD = [
    "| preset | analogy | training | analogy right | lands on d (inputs kept) | d in b's top 3 "
    "| b's top-5 spread (median / min) | all 5 within 0.05 | wrong answers |",
    "|---|---|---|---:|---:|---:|---:|---:|---|",
]


def row(key: str, quad, label: str, tally: Tally) -> str:
    a, b, c, d = quad
    return f"| {key} | {b} - {a} + {c} = {d} | {label} | " + " | ".join(tally.cells()) + " |"


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seeds", type=int, default=20, help="seeds 0..N-1 (default 20)")
    p.add_argument("--no-doc", action="store_true", help="print only; leave the doc alone")
    args = p.parse_args(argv)
    t_start = time.time()
    suggested = [(key, q) for key, pr in PRESETS.items() for q in pr.analogies]
    n = args.seeds
    main_rows, margin_rows = [], []
    for key, quad in suggested:
        for label, tick in MODES.items():
            main_rows.append(row(key, quad, label, run(key, quad, n, tick)))
            print(main_rows[-1], flush=True)
        for change in MARGINS:
            label = "Explore button, " + ", ".join(f"{k} {v}" for k, v in change.items())
            margin_rows.append(row(key, quad, label, run(key, quad, n, None, **change)))
            print(margin_rows[-1], flush=True)
    d = Settings()
    body = "\n".join(
        [
            "## The flagship demo (bench_demo)",
            "",
            "Each suggested analogy b - a + c = d of the presets, after the app's default "
            f"lesson training, over seeds 0–{n - 1}: trained and asked exactly as the app "
            "does (`build_lesson`, `Settings.config()`, `Trainer`; Explore's "
            "`explain_analogy` and `neighbour_rows` on W_in). An analogy is right when its "
            "top 3CosAdd answer, a, b and c ruled out, is d. *Lands on d*: d is the nearest "
            "word to b - a + c even with a, b, c allowed. *Spread*: max - min of the cosines "
            "of b's 5 nearest neighbours.",
            "",
            "```bash",
            ".venv/bin/python -m benchmarks.bench_demo",
            "```",
            "",
            f"Default settings: {d.model}, {d.loss} sampling (k = {d.negative}), "
            f"dim {d.dim}, window {d.window} (static), alpha {d.alpha}, "
            f"{d.epochs} epochs, batches of {d.config().batch_size}, no subsampling.",
            "",
            *[corpus_line(key) for key in dict(suggested)],
            "",
            *HEAD,
            *main_rows,
            "",
            "Margins: one setting moved, trained with Explore's button.",
            "",
            *HEAD,
            *margin_rows,
            "",
            f"{time.strftime('%Y-%m-%d %H:%M')}; {machine()}; "
            f"{time.time() - t_start:.0f} s in all.",
        ]
    )
    print(body)
    if not args.no_doc:
        write_section("demo", body)


if __name__ == "__main__":
    main()
