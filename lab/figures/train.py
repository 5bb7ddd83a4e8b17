"""Figures of the live-training page: weight heatmaps, loss, projection, time-lapse.

Pure functions: data in, ``go.Figure`` out. Colour scales are fixed by the
caller (``zmax``) and axes have fixed ranges, so redraws do not flicker.
"""

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from lab.figures import label, labels, scatter_draft
from lab.figures.draft import Draft
from lab.figures.style import DIVERGING, PALETTE, TICK


def heatmap_draft(
    W: np.ndarray,
    words: Sequence[str],
    changed: Sequence[int] = (),
    title: str = "",
    zmax: float | None = None,
    height: int | None = None,
    cell_text: bool = False,
) -> Draft:
    """Rows of a weight matrix as a heatmap, word labels on y, changed rows outlined.

    W: (n, d) the rows shown; changed: row positions (0..n-1) updated in the last tick;
    cell_text writes each value in its cell.
    """
    W = np.asarray(W, dtype=float)  # (n, d)
    n, d = W.shape
    zmax = float(zmax) if zmax else float(np.abs(W).max() or 1.0)
    fig = Draft(
        go.Heatmap(
            z=W,
            x=list(range(d)),
            y=labels(words),
            zmin=-zmax,
            zmax=zmax,
            zmid=0,
            colorscale=DIVERGING,
            colorbar=dict(thickness=12, len=0.9),
            texttemplate="%{z:.2f}" if cell_text else None,
            hovertemplate="%{y}, dim %{x}: %{z:.4f}<extra></extra>",
        )
    )
    outline = dict(color="#111", width=2)
    fig.update_layout(
        # one list for all outlines: add_shape per row re-validates every earlier shape
        shapes=[
            dict(
                type="rect",
                x0=-0.5,
                x1=d - 0.5,
                y0=r - 0.5,
                y1=r + 0.5,
                line=outline,
                fillcolor="rgba(0,0,0,0)",
            )
            for r in changed
        ],  # fmt: skip
        title=title,
        xaxis=dict(title="dimension", range=[-0.5, d - 0.5]),
        yaxis=dict(
            autorange="reversed",
            range=[n - 0.5, -0.5],
            tickfont=dict(size=TICK),
            dtick=1,
            type="category",
        ),  # fmt: skip
        height=height or max(260, min(900, 60 + 18 * n)),
        margin=dict(l=10, r=10, t=40, b=40),
        uirevision="keep",
    )
    return fig


def matrix_heatmap(*args, **kwargs) -> go.Figure:
    """``heatmap_draft``, built: the figure as it is drawn."""
    return heatmap_draft(*args, **kwargs).figure()


def loss_figure(
    ticks: Sequence[tuple[int, float]],
    smoothed: Sequence[float],
    epochs: Sequence[tuple[int, float]],
    height: int = 300,
) -> go.Figure:
    """Loss per example: per tick (faint), smoothed (bold), and per finished epoch (markers
    at the example where each epoch ended: ``epochs`` holds (examples seen, mean loss))."""
    x = [t[0] for t in ticks]
    fig = Draft()
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[t[1] for t in ticks],
            mode="lines",
            name="per tick",
            line=dict(color="#9ecae1", width=1),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=list(smoothed),
            mode="lines",
            name="smoothed",
            line=dict(color=PALETTE[0], width=3),
        )
    )
    if len(epochs):
        fig.add_trace(
            go.Scatter(
                x=[e[0] for e in epochs],
                y=[e[1] for e in epochs],
                mode="markers+lines",
                name="per epoch",
                marker=dict(size=9, color=PALETTE[1]),
                line=dict(dash="dot"),
                hovertemplate="epoch end at %{x:,} examples: %{y:.3f}<extra></extra>",
            )
        )
    fig.update_layout(
        xaxis_title="examples seen",
        yaxis_title="loss per example",
        height=height,
        margin=dict(l=40, r=10, t=30, b=40),
        legend=dict(orientation="h", y=1.15),
        uirevision="keep",
    )
    return fig.figure()


def series_figure(
    points: Sequence[tuple[int, float]],
    y_title: str,
    y_range=(0.0, 1.0),
    x_range=None,
    height: int = 260,
) -> go.Figure:
    """A score over training (e.g. the ground-truth neighbour score), against examples seen."""
    fig = Draft(
        go.Scatter(
            x=[p[0] for p in points],
            y=[p[1] for p in points],
            mode="lines+markers",
            line=dict(color=PALETTE[2], width=3),
            marker=dict(size=5),
            hovertemplate="%{x:,} examples: %{y:.3f}<extra></extra>",
        )
    )
    fig.update_layout(
        xaxis=dict(title="examples seen", range=None if x_range is None else list(x_range)),
        yaxis=dict(title=y_title, range=list(y_range)),
        height=height,
        margin=dict(l=50, r=10, t=20, b=40),
        uirevision="keep",
    )
    return fig.figure()


def projection_figure(
    points, words, groups, ranges, axis_titles, highlight=(), prefer=None, height: int = 520
) -> go.Figure:
    """The live 2-D projection with fixed ranges; labels keep the previous frame's
    positions (``prefer``) where they still fit."""
    fig = scatter_draft(
        points, words, groups, ranges=ranges, axis_titles=axis_titles, highlight=highlight,
        label_px=(520.0, height - 110.0), prefer=prefer,
    )  # fmt: skip
    fig.update_layout(height=height)
    return fig.figure()


def timelapse_figure(
    frames: Sequence[tuple[str, np.ndarray]],
    words: Sequence[str],
    groups: Sequence[str],
    ranges,
) -> go.Figure:
    """Replay of aligned layouts as a Plotly animation (plays in the browser, no reruns)."""
    names = list(dict.fromkeys(groups))
    idx = {g: [i for i, gi in enumerate(groups) if gi == g] for g in names}
    shown = labels(words)

    def traces(P):
        return [
            go.Scatter(
                x=P[idx[g], 0],
                y=P[idx[g], 1],
                mode="markers+text",
                text=[shown[i] for i in idx[g]],
                textposition="top center",
                name=label(g),
                marker=dict(size=9, color=PALETTE[k % len(PALETTE)]),
            )
            for k, g in enumerate(names)
        ]

    label0, P0 = frames[0]
    fig = Draft(
        data=traces(P0),
        frames=[go.Frame(data=traces(P), name=label) for label, P in frames],
    )
    step = [
        dict(
            method="animate",
            label=label,
            args=[
                [label],
                dict(
                    mode="immediate",
                    frame=dict(duration=0, redraw=True),
                    transition=dict(duration=0),
                ),
            ],
        )
        for label, _ in frames
    ]
    fig.update_layout(
        xaxis=dict(range=ranges[0], title="PC 1"),
        yaxis=dict(range=ranges[1], title="PC 2"),
        height=540,
        margin=dict(l=40, r=10, t=30, b=40),
        updatemenus=[
            dict(
                type="buttons",
                showactive=False,
                x=0,
                y=1.12,
                xanchor="left",
                buttons=[
                    dict(
                        label="▶ Play",
                        method="animate",
                        args=[
                            None,
                            dict(
                                frame=dict(duration=250, redraw=True),
                                fromcurrent=True,
                                transition=dict(duration=150),
                            ),
                        ],
                    ),
                    dict(
                        label="⏸ Pause",
                        method="animate",
                        args=[[None], dict(mode="immediate", frame=dict(duration=0, redraw=False))],
                    ),
                ],
            )
        ],
        sliders=[dict(steps=step, currentvalue=dict(prefix="examples seen: "), pad=dict(t=40))],
    )
    return fig.figure()
