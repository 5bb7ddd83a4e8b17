"""Pure helpers of the "Compare runs" page: two runs that differ in one knob, and sweeps.

No Streamlit here. Every run of a comparison trains on the same sentences; only the
chosen knob (or two knobs, in a grid) differs (``run_config``). Each setting is trained
from ``seeds`` consecutive seeds (the sidebar's first), so the page can show mean ± the
seed spread and say when a difference is smaller than it (``w2v_core.compare``).
Negative-sampling runs use the compiled numba kernels when numba is installed: the
same maths and the same numbers as the NumPy path (tested), about ten times faster.
A cost model caps the work so that all runs of one comparison or sweep together
stay within ``TRAIN_SECONDS`` on a small machine: epochs are cut first (the same
number for every run, so the runs still differ in one knob only), then, if one epoch
is already too much, the runs use a prefix of the corpus. Results are frozen
``RunResult`` objects whose arrays are read-only copies, safe to keep in session state.

Word pairs the user scores (WordSim-353 style, ``parse_judgements``) add one more score
to every run: Spearman's rho between those human scores and the run's cosines.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import product
from math import ceil, log2

import numpy as np

from lab.lesson import NAMES, Lesson, Settings, limit
from lab.live import ground_truth, neighbour_table
from w2v_core import compare as wc
from w2v_core.analysis import Judgement, read_pairs
from w2v_core.config import LOSSES, MODELS, W2VConfig
from w2v_core.errors import TrainingDiverged, VectorsFormatError, W2VError
from w2v_core.trainer import Trainer

TRAIN_SECONDS = 45.0  # estimated training time of all runs (all seeds) of one comparison
MAX_SWEEP_VALUES = 10  # values in one sweep at most
MAX_GRID_CELLS = 25  # settings in a two-knob grid at most
SEEDS = 3  # seeds per setting by default
MAX_SEEDS = 10  # seeds per setting at most
ADVANCE_EXAMPLES = 100_000  # most examples in one advance (advances take about 0.1 s)
KEEP_ROWS = 10_000  # a result keeps W_in of at most this many (most frequent) words
PREPARE_MICROS = 10.0  # vocabulary, weights and per-epoch scoring, per token and run (measured)
K_NEIGHBOURS = 5  # neighbours shown and used by the ground-truth score
MAX_JUDGEMENTS = 5_000  # word pairs with human scores at most (SimLex-999 has 999)
MAX_JUDGEMENT_CHARS = 200_000  # characters of pasted word pairs at most


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


def _nice(field: str, steps: tuple = (1, 2, 3, 5)) -> tuple:
    """The 1-2-3-5 (or ``steps``) numbers times powers of ten inside the app's range."""
    lim = limit(field)
    lo, hi = lim.app_range
    out = []
    for e in range(-6, 10):
        for m in steps:
            v = m * 10.0**e
            if lo <= v * (1 + 1e-9) and v <= hi * (1 + 1e-9):
                out.append(lim.kind(round(v, 6 - min(e, 0)) if lim.kind is float else round(v)))
    return tuple(dict.fromkeys(out))


def _even(field: str, n: int = 11) -> tuple[float, ...]:
    """n evenly spaced values over the app's range (e.g. 0, 0.1, ..., 1)."""
    lo, hi = limit(field).app_range
    return tuple(round(float(v), 6) for v in np.linspace(lo, hi, n))


def _choices(field: str) -> tuple:
    return tuple(limit(field).choices)


KNOBS = {
    k.name: k
    for k in (
        Knob("window", "Window", _whole("window"), 1, 3, (1, 2, 3, 4, 6, 8)),
        Knob("dim", "Dimensions d", _nice("dim"), 2, 20, (2, 5, 10, 20, 50, 100), log=True),
        Knob("negative", "Negatives k", _whole("negative"), 1, 15, (1, 2, 5, 10, 15, 20)),
        Knob("noise_alpha", "Noise exponent", _even("noise_alpha", 21), 0.0, 0.75,
             (0.0, 0.25, 0.5, 0.75, 1.0)),
        Knob("alpha", "Learning rate", _nice("alpha", (1, 2.5, 5)), 0.005, 0.1,
             (0.001, 0.005, 0.025, 0.1, 0.25, 1.0), log=True),
        Knob("epochs", "Epochs", _nice("epochs"), 2, 20, (1, 2, 3, 5, 10, 20), log=True),
        Knob("min_count", "min_count", _nice("min_count"), 1, 5, (1, 2, 3, 5, 10, 20),
             log=True),
        Knob("sample", "Subsampling", _choices("sample"), 0.0, 1e-3,
             (0.0, 1e-5, 1e-4, 1e-3, 1e-2)),
        Knob("model", "Model", MODELS, MODELS[0], MODELS[1], MODELS),
        Knob("loss", "Output layer", LOSSES, LOSSES[0], LOSSES[1], LOSSES),
        Knob("batch_size", "Batch size", _choices("batch_size"), 1, 256,
             (1, 4, 16, 64, 256, 1024), log=True),
    )
}  # fmt: skip


def value_name(value) -> str:
    """One value as the page writes it: 0.025, 5, 'full softmax', 'CBOW'."""
    if isinstance(value, float):
        return f"{value:g}"
    return NAMES.get(value, str(value))


def format_value(knob, value) -> str:
    """A knob and its value as the page writes them (e.g. 'window = 3'); a grid's two
    knobs and values as 'window = 3, dimensions d = 20'."""
    if isinstance(knob, tuple):
        return ", ".join(format_value(k, v) for k, v in zip(knob, value, strict=True))
    label = KNOBS[knob].label
    return f"{label if label[0].islower() else label.lower()} = {value_name(value)}"


def knobs_of(knob) -> tuple[str, ...]:
    """The one knob of a sweep, or the two of a grid, as a tuple."""
    return knob if isinstance(knob, tuple) else (knob,)


def knob_note(s: Settings, knob: str) -> str | None:
    """Why this knob may change nothing with the other sidebar settings (or None)."""
    if knob in ("negative", "noise_alpha") and s.loss != "negative":
        what = "k" if knob == "negative" else "The noise exponent"
        return (
            f"{what} only matters with negative sampling; the sidebar's output layer is "
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


def run_config(
    s: Settings, knob, value, epochs: int | None = None, seed: int | None = None
) -> W2VConfig:
    """The sidebar's config with ``knob`` set to ``value`` (and ``epochs``, ``seed`` if
    given). A grid passes two knobs and two values as tuples. The epochs knob keeps its
    own value: the cap never changes the knob being compared."""
    knobs = knobs_of(knob)
    vals = value if isinstance(knob, tuple) else (value,)
    for k in knobs:
        if k not in KNOBS:
            raise W2VError(f"unknown knob {k!r}; choose one of {', '.join(KNOBS)}")
    over = dict(zip(knobs, vals, strict=True))
    if epochs is not None and "epochs" not in over:
        over["epochs"] = int(epochs)
    if seed is not None:
        over["seed"] = int(seed)
    return s.config(**over).validate()


def run_seeds(s: Settings, seeds: int) -> list[int]:
    """The seeds of each setting: the sidebar's seed and the next ``seeds - 1``."""
    if isinstance(seeds, bool) or not isinstance(seeds, int) or not 1 <= seeds <= MAX_SEEDS:
        raise W2VError(f"Seeds per setting must be a whole number from 1 to {MAX_SEEDS}.")
    return [(s.seed + i) % 2**32 for i in range(seeds)]


def fast_config(cfg: W2VConfig) -> W2VConfig:
    """The config a run trains with: the numba kernels for negative sampling when numba
    is installed (same maths and numbers), else the config itself."""
    if cfg.loss == "negative" and _numba():
        return cfg.replace(backend="numba", threads=1)
    return cfg


def _numba() -> bool:
    try:
        from w2v_core import fast
    except ImportError:  # pragma: no cover - numba missing
        return False
    return fast.available()


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
    """Estimated microseconds per example on a 2-core machine (one thread).

    Measured on the generated corpus and on Zipf text up to V = 1,000; rounded up. The
    numba backend (negative sampling only) trained 1.0-2.0 M examples/s at d = 10, k = 5
    on the generated corpus (benchmarks/bench_compare.py): the estimate is ~0.8 µs.
    """
    width = 1 + cfg.dim / 50
    if cfg.backend == "numba" and cfg.loss == "negative":
        return 0.45 + 0.05 * (cfg.negative + 1) * width * (1 + cfg.window * (cfg.model == "cbow"))
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

    epochs: int  # epochs each run trains (the epochs knob: each run its own value)
    epochs_asked: int  # epochs set in the sidebar
    sentences: int  # the runs train on sentences[:sentences]
    sentences_all: int
    tokens: int  # tokens in those sentences
    tokens_all: int
    seconds: float  # estimated training time of all runs together
    budget: float  # the cap, in estimated seconds
    seeds: int = 1  # runs per setting, one per seed
    epochs_knob: bool = False  # the epochs are the knob: the cap cuts only the corpus

    @property
    def cut(self) -> bool:
        return self.epochs < self.epochs_asked or self.sentences < self.sentences_all

    def describe(self, n_runs: int) -> str:
        """What the cap did, in words (``n_runs`` settings, each over ``seeds`` seeds)."""
        runs = "both settings" if n_runs == 2 else f"all {n_runs} settings"
        seeds = f" × {self.seeds} seeds" if self.seeds > 1 else ""
        head = f"Cap: about {self.budget:.0f} s of training for {runs}{seeds} (estimated)."
        each = "its own number of epochs" if self.epochs_knob else f"{self.epochs} epochs"
        if not self.cut:
            return (
                f"{head} Nothing cut: each run trains {each} on "
                f"the whole corpus (estimated {self.seconds:.1f} s)."
            )
        what = (
            each
            if self.epochs_knob
            else f"{self.epochs} of the sidebar's {self.epochs_asked} epochs"
        )
        if self.sentences < self.sentences_all:
            what += (
                f" on the first {self.sentences:,} of {self.sentences_all:,} sentences "
                f"({self.tokens:,} of {self.tokens_all:,} tokens)"
            )
        return f"{head} To stay under it, each run trains {what} (estimated {self.seconds:.1f} s)."


def settings_of(knob, values: Sequence, values2: Sequence | None = None) -> list:
    """The settings to train: the values of one knob, or every (v1, v2) of a grid."""
    if isinstance(knob, tuple):
        return [tuple(p) for p in product(values, values2 or ())]
    return list(values)


def plan(
    s: Settings,
    les: Lesson,
    knob,
    values: Sequence,
    budget: float = TRAIN_SECONDS,
    seeds: int = 1,
) -> Plan:
    """Epochs and corpus prefix so that all runs together take about ``budget`` seconds.

    ``values`` are the settings (for a grid, (v1, v2) tuples). Epochs are cut first, the
    same for every run; if one epoch is too much, or the epochs are the knob, the runs
    use a prefix of the corpus instead."""
    lengths = np.bincount(les.corpus.sentence, minlength=len(les.sentences))  # (S,)
    V = len(les.vocab)
    epochs_knob = "epochs" in knobs_of(knob)
    per_epoch = np.zeros(len(lengths))  # (S,) seconds of one epoch of all runs, per sentence
    for v in values:
        cfg = fast_config(run_config(s, knob, v))
        weight = cfg.epochs if epochs_knob else 1  # the epochs knob: the run's own epochs
        per_epoch += weight * examples_per_sentence(cfg, lengths) * example_micros(cfg, V) * 1e-6
    per_epoch *= seeds
    setup = seeds * len(values) * PREPARE_MICROS * 1e-6 * lengths  # (S,) prepare, per run
    epoch_s, setup_s = float(per_epoch.sum()), float(setup.sum())
    n = len(lengths)
    if epochs_knob:
        epochs = 1 if epoch_s + setup_s > budget else s.epochs
    elif epoch_s <= 0:
        epochs = s.epochs
    else:
        epochs = min(s.epochs, int((budget - setup_s) // epoch_s))
    if epochs < 1 or (epochs_knob and epoch_s + setup_s > budget):  # use a prefix
        epochs = 1 if not epochs_knob else s.epochs
        cum = np.cumsum(per_epoch + setup)  # (S,)
        n = max(1, int(np.searchsorted(cum, budget, side="right")))
    scale = 1 if epochs_knob else epochs
    est = scale * float(per_epoch[:n].sum()) + float(setup[:n].sum())
    return Plan(
        epochs=int(epochs),
        epochs_asked=int(s.epochs),
        sentences=n,
        sentences_all=len(lengths),
        tokens=sum(len(x) for x in les.sentences[:n]),
        tokens_all=les.n_tokens,
        seconds=est,
        budget=float(budget),
        seeds=int(seeds),
        epochs_knob=epochs_knob,
    )


# ---- one run ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RunResult:
    """One finished (or diverged) run. Arrays are read-only copies."""

    label: str  # "A", "B", or the value in a sweep
    value: object  # the knob's value in this run ((v1, v2) in a grid)
    config: W2VConfig
    epoch_loss: tuple[float, ...]  # mean loss per example of each finished epoch
    advance_loss: tuple[tuple[int, float], ...]  # (examples seen, mean loss) per advance
    W_in: np.ndarray  # (n, d) final W_in (= E) of the n <= KEEP_ROWS most frequent words
    words: tuple[str, ...]  # the n words of those rows
    scores: tuple[float, ...] | None  # ground-truth score (category@k) after each epoch
    words_per_sec: float
    seconds: float  # training time (prepare excluded)
    diverged: str | None = None  # the engine's message if training diverged
    examples: int = 0  # training examples (pairs, or CBOW windows) seen
    analogy_add: float | None = None  # final analogy accuracy by 3CosAdd (None: no analogies)
    analogy_mul: float | None = None  # final analogy accuracy by 3CosMul
    vocab_size: int = 0  # V of this run (min_count changes it)
    wordsim: float | None = None  # Spearman rho of cosines vs the user's pair scores

    @property
    def seed(self) -> int:
        return self.config.seed

    @property
    def epochs_done(self) -> int:
        return len(self.epoch_loss)

    @property
    def final_loss(self) -> float:
        return self.epoch_loss[-1] if self.epoch_loss else float("nan")

    @property
    def final_score(self) -> float | None:
        return self.scores[-1] if self.scores else None

    @property
    def examples_per_sec(self) -> float:
        return self.examples / self.seconds if self.seconds > 0 else float("nan")


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
    analogies: Sequence = (),
    judgements: Sequence[Judgement] = (),
) -> RunResult:
    """Train one model from its seed, epoch by epoch, scoring it after each epoch.

    ``on_progress(fraction done, epochs finished)`` is called after every advance.
    A divergence is caught: the result keeps the last good weights and the message.
    Other engine errors (e.g. no training pairs) are raised as W2VError.
    """
    steps = train_run_steps(
        cfg, sentences, categories, label, value, analogies=analogies, judgements=judgements
    )
    while True:
        try:
            frac, epoch = next(steps)
        except StopIteration as done:
            return done.value
        if on_progress is not None:
            on_progress(frac, epoch)


def train_run_steps(
    cfg: W2VConfig,
    sentences,
    categories: dict,
    label: str = "",
    value=None,
    seconds=0.1,
    analogies: Sequence = (),
    keep_rows: int = KEEP_ROWS,
    judgements: Sequence[Judgement] = (),
) -> Iterator[tuple[float, int]]:
    """``train_run`` as a generator: yields (fraction done, epochs finished) after each
    advance of about ``seconds`` (at most ADVANCE_EXAMPLES examples) and returns the
    RunResult, so that a ``lab.jobs`` job can run it a slice at a time.
    ``analogies`` and ``judgements`` (word pairs with human scores) are scored at the end.

    The run trains with ``fast_config(cfg)`` (numba for negative sampling); the result
    records ``cfg``. ``keep_rows`` rows of W_in are kept (0 for runs only scored)."""
    tr = Trainer(fast_config(cfg)).prepare(sentences)
    words = tuple(tr.words_)
    rows = [i for i, w in enumerate(words) if w in categories]  # the words the score uses
    cat_words = [words[i] for i in rows]

    def score() -> float | None:  # float64: a huge but finite run must not overflow the norms
        W = tr.W_in_[rows].astype(np.float64)  # (n, d)
        return ground_truth(W, cat_words, categories, k=K_NEIGHBOURS)

    track = bool(rows) and score() is not None
    scores: list[float] = []
    n_words, n_examples, seconds_trained, diverged = 0, 0, 0.0, None
    chunk = advance_examples(tr.config, len(words), seconds)  # fixed: reproducible runs
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
        n_examples += rep.examples
        seconds_trained += rep.seconds
        if track and tr.epoch_ > epoch:
            scores.append(float(score()))
        yield tr.progress, tr.epoch_
    final = {}
    if (analogies or judgements) and not diverged:
        final = wc.scores(tr.W_in_, words, {}, analogies, judgements=judgements)
    n = min(len(words), keep_rows)
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
        examples=n_examples,
        analogy_add=final.get("analogy_add"),
        analogy_mul=final.get("analogy_mul"),
        vocab_size=len(words),
        wordsim=final.get("wordsim"),
    )


# ---- a comparison, a sweep or a grid ------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Comparison:
    """Runs that differ in one knob (or two, in a grid), each setting over several seeds.

    ``runs`` are ordered setting by setting, seed by seed within a setting."""

    knob: object  # a knob name, or (knob1, knob2) for a grid
    runs: tuple[RunResult, ...]
    plan: Plan
    corpus: str  # the lesson's title, to say which corpus the results belong to
    seeds: int = 1

    @property
    def values(self) -> tuple:
        """The settings, once each (in order)."""
        return tuple(dict.fromkeys(r.value for r in self.runs))

    @property
    def first(self) -> tuple[RunResult, ...]:
        """The first-seed run of each setting (curves, neighbours)."""
        return tuple(self.group(v)[0] for v in self.values)

    def group(self, value) -> list[RunResult]:
        """Every seed's run of one setting."""
        return [r for r in self.runs if r.value == value]

    @property
    def has_scores(self) -> bool:
        return any(r.scores is not None for r in self.runs)

    @property
    def has_analogies(self) -> bool:
        return any(r.analogy_add is not None for r in self.runs)

    @property
    def has_wordsim(self) -> bool:
        return any(r.wordsim is not None for r in self.runs)


def run_all(
    s: Settings,
    les: Lesson,
    knob,
    values: Sequence,
    labels: Sequence[str] | None = None,
    on_progress: Callable[[float, str], None] | None = None,
    budget: float = TRAIN_SECONDS,
    seeds: int = 1,
    judgements: Sequence[Judgement] = (),
) -> Comparison:
    """Train every setting over ``seeds`` seeds (same corpus, capped); report progress."""
    steps = run_all_steps(s, les, knob, values, labels, budget, seeds, judgements)
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
    knob,
    values: Sequence,
    labels: Sequence[str] | None = None,
    budget: float = TRAIN_SECONDS,
    seeds: int = 1,
    judgements: Sequence[Judgement] = (),
) -> Iterator[tuple[float, str]]:
    """``run_all`` as a generator of (fraction done, text) that returns the Comparison
    (a ``lab.jobs`` job: bounded slices, a Stop button, a time limit).

    ``values``: the knob's values, or the (v1, v2) settings of a grid (``settings_of``).
    ``judgements``: the user's scored word pairs (``parse_judgements``), or none."""
    values = list(values)
    if not values:
        raise W2VError("Choose at least one value.")
    most = MAX_GRID_CELLS if isinstance(knob, tuple) else MAX_SWEEP_VALUES
    if len(values) > most:
        raise W2VError(f"At most {most} settings at once; remove some.")
    seed_list = run_seeds(s, seeds)
    labels = list(labels) if labels is not None else [format_value(knob, v) for v in values]
    p = plan(s, les, knob, values, budget, seeds)
    sentences = les.sentences[: p.sentences]
    runs = []
    n = len(values) * len(seed_list)
    i = 0
    for v, lab in zip(values, labels, strict=True):
        fv = format_value(knob, v)
        for j, seed in enumerate(seed_list):
            cfg = run_config(s, knob, v, p.epochs, seed)
            head = f"Run {i + 1} of {n} ({fv}, seed {seed})"
            yield min(1.0, i / n), f"{head}: epoch 0 of {cfg.epochs} done"
            steps = train_run_steps(
                cfg, sentences, les.categories, lab, v, analogies=les.analogies,
                keep_rows=KEEP_ROWS if j == 0 else 0, judgements=judgements,
            )  # fmt: skip
            while True:
                try:
                    frac, epoch = next(steps)
                except StopIteration as done:
                    runs.append(done.value)
                    break
                yield min(1.0, (i + frac) / n), f"{head}: epoch {epoch} of {cfg.epochs} done"
            i += 1
    return Comparison(knob=knob, runs=tuple(runs), plan=p, corpus=les.title, seeds=len(seed_list))


# ---- what the page shows --------------------------------------------------------------------


@dataclass(frozen=True)
class Judged:
    """The user's scored word pairs, read, and matched against the corpus's vocabulary."""

    pairs: tuple[Judgement, ...]  # every (word1, word2, score) row read
    known: int  # rows whose two words are both in the vocabulary (case-insensitive)
    missing: tuple[str, ...]  # the words not in the vocabulary, first-seen order

    def note(self) -> str:
        """What the runs will do with these pairs, in one or two sentences."""
        n = len(self.pairs)
        head = f"{self.known} of {n} pair{'s' * (n != 1)} have both words in this corpus"
        if self.known < 2:
            return (f"{head}: at least 2 are needed for a rank correlation, so the runs will "
                    "not report one.")  # fmt: skip
        few = " With so few pairs, ρ moves a lot from seed to seed." if self.known < 10 else ""
        return (f"{head}. Every run will report Spearman's ρ between your scores and its "
                f"cosines cos(v_w1, v_w2).{few}")  # fmt: skip


def parse_judgements(text: str, words: Sequence[str]) -> Judged:
    """Read 'word1 word2 score' lines (tab or spaces; '#' lines skipped) and match them
    against ``words``. Raises W2VError naming the first bad line, or when too long."""
    if len(text) > MAX_JUDGEMENT_CHARS:
        raise W2VError(f"At most {MAX_JUDGEMENT_CHARS:,} characters of word pairs; "
                       f"this has {len(text):,}.")  # fmt: skip
    try:
        pairs = read_pairs(text.splitlines(), max_pairs=MAX_JUDGEMENTS)
    except VectorsFormatError as e:
        raise W2VError(f"Word pairs, {e}.") from None
    known = {w.upper() for w in words}
    missing = dict.fromkeys(w for a, b, _ in pairs for w in (a, b) if w.upper() not in known)
    n_known = sum(1 for a, b, _ in pairs if a.upper() in known and b.upper() in known)
    return Judged(tuple(pairs), n_known, tuple(missing))


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


SCORES = {
    "category": "category@k",
    "analogy_add": "analogy 3CosAdd",
    "analogy_mul": "analogy 3CosMul",
    "wordsim": "word pairs ρ",
    "loss": "final mean loss",
}  # what a sweep can plot, as the page names it


def score_names(cmp: Comparison) -> list[str]:
    """The scores this comparison has: category@k and analogies if the corpus gives them,
    the word-pair rho if the user scored pairs, else the final loss."""
    out = ["category"] if cmp.has_scores else []
    out += ["analogy_add", "analogy_mul"] if cmp.has_analogies else []
    out += ["wordsim"] if cmp.has_wordsim else []
    return out or ["loss"]


def score_label(cmp: Comparison, name: str | None = None) -> str:
    """What the sweep plots: the ground-truth score if the corpus has categories."""
    return SCORES[name or score_names(cmp)[0]]


def score_range(name: str) -> list[float] | None:
    """The y range a score is plotted on (None: fit the data, for the loss)."""
    return {"loss": None, "wordsim": [-1.05, 1.05]}.get(name, [0.0, 1.05])


def run_score(r: RunResult, name: str) -> float | None:
    """One score of one run (None or nan when it has none or diverged)."""
    if name == "loss":
        return r.final_loss
    if r.diverged:
        return None
    return r.final_score if name == "category" else getattr(r, name)


def spreads(cmp: Comparison, name: str) -> list[wc.Spread]:
    """Mean ± sample sd over the seeds of each setting (diverged seeds left out)."""
    return [wc.spread([run_score(r, name) for r in cmp.group(v)]) for v in cmp.values]


def sweep_points(cmp: Comparison, name: str | None = None):
    """(values, means, sds) of the settings with a finite score, and the failed values."""
    name = name or score_names(cmp)[0]
    xs, ys, sds, failed = [], [], [], []
    for v, sp in zip(cmp.values, spreads(cmp, name), strict=True):
        if sp.n == 0:
            failed.append(v)
        else:
            xs.append(v)
            ys.append(sp.mean)
            sds.append(sp.sd if np.isfinite(sp.sd) else 0.0)
    return xs, ys, sds, failed


def verdict(cmp: Comparison, name: str) -> str | None:
    """Which setting scores best, which tie with it within the seed spread (the top
    group), and which fall behind it by more than the spread. For an ordered knob whose
    top group lies strictly inside the swept values, with settings behind it on both
    sides, the sweep shows an optimum: that is said too."""
    sp = spreads(cmp, name)
    best = wc.best_beyond_spread(
        [wc.Spread(-x.mean, x.sd, x.n) for x in sp] if name == "loss" else sp
    )
    if best is None or len(sp) < 2:
        return None
    top, ties = best
    vals = cmp.values
    fv = lambda i: format_value(cmp.knob, vals[i])  # noqa: E731
    what = "lowest" if name == "loss" else "best"
    head = f"{fv(top)} scores {what} ({sp[top].text()})"
    if cmp.seeds < 2:
        return f"{head}, but with one seed there is no spread to judge the gaps by."
    behind = [i for i in range(len(sp)) if sp[i].n > 0 and i != top and i not in ties]
    if not ties:
        out = f"{head}: ahead of every other setting by more than the seed spread."
    else:
        listed = "; ".join(fv(i) for i in ties)
        gaps = "the gap to" if len(ties) == 1 else "the gaps to each of"
        are = "is" if len(ties) == 1 else "are"
        out = (
            f"{head}, but {gaps} {listed} {are} smaller than the seed spread (the mean ± sd "
            "bars overlap): those differences may be luck."
        )
        if behind:
            late = "; ".join(fv(i) for i in behind)
            out += f" Behind the best by more than the spread: {late}."
    return out + _optimum(cmp, sorted([top, *ties]), behind, fv)


def _optimum(cmp: Comparison, group: list[int], behind: list[int], fv) -> str:
    """' The sweep shows an optimum: ...' when an ordered knob's top group (indices,
    sorted) is contiguous and has settings behind it by more than the spread on both sides."""
    if isinstance(cmp.knob, tuple) or KNOBS[cmp.knob].categorical:
        return ""
    if group != list(range(group[0], group[-1] + 1)):
        return ""
    if not (any(i < group[0] for i in behind) and any(i > group[-1] for i in behind)):
        return ""
    span = fv(group[0]) if len(group) == 1 else f"{fv(group[0])} to {fv(group[-1])} (the top group)"
    return (
        f" The sweep shows an optimum: {span}, with smaller and larger values behind the best "
        "by more than the seed spread."
    )


def pair_gap(cmp: Comparison, name: str) -> tuple[float, bool] | None:
    """(B − A of the means, True if within the seed spread) of a two-setting comparison."""
    sp = spreads(cmp, name)
    if len(sp) != 2 or sp[0].n == 0 or sp[1].n == 0:
        return None
    return sp[1].mean - sp[0].mean, wc.within_spread(sp[0], sp[1])


def grid_matrix(cmp: Comparison, name: str) -> tuple[list, list, np.ndarray, np.ndarray]:
    """(values of knob 1, values of knob 2, (n1, n2) means, (n1, n2) sds) of a grid."""
    v1 = list(dict.fromkeys(v[0] for v in cmp.values))
    v2 = list(dict.fromkeys(v[1] for v in cmp.values))
    mean = np.full((len(v1), len(v2)), np.nan)  # (n1, n2)
    sd = np.full((len(v1), len(v2)), np.nan)  # (n1, n2)
    for v, sp in zip(cmp.values, spreads(cmp, name), strict=True):
        i, j = v1.index(v[0]), v2.index(v[1])
        mean[i, j], sd[i, j] = sp.mean, sp.sd
    return v1, v2, mean, sd


def sweep_table(cmp: Comparison) -> list[dict]:
    """One row per setting: value, mean ± sd of each score, time, speed, status."""
    rows = []
    names = score_names(cmp)
    if "loss" not in names:
        names.append("loss")
    for v in cmp.values:
        g = cmp.group(v)
        row = {"setting": format_value(cmp.knob, v)}
        for name in names:
            row[SCORES[name]] = wc.spread([run_score(r, name) for r in g]).text()
        row["seeds"] = len(g)
        row["epochs"] = max(r.epochs_done for r in g)
        row["s per run"] = f"{np.mean([r.seconds for r in g]):.3f}"
        eps = [r.examples_per_sec for r in g if np.isfinite(r.examples_per_sec)]
        row["examples/s"] = f"{np.mean(eps):,.0f}" if eps else "–"
        bad = sum(1 for r in g if r.diverged)
        row["status"] = f"{bad} of {len(g)} diverged" if bad else "finished"
        rows.append(row)
    return rows


def timing(r: RunResult) -> str:
    """'2 of 2 epochs, 41,200 examples in 0.137 s (300,700 examples/s)'."""
    eps = r.examples_per_sec
    speed = f" ({eps:,.0f} examples/s)" if np.isfinite(eps) else ""
    return (
        f"{r.epochs_done} of {r.config.epochs} epochs, {r.examples:,} examples in "
        f"{r.seconds:.3f} s{speed}"
    )


def settings_changed(cmp: Comparison, s: Settings) -> bool:
    """True if the sidebar's hyperparameters (other than the knob, epochs and seed) moved."""
    if not cmp.runs:
        return False
    r = cmp.runs[0]
    try:
        now = run_config(s, cmp.knob, r.value, r.config.epochs, r.config.seed)
    except W2VError:
        return True
    return now != r.config or s.epochs != cmp.plan.epochs_asked or s.seed != r.config.seed


def epoch_spread(runs: Sequence[RunResult], what: str) -> tuple[list[float], list[float]]:
    """Mean and sample sd over seeds at each epoch of ``what`` ("loss" or "score"); an
    epoch counts the seeds that reached it."""
    curves = [r.epoch_loss if what == "loss" else (r.scores or ()) for r in runs]
    n = max((len(c) for c in curves), default=0)
    sp = [wc.spread([c[e] for c in curves if len(c) > e]) for e in range(n)]
    return [x.mean for x in sp], [x.sd for x in sp]


# ---- the code behind the settings -----------------------------------------------------------


def gensim_code(cfg: W2VConfig) -> str:
    """The gensim 4 call that trains the model these settings describe (Řehůřek &
    Sojka 2010). Full softmax and our batch size have no gensim equivalent: said in
    comments. ``sentences`` is a list of token lists."""
    ns = cfg.loss == "negative"
    lines = [
        "from gensim.models import Word2Vec",
        "",
        "model = Word2Vec(",
        "    sentences,  # a list of token lists",
        f"    sg={int(cfg.model == 'skipgram')},  # 1 skip-gram, 0 CBOW",
        f"    vector_size={cfg.dim},  # d",
        f"    window={cfg.window},",
        f"    shrink_windows={cfg.dynamic_window},  # dynamic window",
        f"    hs={int(cfg.loss == 'hs')},  # hierarchical softmax",
        f"    negative={cfg.negative if ns else 0},  # k (0: no negative sampling)",
        f"    ns_exponent={cfg.noise_alpha:g},  # P_n(w) ∝ count^{cfg.noise_alpha:g}",
        f"    alpha={cfg.alpha:g},",
        f"    min_alpha={cfg.min_alpha:g},",
        f"    min_count={cfg.min_count},",
        f"    sample={cfg.sample:g},",
        f"    epochs={cfg.epochs},",
        f"    max_final_vocab={cfg.max_vocab},",
        f"    seed={cfg.seed},",
        "    workers=1,  # one thread: reproducible",
        ")",
        "W_in = model.wv.vectors  # (V, d), rows in model.wv.index_to_key order",
    ]
    if cfg.model == "cbow":
        lines.insert(5, "    cbow_mean=1,  # h = mean of the context rows")
    if cfg.loss == "softmax":
        lines.insert(0, "# gensim has no full softmax: hs=1 is the closest (hierarchical).")
        lines = [ln.replace("hs=0", "hs=1") for ln in lines]
    lines.insert(0, f"# our batch_size={cfg.batch_size}: gensim updates after every example")
    return "\n".join(lines)


def torch_code(cfg: W2VConfig) -> str:
    """A short PyTorch skip-gram / negative-sampling loop with these numbers (a sketch:
    ``pairs`` (N, 2) centre/context ids and ``noise`` (V,) the P_n weights are given)."""
    return "\n".join([
        "import torch",
        "",
        f"V, d, k = len(vocab), {cfg.dim}, {cfg.negative}",
        f"torch.manual_seed({cfg.seed})",
        "W_in = torch.nn.Embedding(V, d)   # v_c rows",
        "W_out = torch.nn.Embedding(V, d)  # u_o rows",
        "torch.nn.init.uniform_(W_in.weight, -0.5 / d, 0.5 / d)",
        "torch.nn.init.zeros_(W_out.weight)",
        "params = list(W_in.parameters()) + list(W_out.parameters())",
        f"opt = torch.optim.SGD(params, lr={cfg.alpha:g})",
        f"P_n = noise ** {cfg.noise_alpha:g}  # (V,) counts^alpha",
        f"for epoch in range({cfg.epochs}):",
        f"    for batch in pairs[torch.randperm(len(pairs))].split({cfg.batch_size}):",
        "        c, o = batch[:, 0], batch[:, 1]            # (B,), (B,)",
        "        neg = torch.multinomial(P_n, len(c) * k, True).view(-1, k)  # (B, k)",
        "        v = W_in(c)                                  # (B, d)",
        "        pos = (v * W_out(o)).sum(-1)                 # (B,) u_o . v_c",
        "        negs = torch.bmm(W_out(neg), v[:, :, None])  # (B, k, 1)",
        "        loss = -(torch.nn.functional.logsigmoid(pos)",
        "                 + torch.nn.functional.logsigmoid(-negs).sum((1, 2))).sum()",
        "        opt.zero_grad(); loss.backward(); opt.step()",
    ])  # fmt: skip


# ---- exercises ------------------------------------------------------------------------------

PAGE = "Compare runs"


def exercises(s: Settings, les: Lesson, sweep=None, pair=None) -> list:
    """Predict, then reveal: answers computed from this corpus and the held runs.

    ``sweep``/``pair``: the page's last Comparison of each kind (or None: the question
    says to run one first)."""
    from lab.exercises import Exercise, instance_rng

    rng = instance_rng(s.seed, "compare.examples")
    w = int(rng.integers(1, 5))
    cfg = s.config(window=w, dynamic_window=False, sample=0.0, model="skipgram")
    lengths = np.bincount(les.corpus.sentence, minlength=len(les.sentences))  # (S,)
    n = int(examples_per_sentence(cfg, lengths).sum())
    out = [
        Exercise(
            "compare.examples",
            PAGE,
            f"A skip-gram run with window {w} (no dynamic window, no subsampling) trains on how "
            f"many (centre, context) examples per epoch of this corpus ({les.n_tokens:,} "
            "tokens)? Each word pairs with up to w neighbours on each side.",
            "number",
            n,
            f"Sentence by sentence, a word at distance o ≤ {w} from another makes 2 examples, "
            f"so a sentence of L words gives 2 Σ_o (L − o): {n:,} in all.",
        )  # fmt: skip
    ]
    needs = "" if sweep is not None else "Run a sweep first."
    if sweep is not None and len(sweep.values) >= 2:
        name = score_names(sweep)[0]
        sp = spreads(sweep, name)
        finite = [i for i, x in enumerate(sp) if x.n > 0]
        pick = (min if name == "loss" else max)(finite, key=lambda i: sp[i].mean)
        options = tuple(value_name(v) for v in sweep.values)
        answer = options[pick]
    else:
        options, answer = ("–",), "–"
    out.append(
        Exercise(
            "compare.best",
            PAGE,
            "In your last sweep, which value has the best mean score? Guess from the "
            "curve's shape before you look at the table.",
            "choice",
            answer,
            "The best mean; the verdict under the chart says whether "
            "its lead is beyond the seed spread.",
            options=options,
            needs=needs,
        )  # fmt: skip
    )
    needs = "" if pair is not None else "Run A vs B first."
    answer = "–"
    if pair is not None:
        gap = pair_gap(pair, score_names(pair)[0])
        answer = "–" if gap is None else ("no" if gap[1] else "yes")
    out.append(
        Exercise(
            "compare.spread",
            PAGE,
            "In your last A vs B, is the gap between A's and B's mean score larger than the "
            "seed spread (the mean ± sd bars do not overlap)?",
            "choice",
            answer,
            "Compare |mean_B − mean_A| with sd_A + sd_B.",
            options=("yes", "no"),
            needs=needs,
        )  # fmt: skip
    )
    return out
