"""Pure helpers for page 4 (negative sampling, Mikolov et al. 2013b). No Streamlit here.

The noise distribution and the draws come from ``w2v_core`` (``Vocab.noise_probs``,
``NoiseSampler``); these functions find a word's true contexts, build one example and
its noise draw, compare many draws with the distribution they come from, count the
cost of the two output layers, and pose the page's exercises.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from lab.escape import md
from lab.exercises import Exercise, instance_rng
from lab.model_view import cost_per_example
from w2v_core.pairs import Corpus, pair_count
from w2v_core.sampler import NoiseSampler
from w2v_core.vocab import Vocab

PAGE = "4. Negative sampling"  # the exercises' page name
NOTE = {
    "same": "the word to predict itself: the trainer skips this draw",
    "true": "also a true context of the target (in another pair)",
    "noise": "",
}  # the table's note for each kind of draw

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


# ---- the noise distribution ---------------------------------------------------------------


@dataclass(frozen=True)
class NoiseView:
    """P_n at the page's exponent next to the unigram and the uniform distribution."""

    alpha: float  # the page's exponent
    unigram: np.ndarray  # (V,) alpha = 1
    p: np.ndarray  # (V,) alpha = the page's
    uniform: np.ndarray  # (V,) alpha = 0
    top_n: int  # words drawn in the chart (the most frequent)

    @property
    def name(self) -> str:
        return f"P_n, α = {self.alpha:.2f}"

    def shown(self) -> dict[str, tuple[np.ndarray, float]]:
        """name -> (probabilities of the top words, total of the others)."""
        return {
            "unigram (α = 1)": top_and_rest(self.unigram, self.top_n),
            self.name: top_and_rest(self.p, self.top_n),
            "uniform (α = 0)": top_and_rest(self.uniform, self.top_n),
        }

    @property
    def y_max(self) -> float:
        return 1.15 * max(float(self.unigram.max()), float(self.uniform.max()))

    def rest_text(self) -> str:
        """'unigram 3.1%, P_n 5.0%, uniform 40.0%': the share of the words not drawn."""
        return ", ".join(f"{n.split(' (')[0].split(',')[0]} {r:.1%}" for n, (_, r) in
                         self.shown().items())  # fmt: skip

    def ratios(self) -> dict[str, float]:
        """How the exponent moves the most frequent (id 0) and the rarest word (id V-1)."""
        r = len(self.p) - 1
        return {
            "top_change_points": 100 * (self.p[0] - self.unigram[0]),
            "rare_factor": self.p[r] / self.unigram[r],
            "top_over_rare": self.p[0] / self.p[r],
            "top_over_rare_unigram": self.unigram[0] / self.unigram[r],
        }


def noise_view(vocab: Vocab, alpha: float, top_n: int) -> NoiseView:
    """Raises ConfigError for an exponent the engine refuses."""
    probs = (vocab.noise_probs(a) for a in (1.0, alpha, 0.0))
    return NoiseView(alpha, *probs, top_n=min(top_n, len(vocab)))


def sampler(vocab: Vocab, alpha: float) -> NoiseSampler:
    """The trainer's sampler of P_n (alias tables: O(V) Python steps, cache it)."""
    return NoiseSampler(vocab.noise_probs(alpha))


# ---- one example and its negatives ---------------------------------------------------------


def default_target(corpus: Corpus, vocab: Vocab, categories, most: int) -> int:
    """A word worth looking at: the first categorized word (king, apple...) among the
    ``most`` most frequent, else the first token that is not the most frequent word."""
    ids = np.asarray(corpus.ids[:5000])
    for i in ids:
        if vocab.words[i] in categories and i < most:
            return int(i)
    rest = ids[(ids != 0) & (ids < most)]
    return int(rest[0]) if len(rest) else 0


@dataclass(frozen=True)
class NegativeExample:
    """One skip-gram example (c, o) and the k negatives drawn for it."""

    target: int  # c, the input word
    context: int  # o, the true context word (the word to predict)
    negs: np.ndarray  # (k,) drawn word ids w_1..w_k
    labels: list  # (k,) SAME / TRUE_CONTEXT / NOISE for each draw
    p_true: float  # P(one draw is another true context of c)
    p_same: float  # P(one draw is o itself)
    n_other: int  # true context words of c other than o

    @property
    def used(self) -> int:
        """Negatives the trainer really uses (draws equal to o are skipped)."""
        return len(self.negs) - self.labels.count(SAME)

    def table(self, words, probs: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "i": np.arange(1, len(self.negs) + 1),
                "negative w_i": [words[n] for n in self.negs],
                "id": self.negs.astype(int),
                "P_n(w_i)": probs[self.negs],
                "note": [NOTE[lab] for lab in self.labels],
            }
        )

    def true_among(self, words) -> list[str]:
        """The distinct drawn words that are true contexts of c (raw words, sorted)."""
        pairs = zip(self.negs, self.labels, strict=True)
        return sorted({words[n] for n, lab in pairs if lab == TRUE_CONTEXT})


def negative_example(
    corpus: Corpus, target: int, context: int, window: int, k: int, draw: NoiseSampler, seed
) -> NegativeExample:
    """Draw k negatives for the pair (target, context) with the trainer's sampler."""
    ctx_ids, _ = true_contexts(corpus, target, window)
    negs = draw.draw(np.random.default_rng(seed), k)  # (k,)
    p = draw.probs
    return NegativeExample(
        target=target,
        context=context,
        negs=negs,
        labels=label_negatives(negs, context, ctx_ids),
        p_true=float(p[ctx_ids[ctx_ids != context]].sum()),
        p_same=float(p[context]),
        n_other=int((ctx_ids != context).sum()),
    )


# ---- many draws and the cost ---------------------------------------------------------------


@dataclass(frozen=True)
class ManyDraws:
    labels: list  # bar labels: the top words, then "other N" when some are not drawn
    observed: np.ndarray  # share of the draws per bar
    expected: np.ndarray  # P_n per bar
    check: DrawCheck


def many_draws(draw: NoiseSampler, n: int, seed, words, top_n: int) -> ManyDraws:
    """``n`` draws of the trainer's sampler: shares for the top words (the rest in one bar)
    against the probabilities they are drawn from."""
    probs = draw.probs
    check = check_draws(draw.draw(np.random.default_rng(seed), n), probs)
    obs, obs_rest = top_and_rest(check.counts / max(check.n, 1), top_n)
    exp, exp_rest = top_and_rest(probs, top_n)
    labels = list(words[:top_n])
    if top_n < len(probs):
        labels.append(f"other {len(probs) - top_n:,}")
        obs, exp = np.r_[obs, obs_rest], np.r_[exp, exp_rest]
    return ManyDraws(labels, obs, exp, check)


@dataclass(frozen=True)
class Cost:
    V: int  # vocabulary size
    d: int  # vector length
    k: int  # negatives per example
    pairs: int  # skip-gram pairs in one pass (static window)
    softmax: int  # dot products per example, full softmax (V)
    negative: int  # dot products per example, negative sampling (k + 1)

    @property
    def ratio(self) -> float:
        return self.softmax / self.negative

    @property
    def pass_softmax(self) -> int:
        """Dot products of one skip-gram pass with the full softmax."""
        return self.pairs * self.softmax

    @property
    def pass_negative(self) -> int:
        """Dot products of one skip-gram pass with negative sampling."""
        return self.pairs * self.negative

    @property
    def gap_at_100k(self) -> int:
        """The same ratio for a 100,000-word vocabulary."""
        return 100_000 // self.negative


def cost(corpus: Corpus, V: int, d: int, k: int, window: int) -> Cost:
    c = cost_per_example(V, d, k)
    return Cost(V, d, k, pair_count(corpus, window), c["softmax_dots"], c["negative_dots"])


# ---- exercises -----------------------------------------------------------------------------


def exercises(vocab: Vocab, k: int, alpha: float, seed: int) -> list[Exercise]:
    """The page's exercises, answered from this vocabulary's counts and the sidebar's k, α."""
    V, p = len(vocab), vocab.noise_probs(alpha)
    out = [
        Exercise(
            key="neg.dots",
            page=PAGE,
            kind="number",
            answer=k + 1,
            prompt=f"With k = {k} negatives, how many dot products u·v_c does one skip-gram "
            "example cost in the output layer with negative sampling?",
            explanation=f"One for the true context word and one per negative: k + 1 = {k + 1}, "
            f"against V = {V:,} for the full softmax.",
        ),  # fmt: skip
        Exercise(
            key="neg.top",
            page=PAGE,
            kind="word",
            answer=vocab.words[int(np.argmax(p))],
            prompt=f"Which word of this corpus is the most likely noise word at α = {alpha:g}?",
            explanation="P_n(w) ∝ count(w)^α grows with the count for any α > 0, so it is the "
            f"most frequent word, drawn with probability {p.max():.1%}.",
        ),  # fmt: skip
    ]
    if (p == p.max()).sum() > 1:  # tied counts: no single most likely word to ask for
        out.pop()
    if V >= 3 and alpha > 0:
        rng = instance_rng(seed, "neg.ratio")
        a = 0 if rng.random() < 0.5 else int(rng.integers(1, min(V, 10)))
        b = int(rng.integers(max(V // 2, a + 1), V))
        ratio = float(p[a] / p[b])
        wa, wb = md(vocab.words[a]), md(vocab.words[b])
        ca, cb = int(vocab.counts[a]), int(vocab.counts[b])
        out.append(
            Exercise(
                key="neg.ratio",
                page=PAGE,
                kind="number",
                answer=round(ratio, 2),
                tolerance=max(0.01, 0.01 * ratio),
                prompt=f"'{wa}' occurs {ca} times and '{wb}' {cb} times. How many times more "
                f"often is '{wa}' drawn as a noise word than '{wb}' at α = {alpha:g}? "
                "(two decimals)",
                explanation=f"P_n(a) / P_n(b) = (count(a) / count(b))^α = ({ca}/{cb})^{alpha:g}"
                f" = {ratio:.2f}, flatter than the raw {ca / cb:.2f}.",
            )  # fmt: skip
        )
    return out
