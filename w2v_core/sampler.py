"""Negative sampling: draw k "noise" words per example from P_n(w) ∝ count(w)^alpha.

Mikolov et al. 2013b found alpha = 3/4 better than the unigram (alpha = 1) or
uniform (alpha = 0): it lifts rare words a little. word2vec.c samples from a
100M-entry table, which rounds every probability to a multiple of 1e-8. We use
Walker's alias method instead (Vose 1991): each draw picks a column i uniformly
and keeps i with probability ``accept[i]``, otherwise takes ``alias[i]``. It is
exact up to float rounding and costs O(1) per draw. One uniform u serves both
choices: i = floor(u V), and the fraction u V - i (still ~33 random bits for a
million words) decides between i and its alias.
"""

from dataclasses import dataclass, field

import numpy as np

from .errors import ConfigError

BLOCK_DRAWS = 1 << 15  # draws looked up at once by ``outputs`` (256 kB float64 temporaries)


def alias_table(probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vose's alias table: (accept (V,), alias (V,)) for the distribution ``probs``."""
    V = len(probs)
    scaled = probs * (V / probs.sum())  # (V,) mean 1
    accept = np.ones(V)  # (V,)
    alias = np.arange(V)  # (V,)
    small = [i for i in range(V) if scaled[i] < 1.0]
    large = [i for i in range(V) if scaled[i] >= 1.0]
    while small and large:
        s, g = small.pop(), large.pop()
        accept[s] = scaled[s]  # column s keeps s with this probability ...
        alias[s] = g  # ... and gives the rest to g
        scaled[g] -= 1.0 - scaled[s]
        (small if scaled[g] < 1.0 else large).append(g)
    return accept, alias  # leftovers keep accept = 1 (rounding)


@dataclass(frozen=True)
class NoiseSampler:
    """Draws word ids i.i.d. from ``probs``."""

    probs: np.ndarray  # (V,) the noise distribution
    _accept: np.ndarray = field(init=False, repr=False)  # (V,)
    _alias: np.ndarray = field(init=False, repr=False)  # (V,) int32

    def __post_init__(self) -> None:
        p = np.asarray(self.probs, dtype=np.float64)
        if p.ndim != 1 or len(p) == 0 or not np.isfinite(p).all() or (p < 0).any() or p.sum() <= 0:
            raise ConfigError("the noise distribution must be a non-empty vector of weights >= 0")
        accept, alias = alias_table(p)
        object.__setattr__(self, "probs", p / p.sum())
        object.__setattr__(self, "_accept", accept)
        object.__setattr__(self, "_alias", alias.astype(np.int32))

    @property
    def tables(self) -> tuple[np.ndarray, np.ndarray]:
        """The alias tables (accept (V,) float64, alias (V,) int32), for ``fast.noise_outputs``."""
        return self._accept, self._alias

    def draw(self, rng: np.random.Generator, shape: int | tuple[int, ...]) -> np.ndarray:
        """Word ids of the given shape, i.i.d. from the noise distribution."""
        return self.lookup(rng.random(shape))

    def lookup(self, u: np.ndarray) -> np.ndarray:
        """The word ids that uniforms u in [0, 1) stand for (one uniform per draw)."""
        x = u * len(self.probs)  # uniform in [0, V)
        col = x.astype(np.int32)  # uniform column i
        return np.where(x - col < self._accept[col], col, self._alias[col])

    def outputs(self, truth: np.ndarray, u: np.ndarray) -> np.ndarray:
        """(n, 1+k) int32 output ids of n examples: the true word, then k noise words drawn
        from u (n, k); a noise draw equal to the true word is skipped (-1)."""
        n, k = u.shape
        out = np.empty((n, 1 + k), dtype=np.int32)  # (n, 1+k)
        out[:, 0] = truth
        rows = max(1, BLOCK_DRAWS // max(k, 1))  # examples per block
        for lo in range(0, n, rows):  # cache-sized temporaries: twice as fast as all at once
            negs = self.lookup(u[lo : lo + rows])  # (rows, k)
            negs[negs == truth[lo : lo + rows, None]] = -1  # skip a draw of the true word
            out[lo : lo + rows, 1:] = negs
        return out
