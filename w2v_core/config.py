"""All hyperparameters of a word2vec run in one frozen dataclass, and their limits.

Defaults follow word2vec.c / gensim (Mikolov et al. 2013a, b) so that a run of
ours and a run of gensim with the same numbers are comparable.

``LIMITS`` is the one table of what each field may be, keyed by field name:
``validate`` checks a config against it, the command line checks its arguments
with it, and the app builds its widgets and reads lesson links from it. A limit
may name a narrower range for the app (``app``): the lessons stay small enough
to draw, while the engine accepts more. No range is written anywhere else.
"""

import math
from dataclasses import asdict, dataclass, fields, replace

from .errors import ConfigError

MAX_BATCH = 4096  # larger batches sum too many updates of frequent rows and diverge
MODELS = ("skipgram", "cbow")  # the two word2vec architectures
LOSSES = ("negative", "softmax", "hs")  # the output layers: negative sampling, full, hierarchical
BACKENDS = ("auto", "numpy", "numba")  # auto: numba when it imports (resolve_backend)


@dataclass(frozen=True)
class Limit:
    """What one field may hold. Numbers lie in [lo, hi]; text is one of ``choices``."""

    kind: type  # int, float, bool or str
    lo: float | None = None  # smallest value the engine accepts
    hi: float | None = None  # largest value the engine accepts
    choices: tuple = ()  # the allowed values (text fields, or a set of offered numbers)
    app: tuple | None = None  # (lo, hi) the app offers, when narrower than the engine's
    open_hi: bool = False  # hi itself is excluded (e.g. a probability below 1)
    optional: bool = False  # None is allowed too (no limit)

    @property
    def app_range(self) -> tuple:
        """(lo, hi) of the app's widgets and links."""
        return self.app if self.app is not None else (self.lo, self.hi)

    def problem(self, value) -> str | None:
        """Why ``value`` is not allowed (None when it is)."""
        if value is None and self.optional:
            return None
        if self.kind is str or self.kind is bool:
            ok = isinstance(value, self.kind) and (not self.choices or value in self.choices)
            return None if ok else f"must be one of {', '.join(map(str, self.choices))}"
        if self.kind is int and not _is_int(value):
            return "must be a whole number"
        if not _is_number(value) or not math.isfinite(value):
            return "must be a finite number"
        above = value >= self.hi if self.open_hi else value > self.hi
        if value < self.lo or above:
            return f"must lie in [{self.lo:g}, {self.hi:g}{')' if self.open_hi else ']'}"
        return None


@dataclass(frozen=True)
class W2VConfig:
    # "skipgram" predicts each context word from the target; "cbow" the target from its context
    model: str = "skipgram"
    # "negative": k+1 sigmoid scores per example; "softmax": all V scores; "hs": hierarchical
    # softmax, one sigmoid per inner node on the Huffman path of the word to predict (~log2 V)
    loss: str = "negative"
    # CBOW's update of the context rows: "word2vec" gives each the whole dJ/dh, as word2vec.c
    # and gensim do (m times the gradient of the mean); "gradient" gives dJ/dh / m, the exact one
    cbow_update: str = "word2vec"
    dim: int = 100  # d, the length of each word vector (columns of W_in and W_out)
    window: int = 5  # context radius: up to `window` words on each side of the target
    dynamic_window: bool = True  # draw the radius from 1..window per token, as word2vec does
    negative: int = 5  # k, noise words per example (negative sampling only)
    noise_alpha: float = 0.75  # exponent of the noise distribution P_n(w) ∝ count^noise_alpha
    alpha: float = 0.025  # initial learning rate
    min_alpha: float = 0.0001  # learning rate at the end of the last epoch (linear decay)
    epochs: int = 5  # passes over the corpus
    min_count: int = 5  # words seen fewer times are dropped from the vocabulary
    max_vocab: int | None = None  # keep at most this many of the most frequent words
    sample: float = 1e-3  # subsampling threshold s; 0 keeps every token
    batch_size: int = 1024  # examples per vectorized SGD step (capped at MAX_BATCH)
    seed: int = 0  # seeds the initial weights, windows, subsampling and negatives
    # "numpy" (reference) or "numba" (same maths, compiled; negative sampling only, the other
    # losses use the NumPy path); "auto": numba when it imports, else numpy (resolve_backend)
    backend: str = "numpy"
    threads: int = 1  # threads for the numba backend
    dtype: str = "float32"  # "float32" for speed, "float64" for exact comparisons
    history_bytes: int = 64 * 2**20  # memory cap for the kept snapshots of W_in / W_out
    max_snapshots: int = 200  # at most this many snapshots are kept for replay
    snapshot_rows: int = 500  # snapshots keep only the first (most frequent) rows

    def validate(self) -> "W2VConfig":
        """Raise ConfigError naming the first field out of its ``LIMITS``; return self."""
        for name, limit in LIMITS.items():
            problem = limit.problem(getattr(self, name))
            if problem:
                raise ConfigError(f"{name} {problem}")
        if self.loss == "negative" and self.negative < 1:
            raise ConfigError("negative sampling needs negative >= 1")
        if self.min_alpha > self.alpha:
            raise ConfigError("min_alpha must lie in [0, alpha]")
        if self.max_snapshots < 2:
            raise ConfigError("max_snapshots must be at least 2")
        return self

    def replace(self, **changes) -> "W2VConfig":
        return replace(self, **changes)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "W2VConfig":
        """A config from the fields of ``d`` this class knows (others are ignored)."""
        known = {f.name for f in fields(W2VConfig)}
        return cls(**{k: v for k, v in d.items() if k in known})

    def engine(self) -> "W2VConfig":
        """Just the engine's fields, as a plain W2VConfig (drops a subclass's extras)."""
        return W2VConfig.from_dict(asdict(self))


# One row per field: the engine's range, and the app's when it is narrower.
LIMITS: dict[str, Limit] = {
    "model": Limit(str, choices=MODELS),
    "loss": Limit(str, choices=LOSSES),
    "cbow_update": Limit(str, choices=("word2vec", "gradient")),
    "dim": Limit(int, 1, 10_000, app=(2, 300)),
    "window": Limit(int, 1, 100, app=(1, 10)),
    "dynamic_window": Limit(bool, choices=(False, True)),
    "negative": Limit(int, 0, 100, app=(1, 20)),
    "noise_alpha": Limit(float, 0.0, 10.0, app=(0.0, 1.0)),
    "alpha": Limit(float, 1e-6, 100.0, app=(1e-4, 100.0)),
    "min_alpha": Limit(float, 0.0, 100.0),
    "epochs": Limit(int, 1, 100_000, app=(1, 1000)),
    "min_count": Limit(int, 1, 10**9, app=(1, 1000)),
    "max_vocab": Limit(int, 1, 10**9, optional=True),
    "sample": Limit(float, 0.0, 1.0, open_hi=True, choices=(0.0, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1)),
    "batch_size": Limit(int, 1, MAX_BATCH, choices=(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)),
    "seed": Limit(int, 0, 2**32 - 1, app=(0, 2**31 - 1)),
    "backend": Limit(str, choices=BACKENDS),
    "threads": Limit(int, 1, 256),
    "dtype": Limit(str, choices=("float32", "float64")),
    "history_bytes": Limit(int, 0, 2**40),
    "max_snapshots": Limit(int, 2, 10**6),
    "snapshot_rows": Limit(int, 1, 10**9),
}


def resolve_backend(backend: str) -> str:
    """The backend a run uses: "auto" becomes "numba" when numba imports, else "numpy"."""
    if backend != "auto":
        return backend
    from . import fast  # imports numba if it is installed

    return "numba" if fast.available() else "numpy"


def _is_int(x) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _is_number(x) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)
