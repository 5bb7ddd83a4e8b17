"""Figures of page 4 (negative sampling). Plain data in, ``go.Figure`` out; no Streamlit."""

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from lab.figures import labels as escaped
from lab.figures.draft import Draft
from lab.figures.pairs import OKABE_ITO

NOISE_COLOURS = (OKABE_ITO["sky"], OKABE_ITO["vermillion"], OKABE_ITO["green"], OKABE_ITO["blue"])


def noise_distribution_figure(
    words: Sequence[str],
    series: Mapping[str, Sequence[float]],
    y_max: float | None = None,
    highlight: str | None = None,
    title: str = "Noise distribution P_n(w)",
) -> go.Figure:
    """Grouped bars: one group per word, one bar per distribution (e.g. unigram, α, uniform).

    ``highlight`` names the series drawn with a dark outline (the one negatives come from);
    ``y_max`` fixes the y axis so that moving α does not rescale it.
    """
    words = escaped(words)
    fig = Draft()
    top = 0.0
    for i, (name, probs) in enumerate(series.items()):
        probs = np.asarray(probs, dtype=float)
        top = max(top, float(probs.max()) if len(probs) else 0.0)
        strong = name == highlight
        fig.add_trace(
            go.Bar(
                x=words,
                y=probs,
                name=name,
                marker=dict(
                    color=NOISE_COLOURS[i % len(NOISE_COLOURS)],
                    line=dict(color="black", width=1.5 if strong else 0),
                ),
                opacity=1.0 if strong or highlight is None else 0.75,
                hovertemplate="%{x}: %{y:.4f}<extra>" + name + "</extra>",
            )
        )
    y_top = y_max if y_max is not None else 1.15 * top
    fig.update_layout(
        title=title,
        barmode="group",
        xaxis=dict(
            title="word w (most frequent first)",
            tickangle=-45 if len(words) > 12 else 0,
            type="category",
        ),
        yaxis=dict(title="P_n(w)", range=[0, y_top if y_top > 0 else 1.0], tickformat=".0%"),
        uirevision="keep",
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
        margin=dict(l=60, r=20, t=90, b=80),
        font=dict(size=14),
        height=430,
    )
    return fig.figure()


def draws_figure(
    labels: Sequence[str],
    observed: Sequence[float],
    expected: Sequence[float],
    n: int,
    title: str = "",
) -> go.Figure:
    """Bars: share of ``n`` draws that fell on each word; markers: the probability it should
    have, with ± 2 standard deviations of a share of n draws (sqrt(p (1 - p) / n))."""
    labels = escaped(labels)
    observed = np.asarray(observed, dtype=float)
    expected = np.asarray(expected, dtype=float)
    spread = 2.0 * np.sqrt(expected * (1.0 - expected) / max(n, 1))
    fig = Draft()
    fig.add_trace(
        go.Bar(
            x=labels,
            y=observed,
            name=f"share of {n:,} draws",
            marker_color=OKABE_ITO["sky"],
            hovertemplate="%{x}: %{y:.4f} of the draws<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=expected,
            mode="markers",
            name="P_n(w) expected (± 2 s.d.)",
            marker=dict(symbol="diamond", size=10, color=OKABE_ITO["vermillion"]),
            error_y=dict(type="data", array=spread, color=OKABE_ITO["vermillion"], thickness=1.5),
            hovertemplate="%{x}: P_n = %{y:.4f}<extra></extra>",
        )
    )
    top = max(float(observed.max()) if len(observed) else 0.0,
              float((expected + spread).max()) if len(expected) else 0.0)  # fmt: skip
    fig.update_layout(
        title=title or f"{n:,} draws against P_n",
        xaxis=dict(title="word w", tickangle=-45 if len(labels) > 12 else 0, type="category"),
        yaxis=dict(
            title="share of draws", range=[0, 1.15 * top if top > 0 else 1.0], tickformat=".0%"
        ),  # fmt: skip
        uirevision="keep",
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
        margin=dict(l=60, r=20, t=90, b=80),
        font=dict(size=14),
        height=430,
    )
    return fig.figure()


def cost_figure(V: int, k: int, v_max: int = 1_000_000) -> go.Figure:
    """Dot products per training example as the vocabulary grows (log-log): full softmax
    needs V, negative sampling k + 1. The current corpus is marked on both lines."""
    grid = np.unique(np.r_[np.logspace(0, np.log10(max(v_max, V)), 60).round(), V]).astype(int)
    grid = grid[grid >= 2]
    fig = Draft()
    fig.add_trace(
        go.Scatter(x=grid, y=grid, mode="lines", name="full softmax: V",
                   line=dict(color=OKABE_ITO["vermillion"], width=3))
    )  # fmt: skip
    fig.add_trace(
        go.Scatter(x=grid, y=np.full(len(grid), k + 1), mode="lines",
                   name=f"negative sampling: k + 1 = {k + 1}",
                   line=dict(color=OKABE_ITO["blue"], width=3, dash="dash"))
    )  # fmt: skip
    fig.add_trace(
        go.Scatter(
            x=[V, V], y=[V, k + 1], mode="markers+text", name="this corpus",
            text=[f"V = {V:,}", f"{k + 1}"], textposition=["top left", "bottom right"],
            marker=dict(size=12, color=OKABE_ITO["black"], symbol="circle"),
        )
    )  # fmt: skip
    fig.update_layout(
        title="Output scores per training example",
        xaxis=dict(title="vocabulary size V", type="log",
                   range=[np.log10(2), np.log10(max(v_max, V)) + 0.1]),
        yaxis=dict(title="dot products u_w · v_c", type="log",
                   range=[0, np.log10(max(v_max, V)) + 0.3]),
        uirevision="keep",
        legend=dict(orientation="h", y=-0.3),
        margin=dict(l=60, r=20, t=60, b=40),
        font=dict(size=14),
        height=380,
    )  # fmt: skip
    return fig.figure()
