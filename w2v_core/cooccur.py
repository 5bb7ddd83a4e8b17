"""Counting instead of predicting: co-occurrence, PPMI and SVD word vectors.

``cooccurrence`` counts, for every pair of words, how often one appears within
``window`` tokens of the other in the same sentence: a symmetric V×V matrix,
optionally weighting a pair at distance k by 1/k (as GloVe does). It is stored
as ``scipy.sparse`` (most pairs never meet); call ``.toarray()`` only for small V.

With a static window and no subsampling, C[i, j] equals the number of skip-gram
(target=i, context=j) pairs: counting is what skip-gram sees, all at once.

PPMI(i, j) = max(0, log P(i, j) / (P(i) P(j))) turns counts into association
strengths; a truncated SVD of it, U_k S_k^p, gives dense "count-based" vectors
(Levy, Goldberg & Dagan 2015 "Improving Distributional Similarity with Lessons
Learned from Word Embeddings"). Levy & Goldberg 2014 ("Neural Word Embedding as
Implicit Matrix Factorization") showed that skip-gram with k negatives reaches
its optimum when v_i·u_j = PMI(i, j) - log k: the two families are close kin.
"""

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import ArpackError, svds

from .errors import ConfigError, W2VError
from .pairs import Corpus


def cooccurrence(corpus: Corpus, V: int, window: int, weighting: str = "count") -> sparse.csr_array:
    """Symmetric (V, V) co-occurrence counts within ``window`` tokens in a sentence.

    weighting: "count" adds 1 per pair, "harmonic" adds 1/distance.
    """
    if not isinstance(window, int | np.integer) or window < 1:
        raise ConfigError("window must be a whole number of at least 1")
    if weighting not in ("count", "harmonic"):
        raise ConfigError("weighting must be 'count' or 'harmonic'")
    ids, sent = corpus.ids, corpus.sentence
    if len(ids) and int(ids.max()) >= V:
        raise ConfigError(f"the corpus holds word id {int(ids.max())} but V is only {V}")
    rows, cols, vals = [], [], []
    # no pair is further apart than the longest sentence: a huge window costs nothing more
    longest = corpus.longest_sentence if len(ids) else 0
    for k in range(1, min(window, longest - 1) + 1):
        same = sent[:-k] == sent[k:]  # (N-k,) token i and token i+k share a sentence
        a, b = ids[:-k][same], ids[k:][same]
        w = np.full(len(a), 1.0 if weighting == "count" else 1.0 / k)
        rows += [a, b]  # both directions: symmetric
        cols += [b, a]
        vals += [w, w]
    if not rows:
        return sparse.csr_array((V, V))
    C = sparse.coo_array(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(V, V)
    )
    return C.tocsr()  # duplicates summed


def ppmi(C, cds: float = 1.0) -> sparse.csr_array:
    """Positive PMI of a co-occurrence matrix (sparse in, sparse out).

    cds: context-distribution smoothing exponent (Levy et al. 2015 use 0.75; 1 = plain).
    """
    C = sparse.csr_array(C, dtype=np.float64)
    total = C.sum()
    if total == 0:
        return C
    row = np.asarray(C.sum(axis=1)).ravel()  # (V,) counts of i as a word
    col = np.asarray(C.sum(axis=0)).ravel() ** cds  # (V,) smoothed counts as a context
    coo = C.tocoo()
    p_ij = coo.data / total
    p_i = row[coo.row] / total
    p_j = col[coo.col] / col.sum()
    pmi = np.log(p_ij / (p_i * p_j))  # defined only where C > 0
    keep = pmi > 0
    V = C.shape[0]
    out = sparse.coo_array((pmi[keep], (coo.row[keep], coo.col[keep])), shape=(V, V))
    return out.tocsr()


def svd_embeddings(M, dim: int, power: float = 0.5, seed: int = 0) -> np.ndarray:
    """Rows of U_k S_k^power from a truncated SVD of M (V, V): count-based word vectors.

    Guarded like ``projection``: NaN/inf or a matrix that is not (V, V) with V >= 1
    raises ConfigError; an all-zero matrix gives zero vectors (ARPACK cannot start on
    it); an SVD that does not converge raises W2VError instead of a LAPACK error.
    """
    if dim < 1:
        raise ConfigError("dim must be at least 1")
    if len(M.shape) != 2 or M.shape[0] != M.shape[1] or M.shape[0] < 1:
        raise ConfigError(f"the matrix to factorise should be square (V, V), not {M.shape}")
    V = M.shape[0]
    values = M.data if sparse.issparse(M) else np.asarray(M)
    if not np.isfinite(values).all():
        raise ConfigError("the matrix to factorise holds NaN or infinite values")
    k = min(dim, V - 1) if V > 1 else 1
    if not np.any(values):  # nothing counted: every vector is 0
        return np.zeros((V, k))  # (V, k)
    try:
        if V <= 2_000 or k >= V - 1:
            dense = M.toarray() if sparse.issparse(M) else np.asarray(M)  # (V, V)
            U, S, _ = np.linalg.svd(dense, full_matrices=False)  # (V, V), (V,)
            U, S = U[:, :k], S[:k]
        else:
            v0 = np.random.default_rng(seed).random(V)  # fixed start vector: deterministic
            U, S, _ = svds(sparse.csr_array(M, dtype=np.float64), k=k, v0=v0)  # ascending
            order = np.argsort(S)[::-1]
            U, S = U[:, order], S[order]
    except (np.linalg.LinAlgError, ArpackError) as e:
        raise W2VError(f"the SVD of the counts did not converge ({e})") from None
    # fix each component's sign so results do not flip between runs
    signs = np.sign(U[np.abs(U).argmax(axis=0), np.arange(U.shape[1])])  # (k,)
    signs[signs == 0] = 1
    return (U * signs) * np.maximum(S, 0) ** power  # (V, k)
