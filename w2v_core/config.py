"""All hyperparameters of a word2vec run in one frozen dataclass.

Defaults follow word2vec.c / gensim (Mikolov et al. 2013a, b) so that a run of
ours and a run of gensim with the same numbers are comparable.
"""

from dataclasses import asdict, dataclass, fields, replace

from .errors import ConfigError

MAX_BATCH = 4096  # larger batches sum too many updates of frequent rows and diverge


@dataclass(frozen=True)
class W2VConfig:
    # "skipgram" predicts each context word from the target; "cbow" the target from its context
    model: str = "skipgram"
    # "negative": k+1 sigmoid scores per example; "softmax": all V scores; "hs": hierarchical
    # softmax, one sigmoid per inner node on the target's Huffman path (~log2 V)
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
        """Raise ConfigError naming the first field out of range; return self."""
        checks = [
            (self.model in ("skipgram", "cbow"), "model must be 'skipgram' or 'cbow'"),
            (
                self.loss in ("negative", "softmax", "hs"),
                "loss must be 'negative', 'softmax' or 'hs' (hierarchical softmax)",
            ),
            (self.cbow_update in ("word2vec", "gradient"), "cbow_update: 'word2vec' or 'gradient'"),
            (_is_int(self.dim) and self.dim >= 1, "dim must be a whole number >= 1"),
            (_is_int(self.window) and self.window >= 1, "window must be a whole number >= 1"),
            (_is_int(self.negative) and self.negative >= 0, "negative must be a whole number >= 0"),
            (
                self.loss != "negative" or self.negative >= 1,
                "negative sampling needs negative >= 1",
            ),
            (0 <= self.noise_alpha <= 10, "the noise exponent must lie in [0, 10]"),
            (0 < self.alpha < 1e6, "the learning rate alpha must be > 0"),
            (0 <= self.min_alpha <= self.alpha, "min_alpha must lie in [0, alpha]"),
            (_is_int(self.epochs) and self.epochs >= 1, "epochs must be a whole number >= 1"),
            (_is_int(self.min_count) and self.min_count >= 1, "min_count must be >= 1"),
            (self.max_vocab is None or self.max_vocab >= 1, "max_vocab must be >= 1"),
            (0 <= self.sample < 1, "sample must lie in [0, 1)"),
            (
                _is_int(self.batch_size) and 1 <= self.batch_size <= MAX_BATCH,
                f"batch_size must lie in 1..{MAX_BATCH}",
            ),
            (
                self.backend in ("auto", "numpy", "numba"),
                "backend must be 'auto', 'numpy' or 'numba'",
            ),
            (_is_int(self.threads) and self.threads >= 1, "threads must be >= 1"),
            (self.dtype in ("float32", "float64"), "dtype must be 'float32' or 'float64'"),
            (self.history_bytes >= 0 and self.max_snapshots >= 2, "history caps too small"),
            (self.snapshot_rows >= 1, "snapshot_rows must be >= 1"),
        ]
        for ok, message in checks:
            if not ok:
                raise ConfigError(message)
        return self

    def replace(self, **changes) -> "W2VConfig":
        return replace(self, **changes)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "W2VConfig":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})


def resolve_backend(backend: str) -> str:
    """The backend a run uses: "auto" becomes "numba" when numba imports, else "numpy"."""
    if backend != "auto":
        return backend
    from . import fast  # imports numba if it is installed

    return "numba" if fast.available() else "numpy"


def _is_int(x) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)
