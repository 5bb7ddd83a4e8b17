"""Figures of page 2 (co-occurrence): the C / PPMI heatmap, growth with the corpus, two rows.

Pure builders: arrays in, ``go.Figure`` out, no Streamlit. Axis ranges are fixed
and ``uirevision`` is set so a user's zoom survives redraws.
"""

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from lab.figures import PALETTE, label, labels, scatter_draft
from lab.figures.draft import Draft
from lab.figures.vocab import log_ticks

FONT = dict(size=14)
SCALES = {"counts": "Blues", "ppmi": "Purples"}  # sequential, colour-blind safe, white at 0
TITLES = {"counts": "C[i, j]", "ppmi": "PPMI(i, j)"}
HOVER = {"counts": "C[%{y}, %{x}]", "ppmi": "PPMI(%{y}, %{x})"}


def _cell_text(Z: np.ndarray, measure: str) -> np.ndarray:
    """Numbers written in the cells; empty where the cell is 0 (the sparsity shows)."""
    fmt = "{:.0f}" if measure == "counts" else "{:.1f}"
    out = np.full(Z.shape, "", dtype=object)
    nz = Z != 0
    out[nz] = [fmt.format(v) for v in Z[nz]]
    return out


def cooc_heatmap(
    Z: np.ndarray,
    words: Sequence[str],
    measure: str = "counts",
    highlight: Sequence[int] = (),
    annotate: bool | None = None,
    uirevision: str = "cooc",
) -> go.Figure:
    """The n×n block of C (or PPMI): row = word i, column = context word j.

    ``highlight`` are row indices (into ``words``) outlined in black.
    """
    if measure not in SCALES:
        raise ValueError(f"measure must be one of {tuple(SCALES)}")
    Z = np.asarray(Z, dtype=float)
    n = len(words)
    annotate = n <= 25 if annotate is None else annotate
    zmax = float(Z.max()) if Z.size and Z.max() > 0 else 1.0
    fig = Draft(
        go.Heatmap(
            z=Z, x=labels(words), y=labels(words), zmin=0, zmax=zmax, colorscale=SCALES[measure],
            colorbar=dict(title=TITLES[measure]), xgap=1, ygap=1,
            text=_cell_text(Z, measure) if annotate else None,
            texttemplate="%{text}" if annotate else None, textfont=dict(size=12),
            hovertemplate=HOVER[measure] + " = %{z:.3g}<extra></extra>",
        )
    )  # fmt: skip
    for r in highlight:
        fig.add_shape(
            type="rect", x0=-0.5, x1=n - 0.5, y0=r - 0.5, y1=r + 0.5,
            line=dict(color="black", width=2.5), fillcolor="rgba(0,0,0,0)",
        )  # fmt: skip
    tick = 13 if n <= 30 else 10 if n <= 45 else 8
    fig.update_layout(
        xaxis=dict(title="context word j", range=[-0.5, n - 0.5], tickangle=-60, side="top",
                   tickfont=dict(size=tick), type="category"),
        yaxis=dict(title="word i", range=[n - 0.5, -0.5], tickfont=dict(size=tick),
                   type="category"),
        uirevision=uirevision, font=FONT, height=max(380, min(820, 140 + 17 * n)),
        margin=dict(l=80, r=20, t=110, b=20),
    )  # fmt: skip
    return fig.figure()


def growth_figure(rows: Sequence[dict]) -> go.Figure:
    """Dense V² cells against the non-zero cells of C as the corpus grows (log y)."""
    tokens = [r["tokens"] for r in rows]
    V = [r["V"] for r in rows]
    cells = np.array([r["cells"] for r in rows], dtype=float)
    nnz = np.array([r["nonzero"] for r in rows], dtype=float)
    fig = Draft()
    fig.add_trace(
        go.Scatter(
            x=tokens, y=cells, mode="lines+markers", name="all cells V² (dense matrix)",
            line=dict(color=PALETTE[3], width=3), customdata=V,
            hovertemplate="%{x:,} tokens: V = %{customdata}, V² = %{y:,}<extra></extra>",
        )
    )  # fmt: skip
    fig.add_trace(
        go.Scatter(
            x=tokens, y=np.where(nnz > 0, nnz, np.nan), mode="lines+markers",
            name="non-zero cells (what a sparse matrix stores)",
            line=dict(color=PALETTE[0], width=3, dash="dash"), marker=dict(symbol="square"),
            hovertemplate="%{x:,} tokens: %{y:,} non-zero<extra></extra>",
        )
    )  # fmt: skip
    positive = np.r_[cells[cells > 0], nnz[nnz > 0]]
    lo = float(positive.min()) if positive.size else 1.0
    hi = float(positive.max()) if positive.size else 10.0
    fig.update_layout(
        xaxis=dict(title="tokens read (first 10%, 20%, … of the sentences)",
                   range=[0, max(tokens) * 1.05 if tokens else 1]),
        yaxis=dict(title="number of cells", type="log", tickvals=log_ticks(lo, hi),
                   range=[np.log10(lo) - 0.2, np.log10(hi) + 0.3]),
        uirevision="cooc-growth", font=FONT, height=380,
        margin=dict(l=70, r=20, t=20, b=50), legend=dict(orientation="h", y=-0.25),
    )  # fmt: skip
    return fig.figure()


def row_pair_figure(
    a: str, b: str, context_words: Sequence[str], counts: np.ndarray, ppmi_rows: np.ndarray
) -> go.Figure:
    """Rows a and b side by side: counts (top panel) and PPMI (bottom) per context word."""
    counts = np.asarray(counts, dtype=float)
    ppmi_rows = np.asarray(ppmi_rows, dtype=float)
    fig = Draft.grid(
        rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
        subplot_titles=("counts C[w, j]", "PPMI(w, j)"),
    )  # fmt: skip
    x = labels(context_words)
    for panel, Z in ((1, counts), (2, ppmi_rows)):
        for k, (w, color) in enumerate(((label(a), PALETTE[0]), (label(b), PALETTE[1]))):
            fig.add_trace(
                go.Bar(
                    x=x, y=Z[k], name=f"row of '{w}'", marker_color=color, width=0.38,
                    showlegend=panel == 1, legendgroup=f"row{k}",
                    hovertemplate=f"{w}, %{{x}}: %{{y:.3g}}<extra></extra>",
                ),
                row=panel, col=1,
            )  # fmt: skip
    n = len(x)
    top_c = float(counts.max()) if counts.size else 1.0
    top_p = float(ppmi_rows.max()) if ppmi_rows.size else 1.0
    fig.update_xaxes(range=[-0.5, n - 0.5], tickangle=-45, type="category")
    fig.update_xaxes(title_text="context word j", row=2, col=1)
    fig.update_yaxes(title_text="count", range=[0, max(top_c, 1e-9) * 1.15], row=1, col=1)
    fig.update_yaxes(title_text="PPMI", range=[0, max(top_p, 1e-9) * 1.15], row=2, col=1)
    fig.update_layout(
        barmode="group", bargap=0.2, uirevision="row-pair", font=FONT, height=480,
        margin=dict(l=60, r=20, t=40, b=60), legend=dict(orientation="h", y=1.12),
    )  # fmt: skip
    return fig.figure()


def svd_scatter(
    points: np.ndarray,
    words: Sequence[str],
    groups: Sequence[str] | None,
    explained: Sequence[float],
    highlight: Sequence[str] = (),
    other: str = "other",
) -> go.Figure:
    """The 2-D view of count-based vectors; words without a category drawn small and grey."""
    fig = scatter_draft(
        points, words, groups,
        axis_titles=(f"PC 1 ({explained[0]:.0%} of variance)", f"PC 2 ({explained[1]:.0%})"),
        highlight=highlight,
    )  # fmt: skip
    if groups is not None and other in groups and len(set(groups)) > 1:
        for t in fig.data:
            if t.name == other:
                t.update(
                    marker=dict(color="#b0b0b0", size=6), textfont=dict(color="#8a8a8a", size=11)
                )
        fig.data.sort(key=lambda t: t.name != other)  # grey underneath
    fig.update_layout(font=FONT, uirevision="svd-scatter")
    return fig.figure()
