"""Pure helpers of the "Count vs predict" page. No Streamlit here.

Two routes to word vectors on one corpus: counting (PPMI of the co-occurrence
matrix, compressed with an SVD) and predicting (the user's skip-gram model).
Levy & Goldberg 2014 tie them together: skip-gram with k negatives fits
W_in[w]·W_out[c] ≈ PMI_α(w, c) − log k (``w2v_core.shifted_pmi``). Inputs are
never modified; series are immutable tuples of bounded length.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from w2v_core.analysis import nearest
from w2v_core.cooccur import cooccurrence, ppmi, svd_embeddings
from w2v_core.errors import W2VError
from w2v_core.shifted_pmi import ShiftedPMI, fit, shifted_pmi

MAX_FIT_PAIRS = 200_000  # the correlation uses at most this many of the most frequent pairs
MAX_PLOT_PAIRS = 2_000  # points in the scatter: the most frequent pairs
MAX_SVD_WORDS = 1_000  # count-based vectors for the most frequent words (dense SVD)
MAX_SERIES = 200  # (examples seen, correlation) points kept; older ones are thinned
PREFERRED = ("king", "queen", "apple", "dog", "car", "france")


@dataclass(frozen=True)
class CountData:
    """Everything the page needs from the corpus of one trainer (computed once)."""

    target: ShiftedPMI  # PMI − log k on the (at most MAX_FIT_PAIRS) most frequent pairs
    E: np.ndarray  # (m, k) count-based vectors of the m most frequent words
    words: tuple[str, ...]  # the trainer's vocabulary (frequency order)
    window: int  # the window C was counted with
    k: int  # negatives used in the shift
    noise_alpha: float  # exponent of the noise distribution
    nnz_ppmi: int  # non-zero cells of the PPMI block the SVD compressed


def count_data(
    corpus, vocab, window: int, k: int, noise_alpha: float, dim: int, max_words=MAX_SVD_WORDS
) -> CountData:
    """Count once: C for ``window``, the shifted-PMI target, and SVD-of-PPMI vectors.

    The target's noise distribution is the trainer's own, P_n(c) ∝ count(c)^α over
    tokens; PPMI uses the same exponent to smooth its context distribution.
    """
    V = len(vocab)
    C = cooccurrence(corpus, V, window)  # (V, V) sparse
    target = shifted_pmi(
        C, max(int(k), 1), noise=vocab.noise_probs(noise_alpha), max_pairs=MAX_FIT_PAIRS
    )
    m = min(V, max_words)
    P = sparse.csr_array(ppmi(C, cds=noise_alpha))[:m, :m]  # (m, m) marginals of the whole C
    E = svd_embeddings(P, dim=dim)  # (m, min(dim, m-1))
    return CountData(target, E, tuple(vocab.words), int(window), max(int(k), 1),
                     float(noise_alpha), int(P.count_nonzero()))  # fmt: skip


def head(t: ShiftedPMI, n: int) -> ShiftedPMI:
    """The first (most frequent) n pairs of a target."""
    return ShiftedPMI(t.rows[:n], t.cols[:n], t.counts[:n], t.pmi[:n], t.target[:n], t.k,
                      t.n_total)  # fmt: skip


@dataclass(frozen=True)
class Fit:
    """The model against PMI − log k: all fitted pairs, and the plotted ones."""

    corr: float  # Pearson correlation over the fitted pairs (nan while W_out = 0)
    rms: float  # RMS of W_in[w]·W_out[c] − (PMI − log k) over the fitted pairs
    n_pairs: int  # pairs fitted
    x: np.ndarray  # (n_plot,) PMI − log k of the plotted pairs
    y: np.ndarray  # (n_plot,) W_in[w]·W_out[c] of the plotted pairs
    labels: tuple[str, ...]  # "w → c" of the plotted pairs
    counts: np.ndarray  # (n_plot,) C[w, c] of the plotted pairs


def model_fit(data: CountData, W_in: np.ndarray, W_out: np.ndarray, n_plot=MAX_PLOT_PAIRS) -> Fit:
    """Scores of the model on the co-occurring pairs; raises W2VError if W_out is not per word."""
    f = fit(data.target, W_in, W_out)
    n = min(n_plot, len(data.target))
    t, w = data.target, data.words
    labels = tuple(f"{w[i]} → {w[j]}" for i, j in zip(t.rows[:n], t.cols[:n], strict=True))
    return Fit(f.corr, f.rms, len(t), t.target[:n], f.dots[:n], labels, t.counts[:n])


def default_word(words: Sequence[str], categories: dict, preferred=PREFERRED) -> str:
    """A word worth looking at: a familiar one, else the first categorised, else the 2nd."""
    for w in preferred:
        if w in words:
            return w
    for w in words:
        if w in categories:
            return w
    return words[min(1, len(words) - 1)]


@dataclass(frozen=True)
class Neighbours:
    """A word's nearest neighbours under the two kinds of vectors."""

    count: tuple[tuple[str, float], ...]  # (word, cosine) with SVD-of-PPMI vectors
    predict: tuple[tuple[str, float], ...]  # (word, cosine) with skip-gram W_in
    shared: tuple[str, ...]  # words in both lists, in the count list's order


def neighbours(E: np.ndarray, W: np.ndarray, words: Sequence[str], word: str, k: int):
    """The k nearest neighbours of ``word`` among the m words of E, in E and in W[:m]."""
    m = E.shape[0]
    cand = list(words[:m])
    if word not in cand:
        raise W2VError(f"'{word}' is not among the {m:,} most frequent words compared here.")
    k = max(1, min(int(k), m - 1))
    a = tuple(nearest(E, cand, word, k=k))
    b = tuple(nearest(np.asarray(W)[:m], cand, word, k=k))
    in_b = {x for x, _ in b}
    return Neighbours(a, b, tuple(x for x, _ in a if x in in_b))


def append_point(series: tuple, x: int, y: float, max_len: int = MAX_SERIES) -> tuple:
    """A new series with (x, y) added (a finite y and a new x only); thinned to max_len.

    Thinning keeps every other point (the first and the newest always stay), so
    the whole history stays visible at a coarser resolution.
    """
    if not np.isfinite(y) or (series and series[-1][0] == x):
        return series
    if series and x < series[-1][0]:  # the model went back (a reset): start again
        series = ()
    out = (*series, (int(x), float(y)))
    while len(out) > max_len:
        out = (*out[:-1:2], out[-1])
    return out


def grow(prev: tuple[float, float] | None, lo: float, hi: float, pad: float = 0.05):
    """An axis range holding [lo, hi] (plus padding) that never shrinks below ``prev``."""
    span = max(hi - lo, 1e-6)
    lo, hi = lo - pad * span, hi + pad * span
    if prev is not None:
        lo, hi = min(lo, prev[0]), max(hi, prev[1])
    return float(lo), float(hi)


def scatter_range(prev, x: np.ndarray, y: np.ndarray):
    """One range for both axes of the scatter (so y = x is the diagonal), growing only."""
    vals = np.concatenate([np.asarray(x, float), np.asarray(y, float)])  # (2n,)
    vals = vals[np.isfinite(vals)]
    if len(vals) == 0:
        return prev if prev is not None else (-1.0, 1.0)
    return grow(prev, float(vals.min()), float(vals.max()))


def series_ranges(prev, series: tuple, examples_per_epoch: int):
    """(x range, y range) of the correlation series, growing only; x covers one epoch at least."""
    xs = [p[0] for p in series] or [0]
    ys = [p[1] for p in series] or [0.0]
    x = (0.0, float(max(max(xs) * 1.05, examples_per_epoch, 1)))
    y = (min(0.0, min(ys) - 0.05), 1.0)
    if prev is not None:
        x = (0.0, max(x[1], prev[0][1]))
        y = (min(y[0], prev[1][0]), 1.0)
    return x, y


def identity_note(model: str, loss: str) -> str | None:
    """What differs from skip-gram with negative sampling (None for SGNS)."""
    if model == "skipgram" and loss == "negative":
        return None
    parts = []
    if model == "cbow":
        parts.append(
            "CBOW scores the centre word against the mean of its context words' input "
            "vectors, never one word against one word, so W_in[w]·W_out[c] is not the "
            "quantity it fits."
        )
    if loss == "softmax":
        parts.append(
            "Full softmax has no negatives: at its optimum W_in[w]·W_out[c] = log P(c | w) "
            "plus a constant per word w, which is PMI(w, c) + log P(c) + b_w. Frequent "
            "contexts score higher than PMI says, so the points leave the diagonal."
        )
    elif loss == "hs":
        parts.append(
            "Hierarchical softmax keeps one W_out row per inner node of a Huffman tree, "
            "not per word, so there is no word-word score W_in[w]·W_out[c] at all."
        )
    return " ".join(parts)


# ---- exercises: predict, then reveal ---------------------------------------------------

EX_PAGE = "Count vs predict"


def shift_exercise(data: CountData, seed: int):
    """What is PMI_α(w, c) − log k for one frequent pair? (from its counts)."""
    from lab.escape import md
    from lab.exercises import Exercise, instance_rng

    t = data.target
    if not len(t):
        return None
    i = int(instance_rng(seed, "count.shift").integers(min(30, len(t))))
    w, c = data.words[t.rows[i]], data.words[t.cols[i]]
    expected = float(t.counts[i] / np.exp(t.pmi[i]))  # #(w)·P_n(c): the count if independent
    return Exercise(
        key="count.shift", page=EX_PAGE, kind="number", answer=round(float(t.target[i]), 2),
        tolerance=0.05,
        prompt=f"The pair (**{md(w)}**, **{md(c)}**) occurs #(w, c) = {int(t.counts[i]):,} "
        f"times in windows of {data.window}; if c were drawn from the noise distribution "
        f"independently of w it would occur #(w)·P_n(c) = {expected:.3f} times. With k = "
        f"{data.k} negatives, what is PMI_α(w, c) − log k (natural logarithms, 2 decimals)?",
        explanation=f"PMI_α = log({int(t.counts[i]):,} / {expected:.3f}) = {t.pmi[i]:.3f}, "
        f"minus log {data.k} = {np.log(data.k):.3f}: the score v_w·u_c that skip-gram with "
        "negative sampling moves towards for this pair.",
    )  # fmt: skip


def count_neighbour_exercise(data: CountData, seed: int, categories: dict):
    """Which word is w's nearest neighbour in the SVD-of-PPMI vectors?"""
    from lab.escape import md
    from lab.exercises import Exercise, instance_rng

    m = data.E.shape[0]
    words = list(data.words[:m])
    if m < 3:
        return None
    pool = [w for w in words if w in categories] or words[: min(10, m)]
    word = pool[int(instance_rng(seed, "count.neighbour").integers(len(pool)))]
    try:
        answer = nearest(data.E, words, word, k=1)[0][0]
    except W2VError:
        return None
    return Exercise(
        key="count.neighbour", page=EX_PAGE, kind="word", answer=answer,
        prompt=f"Counting needs no training: which word is **{md(word)}**'s nearest "
        "neighbour (highest cosine) among the SVD-of-PPMI vectors?",
        explanation="The count vectors are fixed once the corpus is counted: the word that "
        "shares the most (reweighted) contexts wins. Compare with skip-gram's list.",
    )  # fmt: skip


def exercises(data: CountData, seed: int, categories: dict) -> list:
    """The page's exercises for these counts (answers from the counts themselves)."""
    found = (shift_exercise(data, seed), count_neighbour_exercise(data, seed, categories))
    return [e for e in found if e is not None]
