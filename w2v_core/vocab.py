"""Vocabulary: word ids by frequency, counts, one-hot vectors, subsampling and noise.

Ids are given by descending count, so id 0 is the most frequent word, as in
word2vec.c and gensim. Ties are broken here by first appearance in the corpus
(``Counter.most_common`` is stable), which is this app's choice: word2vec.c
sorts with C's ``qsort``, which promises no order among equal counts, and
gensim 4 (``sort_by_descending_frequency``) puts the word seen *later* first
among equal counts. So equally frequent words can get other ids than in
either of them (and with them other random starting rows of W_in).

Two distributions from Mikolov et al. 2013b ("Distributed Representations of
Words and Phrases and their Compositionality"):

* frequent-word subsampling keeps each occurrence of word w with probability
  ``keep(w) = (sqrt(f(w) / (s*T)) + 1) * (s*T) / f(w)`` (capped at 1), where
  f(w) is its count, T the number of tokens and s the ``sample`` setting; this is
  the formula of word2vec.c and gensim;
* the noise distribution for negative sampling is ``P_n(w) ∝ f(w) ** alpha``
  with alpha = 0.75 by default (alpha = 1 is the unigram, 0 is uniform).
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, repeat

import numpy as np

from .errors import ConfigError, CorpusError


@dataclass(frozen=True)
class Vocab:
    """A frozen vocabulary: ``words[i]`` has id i and ``counts[i]`` occurrences."""

    words: tuple[str, ...]  # id -> word, most frequent first
    counts: np.ndarray  # (V,) int64 corpus counts, descending
    dropped: tuple[tuple[str, int], ...] = ()  # (word, count) removed by min_count / max_size

    @cached_property
    def index(self) -> dict[str, int]:
        """word -> id."""
        return {w: i for i, w in enumerate(self.words)}

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.index

    @property
    def n_tokens(self) -> int:
        """Tokens kept in the vocabulary (the T of the subsampling formula)."""
        return int(self.counts.sum())

    def id(self, word: str) -> int:
        try:
            return self.index[word]
        except KeyError:
            raise CorpusError(f"'{word}' is not in the vocabulary") from None

    def encode(self, sentences: Iterable[Sequence[str]]) -> list[np.ndarray]:
        """Sentences of tokens -> arrays of ids; out-of-vocabulary tokens are skipped."""
        sentences = list(sentences)
        lengths = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))  # (S,)
        tokens = chain.from_iterable(sentences)
        n = int(lengths.sum())
        ids = np.fromiter(map(self.index.get, tokens, repeat(-1)), np.int32, count=n)  # (N,)
        known = ids >= 0  # (N,) -1: not in the vocabulary
        kept_before = np.concatenate([[0], np.cumsum(known)])  # (N+1,) known tokens before i
        ends = kept_before[np.cumsum(lengths)]  # (S,) end of each sentence among known tokens
        return np.split(ids[known], ends[:-1]) if len(sentences) else []

    def one_hot(self, word: str) -> np.ndarray:
        """The one-hot column x_w: all zeros but a 1 at the word's id."""
        x = np.zeros(len(self), dtype=np.float64)  # (V,)
        x[self.id(word)] = 1.0
        return x

    def keep_probs(self, sample: float) -> np.ndarray:
        """P(keep one occurrence of word i) under frequent-word subsampling."""
        if not np.isfinite(sample) or sample < 0:
            raise ConfigError("sample must be a finite number >= 0 (0 switches subsampling off)")
        if sample == 0:
            return np.ones(len(self))  # (V,)
        f = self.counts.astype(np.float64)  # (V,)
        threshold = sample * self.n_tokens
        keep = (np.sqrt(f / threshold) + 1.0) * threshold / f  # (V,)
        return np.minimum(keep, 1.0)  # (V,)

    def noise_probs(self, alpha: float = 0.75) -> np.ndarray:
        """P_n(w) ∝ count(w) ** alpha, the distribution negatives are drawn from."""
        if not np.isfinite(alpha) or alpha < 0:
            raise ConfigError("the noise exponent must be a finite number >= 0")
        f = self.counts.astype(np.float64)  # (V,)
        p = (f / f.max()) ** alpha  # (V,) in [0, 1]: a large alpha cannot overflow to inf
        return p / p.sum()  # (V,)


def build_vocab(
    sentences: Iterable[Sequence[str]], min_count: int = 1, max_size: int | None = None
) -> Vocab:
    """Count tokens, drop words seen fewer than ``min_count`` times, keep the top ``max_size``."""
    counter: Counter[str] = Counter()
    for s in sentences:
        counter.update(s)
    return vocab_from_counts(counter, min_count, max_size)


def vocab_from_counts(
    counts: "dict[str, int]", min_count: int = 1, max_size: int | None = None
) -> Vocab:
    """The vocabulary of word counts listed in order of first appearance (a Counter's order).

    Ranked by descending count, ties in first-appearance order (``Counter.most_common``).
    """
    if min_count < 1:
        raise ConfigError("min_count must be at least 1")
    if max_size is not None and max_size < 1:
        raise ConfigError("the maximum vocabulary size must be at least 1")
    if not counts:
        raise CorpusError("The corpus has no words: paste or upload some text first.")
    ranked = Counter(counts).most_common()  # stable: ties keep first-seen order
    kept = [(w, c) for w, c in ranked if c >= min_count]
    if max_size is not None:
        kept = kept[:max_size]
    if not kept:
        top = ranked[0][1]
        raise CorpusError(
            f"min_count={min_count} removes every word (the most frequent word occurs "
            f"{top} time{'s' if top != 1 else ''}); lower min_count."
        )
    kept_words = {w for w, _ in kept}
    dropped = tuple((w, c) for w, c in ranked if w not in kept_words)
    words = tuple(w for w, _ in kept)
    counts = np.array([c for _, c in kept], dtype=np.int64)  # (V,)
    return Vocab(words=words, counts=counts, dropped=dropped)
