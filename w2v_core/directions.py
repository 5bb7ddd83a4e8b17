"""Meaning as directions: axes defined by word pairs, and hand-made features vs learned ones.

Word vectors have no labelled dimensions: dimension 3 is not "gender". But the
differences between related words point the same way (Mikolov, Yih & Zweig
2013, "Linguistic regularities in continuous space word representations"):
woman − man ≈ queen − king ≈ girl − boy. Averaging such differences gives a
*semantic direction* a, and the scalar projection of a word's unit vector on
â = a / ‖a‖ places it along that meaning, as the TensorFlow Embedding
Projector's custom axes and Touretzky et al.'s K-12 embedding demo do.

* ``direction``: â from pairs (a_i, b_i), â ∝ (1/n) Σ_i (v̂_{b_i} − v̂_{a_i}).
* ``plane``: two directions as the axes of a 2-D view; the second is made
  orthogonal to the first (Gram–Schmidt), and their cosine is reported.
* ``feature_agreement``: how well a learned direction recovers a hand-made
  feature (e.g. gender = ±1), on the pairs of words that differ in that feature
  alone (king/queen, man/woman): does each pair's difference point along the
  direction of the *other* pairs (leave one out)? And, for contrast, how many
  pairs the best single learned dimension orders.
Pure NumPy; rows are unit-normalised first, so projections are in cosine units.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .analysis import unit_rows
from .errors import W2VError


@dataclass(frozen=True)
class Direction:
    vector: np.ndarray  # (d,) â, unit length
    pairs: tuple[tuple[str, str], ...]  # the pairs used (both words known)
    missing: tuple[tuple[str, str], ...]  # pairs left out: a word not in the vocabulary
    agreement: float  # mean cosine between each pair's difference and â (1 = all parallel)


def direction(W: np.ndarray, index: dict[str, int], pairs: Sequence[tuple[str, str]]) -> Direction:
    """The unit direction a -> b averaged over ``pairs`` of words (a, b).

    W: (V, d) word vectors; index: word -> row. Raises W2VError when no pair is usable or the
    differences cancel out.
    """
    U = unit_rows(W)  # (V, d)
    used = tuple((a, b) for a, b in pairs if a in index and b in index and a != b)
    missing = tuple((a, b) for a, b in pairs if (a, b) not in used)
    if not used:
        raise W2VError("None of the word pairs has both words in the vocabulary.")
    diffs = np.stack([U[index[b]] - U[index[a]] for a, b in used])  # (n, d) v̂_b − v̂_a
    mean = diffs.mean(axis=0)  # (d,)
    norm = float(np.linalg.norm(mean))
    if not np.isfinite(norm) or norm < 1e-12:
        raise W2VError("The pairs' differences cancel out: there is no direction to draw.")
    vec = mean / norm  # (d,) â
    lengths = np.linalg.norm(diffs, axis=1)  # (n,)
    cos = (diffs @ vec)[lengths > 0] / lengths[lengths > 0]  # (n',) each pair vs the mean
    return Direction(vec, used, missing, float(cos.mean()) if len(cos) else 0.0)


def project(W: np.ndarray, d: Direction | np.ndarray) -> np.ndarray:
    """Scalar projection of each unit row on the direction: (V,) values in [-1, 1]."""
    vec = d.vector if isinstance(d, Direction) else np.asarray(d, dtype=np.float64)
    return unit_rows(W) @ vec  # (V,)


@dataclass(frozen=True)
class Plane:
    points: np.ndarray  # (V, 2) coordinates on (x axis, y axis made orthogonal to x)
    cos_xy: float  # cosine between the two directions as given (0 = already orthogonal)


def plane(W: np.ndarray, x: Direction, y: Direction) -> Plane:
    """Coordinates of every word on two semantic axes (y orthogonalised against x)."""
    ex = x.vector  # (d,)
    cos_xy = float(ex @ y.vector)
    ey = y.vector - cos_xy * ex  # (d,) Gram–Schmidt
    n = float(np.linalg.norm(ey))
    if n < 1e-9:
        raise W2VError("The two directions are the same: choose pairs for another meaning.")
    U = unit_rows(W)  # (V, d)
    return Plane(np.stack([U @ ex, U @ (ey / n)], axis=1), cos_xy)  # (V, 2)


@dataclass(frozen=True)
class Agreement:
    feature: str  # the hand-made feature's name
    pairs: tuple[tuple[int, int], ...]  # rows (i, j) that differ in this feature only, f_i < f_j
    held_out: float  # share of pairs whose difference points along the other pairs' direction
    parallel: float  # mean cosine of each pair's difference with the other pairs' direction
    best_dimension: int  # the single learned coordinate that orders the most pairs
    best_dimension_share: float  # the share of pairs it orders (either sign)


def minimal_pairs(F: np.ndarray, column: int) -> list[tuple[int, int]]:
    """Rows (i, j) of a feature table F (n, f) equal in every feature but ``column``, where
    F[i, column] < F[j, column]: king/queen differ in gender only, king/prince in age."""
    F = np.asarray(F, dtype=np.float64)  # (n, f)
    others = np.delete(F, column, axis=1)  # (n, f-1)
    n = len(F)
    return [
        (i, j) if F[i, column] < F[j, column] else (j, i)
        for i in range(n)
        for j in range(i + 1, n)
        if F[i, column] != F[j, column] and np.array_equal(others[i], others[j])
    ]


def feature_agreement(W: np.ndarray, F: np.ndarray, column: int, name: str) -> Agreement:
    """How a hand-made feature (column of the table F (n, f), rows = rows of W) lives in the
    learned vectors W (n, d).

    Minimal pairs differ in this feature only (``minimal_pairs``). For each pair, the
    direction is the mean unit difference v̂_j − v̂_i of the *other* pairs (leave one out);
    the pair counts as recovered when its own difference points the same way (positive
    projection). ``parallel`` is the mean cosine between a pair's difference and that
    direction (1: the parallelogram of an analogy). For contrast, ``best_dimension`` is the
    single learned coordinate that orders the most pairs the same way.
    """
    pairs = minimal_pairs(F, column)
    if len(pairs) < 2:
        raise W2VError(f"'{name}': fewer than two word pairs differ in this feature alone.")
    U = unit_rows(W)  # (n, d)
    D = np.stack([U[j] - U[i] for i, j in pairs])  # (p, d) each pair's difference
    right, cosines = 0, []
    for k in range(len(pairs)):
        a = np.delete(D, k, axis=0).mean(axis=0)  # (d,) the other pairs' direction
        na, nk = np.linalg.norm(a), np.linalg.norm(D[k])
        cos = float(D[k] @ a / (na * nk)) if na > 0 and nk > 0 else 0.0
        right += cos > 0
        cosines.append(cos)
    signs = np.sign(D)  # (p, d) which way each pair moves on each dimension
    ordered = np.maximum((signs > 0).sum(axis=0), (signs < 0).sum(axis=0))  # (d,)
    best = int(np.argmax(ordered))
    return Agreement(name, tuple(pairs), right / len(pairs), float(np.mean(cosines)), best,
                     float(ordered[best]) / len(pairs))  # fmt: skip


@dataclass(frozen=True)
class Parallelogram:
    """An analogy drawn as vectors: reference pairs a_i -> b_i and a test pair c -> d.

    The view's x axis is â, the direction of the reference pairs; its y axis is the part
    of v̂_c − mean_i v̂_{a_i} (how the test pair's start differs from the references'
    starts, e.g. common -> royal) at right angles to â. King -> queen parallel to
    man -> woman is then two arrows pointing the same way along x.
    """

    words: tuple[str, ...]  # a_1, b_1, ..., a_n, b_n, c, d (row order of ``points``)
    points: np.ndarray  # (2n + 2, 2) each word's unit vector on (â, ŷ)
    arrows: tuple[tuple[int, int], ...]  # (from, to) rows of points: every pair, test last
    along: float  # (v̂_d − v̂_c)·â: the test pair's step along the direction
    cosine: float  # cos(v̂_d − v̂_c, â): 1 = exactly parallel to the references
    length_ratio: float  # ‖v̂_d − v̂_c‖ / mean_i ‖v̂_{b_i} − v̂_{a_i}‖: 1 = the same length


def parallelogram(
    W: np.ndarray,
    index: dict[str, int],
    pairs: Sequence[tuple[str, str]],
    test: tuple[str, str],
) -> Parallelogram:
    """The analogy "a_i is to b_i as c is to d" as vectors (see ``Parallelogram``).

    W: (V, d) word vectors; pairs: the reference pairs (a_i, b_i), averaged into â
    (``direction``); test: (c, d). Raises W2VError for unknown words or a flat view.
    """
    c, d = test
    unknown = [w for w in (c, d) if w not in index]
    if unknown or c == d:
        raise W2VError(
            f"The test pair needs two different words of the vocabulary (not: {' '.join(test)})."
        )
    ref = direction(W, index, pairs)
    U = unit_rows(W)  # (V, d)
    starts = np.stack([U[index[a]] for a, _ in ref.pairs])  # (n, d) v̂_{a_i}
    offset = U[index[c]] - starts.mean(axis=0)  # (d,) where the test pair starts, relative
    ey = offset - (offset @ ref.vector) * ref.vector  # (d,) its part at right angles to â
    norm = float(np.linalg.norm(ey))
    if norm < 1e-9:
        raise W2VError("The test pair starts where the reference pairs do: nothing to draw.")
    ey = ey / norm  # (d,) ŷ
    words = tuple(w for p in ref.pairs for w in p) + (c, d)
    rows = U[[index[w] for w in words]]  # (2n + 2, d)
    points = np.stack([rows @ ref.vector, rows @ ey], axis=1)  # (2n + 2, 2)
    step = U[index[d]] - U[index[c]]  # (d,) v̂_d − v̂_c
    along = float(step @ ref.vector)
    length = float(np.linalg.norm(step))
    ref_len = float(np.mean([np.linalg.norm(U[index[b]] - U[index[a]]) for a, b in ref.pairs]))
    n = len(ref.pairs)
    arrows = tuple((2 * i, 2 * i + 1) for i in range(n)) + ((2 * n, 2 * n + 1),)
    return Parallelogram(
        words,
        points,
        arrows,
        along,
        along / length if length > 0 else 0.0,
        length / ref_len if ref_len > 0 else 0.0,
    )
