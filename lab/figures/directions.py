"""Figures of "Meaning as directions": words on semantic axes, pairs as arrows, a ranking.

Pure functions: data in, ``go.Figure`` out.
"""

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from lab.figures import scatter_draft
from lab.figures.draft import Draft
from lab.figures.style import FONT, PALETTE


def plane_figure(
    points: np.ndarray,
    words: Sequence[str],
    groups: Sequence[str] | None,
    arrows: Sequence[tuple[int, int]],
    axis_titles: tuple[str, str],
    highlight: Sequence[str] = (),
    arrow_colours: Sequence[str] | None = None,
) -> go.Figure:
    """Words on two semantic axes, with an arrow from a to b for each pair (a, b).

    ``arrow_colours``: one colour per arrow (default: the palette in turn).

    Parallel arrows of equal length are what an analogy looks like: king → queen beside
    man → woman.
    """
    P = np.asarray(points, dtype=float)  # (n, 2)
    lo, hi = P.min(axis=0), P.max(axis=0)  # (2,)
    pad = 0.15 * np.maximum(hi - lo, 1e-6)
    ranges = ([lo[0] - pad[0], hi[0] + pad[0]], [lo[1] - pad[1], hi[1] + pad[1]])
    fig = scatter_draft(P, words, groups, axis_titles=axis_titles, ranges=ranges,
                        highlight=highlight, label_px=(600.0, 440.0))  # fmt: skip
    for k, (i, j) in enumerate(arrows):
        fig.add_annotation(
            x=P[j, 0], y=P[j, 1], ax=P[i, 0], ay=P[i, 1], xref="x", yref="y", axref="x",
            ayref="y", showarrow=True, arrowhead=3, arrowsize=1.2, arrowwidth=2,
            arrowcolor=arrow_colours[k] if arrow_colours else PALETTE[(k + 3) % len(PALETTE)],
            opacity=0.8, text="",
        )  # fmt: skip
    fig.update_layout(font=FONT, height=540, uirevision="directions")
    return fig.figure()


def ranking_figure(words: Sequence[str], values: np.ndarray, axis_title: str) -> go.Figure:
    """Words sorted along one semantic axis (a horizontal bar per word)."""
    values = np.asarray(values, dtype=float)  # (n,)
    order = np.argsort(values)  # (n,)
    fig = Draft(
        go.Bar(
            x=values[order],
            y=[words[i] for i in order],
            orientation="h",
            marker_color=[PALETTE[0] if v >= 0 else PALETTE[3] for v in values[order]],
            hovertemplate="%{y}: %{x:.3f}<extra></extra>",
        )
    )
    fig.update_layout(
        xaxis=dict(title=axis_title, range=[-1, 1], zeroline=True),
        yaxis=dict(dtick=1, tickfont=dict(size=13)),
        height=max(300, 60 + 20 * len(order)),
        margin=dict(l=10, r=10, t=20, b=40),
        font=FONT,
        uirevision="ranking",
    )
    return fig.figure()
