"""Plotly figure builders: plain data in, ``go.Figure`` out. No Streamlit here.

Every figure fixes its axis ranges and sets ``uirevision`` so that a user's
zoom survives redraws with new data.
"""

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from lab.figures.labels import place_labels

PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip


def padded_range(values: np.ndarray, pad: float = 0.12) -> list[float]:
    lo, hi = float(np.min(values)), float(np.max(values))
    span = hi - lo if hi > lo else 1.0
    return [lo - pad * span, hi + pad * span]


def scatter_words(
    points: np.ndarray,
    words: Sequence[str],
    groups: Sequence[str] | None = None,
    title: str = "",
    axis_titles: tuple[str, str] = ("PC 1", "PC 2"),
    ranges: tuple[list[float], list[float]] | None = None,
    highlight: Sequence[str] = (),
    label_px: tuple[float, float] = (560.0, 400.0),
    prefer: dict[str, str] | None = None,
) -> go.Figure:
    """Labelled 2-D scatter of words, one trace per group (so the legend names groups).

    Labels are placed so that they do not overlap (``labels.place_labels``, for a plot
    area of about ``label_px`` pixels); words on the same spot share one label, the
    highlighted words are always labelled and outlined, and hovering names every point.
    """
    points = np.asarray(points, dtype=float)  # (n, 2)
    groups = list(groups) if groups is not None else ["words"] * len(words)
    xr, yr = (
        ranges if ranges is not None else (padded_range(points[:, 0]), padded_range(points[:, 1]))
    )
    lab = place_labels(points, words, (xr, yr), label_px, always=highlight, prefer=prefer)
    fig = go.Figure()
    for i, g in enumerate(dict.fromkeys(groups)):
        idx = [j for j, gj in enumerate(groups) if gj == g]
        fig.add_trace(
            go.Scatter(
                x=points[idx, 0],
                y=points[idx, 1],
                mode="markers+text",
                text=[lab.text[j] for j in idx],
                textposition=[lab.position[j] for j in idx],
                hovertext=[words[j] for j in idx],
                name=str(g),
                marker=dict(size=9, color=PALETTE[i % len(PALETTE)]),
                hovertemplate="%{hovertext}<br>(%{x:.3f}, %{y:.3f})<extra>" + str(g) + "</extra>",
            )
        )
    if highlight:
        idx = [j for j, w in enumerate(words) if w in set(highlight)]
        fig.add_trace(
            go.Scatter(
                x=points[idx, 0], y=points[idx, 1], mode="markers", name="highlighted",
                marker=dict(size=18, color="rgba(0,0,0,0)", line=dict(width=2, color="black")),
                hoverinfo="skip",
            )
        )  # fmt: skip
    fig.update_layout(
        title=title,
        xaxis=dict(title=axis_titles[0], range=xr, zeroline=False),
        yaxis=dict(title=axis_titles[1], range=yr, zeroline=False),
        uirevision="keep",
        margin=dict(l=40, r=20, t=50 if title else 20, b=40),
        legend=dict(orientation="h", y=-0.15),
        height=480,
        meta=dict(hidden_labels=lab.hidden),
    )
    return fig


def label_positions(fig: go.Figure) -> dict[str, str]:
    """word -> text position of the labelled points of a ``scatter_words`` figure (to keep
    labels where they were in the next frame)."""
    out = {}
    for t in fig.data:
        if t.hovertext is None or t.textposition is None or isinstance(t.textposition, str):
            continue
        for w, txt, pos in zip(t.hovertext, t.text, t.textposition, strict=True):
            if txt:
                out[w] = pos
    return out
