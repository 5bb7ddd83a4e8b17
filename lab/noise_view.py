"""Pure helpers for page 4 (negative sampling). No Streamlit here.

The noise distribution and the draws come from ``w2v_core`` (``Vocab.noise_probs``,
``NoiseSampler``); these functions find a word's true contexts, compare many draws
with the distribution they come from, and count the cost of the two output layers.
"""

from dataclasses import dataclass

import numpy as np
from scipy import stats

from w2v_core.pairs import Corpus

SAME, TRUE_CONTEXT, NOISE = "same", "true", "noise"  # what a drawn negative turns out to be


def true_contexts(corpus: Corpus, target: int, window: int) -> tuple[np.ndarray, np.ndarray]:
    """(ids, counts): the words that occur within ``window`` of ``target`` somewhere in the
    corpus (static window, no subsampling), i.e. the contexts of its skip-gram pairs, by
    descending count (ties: smaller id first). Vectorized over the target's occurrences only.
    """
    at = np.flatnonzero(corpus.ids == target)  # (m,) global positions of the target
    if len(at) == 0 or window < 1:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    offsets = np.r_[np.arange(-window, 0), np.arange(1, window + 1)]  # (2W,)
    cand = at[:, None] + offsets[None, :]  # (m, 2W)
    inside = (cand >= 0) & (cand < len(corpus))
    cand = np.clip(cand, 0, len(corpus) - 1)
    same_sentence = corpus.sentence[cand] == corpus.sentence[at][:, None]
    ctx = corpus.ids[cand[inside & same_sentence]]  # (n,) context ids of every pair
    ids, counts = np.unique(ctx, return_counts=True)
    order = np.lexsort((ids, -counts))
    return ids[order].astype(np.int64), counts[order].astype(np.int64)


def label_negatives(negs: np.ndarray, truth: int, true_ctx: np.ndarray) -> list[str]:
    """For each drawn id: SAME (the word to predict: the trainer skips it), TRUE_CONTEXT
    (a real context of the input word elsewhere in the corpus), or NOISE."""
    ctx = set(int(i) for i in true_ctx)
    return [
        SAME if int(n) == truth else TRUE_CONTEXT if int(n) in ctx else NOISE
        for n in np.asarray(negs)
    ]


@dataclass(frozen=True)
class DrawCheck:
    """Many draws compared with the distribution they were drawn from."""

    counts: np.ndarray  # (V,) how often each word id was drawn
    n: int  # number of draws
    tv: float  # total variation distance between draw shares and probs
    chi2: float  # Pearson's chi-square on the binned counts
    dof: int  # degrees of freedom (bins - 1)
    p_value: float  # P(chi-square this large | the draws follow probs)
    n_bins: int  # bins used: words expected >= 5 times each, the rest merged into one


def check_draws(draws: np.ndarray, probs: np.ndarray, min_expected: float = 5.0) -> DrawCheck:
    """Total variation distance over all words, and a chi-square goodness-of-fit test where
    words expected fewer than ``min_expected`` times share one bin (the usual validity rule).
    """
    probs = np.asarray(probs, dtype=np.float64)
    probs = probs / probs.sum()
    draws = np.asarray(draws).ravel()
    n = len(draws)
    counts = np.bincount(draws, minlength=len(probs))  # (V,)
    tv = 0.5 * float(np.abs(counts / max(n, 1) - probs).sum())
    expected = probs * n  # (V,)
    big = expected >= min_expected
    obs_b = counts[big].astype(np.float64)
    exp_b = expected[big]
    if (~big).any():
        obs_b = np.r_[obs_b, counts[~big].sum()]
        exp_b = np.r_[exp_b, expected[~big].sum()]
    if len(obs_b) < 2 or n == 0:
        return DrawCheck(counts, n, tv, 0.0, 0, 1.0, len(obs_b))
    res = stats.chisquare(obs_b, exp_b)
    return DrawCheck(
        counts, n, tv, float(res.statistic), len(obs_b) - 1, float(res.pvalue), len(obs_b)
    )


def top_and_rest(values: np.ndarray, n: int) -> tuple[np.ndarray, float]:
    """The first ``n`` entries (words are sorted by count, so the top-n words) and the sum
    of the others (0 when there are none)."""
    values = np.asarray(values, dtype=np.float64)
    return values[:n].copy(), float(values[n:].sum())
