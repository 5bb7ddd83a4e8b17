"""Small pure helpers for page 2 (co-occurrence). No Streamlit here.

Word ids are frequency-ordered, so "the top-n words" are simply ids 0..n-1 and
their block of a V×V matrix is ``M[:n, :n]``. Inputs are never modified.
Counts, PPMI and the SVD of PPMI follow Levy, Goldberg & Dagan (2015); skip-gram
with negative sampling implicitly factorises a shifted PMI (Levy & Goldberg 2014).
The small examples are the classic ones: "I like deep learning. I like NLP. I enjoy
flying." (Stanford CS224n, window 1, with "." counted as a word) and "I love NLP and
I like dogs" (the seed article's matrix).
"""

import re
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from w2v_core.analysis import unit_rows
from w2v_core.cooccur import cooccurrence, ppmi, svd_embeddings
from w2v_core.errors import ConfigError
from w2v_core.pairs import Corpus, skipgram_pairs
from w2v_core.tokenize import split_sentences, tokenize_line

FLOAT_BYTES = 8  # a dense float64 cell
CSR_BYTES_PER_NONZERO = 8 + 4  # float64 value + int32 column index
FRACTIONS = tuple(np.round(np.arange(1, 11) / 10, 1))  # 10%, 20%, ... 100% of the sentences


def top_block(M, n: int) -> np.ndarray:
    """The dense (n, n) block of the n most frequent words (ids 0..n-1)."""
    n = min(int(n), M.shape[0])
    return sparse.csr_array(M)[:n, :n].toarray()  # (n, n)


def sparsity(M) -> dict:
    """Non-zeros of a V×V matrix against its V² cells."""
    V = M.shape[0]
    nnz = int(sparse.csr_array(M).count_nonzero())
    cells = V * V
    return {"V": V, "cells": cells, "nonzero": nnz, "zero_share": 1 - nnz / cells if cells else 0}


def memory(V: int, nnz: int) -> dict:
    """Bytes to store a V×V float64 matrix densely, and as CSR (values, columns, row starts)."""
    return {
        "dense": V * V * FLOAT_BYTES,
        "sparse": nnz * CSR_BYTES_PER_NONZERO + (V + 1) * 4,
    }


def growth_table(
    corpus: Corpus, window: int, n_sentences: int, fractions: Sequence[float] = FRACTIONS
) -> list[dict]:
    """How V and the non-zeros of C grow over prefixes of the corpus (first x% of sentences).

    One pass: each distinct word pair (and each word) is dated by the first
    sentence it appears in, so a prefix's counts are a lookup. ``V`` counts the
    vocabulary words that occur in the prefix; ``nonzero`` equals
    ``cooccurrence(prefix, V, window).nnz`` (tested).
    """
    if not isinstance(window, int | np.integer) or window < 1:
        raise ConfigError("window must be a whole number of at least 1")
    ids = corpus.ids.astype(np.int64)
    sent = corpus.sentence
    n_ids = int(ids.max()) + 1 if len(ids) else 1
    keys, first = [], []
    for k in range(1, min(window, max(len(ids) - 1, 1)) + 1):
        same = sent[:-k] == sent[k:]  # (N-k,) the two tokens share a sentence
        a, b = ids[:-k][same], ids[k:][same]
        key = np.minimum(a, b) * n_ids + np.maximum(a, b)  # unordered pair
        # sentences are in order, so the first index of a key is its earliest sentence
        uniq, at = np.unique(key, return_index=True)
        keys.append(uniq)
        first.append(sent[:-k][same][at])
    if keys:
        key = np.concatenate(keys)
        s = np.concatenate(first)
        order = np.lexsort((s, key))
        key, s = key[order], s[order]
        head = np.ones(len(key), dtype=bool)
        head[1:] = key[1:] != key[:-1]
        key, s = key[head], s[head]  # earliest sentence of every distinct pair
        weight = np.where(key // n_ids == key % n_ids, 1, 2)  # i≠j fills C[i,j] and C[j,i]
    else:
        s, weight = np.zeros(0, int), np.zeros(0, int)
    order = np.argsort(s, kind="stable")
    s_sorted, w_cum = s[order], np.cumsum(weight[order])
    _, first_tok = np.unique(ids, return_index=True)
    word_first = np.sort(sent[first_tok])  # (V,) earliest sentence of each word
    tok_end = np.searchsorted(sent, np.arange(n_sentences + 1), side="left")  # token offsets
    rows = []
    for f in fractions:
        cut = max(1, int(round(f * n_sentences)))  # sentences 0..cut-1
        n_pairs = int(np.searchsorted(s_sorted, cut, side="left"))
        nnz = int(w_cum[n_pairs - 1]) if n_pairs else 0
        V = int(np.searchsorted(word_first, cut, side="left"))
        mem = memory(V, nnz)
        rows.append(
            {
                "share": float(f),
                "sentences": cut,
                "tokens": int(tok_end[min(cut, n_sentences)]),
                "V": V,
                "cells": V * V,
                "nonzero": nnz,
                "filled": nnz / (V * V) if V else 0.0,
                "dense_bytes": mem["dense"],
                "sparse_bytes": mem["sparse"],
            }
        )
    return rows


def prefix_corpus(corpus: Corpus, n_sentences: int) -> Corpus:
    """The tokens of the first ``n_sentences`` sentences, as a new Corpus."""
    keep = corpus.sentence < n_sentences
    return Corpus(ids=corpus.ids[keep], sentence=corpus.sentence[keep],
                  position=corpus.position[keep])  # fmt: skip


def row_cosines(M, ids: Sequence[int]) -> np.ndarray:
    """Cosine similarity of the rows ``ids`` of M (whole rows, all V columns); (n, n)."""
    R = sparse.csr_array(M)[np.asarray(ids, dtype=np.int64)].toarray()  # (n, V)
    U = unit_rows(R)
    return np.clip(U @ U.T, -1.0, 1.0)  # (n, n)


def shared_contexts(M, ids: Sequence[int]) -> np.ndarray:
    """How many context words the rows ``ids`` of M have in common (non-zero in both); (n, n)."""
    B = (sparse.csr_array(M)[np.asarray(ids, dtype=np.int64)] != 0).astype(np.float64)  # (n, V)
    return (B @ B.T).toarray()  # (n, n)


def similar_pairs(
    S: np.ndarray, k: int = 10, *also: np.ndarray, tiebreak: np.ndarray | None = None
) -> list[tuple]:
    """The k most similar distinct pairs (i < j) of a similarity matrix, best first.

    Returns (i, j, S[i, j], *(A[i, j] for A in also)). Equal similarities are
    ordered by ``tiebreak`` (larger first, e.g. shared contexts: more evidence),
    then by the lower ids (the more frequent words).
    """
    n = S.shape[0]
    i, j = np.triu_indices(n, 1)
    s = np.round(S[i, j], 9)  # equal up to float noise counts as a tie
    t = np.zeros_like(s) if tiebreak is None else np.asarray(tiebreak)[i, j]
    order = np.lexsort((j, i, -t, -s))[:k]
    return [
        (int(i[o]), int(j[o]), float(S[i[o], j[o]]), *(float(A[i[o], j[o]]) for A in also))
        for o in order
    ]


def row_pair(C, P, a: int, b: int, max_columns: int = 24) -> dict:
    """Rows a and b of counts C and PPMI P over the context columns where either is non-zero.

    Columns are ranked by the two rows' total count (capped at ``max_columns``);
    cosines use the whole rows.
    """
    C = sparse.csr_array(C)
    P = sparse.csr_array(P)
    rc = C[[a, b]].toarray()  # (2, V)
    rp = P[[a, b]].toarray()  # (2, V)
    cols = np.flatnonzero(rc.sum(axis=0) > 0)
    cols = cols[np.argsort(-rc[:, cols].sum(axis=0), kind="stable")][:max_columns]
    return {
        "columns": cols,
        "counts": rc[:, cols],
        "ppmi": rp[:, cols],
        "cos_counts": float(row_cosines(C, [a, b])[0, 1]),
        "cos_ppmi": float(row_cosines(P, [a, b])[0, 1]),
        "shared": int(((rc[0] > 0) & (rc[1] > 0)).sum()),
        "columns_total": int((rc.sum(axis=0) > 0).sum()),
    }


def count_vectors(C, dim: int, max_words: int = 2_000, seed: int = 0) -> np.ndarray:
    """Count-based word vectors: SVD of the PPMI of the top ``max_words`` words; (m, k)."""
    m = min(C.shape[0], max_words)
    sub = sparse.csr_array(C)[:m, :m]
    return svd_embeddings(ppmi(sub), dim=dim, seed=seed)


def pairs_in_cell(corpus: Corpus, window: int, i: int, j: int) -> int:
    """How many skip-gram (target i, context j) pairs page 3 lists (static window)."""
    p = skipgram_pairs(corpus, window)
    return int(np.count_nonzero((p.target == i) & (p.context == j)))


def counts_and_ppmi(corpus: Corpus, V: int, window: int):
    """(C, PPMI) for a window: the two matrices the page draws."""
    C = cooccurrence(corpus, V, window)
    return C, ppmi(C)


def strongest_neighbour(C, i: int) -> tuple[int, float] | None:
    """(j, C[i, j]) of the largest cell of row i (lowest j on ties), or None if the row is 0."""
    row = sparse.csr_array(C)[[i]].toarray()[0]  # (V,)
    if not row.any():
        return None
    j = int(np.argmax(row))
    return j, float(row[j])


def scatter_ids(
    words: Sequence[str], m: int, n: int, categories: dict | None = None, only_known: bool = False
) -> list[int]:
    """Ids of the n most frequent words among the first m, optionally only categorised ones."""
    ids = range(min(m, len(words)))
    if only_known and categories:
        ids = [i for i in ids if words[i] in categories]
    return list(ids)[: max(int(n), 0)]


def same_point_groups(X: np.ndarray, ids: Sequence[int], decimals: int = 6) -> list[list[int]]:
    """Groups (of 2 or more) of ``ids`` whose rows of X are equal (rounded): one dot in a plot."""
    X = np.asarray(X, dtype=np.float64)
    ids = np.asarray(ids, dtype=np.int64)
    if len(ids) == 0:
        return []
    keys = np.round(X[ids], decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    _, inverse, sizes = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    return [ids[inverse == g].tolist() for g in np.flatnonzero(sizes > 1)]


# ---- the classic small matrices -----------------------------------------------------------

EXAMPLES = {  # key -> (text, two words whose rows the page compares)
    "cs224n": ("I like deep learning. I like NLP. I enjoy flying.", ("like", "enjoy")),
    "article": ("I love NLP and I like dogs", ("like", "love")),
}
_MARK = re.compile(r"([^\w\s'\u2019])")  # one punctuation mark or symbol (a token if kept)


def example_sentences(text: str, keep_punctuation: bool = False) -> list[list[str]]:
    """Sentences of lower-case tokens; with ``keep_punctuation`` every mark is a token too.

    Without it this is exactly the app's tokenizer (punctuation only separates words).
    """
    out = []
    for sentence in split_sentences(text):
        if not keep_punctuation:
            toks = tokenize_line(sentence)
        else:
            toks = []
            for piece in _MARK.split(sentence):
                toks += [piece] if _MARK.fullmatch(piece) else tokenize_line(piece)
        if toks:
            out.append(toks)
    return out


def small_matrix(sentences: Sequence[Sequence[str]], window: int) -> tuple[list[str], np.ndarray]:
    """(words in reading order, dense symmetric counts C) of a few sentences.

    Ids follow first appearance (easier to read for one sentence than counts);
    the counting itself is ``w2v_core.cooccur.cooccurrence``, the page's C.
    """
    words: list[str] = []
    index: dict[str, int] = {}
    for s in sentences:
        for w in s:
            if w not in index:
                index[w] = len(words)
                words.append(w)
    encoded = [np.array([index[w] for w in s], dtype=np.int32) for s in sentences if s]
    if not encoded:
        return [], np.zeros((0, 0))
    C = cooccurrence(Corpus.from_encoded(encoded), len(words), window)  # (V, V) sparse
    return words, C.toarray()  # (V, V)


def row_story(words: Sequence[str], C: np.ndarray, a: str, b: str) -> dict:
    """What rows a and b of a small C share: neighbours of each, common ones, cosine."""
    C = np.asarray(C, dtype=np.float64)
    i, j = list(words).index(a), list(words).index(b)
    na = {words[k] for k in np.flatnonzero(C[i])}
    nb = {words[k] for k in np.flatnonzero(C[j])}
    order = {w: k for k, w in enumerate(words)}
    sort = lambda ws: sorted(ws, key=order.get)  # noqa: E731 reading order
    return {
        "shared": sort(na & nb),
        "only_a": sort(na - nb),
        "only_b": sort(nb - na),
        "cos": float(row_cosines(C, [i, j])[0, 1]),
        "together": float(C[i, j]),  # how often a and b are neighbours themselves
    }


# ---- exercises (#19): predict, then reveal -------------------------------------------------

PAGE_NAME = "2. Co-occurrence"


def exercises(lesson, settings, C=None) -> list:
    """Page 2's exercises at the sidebar's window m, answers counted from the lesson.

    * ``cooc.count``: how many times are x and y within m words of each other? (C[x, y])
    * ``cooc.neighbours``: how many different words occur within m words of x? (row nnz)
    * ``cooc.zero``: what percentage of the V² cells of C is 0? (tolerance 1 point)
    ``C`` may be passed when the caller has counted it already (same window).
    """
    from lab.escape import md
    from lab.exercises import Exercise, instance_rng

    m, words = settings.window, lesson.vocab.words
    C = sparse.csr_array(cooccurrence(lesson.corpus, len(words), m) if C is None else C)
    out = []
    rng = instance_rng(settings.seed, "cooc.count")
    n = min(len(words), 30)
    block = C[:n, :n].toarray()  # (n, n) the frequent words: pairs that met
    cells = np.argwhere(np.triu(block, 1) > 0)
    if len(cells):
        x, y = (int(v) for v in cells[rng.integers(len(cells))])
        out.append(Exercise(
            key="cooc.count", page=PAGE_NAME, kind="number", answer=int(block[x, y]),
            prompt=f"With window m = {m}, how often are **{md(words[x])}** and "
            f"**{md(words[y])}** within {m} word{'s' if m > 1 else ''} of each other?",
            explanation=f"C[{md(words[x])}, {md(words[y])}] = {int(block[x, y])}: every time "
            f"one is at most {m} tokens from the other, in the same sentence.",
        ))  # fmt: skip
    rng = instance_rng(settings.seed, "cooc.neighbours")
    x = int(rng.integers(n))
    k = int(C[[x]].count_nonzero())
    out.append(Exercise(
        key="cooc.neighbours", page=PAGE_NAME, kind="number", answer=k,
        prompt=f"With window m = {m}, how many different words ever occur within {m} "
        f"word{'s' if m > 1 else ''} of **{md(words[x])}**?",
        explanation=f"Row '{md(words[x])}' of C has {k} non-zero cells of {len(words):,}.",
    ))  # fmt: skip
    sp = sparsity(C)
    share = round(100 * sp["zero_share"], 1)
    out.append(Exercise(
        key="cooc.zero", page=PAGE_NAME, kind="number", answer=share, tolerance=1.0,
        prompt=f"With window m = {m}, what percentage of the {sp['cells']:,} cells of C is 0? "
        "(within 1 point)",
        explanation=f"{sp['cells'] - sp['nonzero']:,} of {sp['cells']:,} cells are 0: "
        f"{share}%. Most pairs of words never meet.",
    ))  # fmt: skip
    return out
