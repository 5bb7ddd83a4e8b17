"""Pure helpers of the "Meaning as directions" page: hand-made features, axes from pairs.

No Streamlit here. The page starts from a small table of features a person
would choose (gender, royalty, age: Ng's featurised representation) for the
words of the corpus that have them, and from word pairs that define each
meaning as a direction. Both are the student's to edit; every number drawn from
them is computed from the table or from the current vectors.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from w2v_core.analysis import analogy, unit_rows
from w2v_core.directions import (
    Direction,
    Parallelogram,
    direction,
    feature_agreement,
    parallelogram,
    plane,
)
from w2v_core.errors import W2VError

FEATURES = ("gender", "royal", "age")  # the hand-made features offered first
# a person's guess: gender -1 male .. +1 female, royal 0 .. 1, age 0 child .. 1 adult
HANDMADE = {
    "king": (-1.0, 1.0, 1.0), "queen": (1.0, 1.0, 1.0),
    "prince": (-1.0, 1.0, 0.0), "princess": (1.0, 1.0, 0.0),
    "man": (-1.0, 0.0, 1.0), "woman": (1.0, 0.0, 1.0),
    "boy": (-1.0, 0.0, 0.0), "girl": (1.0, 0.0, 0.0),
    "he": (-1.0, 0.0, 0.5), "she": (1.0, 0.0, 0.5),
}  # fmt: skip
# axes a teacher would try first: the pairs point from the first meaning to the second
AXES = {
    "male → female": "man woman, boy girl, king queen, prince princess, he she, his her",
    "common → royal": "man king, woman queen, boy prince, girl princess",
    "young → adult": "boy man, girl woman, prince king, princess queen",
}
MAX_TABLE_WORDS = 20  # rows of the feature table


def parse_pairs(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Pairs from 'a b, c d' (commas or new lines between pairs); also the bad entries."""
    pairs, bad = [], []
    for chunk in text.replace("\n", ",").split(","):
        parts = chunk.split()
        if not parts:
            continue
        if len(parts) == 2 and parts[0] != parts[1]:
            pairs.append((parts[0], parts[1]))
        else:
            bad.append(chunk.strip())
    return pairs, bad


def default_axes(words: Sequence[str]) -> dict[str, str]:
    """The offered axes whose pairs this vocabulary has (at least two pairs)."""
    known = set(words)
    out = {}
    for name, text in AXES.items():
        pairs, _ = parse_pairs(text)
        usable = [p for p in pairs if p[0] in known and p[1] in known]
        if len(usable) >= 2:
            out[name] = ", ".join(f"{a} {b}" for a, b in usable)
    return out


def feature_table(words: Sequence[str]) -> pd.DataFrame:
    """The starting feature table: the corpus words a person can score (rows), by feature.

    A corpus without such words gets its most frequent words with zeros to fill in.
    """
    known = [w for w in HANDMADE if w in set(words)][:MAX_TABLE_WORDS]
    if len(known) >= 3:
        rows = {w: HANDMADE[w] for w in known}
    else:
        rows = {w: (0.0,) * len(FEATURES) for w in list(words)[:8]}
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(FEATURES))


def cosines(X: np.ndarray) -> np.ndarray:
    """(n, n) cosine similarity of the rows of X (a zero row has cosine 0 with all)."""
    U = unit_rows(np.asarray(X, dtype=np.float64))  # (n, f)
    return U @ U.T  # (n, n)


@dataclass(frozen=True)
class AnalogyAnswer:
    question: str  # "king − man + woman"
    answer: str  # the best word (inputs excluded), or a reason there is none
    cosine: float  # its cosine with the target vector


def table_analogy(table: pd.DataFrame, a: str, b: str, c: str) -> AnalogyAnswer:
    """a − b + c among the rows of a feature table (3CosAdd, inputs excluded)."""
    q = f"{a} − {b} + {c}"
    if not {a, b, c} <= set(table.index):
        return AnalogyAnswer(q, "(not every word is in the table)", float("nan"))
    words = list(table.index)
    X = table.to_numpy(dtype=np.float64)  # (n, f)
    try:
        best = analogy(X, words, b, a, c, k=1)  # "b is to a as c is to ?" = a − b + c
    except W2VError as e:
        return AnalogyAnswer(q, f"({e})", float("nan"))
    if not best:
        return AnalogyAnswer(q, "(no other word)", float("nan"))
    w, score = best[0]
    return AnalogyAnswer(q, w, float(score))


def axis(W: np.ndarray, words: Sequence[str], text: str) -> tuple[Direction | None, str]:
    """The direction of the pairs typed in ``text``, or None and why not."""
    pairs, bad = parse_pairs(text)
    if bad:
        return None, f"Write pairs as two words each, separated by commas (not: {bad[0]!r})."
    index = {w: i for i, w in enumerate(words)}
    try:
        d = direction(W, index, pairs)
    except W2VError as e:
        return None, str(e)
    return d, ""


# ---- the page's views, as numbers ----------------------------------------------------

USUAL_D = (
    "Learned dimensions carry no names, whatever d is: published word2vec vectors use "
    "d = 100 to 300 (Google's News vectors: 300), a small corpus like this one far fewer."
)
# the analogy drawn as vectors: reference pairs (averaged) and the pair to test
REFERENCE = "man woman, boy girl, he she"
TEST = "king queen"


def clean_table(table: pd.DataFrame, words: Sequence[str]) -> pd.DataFrame:
    """The edited feature table as numbers: rows of words the vectors know, blanks = 0."""
    table = table.apply(pd.to_numeric, errors="coerce").fillna(0.0)
    table.index = table.index.astype(str)
    known = set(words)
    return table[[w in known for w in table.index]]


def table_question(words: Sequence[str]) -> tuple[str, str, str]:
    """(a, b, c) of the table's analogy a − b + c: king − man + woman when it can."""
    trio = [w for w in ("king", "man", "woman") if w in words]
    a, b, c = trio if len(trio) == 3 else (list(words) * 3)[:3]
    return a, b, c


def rows_of(W: np.ndarray, all_words: Sequence[str], words: Sequence[str]) -> np.ndarray:
    """The rows of W (V, d) of ``words``: (n, d)."""
    index = {w: i for i, w in enumerate(all_words)}
    return W[[index[w] for w in words]]


def agreement_rows(W: np.ndarray, table: pd.DataFrame) -> list[dict]:
    """One row per hand-made feature: how its minimal pairs live in the learned vectors.

    W: (n, d) the learned vectors of the table's rows, in the table's order."""
    words = list(table.index)
    F = table.to_numpy(dtype=float)  # (n, f) the hand-made vectors
    rows = []
    for col, f in enumerate(table.columns):
        try:
            a = feature_agreement(W, F, col, str(f))
        except W2VError as e:  # too few pairs: say so in its row
            rows.append({"feature": str(f), "pairs": 0, "recovered": None, "parallel": None,
                         "best single dimension": None, "note": str(e)})  # fmt: skip
            continue
        rows.append({
            "feature": a.feature, "pairs": len(a.pairs),
            "recovered": f"{a.held_out:.0%}", "parallel": round(a.parallel, 2),
            "best single dimension": f"dim {a.best_dimension}: {a.best_dimension_share:.0%}",
            "note": ", ".join(f"{words[i]}→{words[j]}" for i, j in a.pairs[:4])
            + (" …" if len(a.pairs) > 4 else ""),
        })  # fmt: skip
    return rows


def nearest_rows(F: np.ndarray, W: np.ndarray, words: Sequence[str]) -> list[dict]:
    """Each word's nearest other word of the table, by the hand-made vectors F (n, f) and
    by the learned ones W (n, d), with the cosines."""
    H, L = cosines(F), cosines(W)  # (n, n) each
    np.fill_diagonal(H, -np.inf)
    np.fill_diagonal(L, -np.inf)
    out = []
    for i, w in enumerate(words):
        h, lr = int(np.argmax(H[i])), int(np.argmax(L[i]))
        out.append({"word": w, "by hand": words[h], "cos (hand)": float(H[i, h]),
                    "learned": words[lr], "cos (learned)": float(L[i, lr]),
                    "same": "✓" if h == lr else ""})  # fmt: skip
    return out


@dataclass(frozen=True)
class PlaneView:
    """Every word (up to n) on two axes, with the horizontal axis's pairs as arrows."""

    points: np.ndarray  # (n, 2)
    words: tuple[str, ...]
    groups: list[str] | None  # each word's category, or None
    arrows: list[tuple[int, int]]  # (from, to) rows of points: the x axis's pairs
    agreement: float  # mean cosine of the x pairs with their average direction
    cos_xy: float  # cosine of the two directions as given
    missing: int  # x pairs left out (a word not in the vocabulary)


def plane_view(W, words, x: Direction, y: Direction, categories, n: int = 150) -> PlaneView:
    """The first n words on the axes x and y (y made orthogonal to x); W2VError if flat."""
    pl = plane(W, x, y)
    n = min(len(words), n)
    index = {w: i for i, w in enumerate(words)}
    arrows = [(index[a], index[b]) for a, b in x.pairs if index[a] < n and index[b] < n]
    groups = [categories.get(w, "other") for w in words[:n]] if categories else None
    return PlaneView(pl.points[:n], tuple(words[:n]), groups, arrows, x.agreement, pl.cos_xy,
                     len(x.missing))  # fmt: skip


def short(text: str) -> str:
    """An axis's name from its pairs: 'man → woman …'."""
    pairs, _ = parse_pairs(text)
    return f"{pairs[0][0]} → {pairs[0][1]}" + (" …" if len(pairs) > 1 else "") if pairs else ""


def analogy_defaults(words: Sequence[str]) -> tuple[str, str]:
    """(reference pairs, test pair) to start the analogy view at: man → woman, boy → girl,
    he → she against king → queen; else the pairs of the first offered axis, the last one
    tested; else nothing (the student types them)."""
    known = set(words)
    ref = [p for p in parse_pairs(REFERENCE)[0] if set(p) <= known]
    if ref and set(TEST.split()) <= known:
        return ", ".join(f"{a} {b}" for a, b in ref), TEST
    offered = default_axes(words)
    if offered:
        pairs = parse_pairs(next(iter(offered.values())))[0]
        return ", ".join(f"{a} {b}" for a, b in pairs[:-1]), " ".join(pairs[-1])
    return "", ""


def analogy_view(W, words, ref_text: str, test_text: str) -> tuple[Parallelogram | None, str]:
    """The parallelogram of the typed pairs, or None and why not."""
    pairs, bad = parse_pairs(ref_text)
    test, bad_test = parse_pairs(test_text)
    if bad or bad_test or len(test) != 1:
        return None, "Write the reference pairs as 'a b, c d' and the test pair as two words."
    index = {w: i for i, w in enumerate(words)}
    try:
        return parallelogram(W, index, pairs, test[0]), ""
    except W2VError as e:
        return None, str(e)
