"""What one session may hold in memory: an estimate made before any training, and the cap.

A classroom shares one server process, so each student's model is bounded.
The big arrays of a session are its weights (W_in and W_out, plus the private
copy every advance writes to), one epoch of training examples, the negatives
of one chunk, and the replay history (capped by ``HISTORY_BYTES``). The
estimate takes the static window (an upper bound of word2vec's dynamic one)
and no subsampling, and counts the temporary arrays made while drawing an
epoch's examples, so it errs on the high side. Pure Python: no Streamlit here.

Imported vectors (Explore) count against the same cap: an import may use what the
live model leaves of ``MAX_SESSION_BYTES`` (and at most ``MAX_IMPORT_BYTES``), and
a new model must fit next to the vectors already imported. ``import_limits`` turns
that allowance into the reader's ``Limits``, checked from the file's headers before
anything is allocated.
"""

from lab.lesson import HISTORY_BYTES, MAX_SOFTMAX_VOCAB, Lesson, Settings
from w2v_core.io import Limits
from w2v_core.pairs import pair_count
from w2v_core.trainer import CHUNK

MAX_SESSION_BYTES = 256 * 2**20  # one session's model, examples and history
SKIPGRAM_PAIR_BYTES = 48  # 4 int32 arrays per pair, x3 while they are drawn
FLOAT_BYTES = 4  # float32 weights
MAX_IMPORT_BYTES = 64 * 2**20  # one set of imported vectors (rows and words)
MAX_IMPORT_DIM = 2_048  # dimensions of imported vectors (the analogy chart draws 5 x d cells)
WORD_BYTES = 120  # one imported word: a Python str, its tuple slot and its index entries


def session_bytes(les: Lesson, s: Settings) -> int:
    """Upper estimate of the bytes a trainer for these settings holds (see the docstring)."""
    V, d, W = len(les.vocab), s.dim, s.window
    weights = 2 * (2 * V * d * FLOAT_BYTES)  # theta (2V, d) and an advance's private copy
    if s.model == "skipgram":
        examples = pair_count(les.corpus, W) * SKIPGRAM_PAIR_BYTES
    else:  # target int32, token int64, contexts (2W) int32 and their tokens (2W) int64; x2
        examples = len(les.corpus) * (12 + 24 * W) * 2
    negatives = CHUNK * (s.negative + 1) * 8 * 2  # (chunk, 1+k) ids and their row numbers
    return weights + examples + negatives + HISTORY_BYTES


def import_bytes(V: int, d: int) -> int:
    """Bytes that V imported words of d float32 dimensions hold."""
    return V * d * FLOAT_BYTES + V * WORD_BYTES


def import_allowance(held: int = 0) -> int:
    """Bytes an import may use when the session holds ``held`` bytes already."""
    return max(0, min(MAX_IMPORT_BYTES, MAX_SESSION_BYTES - held))


def import_limits(held: int = 0) -> Limits:
    """The reader's limits for an import next to ``held`` bytes (a live model)."""
    room = import_allowance(held)
    why = f" ({_held_text(held)})" if held else ""
    return Limits(
        max_words=room // WORD_BYTES,
        max_dim=MAX_IMPORT_DIM,
        max_cells=room // FLOAT_BYTES,
        why=why,
    )


def _held_text(held: int) -> str:
    return (
        f"your live model holds {size_text(held)} of this session's {MAX_SESSION_BYTES // 2**20} MB"
    )


def import_error(V: int, d: int, held: int = 0) -> str | None:
    """A message when V words x d dimensions do not fit next to ``held`` bytes, else None."""
    need, room = import_bytes(V, d), import_allowance(held)
    if need <= room:
        return None
    model = f" ({_held_text(held)})" if held else ""
    return (
        f"{V:,} words x {d:,} dimensions need about {size_text(need)}; an import may use "
        f"{size_text(room)}{model}"
    )


def budget_error(les: Lesson, s: Settings, held: int = 0) -> str | None:
    """A message when these settings would exceed a per-session cap, else None.

    ``held``: bytes the session keeps besides the model (imported vectors)."""
    if s.loss == "softmax" and len(les.vocab) > MAX_SOFTMAX_VOCAB:
        return (
            f"Full softmax is limited to {MAX_SOFTMAX_VOCAB:,} words (this corpus has "
            f"{len(les.vocab):,}): it scores every word for every example. Choose negative "
            "sampling or hierarchical softmax, or raise min_count."
        )
    need = session_bytes(les, s)
    if need + held <= MAX_SESSION_BYTES:
        return None
    besides = f" besides the {size_text(held)} of imported vectors" if held else ""
    return (
        f"This corpus with window {s.window} and {s.dim} dimensions would need about "
        f"{need / 2**20:,.0f} MB for one model{besides}; each session may hold at most "
        f"{MAX_SESSION_BYTES // 2**20} MB so that a whole class fits on one server. "
        "Lower the window or the dimensions, raise min_count, or use a smaller corpus."
    )


def size_text(n: float) -> str:
    """Bytes for people, in powers of 1024: 512 -> "512 B", 1536 -> "1.5 KB"."""
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if abs(n) < 1024 or unit == "PB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")
