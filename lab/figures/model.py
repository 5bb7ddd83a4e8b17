"""Figures of page 5: the network, the one-hot lookup, one update, the probabilities.

Pure builders: arrays and words in, ``go.Figure`` out (no Streamlit). Heatmaps
use numeric row positions so the rows a step changes can be outlined with
rectangles; labels read "id: word" so the position of a one-hot 1 is visible.
"""

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from lab.figures import PALETTE, Escaped
from lab.figures import labels as escaped
from lab.figures.draft import Draft
from lab.model_view import MAX_HEATMAP_ROWS, display_rows, row_labels, unique_labels

INPUT_C = PALETTE[1]  # orange: input words (their one-hot 1 and their W_in rows)
HIDDEN_C = PALETTE[0]  # blue: the hidden layer h
TRUE_C = PALETTE[2]  # green: the word to predict
NOISE_C = PALETTE[4]  # purple: noise words (negative sampling)
FAINT = "rgba(127,127,127,0.25)"
FONT = dict(size=14)
DIVERGING = "RdBu"  # plotly's RdBu: red negative, white 0, blue positive (colour-blind safe)


def _slots(n: int, keep: Sequence[int], max_nodes: int) -> list[int | None]:
    """Which of n units a layer draws: ``keep`` plus the first ones and the last; None = ⋮."""
    keep = sorted({int(i) for i in keep if 0 <= int(i) < n})
    if n <= max_nodes:
        chosen = list(range(n))
    else:
        room = max(0, max_nodes - len(keep) - 1)  # one place is kept for the last unit
        chosen = sorted(set(keep) | set(range(room)) | {n - 1})
    out: list[int | None] = []
    for i in chosen:
        if out and out[-1] is not None and i > out[-1] + 1:
            out.append(None)
        elif not out and i > 0:
            out.append(None)
        out.append(i)
    return out


def _ys(count: int) -> np.ndarray:
    """Vertical positions of ``count`` slots, centred on 0, one unit apart."""
    return (count - 1) / 2 - np.arange(count) if count else np.zeros(0)


def network_figure(
    V: int,
    d: int,
    words: Sequence[str],
    model: str,
    loss: str,
    inputs: Sequence[int],
    output: int,
    negatives: Sequence[int] = (),
    max_nodes: int = 7,
    path: Sequence[int] = (),
    code: Sequence[int] = (),
) -> go.Figure:
    """One-hot input (V) → hidden h (d) → V output scores, with the current V, d and example.

    Input words of the example have x = 1 and orange edges (their W_in rows); the word
    to predict is green; for negative sampling the noise words are purple and the only
    other outputs computed; for softmax every output is scored. For hierarchical
    softmax ("hs") the output layer is the V − 1 inner nodes of the Huffman tree and
    the green ones are the ``path`` to the word to predict (with their ``code`` bits).
    """
    hs = loss == "hs"
    words = Escaped(words)  # Plotly text: every word escaped
    inputs = [int(i) for i in dict.fromkeys(int(i) for i in inputs if int(i) >= 0)]
    negatives = [int(i) for i in dict.fromkeys(int(i) for i in negatives)]
    path = [int(n) for n in path]
    bits = {n: int(c) for n, c in zip(path, code, strict=False)}
    in_keep = inputs[:3]
    if hs:
        out_keep = path[:3]
    else:
        out_keep = [output, *negatives[:2]] if loss == "negative" else [output]
    n_out = V - 1 if hs else V
    in_slots = _slots(V, in_keep, max_nodes)
    hid_slots = _slots(d, [], min(max_nodes + 1, 8))
    out_slots = _slots(n_out, out_keep, max_nodes)
    tallest = max(len(in_slots), len(hid_slots), len(out_slots))
    X = (0.0, 3.0, 6.0)
    layers = []
    for x, slots in zip(X, (in_slots, hid_slots, out_slots), strict=True):
        layers.append([(x, y, s) for y, s in zip(_ys(len(slots)), slots, strict=True)])
    fig = Draft()

    def edges(pairs, color, width, name, show):
        xs, ys = [], []
        for (x0, y0), (x1, y1) in pairs:
            xs += [x0, x1, None]
            ys += [y0, y1, None]
        fig.add_trace(
            go.Scatter(
                x=xs, y=ys, mode="lines", line=dict(color=color, width=width), name=name,
                hoverinfo="skip", showlegend=show,
            )
        )  # fmt: skip

    units_in = [(x, y, s) for x, y, s in layers[0] if s is not None]
    units_h = [(x, y, s) for x, y, s in layers[1] if s is not None]
    units_out = [(x, y, s) for x, y, s in layers[2] if s is not None]
    if hs:
        active_out = set(path)
    else:
        active_out = set(out_keep) if loss == "negative" else {s for _, _, s in units_out}
    faint = [((a, b), (c, e)) for a, b, s in units_in if s not in inputs for c, e, _ in units_h]
    faint += [
        ((c, e), (f, g)) for c, e, _ in units_h for f, g, s in units_out if s not in active_out
    ]
    edges(faint, FAINT, 1, "weights multiplied by 0 / not computed", False)
    edges(
        [((a, b), (c, e)) for a, b, s in units_in if s in inputs for c, e, _ in units_h],
        INPUT_C, 2.5, "row of W_in copied into h" if model == "skipgram"
        else "rows of W_in averaged into h", True,
    )  # fmt: skip
    others = [s for s in active_out if s != output and not hs]
    if others:
        edges(
            [((c, e), (f, g)) for c, e, _ in units_h for f, g, s in units_out if s in others],
            NOISE_C if loss == "negative" else "rgba(127,127,127,0.6)", 1.5,
            "noise word scores u_k·h" if loss == "negative" else "other scores u_w·h", True,
        )  # fmt: skip
    if hs:
        edges(
            [((c, e), (f, g)) for c, e, _ in units_h for f, g, s in units_out if s in bits],
            TRUE_C, 2.5, "scores u_n·h of the nodes on the path", True,
        )  # fmt: skip
    else:
        edges(
            [((c, e), (f, g)) for c, e, _ in units_h for f, g, s in units_out if s == output],
            TRUE_C, 2.5, "true word score u_o·h", True,
        )  # fmt: skip

    def nodes(units, colors, texts, pos, name):
        fig.add_trace(
            go.Scatter(
                x=[u[0] for u in units], y=[u[1] for u in units], mode="markers+text",
                marker=dict(size=22, color=colors, line=dict(color="black", width=1)),
                text=texts, textposition=pos, textfont=dict(size=13), name=name,
                hovertext=texts, hoverinfo="text", showlegend=False,
            )
        )  # fmt: skip

    nodes(
        units_in,
        [INPUT_C if s in inputs else "white" for _, _, s in units_in],
        [f"{words[s]} ({s}) · x={'1' if s in inputs else '0'}" for _, _, s in units_in],
        "middle left",
        "input x",
    )
    nodes(units_h, [HIDDEN_C] * len(units_h), [f"h{s + 1}" for *_, s in units_h], "top center", "h")

    def out_color(s):
        if hs:
            return TRUE_C if s in bits else "white"
        if s == output:
            return TRUE_C
        if loss == "negative" and s in negatives:
            return NOISE_C
        return "white" if loss == "negative" else "lightgrey"

    def out_text(s):
        if hs:
            return f"node {s}" + (f"  ← bit {bits[s]}" if s in bits else "")
        role = "  ← predict" if s == output else ("  ← noise" if s in negatives else "")
        return f"{words[s]} ({s}){role}"

    nodes(
        units_out,
        [out_color(s) for *_, s in units_out],
        [out_text(s) for *_, s in units_out],
        "middle right",
        "outputs",
    )
    dots = [(x, y) for layer in layers for x, y, s in layer if s is None]
    fig.add_trace(
        go.Scatter(
            x=[p[0] for p in dots], y=[p[1] for p in dots], mode="text", text=["⋮"] * len(dots),
            textfont=dict(size=20), hoverinfo="skip", showlegend=False,
        )
    )  # fmt: skip
    top = (tallest - 1) / 2 + 1.0
    out_head = (
        f"<b>inner nodes</b><br>V − 1 = {V - 1:,}, {len(path)} on the path"
        if hs
        else f"<b>output scores</b><br>V = {V:,}"
    )
    heads = [
        (X[0], f"<b>input x</b><br>one-hot, V = {V:,}"),
        (X[1], f"<b>hidden h</b><br>d = {d}"),
        (X[2], out_head),
    ]
    for x, text in heads:
        fig.add_annotation(x=x, y=top + 0.5, text=text, showarrow=False, font=FONT)
    mats = [
        ((X[0] + X[1]) / 2, f"<b>W_in = E</b><br>V × d = {V:,} × {d}<br>row i = v_i"),
        (
            (X[1] + X[2]) / 2,
            f"<b>W_out</b><br>V × d = {V:,} × {d}<br>"
            + ("row n = u_n of inner node n" if hs else "row t = u_t = θ_t"),
        ),
    ]
    for x, text in mats:
        fig.add_annotation(
            x=x,
            y=-top + 0.1,
            text=text,
            showarrow=False,
            font=FONT,
            bgcolor="rgba(255,255,255,0.85)",
        )
    fig.update_layout(
        xaxis=dict(range=[-3.2, 9.2], visible=False, fixedrange=True),
        yaxis=dict(range=[-top - 1.0, top + 1.3], visible=False, fixedrange=True),
        height=max(420, 60 * tallest + 220),
        margin=dict(l=10, r=10, t=10, b=10),
        legend=dict(orientation="h", y=-0.02, font=dict(size=12)),
        uirevision="network",
        font=FONT,
        plot_bgcolor="white",
    )
    return fig.figure()


def _outline(fig, rows: Sequence[int], ncols: int, color: str, row: int = 1, col: int = 1):
    for r in rows:
        fig.add_shape(
            type="rect", x0=-0.5, x1=ncols - 0.5, y0=r - 0.5, y1=r + 0.5,
            line=dict(color=color, width=3), row=row, col=col,
        )  # fmt: skip


def _cell_text(values: np.ndarray, show: bool):
    return np.vectorize(lambda v: f"{v:.2f}")(values) if show else None


def lookup_figure(W_in: np.ndarray, words: Sequence[str], word_id: int, n_rows: int = 20):
    """xᵀ W_in = row c: the one-hot column next to the top rows of W_in, and h below.

    Shows the first ``n_rows`` rows (capped) plus the selected one, which is outlined.
    """
    W = np.asarray(W_in, dtype=np.float64)
    V, d = W.shape
    words = Escaped(words)  # Plotly text: every word escaped
    ids = display_rows(V, n_rows, [word_id])
    block = W[ids]  # (n, d)
    sel = int(np.flatnonzero(ids == word_id)[0])
    x = (ids == word_id).astype(float)[:, None]  # (n, 1)
    lim = float(np.abs(W).max()) or 1.0
    small = d <= 12 and len(ids) <= 25
    fig = Draft.grid(
        rows=2, cols=2, column_widths=[0.1, 0.9], row_heights=[0.85, 0.15],
        shared_xaxes=True, horizontal_spacing=0.02, vertical_spacing=0.08,
        subplot_titles=(
            "x (one-hot)",
            f"W_in = E: {len(ids)} of {V:,} rows shown, d = {d} columns",
            "",
            f"h = xᵀ W_in = row {word_id} ('{words[word_id]}')",
        ),
    )  # fmt: skip
    labels = row_labels(ids, words)
    fig.add_trace(
        go.Heatmap(
            z=x, x=["x"], y=list(range(len(ids))), zmin=0, zmax=1, showscale=False,
            colorscale=[[0, "white"], [1, INPUT_C]], text=x.astype(int).astype(str),
            texttemplate="%{text}", xgap=1, ygap=1, name="x",
            hovertemplate="x[%{y}] = %{z}<extra></extra>",
        ), row=1, col=1,
    )  # fmt: skip
    cols = list(range(d))
    fig.add_trace(
        go.Heatmap(
            z=block, x=cols, y=list(range(len(ids))), zmin=-lim, zmax=lim, zmid=0,
            colorscale=DIVERGING, name="W_in", xgap=1, ygap=1,
            text=_cell_text(block, small), texttemplate="%{text}" if small else None,
            colorbar=dict(title="value", len=0.8, y=0.55),
            hovertemplate="row %{y}, column %{x}: %{z:.4f}<extra>W_in</extra>",
        ), row=1, col=2,
    )  # fmt: skip
    h = W[word_id][None, :]
    fig.add_trace(
        go.Heatmap(
            z=h, x=cols, y=[0], zmin=-lim, zmax=lim, zmid=0, colorscale=DIVERGING,
            showscale=False, name="h", xgap=1, ygap=1,
            text=_cell_text(h, d <= 12), texttemplate="%{text}" if d <= 12 else None,
            hovertemplate="h[%{x}] = %{z:.4f}<extra></extra>",
        ), row=2, col=2,
    )  # fmt: skip
    _outline(fig, [sel], 1, "black", 1, 1)
    _outline(fig, [sel], d, "black", 1, 2)
    rows_range = [len(ids) - 0.5, -0.5]
    tick = dict(tickvals=list(range(len(ids))), ticktext=labels, range=rows_range)
    fig.update_yaxes(title_text="row (id: word)", row=1, col=1, **tick)
    fig.update_yaxes(showticklabels=False, range=rows_range, row=1, col=2)
    fig.update_yaxes(tickvals=[0], ticktext=["h"], range=[0.5, -0.5], row=2, col=2)
    fig.update_yaxes(visible=False, row=2, col=1)
    colticks = dict(
        tickvals=cols, ticktext=[str(j + 1) for j in cols], range=[-0.5, d - 0.5], fixedrange=True
    )
    fig.update_xaxes(row=1, col=2, **colticks)
    fig.update_xaxes(title_text="column j = 1…d of the embedding", row=2, col=2, **colticks)
    fig.update_xaxes(showticklabels=False, row=1, col=1)
    fig.update_xaxes(visible=False, row=2, col=1)
    fig.update_layout(
        height=max(380, 22 * len(ids) + 200),
        margin=dict(l=10, r=10, t=40, b=50),
        uirevision="lookup",
        font=FONT,
        plot_bgcolor="white",
    )
    return fig.figure()


def update_figure(
    W_in_before: np.ndarray,
    W_in_after: np.ndarray,
    W_out_before: np.ndarray,
    W_out_after: np.ndarray,
    words: Sequence[str],
    rows_in: Sequence[int],
    rows_out: Sequence[int],
    n_rows: int = 20,
    out_names: Sequence[str] | None = None,
) -> go.Figure:
    """ΔW_in and ΔW_out of one step on the top rows plus the updated ones (outlined).

    ``out_names`` names W_out's rows when they are not words (inner nodes under
    hierarchical softmax: ``lab.model_view.node_names``).

    Each panel has its own symmetric colour scale (W_in changes are often far smaller
    than W_out's); the titles give the largest |change|. A panel whose change is
    exactly zero stays white. When every row is updated (softmax) no row is outlined.
    """
    V, d = np.shape(W_in_before)
    words = Escaped(words)  # Plotly text: every word escaped
    out_names = None if out_names is None else Escaped(out_names)
    ids_in = display_rows(V, n_rows, rows_in)
    ids_out = display_rows(V, n_rows, rows_out)
    d_in = np.asarray(W_in_after, np.float64)[ids_in] - np.asarray(W_in_before, np.float64)[ids_in]
    d_out = (
        np.asarray(W_out_after, np.float64)[ids_out] - np.asarray(W_out_before, np.float64)[ids_out]
    )
    panels = []
    for ids, delta, name, changed, cb_x in (
        (ids_in, d_in, "ΔW_in", rows_in, 0.2),  # each colour bar lies under its panel
        (ids_out, d_out, "ΔW_out", rows_out, 0.8),
    ):
        changed = np.unique(np.asarray(changed, dtype=np.int64))
        peak = float(np.abs(delta).max(initial=0))
        title = f"{name}: {len(changed)} of {V:,} rows updated<br>largest |change| {peak:.2g}"
        panels.append((ids, delta, name, changed, cb_x, peak, title))
    fig = Draft.grid(
        rows=1, cols=2, horizontal_spacing=0.2, subplot_titles=[p[-1] for p in panels]
    )  # fmt: skip
    cols = list(range(d))
    for c, (ids, delta, name, changed, cb_x, peak, _) in enumerate(panels, start=1):
        lim = peak or 1.0
        labels = row_labels(ids, out_names if c == 2 and out_names is not None else words)
        fig.add_trace(
            go.Heatmap(
                z=delta, x=cols, y=list(range(len(ids))), zmin=-lim, zmax=lim, zmid=0,
                colorscale=DIVERGING, name=name, xgap=1, ygap=1,
                colorbar=dict(title=dict(text=name, side="top"), orientation="h", x=cb_x,
                              xanchor="center", len=0.4, thickness=10, nticks=3, yref="container",
                              y=0.0, yanchor="bottom"),
                customdata=np.array(labels)[:, None].repeat(d, axis=1),
                hovertemplate="%{customdata}, column %{x}: %{z:.3g}<extra>" + name + "</extra>",
            ), row=1, col=c,
        )  # fmt: skip
        if len(changed) < V:
            _outline(fig, np.flatnonzero(np.isin(ids, changed)), d, "black", 1, c)
        fig.update_yaxes(
            tickvals=list(range(len(ids))), ticktext=labels,
            range=[len(ids) - 0.5, -0.5], row=1, col=c,
        )  # fmt: skip
        fig.update_xaxes(
            title_text="column j = 1…d", tickvals=cols, ticktext=[str(j + 1) for j in cols],
            range=[-0.5, d - 0.5], row=1, col=c,
        )  # fmt: skip
    fig.update_layout(
        height=max(420, 20 * max(len(ids_in), len(ids_out)) + 240),
        margin=dict(l=10, r=10, t=70, b=120),  # room for the colour bars under the panels
        uirevision="update",
        font=FONT,
        plot_bgcolor="white",
    )
    return fig.figure()


def probs_figure(
    labels: Sequence[str],
    is_true: Sequence[bool],
    before: Sequence[float],
    after: Sequence[float],
    kind: str,
) -> go.Figure:
    """Probabilities of the scored words before and after the step, with the targets.

    ``kind`` is "negative" (σ(u·h), target 1 for the true word, 0 for noise),
    "softmax" (p(w | h), target 1 for the true word, 0 for the others) or "hs"
    (σ(u_n·h) at the path's nodes, target y = 1 where the path takes bit 0).
    """
    labels = escaped(unique_labels(list(labels)))  # a noise word drawn twice gets two bars
    is_true = np.asarray(is_true, dtype=bool)
    ylab = {"negative": "σ(u_w·h)", "softmax": "softmax p(w | h)", "hs": "σ(u_n·h)"}[kind]
    xlab = (
        "node on the path, root first (green: target 1, the path takes bit 0)"
        if kind == "hs"
        else "scored word (green: the word to predict)"
    )
    fig = Draft()
    fig.add_trace(
        go.Bar(
            x=labels, y=np.asarray(before, float), name="before the step",
            marker=dict(color="rgba(127,127,127,0.55)"), texttemplate="%{y:.3f}",
            textposition="outside", textfont=dict(size=11),
            hovertemplate="%{x}: %{y:.4f}<extra>before</extra>",
        )
    )  # fmt: skip
    fig.add_trace(
        go.Bar(
            x=labels, y=np.asarray(after, float), name="after the step",
            marker=dict(color=[TRUE_C if t else NOISE_C for t in is_true]), texttemplate="%{y:.3f}",
            textposition="outside", textfont=dict(size=11),
            hovertemplate="%{x}: %{y:.4f}<extra>after</extra>",
        )
    )  # fmt: skip
    fig.add_trace(
        go.Scatter(
            x=labels, y=is_true.astype(float), mode="markers", name="target y (what J wants)",
            marker=dict(symbol="line-ew", size=28, line=dict(width=3, color="black")),
            hovertemplate="%{x}: target %{y:.0f}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_layout(
        barmode="group",
        yaxis=dict(title=ylab, range=[0, 1.12], fixedrange=True),
        xaxis=dict(title=xlab, tickangle=-30, type="category"),
        height=380,
        margin=dict(l=10, r=10, t=20, b=40),
        legend=dict(orientation="h", y=1.12),
        uirevision="probs",
        font=FONT,
    )
    return fig.figure()


__all__ = [
    "MAX_HEATMAP_ROWS",
    "lookup_figure",
    "network_figure",
    "probs_figure",
    "update_figure",
]
