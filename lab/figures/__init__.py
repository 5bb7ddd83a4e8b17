"""Plotly figure builders: plain data in, ``go.Figure`` out. No Streamlit here.

Every figure fixes its axis ranges and sets ``uirevision`` so that a user's
zoom survives redraws with new data.

Words are data, never markup: Plotly reads a subset of HTML (``<a href>``,
``<span style>``, entities) in text, hover and tick labels, legend names and
titles, and fills ``%{...}`` in hover templates. Every builder passes the words it
is given through ``labels`` (escaped with ``lab.escape.html``, clipped to
``LABEL_CHARS``, made unique so that a categorical axis never merges two words)
before they reach a figure, and names categorical axes ``type="category"`` so that
words such as "1" or "2024" are not read as numbers.
"""

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from lab.escape import html
from lab.figures.draft import Draft
from lab.figures.labels import place_labels
from lab.figures.style import PALETTE  # one palette for every figure

LABEL_CHARS = 40  # a longer word is clipped in a figure (an imported word can be megabytes)


def label(word, limit: int = LABEL_CHARS) -> str:
    """One word (or category name) as Plotly text: clipped to ``limit`` and escaped."""
    s = str(word)
    return html(s[:limit] + "…" if len(s) > limit else s)


def labels(words: Sequence, limit: int = LABEL_CHARS) -> list[str]:
    """Words as Plotly labels: each escaped and clipped (``label``), and all different
    (a repeat after clipping gets " (2)", " (3)"...) so categorical axes keep every row."""
    out: list[str] = []
    seen: set[str] = set()
    for w in words:
        lab, k = label(w, limit), 1
        while lab in seen:
            k += 1
            lab = f"{label(w, limit)} ({k})"
        seen.add(lab)
        out.append(lab)
    return out


class Escaped(Sequence):
    """A read-only view of a word list whose items come out as ``label(word)``: escapes
    only the words a figure looks up, not the whole vocabulary."""

    def __init__(self, words: Sequence):
        self._words = words

    def __len__(self) -> int:
        return len(self._words)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [label(w) for w in self._words[i]]
        return label(self._words[int(i)])


def padded_range(values: np.ndarray, pad: float = 0.12) -> list[float]:
    lo, hi = float(np.min(values)), float(np.max(values))
    span = hi - lo if hi > lo else 1.0
    return [lo - pad * span, hi + pad * span]


def scatter_draft(
    points: np.ndarray,
    words: Sequence[str],
    groups: Sequence[str] | None = None,
    title: str = "",
    axis_titles: tuple[str, str] = ("PC 1", "PC 2"),
    ranges: tuple[list[float], list[float]] | None = None,
    highlight: Sequence[str] = (),
    label_px: tuple[float, float] = (560.0, 400.0),
    prefer: dict[str, str] | None = None,
) -> Draft:
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
    shown = labels(words)  # escaped, clipped, unique: what the figure prints
    lit = {label(w) for w in highlight}
    lab = place_labels(points, shown, (xr, yr), label_px, always=lit, prefer=prefer)
    fig = Draft()
    for i, g in enumerate(dict.fromkeys(groups)):
        idx = [j for j, gj in enumerate(groups) if gj == g]
        fig.add_trace(
            go.Scatter(
                x=points[idx, 0],
                y=points[idx, 1],
                mode="markers+text",
                text=[lab.text[j] for j in idx],
                textposition=[lab.position[j] for j in idx],
                hovertext=[shown[j] for j in idx],
                name=label(g),
                marker=dict(size=9, color=PALETTE[i % len(PALETTE)]),
                hovertemplate="%{hovertext}<br>(%{x:.3f}, %{y:.3f})<extra>" + label(g) + "</extra>",
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


def scatter_words(*args, **kwargs) -> go.Figure:
    """``scatter_draft``, built: the figure as it is drawn."""
    return scatter_draft(*args, **kwargs).figure()


def label_positions(fig: go.Figure) -> dict[str, str]:
    """label -> text position of the labelled points of a ``scatter_words`` figure (to keep
    labels where they were in the next frame; labels are the escaped words)."""
    out = {}
    for t in fig.data:
        if t.hovertext is None or t.textposition is None or isinstance(t.textposition, str):
            continue
        for w, txt, pos in zip(t.hovertext, t.text, t.textposition, strict=True):
            if txt:
                out[w] = pos
    return out
