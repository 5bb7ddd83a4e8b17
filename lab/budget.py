"""What one session may hold in memory: an estimate made before any training, and the cap.

A classroom shares one server process, so each student's model is bounded.
The big arrays of a session are its weights (W_in and W_out, plus the private
copy every advance writes to), one epoch of training examples, the negatives
of one chunk, and the replay history (capped by ``HISTORY_BYTES``). The
estimate takes the static window (an upper bound of word2vec's dynamic one)
and no subsampling, and counts the temporary arrays made while drawing an
epoch's examples, so it errs on the high side. Pure Python: no Streamlit here.
"""

from lab.lesson import HISTORY_BYTES, MAX_SOFTMAX_VOCAB, Lesson, Settings
from w2v_core.pairs import pair_count
from w2v_core.trainer import CHUNK

MAX_SESSION_BYTES = 256 * 2**20  # one session's model, examples and history
SKIPGRAM_PAIR_BYTES = 48  # 4 int32 arrays per pair, x3 while they are drawn
FLOAT_BYTES = 4  # float32 weights


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


def budget_error(les: Lesson, s: Settings) -> str | None:
    """A message when these settings would exceed a per-session cap, else None."""
    if s.loss == "softmax" and len(les.vocab) > MAX_SOFTMAX_VOCAB:
        return (
            f"Full softmax is limited to {MAX_SOFTMAX_VOCAB:,} words (this corpus has "
            f"{len(les.vocab):,}): it scores every word for every example. Choose negative "
            "sampling or hierarchical softmax, or raise min_count."
        )
    need = session_bytes(les, s)
    if need <= MAX_SESSION_BYTES:
        return None
    return (
        f"This corpus with window {s.window} and {s.dim} dimensions would need about "
        f"{need / 2**20:,.0f} MB for one model; each session may hold at most "
        f"{MAX_SESSION_BYTES // 2**20} MB so that a whole class fits on one server. "
        "Lower the window or the dimensions, raise min_count, or use a smaller corpus."
    )


def size_text(n: int) -> str:
    """Bytes for people: "12.3 MB", "45 kB"."""
    return f"{n / 2**20:,.1f} MB" if n >= 2**20 else f"{max(1, round(n / 1024)):,} kB"
