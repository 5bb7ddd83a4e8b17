"""Pure helpers of the live-training page: steady projections and small summaries.

No Streamlit here. PCA frames are aligned to the previous frame with orthogonal
Procrustes (``w2v_core.projection``), so a point moves only when its vector does;
axis ranges only ever grow, so the view does not rescale on every tick.
t-SNE (van der Maaten & Hinton 2008, via scikit-learn) runs on demand and
warm-starts from the last layout.
"""

from collections import Counter
from dataclasses import dataclass

import numpy as np

from w2v_core.analysis import category_score, nearest
from w2v_core.errors import W2VError
from w2v_core.projection import pca, procrustes_align, residual, tsne

# One tick per second while running: redrawing five Plotly charts faster than that
# keeps them hidden in the browser (each update hides a chart until it is drawn).
TICK_SECONDS = 1.0

MATRICES = {"W_in": "W_in (= E)", "W_out": "W_out", "sum": "W_in + W_out"}


def pick_matrix(W_in: np.ndarray, W_out: np.ndarray, which: str) -> np.ndarray:
    """The vectors to project: W_in, W_out or their sum (a new array)."""
    if which == "W_in":
        return W_in.copy()
    if which == "W_out":
        return W_out.copy()
    return W_in + W_out  # (V, d)


@dataclass(frozen=True)
class Frame:
    """One projection frame: points, how much the alignment helped, and the axes."""

    points: np.ndarray  # (n, 2) aligned coordinates
    explained: np.ndarray  # (2,) PCA variance shares (zeros for t-SNE)
    residual_aligned: float  # RMS move from the previous frame after alignment
    residual_raw: float  # RMS move without alignment
    ranges: tuple[list[float], list[float]]  # fixed x and y ranges


def grow_ranges(ranges, points: np.ndarray, pad: float = 0.15):
    """Axis ranges that contain the points, never shrinking the previous ones."""
    lo, hi = points.min(axis=0), points.max(axis=0)  # (2,), (2,)
    span = np.maximum(hi - lo, 1e-9)
    lo, hi = lo - pad * span, hi + pad * span
    if ranges is not None:
        lo = np.minimum(lo, [ranges[0][0], ranges[1][0]])
        hi = np.maximum(hi, [ranges[0][1], ranges[1][1]])
    return [float(lo[0]), float(hi[0])], [float(lo[1]), float(hi[1])]


def pca_frame(X: np.ndarray, prev: "Frame | None") -> Frame:
    """PCA of X aligned onto the previous frame (same rows) when there is one."""
    p = pca(X, 2)
    raw = p.points  # (n, 2)
    if prev is None or prev.points.shape != raw.shape:
        return Frame(raw, p.explained, 0.0, 0.0, grow_ranges(None, raw))
    aligned = procrustes_align(raw, prev.points)  # (n, 2)
    return Frame(
        aligned,
        p.explained,
        residual(aligned, prev.points),
        residual(raw, prev.points),
        grow_ranges(prev.ranges, aligned),
    )


def clamp_perplexity(perplexity: float, n_points: int) -> float:
    """scikit-learn needs perplexity < number of points."""
    if n_points < 3:
        raise W2VError("t-SNE needs at least 3 words.")
    return float(min(perplexity, n_points - 1.5))


def tsne_frame(
    X: np.ndarray, prev: "Frame | None", perplexity: float, seed: int, max_iter: int = 500
):
    """t-SNE layout, warm-started from the previous frame's points when they match.

    Raises W2VError (never crashes) on rows t-SNE cannot lay out (``projection.tsne``).
    """
    n = len(X)
    init = prev.points if prev is not None and prev.points.shape == (n, 2) else None
    emb = tsne(X, 2, clamp_perplexity(perplexity, n), max_iter, seed, init=init)  # (n, 2)
    if prev is not None and prev.points.shape == emb.shape:
        emb = procrustes_align(emb, prev.points)
    return Frame(emb, np.zeros(2), 0.0, 0.0, grow_ranges(None, emb))


def neighbour_table(W: np.ndarray, words, queries, k: int = 5) -> dict[str, list[str]]:
    """Each query word's k nearest neighbours (cosine), formatted 'word 0.83'."""
    out = {}
    for q in queries:
        try:
            out[q] = [f"{w} {s:.2f}" for w, s in nearest(W, words, q, k=k)]
        except W2VError:
            continue
    return out


def score_k(words, categories: dict, k: int = 5) -> int:
    """Neighbours scored per word: at most k, and fewer than the smallest category has
    other members, so that a perfect separation scores 1 (4-word categories: k = 3)."""
    sizes = Counter(categories[w] for w in words if w in categories)
    return max(1, min([k, *(n - 1 for n in sizes.values())])) if sizes else k


def ground_truth(W: np.ndarray, words, categories: dict, k: int = 5) -> float | None:
    """Share of a word's nearest categorised neighbours in its own category (or None).

    The number of neighbours is ``score_k``: k, or fewer for small categories.
    """
    k = score_k(words, categories, k)
    if sum(1 for w in words if w in categories) <= k:
        return None
    return category_score(W, words, categories, k=k)


def smooth(values: np.ndarray, span: int = 20) -> np.ndarray:
    """Exponential moving average (for the per-tick loss curve)."""
    values = np.asarray(values, dtype=float)
    out = np.empty_like(values)
    a = 2.0 / (span + 1)
    acc = values[0] if len(values) else 0.0
    for i, v in enumerate(values):
        acc = a * v + (1 - a) * acc
        out[i] = acc
    return out


@dataclass(frozen=True)
class Tick:
    """What one tick of live training did (possibly several advances)."""

    examples: int
    words: int  # corpus tokens passed (the words of words/s)
    seconds: float
    rows_in: np.ndarray  # W_in rows changed during the tick
    rows_out: np.ndarray  # W_out rows changed during the tick

    @property
    def words_per_sec(self) -> float:
        return self.words / self.seconds if self.seconds > 0 else float("nan")


def train_tick(tr, n: int | None, budget: float, alpha: float | None = None) -> Tick:
    """Advance by n examples, or (n=None) keep advancing until ``budget`` seconds pass.

    The time budget lets the page spend at least as long training as drawing.
    Raises TrainingDiverged like ``Trainer.advance`` (the model keeps its last good state).
    """
    import time

    t0 = time.perf_counter()
    if n is not None:
        rep = tr.advance(n, alpha=alpha)
        return Tick(rep.examples, rep.words, time.perf_counter() - t0, rep.rows_in, rep.rows_out)
    chunk, done, words = 1000, 0, 0
    rows_in, rows_out = [], []
    while not tr.done and time.perf_counter() - t0 < budget:
        rep = tr.advance(chunk, alpha=alpha)
        done += rep.examples
        words += rep.words
        rows_in.append(rep.rows_in)
        rows_out.append(rep.rows_out)
        chunk = min(chunk * 2, 50_000)
    cat = lambda parts: np.unique(np.concatenate(parts)) if parts else np.array([], int)  # noqa: E731
    return Tick(done, words, time.perf_counter() - t0, cat(rows_in), cat(rows_out))
