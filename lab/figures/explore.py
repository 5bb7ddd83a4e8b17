"""Figures of the Explore-and-share page: analogy arithmetic, similarity, 2-D/3-D projections.

Pure functions: data in, ``go.Figure`` out. Axis ranges are fixed and
``uirevision`` is set, so a user's zoom survives a redraw.
"""

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from lab.figures import PALETTE, label, labels, padded_range, scatter_draft
from lab.figures.draft import Draft
from lab.figures.train import DIVERGING, heatmap_draft

MAX_CELL_TEXT = 25  # heatmaps write their values in the cells up to this many columns
MAX_LABELS = 150  # in 3-D, above this many points only the highlighted words carry a label


def analogy_figure(
    labels: Sequence[str], rows: np.ndarray, cos_answer: float, title: str = ""
) -> go.Figure:
    """The d components of v_a, v_b, v_c, b − a + c and the answer, one row each.

    rows: (5, d) unit vectors of a, b, c, the (not unit) target b − a + c, unit answer.
    """
    rows = np.asarray(rows, dtype=float)  # (5, d)
    d = rows.shape[1]
    fig = heatmap_draft(
        rows, labels, title=title or f"cos(answer, b − a + c) = {cos_answer:.3f}",
        zmax=float(np.abs(rows).max()) or 1.0, height=300, cell_text=d <= MAX_CELL_TEXT,
    )  # fmt: skip
    # a line between the inputs (a, b, c) and what is built from them
    fig.add_shape(
        type="line", x0=-0.5, x1=d - 0.5, y0=2.5, y1=2.5, line=dict(color="#111", width=2)
    )
    return fig.figure()


def similarity_figure(words: Sequence[str], S: np.ndarray, title: str = "") -> go.Figure:
    """Cosine similarity of every pair of words, the value written in each cell."""
    S = np.asarray(S, dtype=float)  # (n, n)
    n = len(words)
    show_text = n <= MAX_CELL_TEXT
    shown = labels(words)
    fig = Draft(
        go.Heatmap(
            z=S,
            x=shown,
            y=shown,
            zmin=-1,
            zmax=1,
            zmid=0,
            colorscale=DIVERGING,
            colorbar=dict(thickness=12, len=0.9, title="cosine"),
            texttemplate="%{z:.2f}" if show_text else None,
            hovertemplate="cos(%{y}, %{x}) = %{z:.3f}<extra></extra>",
        )
    )
    fig.update_layout(
        title=title,
        xaxis=dict(range=[-0.5, n - 0.5], tickangle=-45, side="bottom", type="category"),
        yaxis=dict(autorange="reversed", range=[n - 0.5, -0.5], type="category"),
        height=max(320, min(900, 120 + 34 * n)),
        margin=dict(l=10, r=10, t=50 if title else 20, b=40),
        uirevision="keep",
    )
    return fig.figure()


def projection_figure(
    points: np.ndarray,
    words: Sequence[str],
    groups: Sequence[str] | None,
    axis_titles: Sequence[str],
    highlight: Sequence[str] = (),
    title: str = "",
) -> go.Figure:
    """Words in 2-D or 3-D (the number of columns of ``points``), highlighted words outlined.

    In 2-D, labels that would overlap are left to the hover text (highlighted words are
    always labelled); in 3-D, above MAX_LABELS points only the highlighted words are.
    """
    points = np.asarray(points, dtype=float)  # (n, 2) or (n, 3)
    if points.shape[1] == 2:
        fig = scatter_draft(
            points, words, groups, title=title, axis_titles=tuple(axis_titles),
            highlight=highlight, label_px=(640.0, 520.0),
        )  # fmt: skip
        fig.update_layout(height=600)
        return fig.figure()
    return _projection_3d(points, words, groups, axis_titles, highlight, title)


def _projection_3d(points, words, groups, axis_titles, highlight, title) -> go.Figure:
    groups = list(groups) if groups is not None else ["words"] * len(words)
    with_text = len(words) <= MAX_LABELS
    shown = labels(words)
    fig = Draft()
    for i, g in enumerate(dict.fromkeys(groups)):
        idx = [j for j, gj in enumerate(groups) if gj == g]
        fig.add_trace(
            go.Scatter3d(
                x=points[idx, 0],
                y=points[idx, 1],
                z=points[idx, 2],
                mode="markers+text" if with_text else "markers",
                text=[shown[j] for j in idx],
                name=label(g),
                marker=dict(size=4, color=PALETTE[i % len(PALETTE)]),
                hovertemplate="%{text}<extra>" + label(g) + "</extra>",
            )
        )
    lit = set(highlight)
    idx = [j for j, w in enumerate(words) if w in lit]
    if idx:
        fig.add_trace(
            go.Scatter3d(
                x=points[idx, 0], y=points[idx, 1], z=points[idx, 2], mode="markers+text",
                text=[shown[j] for j in idx], name="highlighted",
                marker=dict(size=11, symbol="circle-open", color="black", line=dict(width=3)),
                textfont=dict(size=14, color="black"), hoverinfo="skip",
            )
        )  # fmt: skip
    axes = {
        name: dict(title=axis_titles[k], range=padded_range(points[:, k]))
        for k, name in enumerate(("xaxis", "yaxis", "zaxis"))
    }
    fig.update_layout(
        title=title,
        scene=dict(**axes, aspectmode="cube"),
        uirevision="keep",
        margin=dict(l=0, r=0, t=50 if title else 20, b=0),
        legend=dict(orientation="h", y=-0.05),
        height=650,
    )
    return fig.figure()
