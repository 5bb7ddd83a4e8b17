"""Skip-gram with negative sampling as implicit factorisation of a shifted PMI matrix.

Levy & Goldberg 2014, "Neural Word Embedding as Implicit Matrix Factorization":
over a corpus, skip-gram with k negatives (SGNS) maximises, for every word w and
context word c,

    #(w, c) · log σ(v_w·u_c)  +  k · #(w) · P_n(c) · log σ(−v_w·u_c)

where #(w, c) = C[w, c] is how often c is a context of w, #(w) = Σ_c C[w, c] the
number of pairs with w as target, and P_n the noise distribution. Setting the
derivative with respect to x = v_w·u_c to zero gives, for every pair that occurs,

    v_w·u_c = log( #(w, c) / (#(w) · P_n(c)) ) − log k = PMI_α(w, c) − log k.

With the unigram noise P_n(c) = #(c) / |D| this is exactly PMI(w, c) − log k
(|D| = Σ C, the number of pairs). With noise ∝ count^α, P_n(c) is the smoothed
context distribution P_α(c) = #(c)^α / Σ_c' #(c')^α (Levy, Goldberg & Dagan 2015
call it context-distribution smoothing). Pairs that never occur have no finite
optimum (their score is pushed towards −∞), so only the non-zero cells of C are
compared here, kept sparse: nothing of size V × V is ever built.

In our engine skip-gram predicts the context word from the centre word, so the
score of (w, c) is v_w·u_c = W_in[w]·W_out[c]. The identity holds at the optimum
of an unconstrained model; with d much smaller than V the vectors can only reach
a low-rank, count-weighted approximation of it, so the fit is a correlation, not
an equality.
"""

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .errors import ConfigError, W2VError

CHUNK = 1 << 16  # pairs whose dot products are computed at once (bounds memory)


@dataclass(frozen=True)
class ShiftedPMI:
    """The SGNS optimum for the co-occurring pairs (w, c), most frequent pairs first."""

    rows: np.ndarray  # (n,) word ids w (target, the row of W_in)
    cols: np.ndarray  # (n,) word ids c (context, the row of W_out)
    counts: np.ndarray  # (n,) C[w, c] > 0
    pmi: np.ndarray  # (n,) PMI_α(w, c) = log(C[w, c] / (#(w) P_n(c)))
    target: np.ndarray  # (n,) PMI_α(w, c) − log k, the optimal v_w·u_c
    k: int  # negatives per example
    n_total: int  # all co-occurring pairs (non-zero cells of C) before any limit

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class PMIFit:
    """How close a model's scores W_in[w]·W_out[c] are to PMI − log k on those pairs."""

    dots: np.ndarray  # (n,) v_w·u_c = W_in[w]·W_out[c]
    corr: float  # Pearson correlation of dots and target; nan when either is constant
    rms: float  # root mean square of (dots − target)


def shifted_pmi(
    C,
    k: int,
    noise_alpha: float = 1.0,
    noise: np.ndarray | None = None,
    max_pairs: int | None = None,
) -> ShiftedPMI:
    """PMI_α(w, c) − log k for every pair with C[w, c] > 0 (sparse in, vectors out).

    C: (V, V) co-occurrence counts, C[w, c] = #(w, c) (``cooccurrence``), dense or sparse.
    k: the number of negatives. noise_alpha: α of P_n(c) ∝ #(c)^α when ``noise`` is None,
    with #(c) the column sums of C. noise: (V,) the noise distribution itself (e.g. the
    trainer's ``vocab_.noise_probs(α)``, built from token counts), overriding noise_alpha.
    max_pairs: keep only the most frequent pairs (largest C[w, c]; ties by w, then c).
    """
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise ConfigError("k, the number of negatives, must be a whole number >= 1")
    if not np.isfinite(noise_alpha) or noise_alpha < 0:
        raise ConfigError("the noise exponent must be a finite number >= 0")
    if max_pairs is not None and max_pairs < 1:
        raise ConfigError("max_pairs must be at least 1")
    C = sparse.csr_array(C, dtype=np.float64)
    V = C.shape[0]
    if C.ndim != 2 or C.shape[1] != V:
        raise ConfigError(f"C must be a square V × V matrix, not {C.shape}")
    coo = C.tocoo()
    keep = coo.data > 0
    rows = coo.row[keep].astype(np.int64)  # (n,)
    cols = coo.col[keep].astype(np.int64)  # (n,)
    counts = coo.data[keep]  # (n,)
    n_total = len(counts)
    order = np.lexsort((cols, rows, -counts))  # most frequent first, then by ids
    if max_pairs is not None:
        order = order[:max_pairs]
    rows, cols, counts = rows[order], cols[order], counts[order]  # (n,) each
    n_w = np.asarray(C.sum(axis=1)).ravel()  # (V,) #(w), pairs with w as target
    if noise is None:
        col = np.asarray(C.sum(axis=0)).ravel()  # (V,) #(c), pairs with c as context
        p = (col / max(col.max(), 1e-300)) ** noise_alpha  # (V,) ∝ #(c)^α, cannot overflow
        p_n = p / p.sum() if p.sum() > 0 else p  # (V,) P_α(c)
    else:
        p_n = np.asarray(noise, dtype=np.float64)  # (V,)
        if p_n.shape != (V,) or not np.isfinite(p_n).all() or (p_n < 0).any():
            raise ConfigError(f"noise must be {V} probabilities >= 0")
        p_n = p_n / p_n.sum()  # (V,)
    with np.errstate(divide="ignore"):
        pmi = np.log(counts) - np.log(n_w[rows]) - np.log(p_n[cols])  # (n,)
    if not np.isfinite(pmi).all():
        raise ConfigError("the noise distribution gives probability 0 to a context word")
    return ShiftedPMI(rows, cols, counts, pmi, pmi - np.log(k), int(k), n_total)


def pair_scores(
    W_in: np.ndarray, W_out: np.ndarray, rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
    """v_w·u_c = W_in[w]·W_out[c] for each pair (w, c); (n,). Computed in chunks."""
    W_in, W_out = np.asarray(W_in), np.asarray(W_out)  # (V, d), (V, d)
    if W_in.ndim != 2 or W_in.shape != W_out.shape:
        raise W2VError(
            f"W_in {W_in.shape} and W_out {W_out.shape} must both be V × d for word-word scores"
        )
    rows, cols = np.asarray(rows), np.asarray(cols)  # (n,), (n,)
    if len(rows) and max(int(rows.max()), int(cols.max())) >= len(W_in):
        raise W2VError("a pair refers to a word outside these vectors")
    out = np.empty(len(rows), dtype=np.float64)  # (n,)
    for lo in range(0, len(rows), CHUNK):
        a = W_in[rows[lo : lo + CHUNK]].astype(np.float64)  # (m, d) v_w
        b = W_out[cols[lo : lo + CHUNK]].astype(np.float64)  # (m, d) u_c
        out[lo : lo + CHUNK] = np.einsum("ij,ij->i", a, b)  # (m,)
    return out


def correlation(x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> float:
    """Pearson correlation of x and y (optionally weighted); nan if either is constant."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)  # (n,), (n,)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=np.float64)  # (n,)
    if len(x) < 2 or w.sum() <= 0:
        return float("nan")
    w = w / w.sum()
    dx, dy = x - w @ x, y - w @ y  # (n,), (n,)
    sx, sy = np.sqrt(w @ dx**2), np.sqrt(w @ dy**2)
    scale = max(np.abs(x).max(), np.abs(y).max(), 1e-300)
    if sx <= 1e-12 * scale or sy <= 1e-12 * scale:  # a constant side: undefined
        return float("nan")
    return float(np.clip((w @ (dx * dy)) / (sx * sy), -1.0, 1.0))


def fit(target: ShiftedPMI, W_in: np.ndarray, W_out: np.ndarray, weighted: bool = False) -> PMIFit:
    """Compare the model's scores with PMI − log k on the pairs of ``target``.

    W_in: (V, d) the input vectors v_w (= E); W_out: (V, d) the output vectors u_c.
    weighted: weight each pair by its count C[w, c], as the SGNS objective does.
    The correlation is nan (undefined) when all scores are equal, e.g. at
    initialisation, where W_out = 0 makes every v_w·u_c = 0.
    """
    dots = pair_scores(W_in, W_out, target.rows, target.cols)  # (n,)
    w = target.counts if weighted else None
    gap = dots - target.target  # (n,)
    if len(gap) == 0:
        rms = float("nan")
    else:
        ww = np.ones_like(gap) if w is None else w / w.sum() * len(gap)  # (n,)
        rms = float(np.sqrt(np.mean(ww * gap**2)))
    return PMIFit(dots, correlation(dots, target.target, w), rms)
