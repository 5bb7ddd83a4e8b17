"""The Huffman tree of hierarchical softmax, with one word's path highlighted (page 5).

Pure builder: a ``lab.model_view.TreeView`` in, ``go.Figure`` out (no Streamlit).
The tree lies on its side: the root on the left, one column per depth, words on
the right. Edges are elbows labelled with their bit (0 above, 1 below); the path
to the word being predicted is drawn thick, and each inner node on it shows the
bit taken there and σ(u_n·h) = P(branch 0 | h).
"""

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from lab.figures import PALETTE, Escaped
from lab.figures.draft import Draft
from lab.model_view import TreeView

PATH_C = PALETTE[2]  # green: the path to the word to predict (as on the network figure)
NODE_C = PALETTE[0]  # blue: inner nodes
GROUP_C = "rgba(127,127,127,0.6)"  # collapsed subtrees
EDGE_C = "rgba(127,127,127,0.45)"
FONT = dict(size=13)


def huffman_figure(
    view: TreeView,
    words: Sequence[str],
    code: Sequence[int] = (),
    probs: Sequence[float] | None = None,
) -> go.Figure:
    """Draw ``view``; ``code`` (L,) and ``probs`` (L,) σ(u_n·h) belong to its target's path.

    Path nodes are labelled "n<id>: bit c, σ = p" (σ only when ``probs`` is given), in
    annotations; the title (also an annotation-free layout title) says what is drawn.
    """
    V = view.V
    words = Escaped(words)  # Plotly text: every word escaped
    pos = {int(n): (float(x), float(y)) for n, x, y in zip(view.nodes, view.x, view.y, strict=True)}
    path_inner = sorted((n for n in view.path_nodes if n >= V), key=lambda n: pos[n][0])
    bits = {n: int(c) for n, c in zip(path_inner, code, strict=False)}
    sig = {} if probs is None else dict(zip(path_inner, map(float, probs), strict=False))
    fig = Draft()

    def elbows(edges):
        xs, ys = [], []
        for par, child, _ in edges:
            (x0, y0), (x1, y1) = pos[int(par)], pos[int(child)]
            xs += [x0, x0, x1, None]
            ys += [y0, y1, y1, None]
        return xs, ys

    on_path = np.array([int(c) in view.path_nodes for _, c, _ in view.edges], dtype=bool)
    xs, ys = elbows(view.edges[~on_path])
    fig.add_trace(
        go.Scatter(
            x=xs, y=ys, mode="lines", line=dict(color=EDGE_C, width=1.5),
            name="branches", hoverinfo="skip", showlegend=False,
        )
    )  # fmt: skip
    target = words[view.target]
    code_txt = "".join(str(int(c)) for c in code)
    xs, ys = elbows(view.edges[on_path])
    fig.add_trace(
        go.Scatter(
            x=xs, y=ys, mode="lines", line=dict(color=PATH_C, width=4),
            name=f"path to '{target}' (code {code_txt})", hoverinfo="skip",
        )
    )  # fmt: skip
    # the bit of every other branch, on the horizontal part of its elbow (the path's bits
    # are written next to its nodes)
    mids = [
        ((pos[int(p)][0] + pos[int(c)][0]) / 2, pos[int(c)][1], int(b))
        for p, c, b in view.edges[~on_path]
    ]
    fig.add_trace(
        go.Scatter(
            x=[m[0] for m in mids], y=[m[1] for m in mids], mode="text",
            text=[str(m[2]) for m in mids], textposition="top center",
            textfont=dict(size=11, color="grey"), name="bits", hoverinfo="skip", showlegend=False,
        )
    )  # fmt: skip

    def node_trace(mask, name, color, size, symbol, texts, hover, textpos, show=True):
        idx = np.flatnonzero(mask)
        fig.add_trace(
            go.Scatter(
                x=view.x[idx], y=view.y[idx], mode="markers+text" if texts else "markers",
                marker=dict(size=size, color=color, symbol=symbol,
                            line=dict(color="black", width=1)),
                text=[texts[i] for i in idx] if texts else None, textposition=textpos,
                textfont=FONT, name=name, hovertext=[hover[i] for i in idx], hoverinfo="text",
                showlegend=show,
            )
        )  # fmt: skip

    kind = np.array(view.kind)
    is_path = np.array([int(n) in view.path_nodes for n in view.nodes], dtype=bool)
    hover, label = [], []
    for n, k, w in zip(view.nodes, view.kind, view.n_words, strict=True):
        n = int(n)
        if k == "leaf":
            label.append(f"{words[n]} ({n})")
            hover.append(f"word {n} '{words[n]}': a leaf")
        elif k == "collapsed":
            label.append(f"⋯ {w:,} words")
            hover.append(f"inner node {n - V}: a subtree of {w:,} words, not drawn")
        else:
            txt = f"n{n - V}"
            if n in bits:
                txt += f": bit {bits[n]}" + (f", σ = {sig[n]:.2f}" if n in sig else "")
            label.append(txt)
            hover.append(f"inner node {n - V} (row {n - V} of W_out), {w:,} words below")
    inner = kind == "inner"
    node_trace(inner & ~is_path, "inner node (a row u_n of W_out)", NODE_C, 9, "circle",
               None, hover, "top center")  # fmt: skip
    node_trace(inner & is_path, "node on the path", PATH_C, 14, "circle", None, hover,
               "top center")  # fmt: skip
    for i in np.flatnonzero(inner & is_path):  # labels on a white box: they cross branches
        fig.add_annotation(
            x=view.x[i], y=view.y[i], text=label[i], showarrow=False, yshift=15,
            font=dict(size=12), bgcolor="rgba(255,255,255,0.85)",
        )  # fmt: skip
    node_trace(kind == "collapsed", "subtree not drawn", GROUP_C, 12, "triangle-left", label,
               hover, "middle right")  # fmt: skip
    node_trace((kind == "leaf") & ~is_path, "word (a leaf)", "white", 10, "square", label, hover,
               "middle right")  # fmt: skip
    node_trace((kind == "leaf") & is_path, "word to predict", PATH_C, 14, "square", label, hover,
               "middle right")  # fmt: skip
    n_slots = view.n_slots
    depth = float(view.x.max()) if len(view.x) else 1.0
    if view.full:
        title = f"Huffman tree of all V = {V:,} words ({V - 1:,} inner nodes)"
    else:
        title = (
            f"Huffman tree, top {view.top_depth} levels and the path to '{target}': "
            f"{n_slots} of {V:,} words or groups shown"
        )
    fig.update_layout(
        title=dict(text=title, font=FONT),
        xaxis=dict(
            range=[-1.1, depth + 3.2], title="depth (number of inner nodes passed)",
            tickvals=list(range(int(depth) + 1)), zeroline=False, fixedrange=True,
        ),
        yaxis=dict(range=[n_slots - 0.4, -0.8], visible=False, fixedrange=True),
        height=max(360, 21 * n_slots + 140),
        margin=dict(l=10, r=10, t=50, b=40),
        legend=dict(orientation="h", y=-0.08, font=dict(size=12)),
        uirevision="huffman",
        font=FONT,
        plot_bgcolor="white",
    )  # fmt: skip
    return fig.figure()
