"""Figures of the "Count vs predict" page: the shifted-PMI scatter and its correlation over time.

Pure functions: data in, ``go.Figure`` out. Axis ranges come from the caller
(they only grow), and ``uirevision`` keeps the user's zoom across ticks.
"""

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from lab.figures import labels as escaped
from lab.figures.draft import Draft
from lab.figures.train import series_figure


def pmi_scatter(
    x: np.ndarray,
    y: np.ndarray,
    labels: Sequence[str],
    counts: np.ndarray,
    axis_range: tuple[float, float],
    k: int,
) -> go.Figure:
    """Model scores against PMI_α − log k, one point per pair (w, c), with the line y = x.

    x: (n,) PMI_α(w, c) − log k (noise ∝ count^α); y: (n,) W_in[w]·W_out[c]; counts: (n,)
    C[w, c] (colour).
    """
    x, y = np.asarray(x, float), np.asarray(y, float)  # (n,), (n,)
    r = [float(axis_range[0]), float(axis_range[1])]
    fig = Draft()
    fig.add_trace(
        go.Scatter(
            x=r, y=r, mode="lines", name="y = x (the SGNS optimum)",
            line=dict(color="#444", dash="dash", width=1.5), hoverinfo="skip",
        )
    )  # fmt: skip
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="markers",
            name="pairs (w, c) with C[w, c] > 0",
            text=escaped(labels),
            customdata=np.asarray(counts, float),
            marker=dict(
                size=6,
                color=np.log10(np.asarray(counts, float)),
                colorscale="Viridis",
                colorbar=dict(title="log₁₀ C", thickness=12),
                opacity=0.7,
                line=dict(width=0),
            ),
            hovertemplate="%{text}<br>PMI_α − log k = %{x:.3f}<br>W_in·W_out = %{y:.3f}"
            "<br>C = %{customdata:.0f}<extra></extra>",
        )
    )
    fig.update_layout(
        xaxis=dict(title=f"PMI_α(w, c) − log {k}", range=r, zeroline=True),
        yaxis=dict(
            title="W_in[w] · W_out[c]",
            range=r,
            zeroline=True,
            scaleanchor="x",
            scaleratio=1,
            constrain="domain",
        ),  # one unit is as long on both axes: y = x is the diagonal
        height=480,
        margin=dict(l=50, r=10, t=20, b=40),
        legend=dict(orientation="h", y=-0.18),
        uirevision="count-scatter",
    )
    return fig.figure()


def correlation_series(
    points: Sequence[tuple[int, float]], ranges: tuple[tuple[float, float], tuple[float, float]]
) -> go.Figure:
    """Pearson correlation of the scatter against examples seen (fixed, growing ranges)."""
    return series_figure(points, "correlation r", ranges[1], x_range=ranges[0], height=300)
