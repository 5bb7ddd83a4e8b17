"""Pure helpers of the "Compare runs" page: two runs that differ in one knob, and sweeps.

No Streamlit here. Every run of a comparison trains on the same sentences from the
same seed; only the chosen knob differs (``run_config``). A cost model caps the work
so that all runs of one comparison or sweep together stay within ``TRAIN_SECONDS``
on a small machine: epochs are cut first (the same number for every run, so the
runs still differ in one knob only), then, if one epoch is already too much, the
runs use a prefix of the corpus. Results are frozen ``RunResult`` objects whose
arrays are read-only copies, safe to keep in session state.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from math import ceil, log2

import numpy as np

from lab.lesson import NAMES, Lesson, Settings, limit
from lab.live import ground_truth, neighbour_table
from w2v_core.config import LOSSES, MODELS, W2VConfig
from w2v_core.errors import TrainingDiverged, W2VError
from w2v_core.trainer import Trainer

TRAIN_SECONDS = 10.0  # estimated training time of all runs of one comparison or sweep
MAX_SWEEP_VALUES = 10  # values in one sweep at most
ADVANCE_EXAMPLES = 100_000  # most examples in one advance (advances take about 0.1 s)
KEEP_ROWS = 10_000  # a result keeps W_in of at most this many (most frequent) words
PREPARE_MICROS = 1.5  # building the vocabulary and weights, per token and run (measured)
K_NEIGHBOURS = 5  # neighbours shown and used by the ground-truth score


@dataclass(frozen=True)
class Knob:
    """One hyperparameter the page can vary: a W2VConfig field and the values offered."""

    name: str  # the W2VConfig / Settings field
    label: str  # shown in the app
    options: tuple  # values offered
    a: object  # default value of run A
    b: object  # default value of run B
    sweep: tuple  # default values of a sweep
    log: bool = False  # plot against a log axis

    @property
    def categorical(self) -> bool:
        return isinstance(self.a, str)


def _whole(field: str) -> tuple[int, ...]:
    """Every whole number the app offers for ``field``."""
    lo, hi = limit(field).app_range
    return tuple(range(int(lo), int(hi) + 1))


KNOBS = {
    k.name: k
    for k in (
        Knob("window", "Window", _whole("window"), 1, 5, (1, 2, 3, 4, 5, 6, 8)),
        Knob("dim", "Dimensions d", (2, 3, 5, 10, 20, 30, 50, 75, 100), 2, 20,
             (2, 5, 10, 20, 50, 100), log=True),
        Knob("negative", "Negatives k", _whole("negative"), 1, 15, (1, 2, 5, 10, 15, 20)),
        Knob("model", "Model", MODELS, MODELS[0], MODELS[1], MODELS),
        Knob("loss", "Output layer", LOSSES, LOSSES[0], LOSSES[1], LOSSES),
        Knob("alpha", "Learning rate", (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
             1.0, 5.0, 50.0), 0.005, 0.1, (0.001, 0.005, 0.025, 0.1, 0.25, 1.0), log=True),
    )
}  # fmt: skip


def value_name(value) -> str:
    """One value as the page writes it: 0.025, 5, 'full softmax', 'CBOW'."""
    if isinstance(value, float):
        return f"{value:g}"
    return NAMES.get(value, str(value))


def format_value(knob: str, value) -> str:
    """A knob and its value as the page writes them (e.g. 'window = 3')."""
    return f"{KNOBS[knob].label.lower()} = {value_name(value)}"


def knob_note(s: Settings, knob: str) -> str | None:
    """Why this knob may change nothing with the other sidebar settings (or None)."""
    if knob == "negative" and s.loss != "negative":
        return (
            "k only matters with negative sampling; the sidebar's output layer is "
            f"{value_name(s.loss)}, so the runs will be identical. Choose negative sampling "
            "in the sidebar."
        )
    return None


def window_note(les: Lesson, knob: str, values: Sequence) -> str | None:
    """Windows wider than the longest sentence add no pairs: say which values coincide."""
    top = les.longest_sentence - 1  # the widest offset any sentence has
    wide = [v for v in values if knob == "window" and v > top]
    if not wide:
        return None
    listed = ", ".join(str(v) for v in wide)
    verb = "window {} makes" if len(wide) == 1 else "windows {} make"
    return (
        f"The longest sentence has {top + 1} words, so no word has a neighbour more than "
        f"{top} away: {verb.format(listed)} the same pairs as window {top}."
    )


def run_config(s: Settings, knob: str, value, epochs: int | None = None) -> W2VConfig:
    """The sidebar's config with ``knob`` set to ``value`` (and ``epochs`` if given)."""
    if knob not in KNOBS:
        raise W2VError(f"unknown knob {knob!r}; choose one of {', '.join(KNOBS)}")
    over = {knob: value} if epochs is None else {knob: value, "epochs": int(epochs)}
    return s.config(**over).validate()


# ---- the cap ---------------------------------------------------------------------------


def examples_per_sentence(cfg: W2VConfig, lengths: np.ndarray) -> np.ndarray:
    """Examples one epoch makes from sentences of these lengths (static window, no
    subsampling: an upper bound). Skip-gram: 2 sum_o (L - o) pairs; CBOW: one per token."""
    L = np.asarray(lengths, dtype=np.int64)  # (S,)
    if cfg.model == "cbow":
        return np.where(L >= 2, L, 0)  # (S,)
    m = np.clip(np.minimum(cfg.window, L - 1), 0, None)  # (S,) offsets that fit
    return 2 * (m * L - m * (m + 1) // 2)  # (S,)


def example_micros(cfg: W2VConfig, V: int) -> float:
    """Estimated microseconds per example on a 2-core machine (NumPy backend, one thread).

    Measured on the generated corpus and on Zipf text up to V = 1,000; rounded up.
    """
    width = 1 + cfg.dim / 50
    if cfg.loss == "softmax":
        us = 1.5 + 0.01 * V * (1 + cfg.dim / 100)  # every row of W_out
    else:
        rows = cfg.negative + 1 if cfg.loss == "negative" else max(1, ceil(log2(max(V, 2))))
        us = 1.2 + 0.05 * rows * width  # k + 1 rows, or the ~log2(V) nodes of a path
    if cfg.model == "cbow":
        us += 0.15 * 2 * cfg.window * width  # averaging the 2W context rows
    return us


def advance_examples(cfg: W2VConfig, V: int, seconds: float = 0.1) -> int:
    """Examples per advance so that one takes about ``seconds`` (by ``example_micros``).

    A fixed number for a config, never a measured one: where advances end changes the
    minibatches, and a run must come out the same every time."""
    n = seconds / (example_micros(cfg, V) * 1e-6)
    return int(min(max(n, 100), ADVANCE_EXAMPLES))


@dataclass(frozen=True)
class Plan:
    """How much every run of a comparison trains, after the cap."""

    epochs: int  # epochs each run trains
    epochs_asked: int  # epochs set in the sidebar
    sentences: int  # the runs train on sentences[:sentences]
    sentences_all: int
    tokens: int  # tokens in those sentences
    tokens_all: int
    seconds: float  # estimated training time of all runs together
    budget: float  # the cap, in estimated seconds

    @property
    def cut(self) -> bool:
        return self.epochs < self.epochs_asked or self.sentences < self.sentences_all

    def describe(self, n_runs: int) -> str:
        """What the cap did, in words."""
        runs = "both runs" if n_runs == 2 else f"all {n_runs} runs"
        head = f"Cap: about {self.budget:.0f} s of training for {runs} together (estimated)."
        if not self.cut:
            return (
                f"{head} Nothing cut: each run trains all {self.epochs} epochs on the whole "
                f"corpus (estimated {self.seconds:.1f} s)."
            )
        what = f"{self.epochs} of the sidebar's {self.epochs_asked} epochs"
        if self.sentences < self.sentences_all:
            what += (
                f" on the first {self.sentences:,} of {self.sentences_all:,} sentences "
                f"({self.tokens:,} of {self.tokens_all:,} tokens)"
            )
        return f"{head} To stay under it, each run trains {what} (estimated {self.seconds:.1f} s)."


def plan(
    s: Settings, les: Lesson, knob: str, values: Sequence, budget: float = TRAIN_SECONDS
) -> Plan:
    """Epochs and corpus prefix so that all runs together take about ``budget`` seconds."""
    lengths = np.bincount(les.corpus.sentence, minlength=len(les.sentences))  # (S,)
    V = len(les.vocab)
    per_epoch = np.zeros(len(lengths))  # (S,) seconds of one epoch of all runs, per sentence
    for v in values:
        cfg = run_config(s, knob, v)
        per_epoch += examples_per_sentence(cfg, lengths) * example_micros(cfg, V) * 1e-6
    setup = len(values) * PREPARE_MICROS * 1e-6 * lengths  # (S,) prepare, once per run
    epoch_s, setup_s = float(per_epoch.sum()), float(setup.sum())
    n = len(lengths)
    if epoch_s <= 0:
        epochs = s.epochs
    else:
        epochs = min(s.epochs, int((budget - setup_s) // epoch_s))
    if epochs < 1:  # one epoch of the whole corpus is too much: use a prefix
        epochs = 1
        cum = np.cumsum(per_epoch + setup)  # (S,)
        n = max(1, int(np.searchsorted(cum, budget, side="right")))
    est = epochs * float(per_epoch[:n].sum()) + float(setup[:n].sum())
    return Plan(
        epochs=int(epochs),
        epochs_asked=int(s.epochs),
        sentences=n,
        sentences_all=len(lengths),
        tokens=sum(len(x) for x in les.sentences[:n]),
        tokens_all=les.n_tokens,
        seconds=est,
        budget=float(budget),
    )


# ---- one run ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RunResult:
    """One finished (or diverged) run. Arrays are read-only copies."""

    label: str  # "A", "B", or the value in a sweep
    value: object  # the knob's value in this run
    config: W2VConfig
    epoch_loss: tuple[float, ...]  # mean loss per example of each finished epoch
    advance_loss: tuple[tuple[int, float], ...]  # (examples seen, mean loss) per advance
    W_in: np.ndarray  # (n, d) final W_in (= E) of the n <= KEEP_ROWS most frequent words
    words: tuple[str, ...]  # the n words of those rows
    scores: tuple[float, ...] | None  # ground-truth score after each finished epoch
    words_per_sec: float
    seconds: float  # training time (prepare excluded)
    diverged: str | None = None  # the engine's message if training diverged

    @property
    def epochs_done(self) -> int:
        return len(self.epoch_loss)

    @property
    def final_loss(self) -> float:
        return self.epoch_loss[-1] if self.epoch_loss else float("nan")

    @property
    def final_score(self) -> float | None:
        return self.scores[-1] if self.scores else None


def _read_only(a: np.ndarray) -> np.ndarray:
    out = np.array(a, copy=True)
    out.flags.writeable = False
    return out


def train_run(
    cfg: W2VConfig,
    sentences,
    categories: dict,
    label: str = "",
    value=None,
    on_progress: Callable[[float, int], None] | None = None,
) -> RunResult:
    """Train one model from its seed, epoch by epoch, scoring it after each epoch.

    ``on_progress(fraction done, epochs finished)`` is called after every advance.
    A divergence is caught: the result keeps the last good weights and the message.
    Other engine errors (e.g. no training pairs) are raised as W2VError.
    """
    steps = train_run_steps(cfg, sentences, categories, label, value)
    while True:
        try:
            frac, epoch = next(steps)
        except StopIteration as done:
            return done.value
        if on_progress is not None:
            on_progress(frac, epoch)


def train_run_steps(
    cfg: W2VConfig, sentences, categories: dict, label: str = "", value=None, seconds=0.1
) -> Iterator[tuple[float, int]]:
    """``train_run`` as a generator: yields (fraction done, epochs finished) after each
    advance of about ``seconds`` (at most ADVANCE_EXAMPLES examples) and returns the
    RunResult, so that a ``lab.jobs`` job can run it a slice at a time."""
    tr = Trainer(cfg).prepare(sentences)
    words = tuple(tr.words_)
    rows = [i for i, w in enumerate(words) if w in categories]  # the words the score uses
    cat_words = [words[i] for i in rows]

    def score() -> float | None:  # float64: a huge but finite run must not overflow the norms
        W = tr.W_in_[rows].astype(np.float64)  # (n, d)
        return ground_truth(W, cat_words, categories, k=K_NEIGHBOURS)

    track = bool(rows) and score() is not None
    scores: list[float] = []
    n_words, seconds_trained, diverged = 0, 0.0, None
    chunk = advance_examples(cfg, len(words), seconds)  # fixed: the run stays reproducible
    while not tr.done:
        epoch = tr.epoch_
        left = len(tr.examples) - tr.cursor_
        try:
            if left <= chunk:
                rep = tr.advance(epochs=1)
            else:
                rep = tr.advance(chunk)
        except TrainingDiverged as e:
            diverged = str(e)
            break
        n_words += rep.words
        seconds_trained += rep.seconds
        if track and tr.epoch_ > epoch:
            scores.append(float(score()))
        yield tr.progress, tr.epoch_
    n = min(len(words), KEEP_ROWS)
    return RunResult(
        label=label,
        value=value,
        config=cfg,
        epoch_loss=tuple(float(x) for x in tr.history_.epoch_loss),
        advance_loss=tuple((int(a), float(b)) for a, b in tr.history_.loss),
        W_in=_read_only(tr.W_in_[:n]),
        words=words[:n],
        scores=tuple(scores) if track else None,
        words_per_sec=n_words / seconds_trained if seconds_trained > 0 else float("nan"),
        seconds=seconds_trained,
        diverged=diverged,
    )


# ---- a comparison or a sweep --------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Comparison:
    """Runs that differ in one knob, trained on the same corpus from the same seed."""

    knob: str
    runs: tuple[RunResult, ...]
    plan: Plan
    corpus: str  # the lesson's title, to say which corpus the results belong to

    @property
    def values(self) -> tuple:
        return tuple(r.value for r in self.runs)

    @property
    def has_scores(self) -> bool:
        return any(r.scores is not None for r in self.runs)


def run_all(
    s: Settings,
    les: Lesson,
    knob: str,
    values: Sequence,
    labels: Sequence[str] | None = None,
    on_progress: Callable[[float, str], None] | None = None,
    budget: float = TRAIN_SECONDS,
) -> Comparison:
    """Train one run per value (same corpus, same seed, capped); report progress in words."""
    steps = run_all_steps(s, les, knob, values, labels, budget)
    while True:
        try:
            frac, text = next(steps)
        except StopIteration as done:
            return done.value
        if on_progress is not None:
            on_progress(frac, text)


def run_all_steps(
    s: Settings,
    les: Lesson,
    knob: str,
    values: Sequence,
    labels: Sequence[str] | None = None,
    budget: float = TRAIN_SECONDS,
) -> Iterator[tuple[float, str]]:
    """``run_all`` as a generator of (fraction done, text) that returns the Comparison
    (a ``lab.jobs`` job: bounded slices, a Stop button, a time limit)."""
    values = list(values)
    if not values:
        raise W2VError("Choose at least one value.")
    if len(values) > MAX_SWEEP_VALUES:
        raise W2VError(f"At most {MAX_SWEEP_VALUES} values at once; remove some.")
    labels = list(labels) if labels is not None else [format_value(knob, v) for v in values]
    p = plan(s, les, knob, values, budget)
    sentences = les.sentences[: p.sentences]
    runs = []
    n = len(values)
    for i, (v, lab) in enumerate(zip(values, labels, strict=True)):
        cfg = run_config(s, knob, v, p.epochs)
        fv = format_value(knob, v)
        head = f"Value {i + 1} of {n} ({fv})" if lab == fv else f"Run {lab} ({fv})"
        yield min(1.0, i / n), f"{head}: epoch 0 of {p.epochs} done"
        steps = train_run_steps(cfg, sentences, les.categories, lab, v)
        while True:
            try:
                frac, epoch = next(steps)
            except StopIteration as done:
                runs.append(done.value)
                break
            yield min(1.0, (i + frac) / n), f"{head}: epoch {epoch} of {p.epochs} done"
    return Comparison(knob=knob, runs=tuple(runs), plan=p, corpus=les.title)


# ---- what the page shows --------------------------------------------------------------------


def default_queries(words: Sequence[str], categories: dict, n: int = 3) -> list[str]:
    """A few words worth comparing: the most frequent word of each of the first categories,
    else the most frequent words after the very first."""
    out, seen = [], set()
    for w in words:
        c = categories.get(w)
        if c is not None and c not in seen:
            out.append(w)
            seen.add(c)
        if len(out) == n:
            return out
    return out or list(words[1 : n + 1] or words[:n])


def neighbours(run: RunResult, queries: Sequence[str], k: int = K_NEIGHBOURS) -> dict[str, str]:
    """Each query's k nearest neighbours in this run, as one line ('queen 0.91, ...')."""
    W = run.W_in.astype(np.float64)  # (n, d) float64: huge weights must not overflow norms
    table = neighbour_table(W, run.words, queries, k=k)
    return {q: ", ".join(table[q]) if q in table else "–" for q in queries}


def score_label(cmp: Comparison) -> str:
    """What the sweep plots: the ground-truth score if the corpus has categories."""
    return "ground-truth score" if cmp.has_scores else "final mean loss"


def sweep_points(cmp: Comparison) -> tuple[list, list[float], list]:
    """(values, scores) of the runs that finished, and the values that diverged.

    The score is the final ground-truth score if the corpus has categories, else the
    mean loss of the last epoch.
    """
    xs, ys, failed = [], [], []
    for r in cmp.runs:
        y = r.final_score if cmp.has_scores else r.final_loss
        if r.diverged or y is None or not np.isfinite(y):
            failed.append(r.value)
        else:
            xs.append(r.value)
            ys.append(float(y))
    return xs, ys, failed


def sweep_table(cmp: Comparison) -> list[dict]:
    """One row per run: value, score, loss, epochs, speed, status."""
    rows = []
    for r in cmp.runs:
        row = {KNOBS[cmp.knob].label: value_name(r.value)}
        if cmp.has_scores:
            row["ground-truth score"] = r.final_score
        row["final loss"] = r.final_loss if r.epoch_loss else None
        row["epochs"] = r.epochs_done
        row["words/s"] = None if np.isnan(r.words_per_sec) else round(r.words_per_sec)
        row["status"] = "diverged" if r.diverged else "finished"
        rows.append(row)
    return rows


def settings_changed(cmp: Comparison, s: Settings) -> bool:
    """True if the sidebar's hyperparameters (other than the knob and epochs) moved since."""
    if not cmp.runs:
        return False
    r = cmp.runs[0]
    try:
        now = run_config(s, cmp.knob, r.value, r.config.epochs)
    except W2VError:
        return True
    return now != r.config or s.epochs != cmp.plan.epochs_asked
