"""2-D (or 3-D) views of word vectors that stay steady while the vectors change.

* ``pca``: centre the rows and project them on the top principal axes (an SVD),
  returning the share of variance each axis explains.
* ``procrustes_align``: rotate/reflect a new layout onto the previous one
  (orthogonal Procrustes, Schönemann 1966): R = argmin ||X R - Y|| over
  orthogonal R is U V^T from the SVD of X^T Y. PCA axes can flip sign or swap
  from one frame to the next; aligning removes that, so points glide instead of
  jumping.
"""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PCAResult:
    points: np.ndarray  # (n, k) coordinates
    explained: np.ndarray  # (k,) fraction of the total variance on each axis
    components: np.ndarray  # (k, d) the principal axes


def pca(X: np.ndarray, k: int = 2) -> PCAResult:
    """Project the rows of X (n, d) onto their top-k principal axes."""
    X = np.asarray(X, dtype=np.float64)
    n, d = X.shape
    Xc = X - X.mean(axis=0)  # (n, d)
    U, S, Vt = np.linalg.svd(Xc, full_matrices=False)  # (n, r), (r,), (r, d)
    k_eff = min(k, len(S))
    points = np.zeros((n, k))  # (n, k) missing axes stay 0
    points[:, :k_eff] = U[:, :k_eff] * S[:k_eff]
    total = (S**2).sum()
    explained = np.zeros(k)
    if total > 0:
        explained[:k_eff] = S[:k_eff] ** 2 / total
    components = np.zeros((k, d))
    components[:k_eff] = Vt[:k_eff]
    return PCAResult(points, explained, components)


def procrustes_align(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """X (n, k) rotated/reflected about its centroid to best match Y (n, k)."""
    mx, my = X.mean(axis=0), Y.mean(axis=0)  # (k,), (k,)
    U, _, Vt = np.linalg.svd((X - mx).T @ (Y - my))  # (k, k) each
    R = U @ Vt  # (k, k) orthogonal
    return (X - mx) @ R + my  # (n, k)


def residual(X: np.ndarray, Y: np.ndarray) -> float:
    """Root-mean-square distance between matching rows of two layouts."""
    return float(np.sqrt(((X - Y) ** 2).sum(axis=1).mean()))
