"""Pure helpers of the live-training page: steady projections and small summaries.

No Streamlit here. PCA frames are aligned to the previous frame with orthogonal
Procrustes (``w2v_core.projection``), so a point moves only when its vector does;
axis ranges only ever grow, so the view does not rescale on every tick.
t-SNE (van der Maaten & Hinton 2008) keeps up with training: each tick continues
the previous layout for a few iterations (openTSNE, ``projection.tsne_step``) and
the result is aligned like a PCA frame. UMAP (McInnes et al. 2018) is offered
when umap-learn is installed. Degenerate vectors fall back to PCA with a note.
"""

from collections import Counter
from dataclasses import dataclass

import numpy as np

from w2v_core.analysis import category_score, nearest
from w2v_core.errors import W2VError
from w2v_core.projection import (
    TSNE_LIVE_MIN_POINTS,
    live_perplexity,
    movement,
    pca,
    procrustes_align,
    residual,
    tsne,
    tsne_step,
)

# One tick per second while running: redrawing five Plotly charts faster than that
# keeps them hidden in the browser (each update hides a chart until it is drawn).
TICK_SECONDS = 1.0

MATRICES = {"W_in": "W_in (= E)", "W_out": "W_out", "sum": "W_in + W_out"}
MATRIX_SHORT = {"W_in": "W_in", "W_out": "W_out", "sum": "Sum"}  # labels that fit a projector


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
    method: str = "pca"  # the projection that made the points: a key of PROJECTIONS
    movement: float = float("nan")  # mean move per point since the last frame / RMS radius
    note: str = ""  # why the frame is not what was asked (a fallback, a lowered perplexity)


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
        grow_ranges(prev.ranges if prev.method == "pca" else None, aligned),
        "pca",
        movement(prev.points, aligned) if prev.method == "pca" else float("nan"),
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


PROJECTIONS = {"pca": "PCA", "tsne": "t-SNE", "umap": "UMAP"}
PERPLEXITY = 10.0  # the live t-SNE's default perplexity (the control's start value)


def umap_available() -> bool:
    """Whether umap-learn can be imported (an optional dependency)."""
    import importlib.util

    return importlib.util.find_spec("umap") is not None


def projection_label(method: str) -> str:
    """The projection's name for the chooser (UMAP says when it cannot be used)."""
    if method == "umap" and not umap_available():
        return "UMAP (not installed)"
    return PROJECTIONS[method]


def _umap_points(X: np.ndarray, prev, seed: int) -> np.ndarray:
    """UMAP layout (n, 2), started from the previous layout when it matches."""
    import umap  # optional: umap-learn

    n = len(X)
    init = prev if prev is not None and prev.shape == (n, 2) else "spectral"
    return np.asarray(umap.UMAP(n_components=2, n_neighbors=min(15, n - 1), init=init,
                                random_state=seed, n_epochs=50).fit_transform(X))  # fmt: skip


def live_frame(
    X: np.ndarray, prev: "Frame | None", method: str, perplexity: float = PERPLEXITY, seed: int = 0
) -> Frame:
    """The next frame of the live projection of X (n, d) by ``method`` ("pca", "tsne", "umap").

    t-SNE and UMAP continue the previous frame when it was made the same way with the same
    rows (a bounded number of iterations), and are aligned onto it (Procrustes). Vectors
    t-SNE cannot lay out (identical rows, zeros, fewer than TSNE_LIVE_MIN_POINTS words), or
    an unavailable UMAP, give a PCA frame with a ``note`` saying why; never raises for that.
    """
    if method == "pca":
        return pca_frame(X, prev)
    n = len(X)
    same = prev is not None and prev.method == method and prev.points.shape == (n, 2)
    note = ""
    try:
        if method == "umap":
            if not umap_available():
                raise W2VError("UMAP needs the optional package umap-learn, not installed here")
            raw = _umap_points(X, prev.points if same else None, seed)  # (n, 2)
        else:
            if n < TSNE_LIVE_MIN_POINTS:
                raise W2VError(f"t-SNE needs at least {TSNE_LIVE_MIN_POINTS} words, not {n}")
            raw = tsne_step(X, prev.points if same else None, perplexity, seed=seed)  # (n, 2)
            used = live_perplexity(perplexity, n)
            if used < perplexity:
                note = (f"Perplexity lowered from {perplexity:g} to {used:.1f}: "
                        f"{n} words are too few for more neighbours.")  # fmt: skip
    except W2VError as e:
        f = pca_frame(X, prev if prev is not None and prev.method == "pca" else None)
        name = PROJECTIONS[method]
        return Frame(
            f.points,
            f.explained,
            f.residual_aligned,
            f.residual_raw,
            f.ranges,
            "pca",
            f.movement,
            f"{name} cannot lay these vectors out ({e}): showing PCA.",
        )
    if not same:
        return Frame(raw, np.zeros(2), 0.0, 0.0, grow_ranges(None, raw), method, float("nan"),
                     note)  # fmt: skip
    aligned = procrustes_align(raw, prev.points)  # (n, 2)
    return Frame(aligned, np.zeros(2), residual(aligned, prev.points), residual(raw, prev.points),
                 grow_ranges(prev.ranges, aligned), method, movement(prev.points, aligned),
                 note)  # fmt: skip


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


def smoothing_window(examples_seen: np.ndarray, per_epoch: int) -> np.ndarray:
    """Examples averaged by the smoothed loss at each point: a quarter of what has been seen
    so far (so the first steep fall is not averaged away), at most half an epoch."""
    x = np.asarray(examples_seen, dtype=float)  # (n,)
    return np.clip(x / 4, 1.0, max(1.0, per_epoch / 2))  # (n,)


def smooth_loss(points, per_epoch: int) -> np.ndarray:
    """The loss per example averaged over the last examples, weighted by examples.

    points: (examples_seen, mean loss of that advance) pairs, in order; an advance
    covers the examples since the previous point. The value at a point is the mean
    loss of the examples in the trailing ``smoothing_window`` (an advance that starts
    before the window counts with the part that lies inside it), so it does not lag
    behind by a fixed number of points however large the ticks are, and after the
    last tick it is the recent loss the metric reports.
    """
    if not len(points):
        return np.zeros(0)
    x = np.array([p[0] for p in points], dtype=float)  # (n,) end of each advance
    y = np.array([p[1] for p in points], dtype=float)  # (n,) its mean loss
    start = np.concatenate([[min(0.0, x[0])], x[:-1]])  # (n,) where each advance began
    count = x - start  # (n,) examples in each advance
    cw, cwy = np.cumsum(count), np.cumsum(count * y)  # (n,) running sums
    lo = x - smoothing_window(x, per_epoch)  # (n,) the window of point i is (lo_i, x_i]
    j = np.minimum(np.searchsorted(x, lo, side="right"), np.arange(len(x)))  # (n,) first tick in
    part = x[j] - np.maximum(start[j], lo)  # (n,) examples of tick j inside the window
    w = part + cw - cw[j]  # (n,) tick j's part, then the whole ticks j+1..i
    wy = part * y[j] + cwy - cwy[j]  # (n,)
    return np.where(w > 0, wy / np.where(w > 0, w, 1.0), y)  # (n,)


def epoch_markers(epoch_end, epoch_loss) -> list[tuple[int, float]]:
    """(examples seen at the end of epoch e, mean loss of epoch e) for the finished epochs."""
    return list(zip(epoch_end, epoch_loss, strict=True))


# ---- pace: how many examples one tick trains ------------------------------------------

LECTURE_TICKS = 60  # the lecture pace spreads a whole run over about this many ticks
PACES = {
    "slow": "Slow",
    "lecture": "Lecture",
    "fast": "Fast",
}
PACE_HELP = (
    "**Slow**: one example per tick, so each tick outlines the few rows one update changes. "
    f"**Lecture**: starts with single examples and speeds up, so that the whole run takes "
    f"about {LECTURE_TICKS} ticks (a minute). **Fast**: as many examples as the engine trains "
    "in a tick."
)


def lecture_growth(total: int, ticks: int = LECTURE_TICKS) -> float:
    """The growth factor g > 1 with 1 + g + g² + ... (``ticks`` terms) = total examples."""
    total = max(int(total), ticks + 1)
    lo, hi = 1.0 + 1e-9, 2.0
    while (hi**ticks - 1) / (hi - 1) < total:  # very long runs: widen the bracket
        hi *= 2
    for _ in range(100):  # bisection: the geometric sum grows with g
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if (mid**ticks - 1) / (mid - 1) < total else (lo, mid)
    return hi


def tick_examples(pace: str, seen: int, total: int) -> int | None:
    """Examples the next tick trains at this pace (None: as many as fit in the tick's time).

    Lecture: after t ticks of 1, g, g², ... examples, seen = (g^t - 1) / (g - 1), so the
    next tick's g^t is 1 + (g - 1) * seen: the pace depends only on where training is, and
    a pause, a Step or a Run does not disturb it.
    """
    if pace == "slow":
        return 1
    if pace == "lecture":
        return max(1, int(round(1 + (lecture_growth(total) - 1) * seen)))
    return None


def step_table(step, words, loss: str) -> dict[str, list[str]]:
    """The words of one Step, role by role, with the rows they occupy (a table's columns).

    Skip-gram: the target is the input (its row of W_in is h) and one context word is
    predicted; CBOW: the context words are the inputs and the target is predicted. The
    rows of W_out scored are the predicted word and the noise words (negative sampling),
    every word (softmax), or the inner nodes on the predicted word's path (hierarchical).
    """
    skipgram = step.model == "skipgram"
    roles, shown, rows = [], [], []
    for i in step.inputs:
        roles.append("input: target word" if skipgram else "input: context word")
        shown.append(words[int(i)])
        rows.append(f"W_in row {int(i)}")
    roles.append("to predict: context word" if skipgram else "to predict: target word")
    shown.append(words[step.output])
    rows.append("W_out row " + str(step.output) if loss != "hs" else "via its tree path")
    if loss == "negative":
        for j in step.negatives:
            roles.append("noise word (label 0)")
            shown.append(words[int(j)])
            rows.append(f"W_out row {int(j)}")
    elif loss == "softmax":
        roles.append("every other word")
        shown.append(f"all {len(words) - 1} of them")
        rows.append("every row of W_out")
    else:
        roles.append("inner nodes on its path")
        shown.append(", ".join(f"node {int(n)}" for n in step.path))
        rows.append("those rows of W_out")
    return {"role": roles, "word": shown, "row it uses": rows}


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


# ---- small sums the page shows ---------------------------------------------------------

MAX_TRACK = 120  # projection frames kept for the replay (thinned, like the loss history)


def record(track: tuple, examples_seen: int, frame: Frame, max_len: int = MAX_TRACK) -> tuple:
    """A new replay track with this frame added: (examples seen, method, points) triples.

    The track follows one projection: another method or another number of points starts
    a new track. A frame at the same examples_seen replaces the last one. When full, every
    other frame is dropped (the first and the newest stay), so the whole run stays in view.
    """
    item = (int(examples_seen), frame.method, frame.points)
    if track and (track[-1][1] != frame.method or track[-1][2].shape != frame.points.shape):
        track = ()
    if track and track[-1][0] == item[0]:
        return (*track[:-1], item)
    out = (*track, item)
    if len(out) > max_len:
        out = (*out[:-1:2], out[-1])
    return out


def track_ranges(track: tuple):
    """Axis ranges holding every frame of a track."""
    ranges = None
    for _, _, P in track:
        ranges = grow_ranges(ranges, P)
    return ranges


def groups(words, categories: dict, on: bool = True) -> list[str] | None:
    """Each word's category (or "other"); None when colouring is off or there are none."""
    return [categories.get(w, "other") for w in words] if categories and on else None


def heat_scale(prev: float, *blocks: np.ndarray) -> float:
    """The heatmaps' colour limit: the largest |weight| shown so far (it only grows, so a
    colour means the same value on every tick)."""
    return max(float(prev), *(float(np.abs(b).max()) if b.size else 0.0 for b in blocks), 1e-6)


def start_loss(k: int) -> float:
    """Negative sampling's loss while W_out = 0: k + 1 questions answered σ(0) = 1/2."""
    return float((k + 1) * np.log(2))


def add_score(scores: list, examples_seen: int, score: float, max_len: int = 500) -> list:
    """The ground-truth series with (examples seen, score) added once per model state."""
    if scores and scores[-1][0] == examples_seen:
        return scores
    return [*scores, (examples_seen, score)][-max_len:]


def watch_default(words, kept) -> list[str]:
    """The watch list kept valid for a vocabulary: the known words of ``kept``, else a few
    telling words, else the first two."""
    known = set(words)
    out = [w for w in kept or () if w in known]
    if not out:
        out = [w for w in ("king", "queen", "apple", "dog", "car") if w in known][:3]
    return out or list(words[:2])


def out_rows(tr, top: int, changed) -> tuple[np.ndarray, list[str], list[int]]:
    """The rows of W_out the heatmap shows, their labels, and which of them are outlined.

    Words: the top rows. Hierarchical softmax: W_out's rows are the Huffman tree's inner
    nodes, so the ``top`` nodes nearest the root (the most often updated), "node n".
    """
    if tr.config.loss == "hs":
        ids = np.asarray(tr.tree_.top_nodes(top))  # (top,) node ids
        names = [f"node {n}" for n in ids]
    else:
        ids, names = np.arange(top), list(tr.words_[:top])  # (top,)
    return ids, names, np.flatnonzero(np.isin(ids, changed)).tolist()
