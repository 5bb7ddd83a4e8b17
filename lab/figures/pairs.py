"""Figures of page 3 (training pairs). Plain data in, ``go.Figure`` out; no Streamlit.

Colours are from the Okabe-Ito palette, which stays distinct for colour-blind readers.
"""

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from lab.escape import html
from lab.figures.draft import Draft

OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "black": "#000000",
}
SERIES_COLOURS = (OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["green"], OKABE_ITO["purple"])


def window_counts_figure(
    windows: Sequence[int],
    series: Mapping[str, Sequence[float]],
    current: int | None = None,
    cbow: float | None = None,
    title: str = "Training examples in one pass over the corpus",
) -> go.Figure:
    """Grouped bars: skip-gram pairs per pass for each window size, one bar per series.

    ``current`` marks the window in use; ``cbow`` draws the CBOW example count (one per
    token, whatever the window) as a dashed line.
    """
    windows = [int(w) for w in windows]
    fig = Draft()
    top = 0.0
    for i, (name, values) in enumerate(series.items()):
        values = np.asarray(values, dtype=float)
        top = max(top, float(values.max()) if len(values) else 0.0)
        fig.add_trace(
            go.Bar(
                x=windows,
                y=values,
                name=name,
                marker_color=SERIES_COLOURS[i % len(SERIES_COLOURS)],
                hovertemplate="window %{x}: %{y:,.0f} pairs<extra>" + name + "</extra>",
            )
        )
    if cbow is not None:
        top = max(top, float(cbow))
        fig.add_trace(
            go.Scatter(
                x=[min(windows) - 0.5, max(windows) + 0.5],
                y=[cbow, cbow],
                mode="lines",
                name="CBOW examples (any window)",
                line=dict(color=OKABE_ITO["black"], dash="dash", width=2),
                hovertemplate="CBOW: %{y:,.0f} examples<extra></extra>",
            )
        )
    if current is not None:
        fig.add_shape(  # a band over the sidebar's window, the plot's full height
            type="rect", x0=current - 0.5, x1=current + 0.5, xref="x", y0=0, y1=1,
            yref="y domain", fillcolor="rgba(0,0,0,0.08)", line_width=0,
        )  # fmt: skip
        fig.add_annotation(
            text=f"W = {current} (sidebar)", x=float(current), xanchor="center", xref="x",
            y=1, yanchor="top", yref="y domain", showarrow=False,
        )  # fmt: skip
    fig.update_layout(
        title=title,
        barmode="group",
        xaxis=dict(
            title="window W (context words on each side)",
            tickmode="array",
            tickvals=windows,
            range=[min(windows) - 0.5, max(windows) + 0.5] if windows else None,
        ),
        yaxis=dict(title="examples per pass", range=[0, 1.15 * top if top > 0 else 1.0]),
        uirevision="keep",
        legend=dict(orientation="h", y=-0.25),
        margin=dict(l=60, r=20, t=60, b=40),
        font=dict(size=14),
        height=400,
    )
    return fig.figure()


def radius_figure(
    words: Sequence[str],
    radius: Sequence[int],
    window: int,
    current: int | None = None,
    title: str = "Radius b drawn for each centre word",
) -> go.Figure:
    """Bars: the radius b of each word of a sentence (0 where subsampling removed it).

    ``words`` are shown as hover text only (escaped here); the x axis is the position t.
    ``current`` (the target on screen) is drawn in orange, the others in blue; a dashed
    line marks the window W, the largest radius.
    """
    radius = np.asarray(radius, dtype=int)
    pos = np.arange(len(radius))
    colours = [
        OKABE_ITO["orange"] if i == current else OKABE_ITO["blue"] for i in range(len(radius))
    ]
    fig = Draft(
        go.Bar(
            x=pos,
            y=radius,
            name="radius b",
            marker_color=colours,
            customdata=[html(w) for w in words],
            hovertemplate="t = %{x}: %{customdata}<br>b = %{y}<extra></extra>",
        )
    )
    fig.add_hline(
        y=window,
        line=dict(color=OKABE_ITO["black"], dash="dash", width=2),
        annotation_text=f"W = {window}",
        annotation_position="top left",
    )
    fig.update_layout(
        title=title,
        xaxis=dict(title="position t of the centre word", tickmode="auto"),
        yaxis=dict(title="radius b", range=[0, window + 0.6], dtick=1),
        showlegend=False,
        margin=dict(l=60, r=20, t=60, b=40),
        font=dict(size=14),
        height=260,
    )
    return fig.figure()
