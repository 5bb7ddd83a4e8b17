"""Training examples: skip-gram (target, context) pairs and CBOW ([context], target).

For every token w_t of a sentence, the words at offsets -b..-1 and 1..b are its
context (Mikolov et al. 2013a). With ``dynamic=True`` the radius b is drawn
uniformly from 1..window for each token, as word2vec.c does, which weights near
words more than far ones. With subsampling, frequent tokens are removed *before*
the window slides, so the window reaches further in the thinned text (Mikolov et
al. 2013b); offsets are still reported in positions of the original sentence.

Everything is vectorized over the whole corpus: one (N, 2*window) mask says which
(token, offset) cells hold a real context word, and ``np.nonzero`` lists them in
reading order (by target, then offset), the order in which word2vec visits them.

Each example remembers where it came from through global token indices; the
``Corpus`` arrays turn those into (sentence, position) for the UI's highlighting.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .errors import ConfigError, CorpusError


@dataclass(frozen=True)
class Corpus:
    """An encoded corpus flattened into one stream of tokens."""

    ids: np.ndarray  # (N,) int32 word id of every token
    sentence: np.ndarray  # (N,) int32 sentence index of every token
    position: np.ndarray  # (N,) int32 position of the token inside its sentence

    @classmethod
    def from_encoded(cls, encoded: Sequence[np.ndarray]) -> "Corpus":
        lengths = np.array([len(s) for s in encoded], dtype=np.int64)  # (S,)
        if lengths.sum() == 0:
            raise CorpusError("No word of the corpus is in the vocabulary.")
        ids = np.concatenate([np.asarray(s, dtype=np.int32) for s in encoded])  # (N,)
        sentence = np.repeat(np.arange(len(encoded), dtype=np.int32), lengths)  # (N,)
        starts = np.cumsum(lengths) - lengths  # (S,) first global index of each sentence
        position = (np.arange(len(ids)) - np.repeat(starts, lengths)).astype(np.int32)  # (N,)
        return cls(ids=ids, sentence=sentence, position=position)

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def longest_sentence(self) -> int:
        return int(self.position.max()) + 1


def _check_window(window: int) -> None:
    if not isinstance(window, int | np.integer) or window < 1:
        raise ConfigError("window must be a whole number of at least 1")


def subsample(corpus: Corpus, keep_probs: np.ndarray | None, rng: np.random.Generator):
    """Global indices of the tokens that survive subsampling (all if keep_probs is None)."""
    if keep_probs is None:
        return np.arange(len(corpus))  # (N,)
    u = rng.random(len(corpus))  # (N,)
    return np.flatnonzero(u < keep_probs[corpus.ids])  # (N',)


def context_mask(
    corpus: Corpus,
    kept: np.ndarray,
    window: int,
    dynamic: bool,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """(N', 2*window) mask of real context cells, and the offsets of the columns.

    Row i is the kept token kept[i]; column j looks ``offsets[j]`` kept tokens away.
    """
    _check_window(window)
    n = len(kept)
    offsets = np.r_[np.arange(-window, 0), np.arange(1, window + 1)]  # (2W,)
    sent = corpus.sentence[kept]  # (N',)
    if dynamic:
        radius = rng.integers(1, window + 1, size=n)  # (N',) effective window b
    else:
        radius = np.full(n, window)  # (N',)
    mask = np.zeros((n, 2 * window), dtype=bool)  # (N', 2W)
    for j, o in enumerate(offsets):
        lo, hi = max(0, -o), min(n, n - o)  # rows whose neighbour i+o exists
        rows = np.arange(lo, hi)
        mask[lo:hi, j] = (sent[rows + o] == sent[rows]) & (abs(o) <= radius[lo:hi])
    return mask, offsets


@dataclass(frozen=True)
class SkipGramPairs:
    """Skip-gram examples: predict ``context`` from ``target`` (both word ids)."""

    target: np.ndarray  # (n,) int32 input word (the centre of the window)
    context: np.ndarray  # (n,) int32 word to predict
    token: np.ndarray  # (n,) int64 global index of the target token
    context_token: np.ndarray  # (n,) int64 global index of the context token

    def __len__(self) -> int:
        return len(self.target)


@dataclass(frozen=True)
class CbowExamples:
    """CBOW examples: predict ``target`` from the mean of its ``contexts``."""

    target: np.ndarray  # (n,) int32 word to predict
    contexts: np.ndarray  # (n, 2W) int32 context word ids, -1 where empty
    token: np.ndarray  # (n,) int64 global index of the target token
    context_tokens: np.ndarray  # (n, 2W) int64 global indices of the context tokens, -1 where empty

    def __len__(self) -> int:
        return len(self.target)


def skipgram_pairs(
    corpus: Corpus,
    window: int,
    *,
    dynamic: bool = False,
    keep_probs: np.ndarray | None = None,
    rng: np.random.Generator | None = None,
) -> SkipGramPairs:
    """All (target, context) pairs of one pass over the corpus, in reading order."""
    rng = rng if rng is not None else np.random.default_rng(0)
    kept = subsample(corpus, keep_probs, rng)  # (N',)
    mask, offsets = context_mask(corpus, kept, window, dynamic, rng)  # (N', 2W), (2W,)
    row, col = np.nonzero(mask)  # (n,), (n,) in target-major order
    tok = kept[row]  # (n,) global target index
    ctx_tok = kept[row + offsets[col]]  # (n,) global context index
    return SkipGramPairs(
        target=corpus.ids[tok],
        context=corpus.ids[ctx_tok],
        token=tok.astype(np.int64),
        context_token=ctx_tok.astype(np.int64),
    )


def cbow_examples(
    corpus: Corpus,
    window: int,
    *,
    dynamic: bool = False,
    keep_probs: np.ndarray | None = None,
    rng: np.random.Generator | None = None,
) -> CbowExamples:
    """One ([context], target) example for every token that has a context word."""
    rng = rng if rng is not None else np.random.default_rng(0)
    kept = subsample(corpus, keep_probs, rng)  # (N',)
    mask, offsets = context_mask(corpus, kept, window, dynamic, rng)  # (N', 2W), (2W,)
    has_ctx = mask.any(axis=1)  # (N',)
    mask = mask[has_ctx]  # (n, 2W)
    rows = np.flatnonzero(has_ctx)  # (n,)
    idx = np.clip(rows[:, None] + offsets[None, :], 0, len(kept) - 1)  # (n, 2W)
    ctx_tok = np.where(mask, kept[idx], -1)  # (n, 2W)
    ctx_ids = np.where(mask, corpus.ids[kept[idx]], -1).astype(np.int32)  # (n, 2W)
    tok = kept[rows]  # (n,)
    return CbowExamples(
        target=corpus.ids[tok],
        contexts=ctx_ids,
        token=tok.astype(np.int64),
        context_tokens=ctx_tok.astype(np.int64),
    )


def pair_count(corpus: Corpus, window: int) -> int:
    """Number of skip-gram pairs with a static window and no subsampling (exact)."""
    _check_window(window)
    lengths = np.bincount(corpus.sentence).astype(np.int64)  # (S,)
    total = 0
    for o in range(1, window + 1):
        total += 2 * np.maximum(lengths - o, 0).sum()
    return int(total)
