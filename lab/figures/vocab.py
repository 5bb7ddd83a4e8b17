"""Figures of page 1 (text and vocabulary): Zipf plot, V against min_count, one-hot vectors.

Pure builders: arrays in, ``go.Figure`` out, no Streamlit. Axis ranges are fixed
and ``uirevision`` is set so a user's zoom survives redraws.
"""

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from lab.figures import PALETTE, Escaped
from lab.figures import labels as escaped
from lab.figures.draft import Draft

FONT = dict(size=14)
GREY = "#9a9a9a"
ONE_HOT_SCALE = [[0.0, "#f7f7f7"], [1.0, PALETTE[0]]]  # 0 pale grey, 1 blue
COSINE_SCALE = "RdBu"  # diverging, colour-blind safe; white at 0
# what COSINE_SCALE shows, for captions (plotly's RdBu runs red at zmin to blue at zmax)
COSINE_COLOURS = "blue = +1 (same direction), white = 0, red = −1 (opposite)"


def _log_range(lo: float, hi: float) -> list[float]:
    """A log10 axis range with some air around [lo, hi] (both > 0)."""
    return [float(np.log10(lo)) - 0.1, float(np.log10(max(hi, lo))) + 0.15]


def log_ticks(lo: float, hi: float) -> list[float]:
    """Readable ticks for a log axis spanning [lo, hi]: 1, 2, 5, 10, 20, 50, ...

    Powers of ten only when that would make more than 12 ticks.
    """
    lo, hi = max(float(lo), 1e-12), max(float(hi), float(lo))
    exps = range(int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi))) + 1)
    out = [m * 10.0**e for e in exps for m in (1, 2, 5) if lo <= m * 10.0**e <= hi]
    if len(out) > 12:
        out = [10.0**e for e in exps if lo <= 10.0**e <= hi]
    return out


def zipf_figure(
    words: Sequence[str],
    counts: np.ndarray,
    kept: np.ndarray,
    shown: np.ndarray | None = None,
    min_count: int = 1,
    n_labels: int = 3,
) -> go.Figure:
    """Rank against count on log-log axes; words removed by min_count in grey.

    ``words``/``counts``/``kept`` cover every distinct token by descending count;
    ``shown`` (indices) thins the points for very large vocabularies. A dashed
    line is Zipf's law through the top word (count ∝ 1/rank).
    """
    counts = np.asarray(counts, dtype=np.int64)
    kept = np.asarray(kept, dtype=bool)
    words = Escaped(words)  # Plotly text: every word escaped
    n = len(counts)
    idx = np.arange(n) if shown is None else np.asarray(shown, dtype=np.int64)
    rank = idx + 1
    fig = Draft()
    for mask, name, color in (
        (kept[idx], "in the vocabulary (has an id)", PALETTE[0]),
        (~kept[idx], f"dropped (count < min_count = {min_count})", GREY),
    ):
        if not mask.any():
            continue
        sel = idx[mask]
        fig.add_trace(
            go.Scattergl(
                x=rank[mask], y=counts[sel], mode="markers", name=name,
                marker=dict(size=7, color=color),
                customdata=[words[i] for i in sel],
                hovertemplate="%{customdata}<br>rank %{x}, count %{y}<extra></extra>",
            )
        )  # fmt: skip
    ymax = float(counts.max()) * 1.3 if n else 1.0
    top = np.arange(min(n_labels, n))
    fig.add_trace(
        go.Scatter(
            x=top + 1, y=counts[top], mode="text", text=[words[i] for i in top],
            textposition="top right", showlegend=False, hoverinfo="skip",
            textfont=dict(size=13),
        )
    )  # fmt: skip
    r = np.geomspace(1, max(n, 1), 50)
    fig.add_trace(
        go.Scatter(
            x=r, y=counts[0] / r, mode="lines", name="Zipf's law: count ∝ 1 / rank",
            line=dict(dash="dash", color=PALETTE[1], width=2), hoverinfo="skip",
        )
    )  # fmt: skip
    if min_count > 1:
        fig.add_hline(
            y=min_count, line=dict(color=PALETTE[3], dash="dot"),
            annotation_text=f"min_count = {min_count}", annotation_position="top right",
        )  # fmt: skip
    fig.update_layout(
        xaxis=dict(title="rank r (1 = most frequent word = id 0)", type="log",
                   range=_log_range(0.8, n * 1.5), tickvals=log_ticks(1, n)),
        yaxis=dict(title="count (times seen in the corpus)", type="log",
                   range=_log_range(0.7, ymax), tickvals=log_ticks(1, ymax)),
        uirevision="zipf", font=FONT, height=420,
        margin=dict(l=60, r=20, t=30, b=50), legend=dict(orientation="h", y=-0.2),
    )  # fmt: skip
    return fig.figure()


def vocab_size_figure(
    min_counts: np.ndarray, sizes: np.ndarray, current: int, preview: int | None = None
) -> go.Figure:
    """Vocabulary size V against min_count, with the sidebar's value (and a preview) marked."""
    min_counts = np.asarray(min_counts)
    sizes = np.asarray(sizes)
    fig = Draft(
        go.Scatter(
            x=min_counts, y=sizes, mode="lines+markers", name="V kept",
            line=dict(shape="hv", color=PALETTE[0]), marker=dict(size=5),
            hovertemplate="min_count %{x}: V = %{y}<extra></extra>",
        )
    )  # fmt: skip
    marks = [(current, "sidebar", PALETTE[3])]
    if preview is not None and preview != current:
        marks.append((preview, "preview", PALETTE[1]))
    for (m, label, color), where in zip(marks, ("top right", "bottom right"), strict=False):
        if min_counts[0] <= m <= min_counts[-1]:
            v = int(sizes[m - min_counts[0]])
            fig.add_trace(
                go.Scatter(
                    x=[m], y=[v], mode="markers+text", name=f"{label}: min_count = {m}",
                    marker=dict(size=13, color=color, symbol="diamond"),
                    text=[f"V = {v}"], textposition=where, hoverinfo="skip",
                )
            )  # fmt: skip
    fig.update_layout(
        xaxis=dict(title="min_count", range=[min_counts[0] - 0.5, min_counts[-1] + 0.5]),
        yaxis=dict(title="vocabulary size V (rows of W_in)", range=[0, sizes.max() * 1.15 + 1]),
        uirevision="vocab-size", font=FONT, height=320,
        margin=dict(l=60, r=20, t=20, b=50), legend=dict(orientation="h", y=-0.3),
    )  # fmt: skip
    return fig.figure()


def one_hot_figure(
    X: np.ndarray, words: Sequence[str], columns: np.ndarray, vocab_words: Sequence[str]
) -> go.Figure:
    """The one-hot rows x_w (only ``columns`` of them when V is wide), one word per row."""
    X = np.asarray(X, dtype=float)
    columns = np.asarray(columns, dtype=np.int64)
    Z = X[:, columns]  # (n, m)
    labels = escaped(f"{i} {vocab_words[i]}" for i in columns)
    rows = escaped(f"x_{w}" for w in words)
    fig = Draft(
        go.Heatmap(
            z=Z, x=labels, y=rows, zmin=0, zmax=1, colorscale=ONE_HOT_SCALE, showscale=False,
            text=Z.astype(int).astype(str), texttemplate="%{text}", textfont=dict(size=13),
            xgap=1, ygap=1,
            hovertemplate="%{y}[%{x}] = %{z:.0f}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_layout(
        xaxis=dict(title="position in x_w = word id (showing id and word)", side="top",
                   tickangle=-60, range=[-0.5, len(columns) - 0.5], tickfont=dict(size=12)),
        yaxis=dict(range=[len(rows) - 0.5, -0.5], tickfont=dict(size=14)),
        uirevision="one-hot", font=FONT, height=170 + 34 * len(rows),
        margin=dict(l=90, r=20, t=130, b=10),
    )  # fmt: skip
    return fig.figure()


def similarity_heatmap(
    S: np.ndarray, labels: Sequence[str], title: str = "", colorbar: str = "cos"
) -> go.Figure:
    """An annotated cosine-similarity matrix on a fixed -1..1 diverging scale."""
    S = np.asarray(S, dtype=float)
    n = len(labels)
    fig = Draft(
        go.Heatmap(
            z=S, x=escaped(labels), y=escaped(labels), zmin=-1, zmax=1, colorscale=COSINE_SCALE,
            text=np.vectorize(lambda v: f"{v:.2f}")(S) if S.size else S,
            texttemplate="%{text}", textfont=dict(size=14), xgap=1, ygap=1,
            colorbar=dict(title=colorbar),
            hovertemplate="cos(%{y}, %{x}) = %{z:.3f}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_layout(
        title=title,
        xaxis=dict(range=[-0.5, n - 0.5], side="bottom", tickfont=dict(size=14), type="category"),
        yaxis=dict(range=[n - 0.5, -0.5], tickfont=dict(size=14), type="category"),
        uirevision="similarity", font=FONT, height=140 + 45 * n,
        margin=dict(l=80, r=20, t=50 if title else 20, b=60),
    )  # fmt: skip
    return fig.figure()
