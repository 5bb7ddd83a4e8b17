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
from w2v_core.directions import Direction, direction
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
