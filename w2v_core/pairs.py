"""Training examples: skip-gram (target, context) pairs and CBOW ([context], target).

For every token w_t of a sentence, the words at offsets -b..-1 and 1..b are its
context (Mikolov et al. 2013a). With ``dynamic=True`` the radius b is drawn
uniformly from 1..window for each token, as word2vec.c does, which weights near
words more than far ones. With subsampling, frequent tokens are removed *before*
the window slides, so the window reaches further in the thinned text (Mikolov et
al. 2013b); offsets are still reported in positions of the original sentence.

Everything is vectorized over the whole corpus: each token gets a left and a
right radius (the window cut at the sentence ends), and the pairs are listed in
reading order (by target, then offset), the order in which word2vec visits them.

Each example remembers where it came from through global token indices; the
``Corpus`` arrays turn those into (sentence, position) for the UI's highlighting.

A corpus can also be walked in chunks of whole sentences (``Corpus.chunks``,
``FlatCorpus.chunks``): the trainer streams an epoch chunk by chunk, so that it
holds one chunk's examples rather than the epoch's. Given the same random
generators, consumed chunk after chunk, the chunks give exactly the examples of
the whole corpus (tested): every draw is made token by token in reading order.
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
        return cls.from_lengths(ids, lengths)

    @classmethod
    def from_lengths(cls, ids: np.ndarray, lengths: np.ndarray, first: int = 0) -> "Corpus":
        """The corpus of ``ids`` (N,) cut into sentences of ``lengths`` (S,), numbered from
        ``first``."""
        lengths = np.asarray(lengths, dtype=np.int64)  # (S,)
        sentence = np.repeat(np.arange(first, first + len(lengths), dtype=np.int32), lengths)
        starts = np.cumsum(lengths) - lengths  # (S,) first index of each sentence
        position = (np.arange(len(ids)) - np.repeat(starts, lengths)).astype(np.int32)  # (N,)
        return cls(ids=np.asarray(ids, dtype=np.int32), sentence=sentence, position=position)

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def longest_sentence(self) -> int:
        return int(self.position.max()) + 1

    @property
    def lengths(self) -> np.ndarray:
        """(S,) tokens of each sentence (up to the last non-empty one)."""
        return np.bincount(self.sentence)

    def to_corpus(self) -> "Corpus":
        return self

    def chunks(self, tokens: int):
        """(offset, sub-corpus) pieces of about ``tokens`` tokens, cut between sentences.

        A sub-corpus holds views of this one's arrays; its token i is token offset + i here.
        """
        starts = np.flatnonzero(np.r_[True, self.sentence[1:] != self.sentence[:-1]])  # (S,)
        lo, n = 0, len(self)
        while lo < n:
            i = int(np.searchsorted(starts, lo + tokens))  # first sentence start past the goal
            hi = int(starts[i]) if i < len(starts) else n
            yield lo, Corpus(self.ids[lo:hi], self.sentence[lo:hi], self.position[lo:hi])
            lo = hi


@dataclass(frozen=True)
class FlatCorpus:
    """An encoded corpus held as its token ids and sentence lengths only (4 bytes a token).

    What the command line trains on: ``chunks`` makes each piece's ``Corpus`` (with its
    sentence and position arrays) on the fly, ``to_corpus`` the whole one.
    """

    ids: np.ndarray  # (N,) int32 word id of every token
    lengths: np.ndarray  # (S,) int64 tokens of each sentence

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def longest_sentence(self) -> int:
        return int(self.lengths.max())

    def to_corpus(self) -> Corpus:
        return Corpus.from_lengths(self.ids, self.lengths)

    def chunks(self, tokens: int):
        """(offset, Corpus) pieces of about ``tokens`` tokens, cut between sentences."""
        ends = np.cumsum(self.lengths)  # (S,) one past each sentence's last token
        lo, s0, n = 0, 0, len(self)
        while lo < n:
            s1 = int(np.searchsorted(ends, lo + tokens)) + 1  # sentences s0..s1-1
            s1 = min(max(s1, s0 + 1), len(ends))
            hi = int(ends[s1 - 1])
            if hi > lo:
                yield lo, Corpus.from_lengths(self.ids[lo:hi], self.lengths[s0:s1], s0)
            lo, s0 = hi, s1


def _check_window(window: int) -> None:
    if not isinstance(window, int | np.integer) or window < 1:
        raise ConfigError("window must be a whole number of at least 1")


def subsample(corpus: Corpus, keep_probs: np.ndarray | None, rng: np.random.Generator):
    """Global indices of the tokens that survive subsampling (all if keep_probs is None)."""
    if keep_probs is None:
        return np.arange(len(corpus))  # (N,)
    u = rng.random(len(corpus))  # (N,)
    return np.flatnonzero(u < keep_probs[corpus.ids])  # (N',)


def draw_radii(n: int, window: int, dynamic: bool, rng: np.random.Generator) -> np.ndarray:
    """(n,) the radius b of each of n centre words: ``window``, or (dynamic) a uniform draw
    from 1..window, as word2vec.c (``b = next_random % window``, radius ``window - b``) and
    gensim (``reduced_windows``) do. The same b is used on the left and on the right.
    """
    _check_window(window)
    if dynamic:
        return rng.integers(1, window + 1, size=n)  # (n,) effective window b
    return np.full(n, window)  # (n,)


def context_radii(
    corpus: Corpus,
    kept: np.ndarray,
    window: int,
    dynamic: bool,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """How many context words each kept token has on its left and on its right.

    The radius is ``window`` (or a draw from 1..window), cut at the sentence ends.
    """
    _check_window(window)
    n = len(kept)
    sent = corpus.sentence[kept]  # (N',)
    run_start = np.flatnonzero(np.r_[True, sent[1:] != sent[:-1]])  # (S',) first of each sentence
    run_len = np.diff(np.r_[run_start, n])  # (S',) tokens left in each sentence
    pos = np.arange(n) - np.repeat(run_start, run_len)  # (N',) place in the thinned sentence
    length = np.repeat(run_len, run_len)  # (N',)
    radius = draw_radii(n, window, dynamic, rng)  # (N',)
    left = np.minimum(radius, pos)  # (N',)
    right = np.minimum(radius, length - 1 - pos)  # (N',)
    return left, right


def context_mask(
    corpus, kept, window, dynamic, rng, longest: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(N', 2*W) mask of real context cells, and the offsets of the columns.

    Row i is the kept token kept[i]; column j looks ``offsets[j]`` kept tokens away.
    W is ``window`` cut to the longest sentence (``longest``, default the corpus's: no
    context is further away), so a huge window costs no more memory than one that
    spans every sentence.
    """
    left, right = context_radii(corpus, kept, window, dynamic, rng)  # (N',), (N',)
    longest = corpus.longest_sentence if longest is None else longest
    W = int(min(window, max(longest - 1, 1)))
    offsets = np.r_[np.arange(-W, 0), np.arange(1, W + 1)]  # (2W,)
    mask = (offsets >= -left[:, None]) & (offsets <= right[:, None])  # (N', 2W)
    return mask, offsets


@dataclass(frozen=True)
class SkipGramPairs:
    """Skip-gram examples: predict ``context`` from ``target`` (both word ids)."""

    target: np.ndarray  # (n,) int32 input word (the centre of the window)
    context: np.ndarray  # (n,) int32 word to predict
    token: np.ndarray  # (n,) global index of the target token
    context_token: np.ndarray  # (n,) global index of the context token

    def __len__(self) -> int:
        return len(self.target)


@dataclass(frozen=True)
class CbowExamples:
    """CBOW examples: predict ``target`` from the mean of its ``contexts``."""

    target: np.ndarray  # (n,) int32 word to predict
    contexts: np.ndarray  # (n, 2W) int32 context word ids, -1 where empty (W <= window)
    token: np.ndarray  # (n,) int64 global index of the target token
    context_tokens: np.ndarray  # (n, 2W) int64 global indices of the context tokens, -1 where empty

    def __len__(self) -> int:
        return len(self.target)


def expand_pairs(kept, left, right, ids):
    """Every (target, context) pair of the kept tokens, in reading order.

    kept (N',): global indices of the kept tokens; left/right (N',): context words on
    each side (in kept positions); ids (N,): word id of every token. Returns the pairs'
    (target ids, context ids, target tokens, context tokens), each (n,) int32.
    ``fast.expand_pairs`` is the same function compiled (tested equal).
    """
    n = int(left.sum() + right.sum())
    idx = np.int32 if n < 2**31 else np.int64  # 32-bit indices halve the memory traffic
    left, counts = left.astype(idx), (left + right).astype(idx)  # (N',) pairs of each target
    row = np.repeat(np.arange(len(kept), dtype=idx), counts)  # (n,) target of each pair
    first = np.cumsum(counts, dtype=idx) - counts  # (N',) index of each target's first pair
    k = np.arange(n, dtype=idx)  # (n,)
    k -= np.repeat(first + left, counts)  # (n,) -left..right-1 within each target's pairs
    k += k >= 0  # (n,) the offsets -left..-1, then 1..right (0 is the target itself)
    k += row  # (n,) kept position of the context word
    tok = kept[row]  # (n,) global target index
    del row  # free each (n,) temporary once used: the peak is what limits a big corpus
    ctx_tok = kept[k]  # (n,) global context index
    del k
    return ids[tok], ids[ctx_tok], tok, ctx_tok


def skipgram_pairs(
    corpus: Corpus,
    window: int,
    *,
    dynamic: bool = False,
    keep_probs: np.ndarray | None = None,
    rng: np.random.Generator | None = None,
    window_rng: np.random.Generator | None = None,
    expand=expand_pairs,
) -> SkipGramPairs:
    """All (target, context) pairs of one pass over the corpus, in reading order.

    ``rng`` draws the subsampling, then the dynamic radii unless ``window_rng`` is given.
    ``expand`` turns the kept tokens and their radii into pairs (``expand_pairs``, or its
    compiled twin); the random draws happen here, so both give the same pairs.
    """
    rng = rng if rng is not None else np.random.default_rng(0)
    window_rng = rng if window_rng is None else window_rng
    kept = subsample(corpus, keep_probs, rng).astype(np.int32)  # (N',) int32 halves the traffic
    left, right = context_radii(corpus, kept, window, dynamic, window_rng)  # (N',), (N',)
    target, context, tok, ctx_tok = expand(kept, left, right, corpus.ids)  # 4 x (n,)
    return SkipGramPairs(target=target, context=context, token=tok, context_token=ctx_tok)


def cbow_examples(
    corpus: Corpus,
    window: int,
    *,
    dynamic: bool = False,
    keep_probs: np.ndarray | None = None,
    rng: np.random.Generator | None = None,
    window_rng: np.random.Generator | None = None,
    longest: int | None = None,
) -> CbowExamples:
    """One ([context], target) example for every token that has a context word.

    ``rng`` draws the subsampling, then the dynamic radii unless ``window_rng`` is given;
    ``longest`` (default: this corpus's longest sentence) sets the width 2W of ``contexts``.
    """
    rng = rng if rng is not None else np.random.default_rng(0)
    window_rng = rng if window_rng is None else window_rng
    kept = subsample(corpus, keep_probs, rng)  # (N',)
    mask, offsets = context_mask(
        corpus, kept, window, dynamic, window_rng, longest
    )  # (N', 2W), (2W,)
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
    L = np.asarray(corpus.lengths, dtype=np.int64)  # (S,) sentence lengths
    m = np.minimum(int(window), np.maximum(L - 1, 0))  # (S,) offsets that fit in each sentence
    # each offset o = 1..m gives L - o pairs in each direction
    return int((2 * (m * L - m * (m + 1) // 2)).sum())
