"""Comparing runs honestly: the spread over seeds, and whether a difference is inside it.

One run of word2vec is one draw: the initial weights, the windows and the negatives all
come from the seed, so two settings can only be told apart when the difference of their
mean scores is larger than what changing the seed alone does (the "seed spread").

* ``spread(xs)`` gives the mean and the sample standard deviation s over seeds
  (``ddof=1``: s = sqrt(sum (x_i - mean)^2 / (n - 1))); with one seed s is unknown (nan).
* ``within_spread(a, b)`` says a difference is not to be trusted when the two ``mean ± s``
  bars overlap: |mean_a - mean_b| <= s_a + s_b.
* ``scores(W, words, categories, analogies)`` measures a run: category@k (share of a
  word's k nearest categorised neighbours in its own category) and analogy accuracy by
  3CosAdd (Mikolov et al. 2013a) and 3CosMul (Levy & Goldberg 2014), and, when the
  user gives word pairs with human similarity scores (WordSim-353 style), Spearman's rank
  correlation between those scores and the cosines cos(v_w1, v_w2), from
  ``w2v_core.analysis``.

Pure NumPy: no Streamlit, no plotting.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .analysis import Judgement, analogy_score, category_score, score_pairs
from .errors import W2VError


@dataclass(frozen=True)
class Spread:
    """Mean and sample standard deviation of one quantity over n seeds."""

    mean: float
    sd: float  # nan with one seed: the spread is unknown
    n: int  # seeds that gave a finite value

    def text(self, spec: str = ".3f") -> str:
        """'0.912 ± 0.014' (or '0.912' with one seed, '–' with none)."""
        if self.n == 0:
            return "–"
        if not np.isfinite(self.sd):
            return format(self.mean, spec)
        return f"{self.mean:{spec}} ± {self.sd:{spec}}"


def spread(xs: Sequence[float | None]) -> Spread:
    """Mean and sample standard deviation (ddof=1) of the finite values of ``xs``."""
    a = np.array([x for x in xs if x is not None], dtype=float)  # (n,)
    a = a[np.isfinite(a)]  # (n,) diverged runs left out
    if len(a) == 0:
        return Spread(float("nan"), float("nan"), 0)
    sd = float(a.std(ddof=1)) if len(a) > 1 else float("nan")
    return Spread(float(a.mean()), sd, len(a))


def within_spread(a: Spread, b: Spread) -> bool:
    """True when |mean_a - mean_b| <= s_a + s_b: the seed spread could explain it.

    With an unknown spread (one seed) nothing can be told apart, so this is True too.
    """
    if a.n == 0 or b.n == 0:
        return True
    if not (np.isfinite(a.sd) and np.isfinite(b.sd)):
        return True
    return abs(a.mean - b.mean) <= a.sd + b.sd


def best_beyond_spread(spreads: Sequence[Spread]) -> tuple[int, list[int]] | None:
    """(index of the highest mean, indices whose bars overlap it), or None if none is finite."""
    finite = [i for i, s in enumerate(spreads) if s.n > 0]
    if not finite:
        return None
    top = max(finite, key=lambda i: spreads[i].mean)
    ties = [i for i in finite if i != top and within_spread(spreads[top], spreads[i])]
    return top, ties


def scores(
    W: np.ndarray,
    words: Sequence[str],
    categories: Mapping[str, str],
    analogies: Sequence[Sequence[str]],
    k: int = 5,
    judgements: Sequence[Judgement] = (),
) -> dict[str, float | None]:
    """category@k, analogy accuracy by 3CosAdd and 3CosMul, and the word-pair Spearman
    rho ("wordsim") of one trained W_in (V, d).

    A score is None when the corpus cannot give it (too few categorised words, no
    analogy whose four words are all in ``words``, fewer than 2 judged pairs in it).
    """
    W = np.asarray(W, dtype=np.float64)  # (V, d) float64: huge weights must not overflow
    out: dict[str, float | None] = dict.fromkeys(("category", "analogy_add", "analogy_mul",
                                                  "wordsim"))  # fmt: skip
    rows = [i for i, w in enumerate(words) if w in categories]
    if len(rows) > k:
        out["category"] = category_score(W, list(words), categories, k=k)
    if analogies:
        for key, method in (("analogy_add", "add"), ("analogy_mul", "mul")):
            try:
                out[key] = analogy_score(W, list(words), analogies, method=method)
            except W2VError:  # none of the analogies is in the vocabulary
                out[key] = None
    if judgements:
        try:
            out["wordsim"] = score_pairs(W, list(words), judgements).spearman
        except W2VError:  # fewer than 2 pairs with both words in the vocabulary
            out["wordsim"] = None
    return out
