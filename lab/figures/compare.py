"""Figures of the "Compare runs" page: curves of two runs, and a sweep of one knob.

Pure functions: data in, ``go.Figure`` out. Axes have fixed ranges computed from
the data and ``uirevision`` is set, so redraws keep the user's zoom.
"""

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from lab.figures import PALETTE, padded_range
from lab.figures.draft import Draft


def _epoch_axis(series: Sequence[tuple[str, Sequence[float]]]) -> dict:
    n = max((len(y) for _, y in series), default=1)
    return dict(title="epoch", range=[0.5, max(n, 1) + 0.5], dtick=max(1, n // 10))


def epoch_curves(
    series: Sequence[tuple[str, Sequence[float]]],
    y_title: str,
    y_range: Sequence[float] | None = None,
    title: str = "",
    errors: Sequence[Sequence[float]] | None = None,
) -> go.Figure:
    """One line per run over epochs 1..n (e.g. the loss, or the ground-truth score).

    series: (name, values per finished epoch); a diverged run simply has fewer points.
    y_range: fixed y axis (default: padded over all finite values of all runs).
    errors: per series, ± one sample sd over seeds at each epoch (error bars).
    """
    fig = Draft()
    for i, (name, ys) in enumerate(series):
        ys = np.asarray(ys, dtype=float)  # (n,)
        err = None
        if errors is not None:
            e = np.nan_to_num(np.asarray(errors[i], dtype=float))  # (n,)
            err = dict(type="data", array=e, visible=True, thickness=1.5, width=4)
        fig.add_trace(
            go.Scatter(
                x=np.arange(1, len(ys) + 1),
                y=ys,
                error_y=err,
                mode="lines+markers",
                name=name,
                line=dict(color=PALETTE[i % len(PALETTE)], width=3),
                marker=dict(size=6),
                hovertemplate="epoch %{x}: %{y:.4f}<extra>" + name + "</extra>",
            )
        )
    if y_range is None:
        finite = np.concatenate([np.asarray(y, dtype=float) for _, y in series] or [[]])
        finite = finite[np.isfinite(finite)]
        y_range = padded_range(finite) if len(finite) else [0.0, 1.0]
    fig.update_layout(
        title=title,
        xaxis=_epoch_axis(series),
        yaxis=dict(title=y_title, range=list(y_range)),
        height=320,
        margin=dict(l=50, r=10, t=40 if title else 20, b=40),
        legend=dict(orientation="h", y=1.12),
        showlegend=True,  # also when one run diverged before its first epoch
        uirevision="keep",
    )
    return fig.figure()


def sweep_draft(
    values: Sequence,
    scores: Sequence[float],
    x_title: str,
    y_title: str,
    categorical: bool = False,
    log_x: bool = False,
    y_range: Sequence[float] | None = None,
) -> Draft:
    """The score of each run against the knob's value: one marker per value."""
    ys = np.asarray(scores, dtype=float)  # (n,)
    xs = [str(v) for v in values] if categorical else np.asarray(values, dtype=float)
    fig = Draft(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers" if categorical else "lines+markers",
            marker=dict(size=11, color=PALETTE[2]),
            line=dict(color=PALETTE[2], width=2),
            hovertemplate="%{x}: %{y:.4f}<extra></extra>",
            name="score",
        )
    )
    if categorical:
        xaxis = dict(title=x_title, type="category", range=[-0.5, len(xs) - 0.5])
    elif log_x and len(xs):
        lo, hi = padded_range(np.log10(xs), pad=0.08)
        xaxis = dict(title=x_title, type="log", range=[lo, hi])
    else:
        xaxis = dict(title=x_title, range=padded_range(xs, pad=0.08) if len(xs) else [0, 1])
    if y_range is None:
        y_range = padded_range(ys) if len(ys) else [0.0, 1.0]
    fig.update_layout(
        xaxis=xaxis,
        yaxis=dict(title=y_title, range=list(y_range)),
        height=360,
        margin=dict(l=50, r=10, t=20, b=50),
        showlegend=False,
        uirevision="keep",
    )
    return fig


def sweep_figure(*args, **kwargs) -> go.Figure:
    """``sweep_draft``, built: the figure as it is drawn."""
    return sweep_draft(*args, **kwargs).figure()


def sweep_bars(
    values: Sequence,
    means: Sequence[float],
    sds: Sequence[float],
    x_title: str,
    y_title: str,
    categorical: bool = False,
    log_x: bool = False,
    y_range: Sequence[float] | None = None,
    best: int | None = None,
) -> go.Figure:
    """Mean score of each setting over seeds with ± one sample sd as error bars.

    ``best``: index of the best mean, drawn larger; its band (mean ± sd) is shaded so
    that settings whose bars reach into it are visibly "within the seed spread".
    """
    fig = sweep_draft(values, means, x_title, y_title, categorical, log_x, y_range)
    sd = np.nan_to_num(np.asarray(sds, dtype=float))  # (n,)
    for t in fig.data:
        t.update(
            error_y=dict(type="data", array=sd, visible=True, thickness=2, width=6),
            hovertemplate="%{x}: %{y:.4f} ± %{error_y.array:.4f}<extra></extra>",
        )
    if best is not None:
        m = float(means[best])
        fig.add_shape(
            type="rect", x0=0, x1=1, xref="x domain", y0=m - sd[best], y1=m + sd[best],
            yref="y", fillcolor=PALETTE[2], opacity=0.15, line_width=0,
        )  # fmt: skip
    return fig.figure()


def grid_heatmap(
    v1: Sequence, v2: Sequence, mean: np.ndarray, sd: np.ndarray, t1: str, t2: str, z_title: str
) -> go.Figure:
    """Mean score of a two-knob grid, knob 1 down, knob 2 across; each cell says mean ± sd.

    mean, sd: (n1, n2); NaN cells (every seed diverged) stay blank.
    """
    text = [
        [
            "–"
            if not np.isfinite(m)
            else (f"{m:.3f}" + (f"<br>± {s:.3f}" if np.isfinite(s) else ""))
            for m, s in zip(mrow, srow, strict=True)
        ]
        for mrow, srow in zip(mean, sd, strict=True)
    ]
    fig = Draft(
        go.Heatmap(
            z=mean,
            x=[str(v) for v in v2],
            y=[str(v) for v in v1],
            text=text,
            texttemplate="%{text}",
            colorscale="Viridis",
            colorbar=dict(title=z_title),
            hovertemplate=f"{t1} %{{y}}, {t2} %{{x}}: %{{z:.4f}}<extra></extra>",
        )
    )
    fig.update_layout(
        xaxis=dict(title=t2, type="category"),
        yaxis=dict(title=t1, type="category"),
        height=380,
        margin=dict(l=60, r=10, t=20, b=50),
        uirevision="keep",
    )
    return fig.figure()
