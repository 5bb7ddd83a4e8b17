"""2-D (or 3-D) views of word vectors that stay steady while the vectors change.

* ``pca``: centre the rows and project them on the top principal axes (an SVD),
  returning the share of variance each axis explains.
* ``tsne``: t-SNE (van der Maaten & Hinton 2008) through scikit-learn's
  Barnes-Hut implementation, behind guards (see below).
* ``tsne_step``: the live t-SNE, a bounded number of iterations per tick that
  continue the previous layout (openTSNE's ``TSNEEmbedding.optimize``), and
  ``movement``, how far points moved between two frames (a stability measure).
* ``procrustes_align``: rotate/reflect a new layout onto the previous one
  (orthogonal Procrustes, Schönemann 1966): R = argmin ||X R - Y|| over
  orthogonal R is U V^T from the SVD of X^T Y. PCA axes can flip sign or swap
  from one frame to the next; aligning removes that, so points glide instead of
  jumping.

Guards. Every numeric call into NumPy's LAPACK or scikit-learn goes through
``checked_rows`` first: a 2-D array of finite numbers with at least one row and
one column, else ``W2VError`` with a message for a person. scikit-learn's t-SNE
is the dangerous one: with ``init="pca"`` on rows without variance it divides
by a zero standard deviation, and its Barnes-Hut tree then crashes the whole
process on NaN coordinates (a segmentation fault, every session lost). So
``tsne`` never lets scikit-learn make the start layout: it refuses rows that
are all identical, scales the rows to unit size (float32 extremes then neither
overflow nor vanish), builds the PCA start itself, and adds a tiny seeded
jitter so that no two points start on the same spot and no axis starts flat.
scikit-learn is needed by ``tsne`` only, and imported there: the rest of the
engine stays NumPy and SciPy.
"""

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .errors import W2VError

TSNE_MIN_POINTS = 3  # scikit-learn needs perplexity < n, and perplexity > 1 makes sense
TSNE_MIN_ITER = 250  # scikit-learn's minimum
TSNE_INIT_STD = 1e-4  # standard deviation of the start layout's first axis (as sklearn's)
JITTER = 1e-3  # start-layout jitter, relative to TSNE_INIT_STD


def checked_rows(X, what: str = "the vectors", min_rows: int = 1) -> np.ndarray:
    """X as a float64 (n, d) array after checking it can be projected; raises W2VError.

    Refuses a wrong number of axes, fewer than ``min_rows`` rows, no columns, and
    NaN or infinite values (LAPACK and scikit-learn do not give a message for those).
    """
    try:
        A = np.asarray(X, dtype=np.float64)  # (n, d)
    except (TypeError, ValueError):
        raise W2VError(f"{what} are not an array of numbers") from None
    if A.ndim != 2:
        raise W2VError(f"{what} should be a table of rows (n, d), not shape {A.shape}")
    n, d = A.shape
    if n < min_rows:
        raise W2VError(f"{what} have {n} rows; at least {min_rows} are needed")
    if d < 1:
        raise W2VError(f"{what} have no dimensions")
    if not np.isfinite(A).all():
        row = int(np.argmin(np.isfinite(A).all(axis=1)))
        raise W2VError(f"row {row} of {what} holds NaN or infinite values")
    return A


def centred_unit(A: np.ndarray) -> tuple[np.ndarray, float]:
    """(rows minus their mean, divided by the largest absolute value left; that value).

    The scale is 0 when every row is the same: the first array is then all zeros.
    Dividing keeps float32 extremes (~3e38) from overflowing squares and sums.
    """
    Ac = A - A.mean(axis=0)  # (n, d)
    scale = float(np.abs(Ac).max()) if Ac.size else 0.0
    if scale == 0.0 or not np.isfinite(scale):
        return np.zeros_like(Ac), 0.0
    return Ac / scale, scale  # (n, d) in [-1, 1]


def distinct_rows(A: np.ndarray) -> int:
    """Number of different rows of A (n, d)."""
    return len(np.unique(A, axis=0)) if len(A) else 0


def _svd(A: np.ndarray, what: str):
    """np.linalg.svd (thin) with LAPACK's rare failure turned into a message."""
    try:
        return np.linalg.svd(A, full_matrices=False)
    except np.linalg.LinAlgError:
        raise W2VError(f"the SVD of {what} did not converge") from None


@dataclass(frozen=True)
class PCAResult:
    points: np.ndarray  # (n, k) coordinates
    explained: np.ndarray  # (k,) fraction of the total variance on each axis
    components: np.ndarray  # (k, d) the principal axes


def pca(X: np.ndarray, k: int = 2) -> PCAResult:
    """Project the rows of X (n, d) onto their top-k principal axes.

    Any finite X works: one row, one column, or rows that are all equal give points
    at 0 on the axes that have no variance (and 0 explained). Raises W2VError for
    NaN/inf or a shape that is not (n, d).
    """
    A = checked_rows(X)  # (n, d)
    n, d = A.shape
    k = int(k)
    if k < 1:
        raise W2VError("a projection needs at least one axis")
    Xc, scale = centred_unit(A)  # (n, d) scaled to [-1, 1]
    points = np.zeros((n, k))  # (n, k) missing axes stay 0
    explained = np.zeros(k)
    components = np.zeros((k, d))
    if scale == 0.0:  # no variance at all: every point at the origin
        return PCAResult(points, explained, components)
    U, S, Vt = _svd(Xc, "the vectors")  # (n, r), (r,), (r, d)
    k_eff = min(k, len(S))
    points[:, :k_eff] = U[:, :k_eff] * S[:k_eff] * scale
    total = (S**2).sum()
    if total > 0:
        explained[:k_eff] = S[:k_eff] ** 2 / total
    components[:k_eff] = Vt[:k_eff]
    return PCAResult(points, explained, components)


def clamp_perplexity(perplexity: float, n_points: int) -> float:
    """The largest usable perplexity for n points: scikit-learn needs perplexity < n."""
    return float(min(max(float(perplexity), 1.0), n_points - 1))


def tsne_start(A: np.ndarray, dims: int, seed: int, init: np.ndarray | None = None) -> np.ndarray:
    """The start layout (n, dims): ``init`` if given (else PCA of A), scaled so its first
    axis has standard deviation TSNE_INIT_STD, plus a tiny seeded jitter.

    scikit-learn's own PCA start divides by that standard deviation even when it is 0;
    here a flat or non-finite start falls back to the jitter alone (a random start).
    """
    n = len(A)
    Y = pca(A, dims).points if init is None else np.asarray(init, dtype=np.float64)  # (n, dims)
    if Y.shape != (n, dims) or not np.isfinite(Y).all():
        Y = np.zeros((n, dims))
    Y = Y - Y.mean(axis=0)  # (n, dims)
    sd = float(Y[:, 0].std())
    Y = Y / sd * TSNE_INIT_STD if sd > 0 and np.isfinite(sd) else np.zeros_like(Y)
    rng = np.random.default_rng(seed)
    return Y + rng.normal(scale=TSNE_INIT_STD * JITTER, size=Y.shape)  # (n, dims)


def tsne(
    X: np.ndarray,
    dims: int = 2,
    perplexity: float = 30.0,
    max_iter: int = 500,
    seed: int = 0,
    init: np.ndarray | None = None,
) -> np.ndarray:
    """t-SNE layout (n, dims) of the rows of X (n, d), safe on any input.

    ``init`` (n, dims) warm-starts from an earlier layout (its shape and scale do not
    matter); otherwise the start is the PCA of X. Perplexity is lowered to n - 1 when
    needed (``clamp_perplexity``). Raises W2VError, never crashes, for: fewer than
    TSNE_MIN_POINTS rows, NaN/inf, no columns, rows that are all identical, dims not
    2 or 3.
    """
    from sklearn.manifold import TSNE  # imported on first use: slow to import

    A = checked_rows(X, min_rows=TSNE_MIN_POINTS)  # (n, d)
    if dims not in (2, 3):
        raise W2VError("t-SNE lays points out in 2 or 3 dimensions")
    Xs, scale = centred_unit(A)  # (n, d) in [-1, 1]
    if scale == 0.0 or distinct_rows(Xs) < 2:
        raise W2VError(
            f"all {len(A)} vectors are identical, so t-SNE has nothing to lay out "
            "(train the model a little more, or choose other rows)"
        )
    start = tsne_start(Xs, dims, seed, init)  # (n, dims)
    points = TSNE(
        n_components=dims,
        perplexity=clamp_perplexity(perplexity, len(A)),
        init=start,
        random_state=seed,
        max_iter=max(TSNE_MIN_ITER, int(max_iter)),
        learning_rate="auto",
    ).fit_transform(Xs)  # (n, dims)
    if not np.isfinite(points).all():  # never seen; a layout of NaN would break the figure
        raise W2VError("t-SNE did not produce a finite layout; try another perplexity")
    return np.asarray(points, dtype=np.float64)


def procrustes_align(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """X (n, k) rotated/reflected about its centroid to best match Y (n, k).

    X is returned unchanged when the two layouts cannot be matched (other shapes,
    NaN/inf, or an SVD that does not converge).
    """
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    if X.shape != Y.shape or X.ndim != 2 or not (np.isfinite(X).all() and np.isfinite(Y).all()):
        return X
    mx, my = X.mean(axis=0), Y.mean(axis=0)  # (k,), (k,)
    try:
        U, _, Vt = np.linalg.svd((X - mx).T @ (Y - my))  # (k, k) each
    except np.linalg.LinAlgError:
        return X
    R = U @ Vt  # (k, k) orthogonal
    return (X - mx) @ R + my  # (n, k)


def residual(X: np.ndarray, Y: np.ndarray) -> float:
    """Root-mean-square distance between matching rows of two layouts."""
    return float(np.sqrt(((X - Y) ** 2).sum(axis=1).mean()))


# ---- t-SNE that keeps up with training: a few warm-started iterations per tick ---------
#
# scikit-learn's TSNE always restarts (early exaggeration, a fresh optimiser) from its
# ``init``; openTSNE (Poličar et al. 2024) keeps the embedding as an object whose
# ``optimize`` continues gradient descent from where it stopped. Each tick recomputes the
# affinities P of the current vectors (exact neighbours: n <= a few hundred) and runs a
# bounded number of iterations from the previous layout, so points glide as the model learns.

TSNE_LIVE_MIN_POINTS = 5  # fewer words: nothing to cluster, the caller shows PCA
TSNE_FIRST_ITER = 150  # the first frame: early exaggeration (12) then as many plain iterations
TSNE_TICK_ITER = 30  # later frames: plain iterations from the previous layout
TSNE_EXAGGERATION = 12.0  # van der Maaten & Hinton 2008: early exaggeration of P


def live_perplexity(perplexity: float, n_points: int) -> float:
    """The perplexity used for n points: openTSNE needs about 3·perplexity neighbours,
    so it is lowered to (n - 1) / 3 when there are few points (never below 1)."""
    return float(max(1.0, min(float(perplexity), (n_points - 1) / 3)))


def perplexity_affinities(X: np.ndarray, perplexity: float):
    """t-SNE's input affinities P (n, n), sparse, symmetric, summing to 1.

    X (n, d): the points x_i. For each i, p_{j|i} ∝ exp(-β_i ||x_i - x_j||²) over its
    k = 3·perplexity nearest neighbours, with β_i found by bisection so that the entropy
    of p_{.|i} is log(perplexity) (van der Maaten & Hinton 2008); P = (P_cond + P_condᵀ)
    / sum. The same P as openTSNE's exact ``PerplexityBasedNN``, in a few vectorised NumPy
    passes (faster at the few hundred points of a live page).
    """
    n = len(X)
    k = min(n - 1, max(1, int(3 * perplexity)))
    sq = (X**2).sum(axis=1)  # (n,)
    D = np.maximum(sq[:, None] + sq[None, :] - 2 * X @ X.T, 0.0)  # (n, n) squared distances
    np.fill_diagonal(D, np.inf)
    idx = np.argpartition(D, k - 1, axis=1)[:, :k]  # (n, k) the k nearest neighbours
    d = np.take_along_axis(D, idx, axis=1)  # (n, k)
    d = d - d.min(axis=1, keepdims=True)  # (n, k) shifted: exp() never underflows to all 0
    lo, hi, beta = np.full(n, 0.0), np.full(n, np.inf), np.ones(n)  # (n,) each
    for _ in range(60):  # bisection on β_i: the entropy H_i falls as β_i grows
        W = np.exp(-d * beta[:, None])  # (n, k)
        S = W.sum(axis=1)  # (n,)
        H = np.log(S) + beta * (W * d).sum(axis=1) / S  # (n,) entropy in nats
        flat = H > np.log(perplexity)  # too many neighbours count: sharpen
        lo, hi = np.where(flat, beta, lo), np.where(flat, hi, beta)
        beta = np.where(np.isinf(hi), beta * 2, (lo + hi) / 2)
    W = np.exp(-d * beta[:, None])  # (n, k)
    cond = W / W.sum(axis=1, keepdims=True)  # (n, k) p_{j|i}
    P = sparse.csr_matrix((cond.ravel(), idx.ravel(), np.arange(0, n * k + 1, k)), shape=(n, n))
    P = P + P.T  # (n, n) symmetric
    return P / P.sum()


def tsne_step(
    X: np.ndarray,
    prev: np.ndarray | None = None,
    perplexity: float = 10.0,
    n_iter: int = TSNE_TICK_ITER,
    seed: int = 0,
) -> np.ndarray:
    """One live t-SNE update (n, 2) of the rows of X (n, d), continuing ``prev`` (n, 2).

    X (n, d): the word vectors v_w now; prev (n, 2): the last layout y_w (None or another
    shape: a fresh start from the PCA of X with early exaggeration). Runs ``n_iter``
    gradient steps of KL(P || Q) with P from X at ``live_perplexity``. Raises W2VError for
    fewer than TSNE_LIVE_MIN_POINTS rows, NaN/inf, or rows that are all identical.
    """
    from openTSNE import TSNEEmbedding, affinity  # imported on first use

    A = checked_rows(X, min_rows=TSNE_LIVE_MIN_POINTS)  # (n, d)
    n = len(A)
    Xs, scale = centred_unit(A)  # (n, d) in [-1, 1]
    if scale == 0.0 or distinct_rows(Xs) < 2:
        raise W2VError(f"all {n} vectors are identical, so t-SNE has nothing to lay out")
    P = affinity.Affinities()  # openTSNE's container for P
    P.P = perplexity_affinities(Xs, live_perplexity(perplexity, n))  # (n, n) sparse
    warm = prev is not None and np.shape(prev) == (n, 2) and np.isfinite(prev).all()
    start = np.asarray(prev, dtype=np.float64) if warm else tsne_start(Xs, 2, seed)  # (n, 2)
    emb = TSNEEmbedding(start, P, negative_gradient_method="bh", n_jobs=1, random_state=seed,
                        verbose=False)  # fmt: skip
    if not warm:  # the first frame: let the clusters form apart, then relax
        emb = emb.optimize(TSNE_FIRST_ITER, exaggeration=TSNE_EXAGGERATION, momentum=0.5)
    emb = emb.optimize(max(1, int(n_iter)), exaggeration=1.0, momentum=0.8)
    Y = np.asarray(emb, dtype=np.float64)  # (n, 2)
    if not np.isfinite(Y).all():
        raise W2VError("t-SNE did not produce a finite layout; try another perplexity")
    return Y


def movement(prev: np.ndarray, new: np.ndarray) -> float:
    """Mean distance a point moved between two aligned layouts (n, 2), in units of the new
    layout's RMS radius, so PCA and t-SNE read alike: near 0 once training has converged.

    nan when the layouts do not match or the new one has no spread.
    """
    prev, new = np.asarray(prev, dtype=np.float64), np.asarray(new, dtype=np.float64)
    if prev.shape != new.shape or prev.size == 0:
        return float("nan")
    radius = float(np.sqrt(((new - new.mean(axis=0)) ** 2).sum(axis=1).mean()))  # RMS radius
    if radius == 0.0 or not np.isfinite(radius):
        return float("nan")
    return float(np.sqrt(((new - prev) ** 2).sum(axis=1)).mean() / radius)
