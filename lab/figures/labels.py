"""Word labels on a scatter that do not pile up: greedy placement, merged duplicates.

Plotly draws every label where it is told, so on a small corpus the words of
one cluster (king, queen, prince...) print on top of each other. ``place_labels``
works in screen pixels for an assumed plot size: points that land on the same
pixel share one label ("a · b +2"); then, in priority order (watched words
first, then the given order, most frequent first), each label takes the first
of eight positions around its point that overlaps no placed label, no other
point and stays inside the plot. A label that finds no free position is left
to the hover text, except a watched word's, which is always shown.
Pure Python and NumPy: no Plotly or Streamlit here.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Plotly's text positions, in the order they are tried: above and below read best
POSITIONS = (
    "top center", "bottom center", "middle right", "middle left",
    "top right", "top left", "bottom right", "bottom left",
)  # fmt: skip
CHAR_WIDTH = 0.6  # a character's width, in font sizes (proportional fonts average ~0.55)
MARKER_PX = 5.0  # half the size of a marker, px
SAME_PX = 3.0  # points closer than this on screen share one label
MAX_MERGED = 3  # a shared label names at most this many words, then "+n"


@dataclass(frozen=True)
class Labels:
    text: list[str]  # (n,) label of each point ("" when hidden or shown by another point)
    position: list[str]  # (n,) Plotly textposition of each point
    hidden: int  # points whose word is left to the hover text


def _box(px: float, py: float, w: float, h: float, pos: str) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a w x h label at ``pos`` around the point (px, py)."""
    vert, horiz = pos.split()
    gap = MARKER_PX + 1
    if horiz == "center":
        left = px - w / 2
    elif horiz == "right":
        left = px + (gap if vert == "middle" else 0)
    else:
        left = px - w - (gap if vert == "middle" else 0)
    if vert == "top":
        top = py - gap - h
    elif vert == "bottom":
        top = py + gap
    else:
        top = py - h / 2
    return left, top, left + w, top + h


def _overlaps(box, boxes: np.ndarray) -> bool:
    if not len(boxes):
        return False
    l, t, r, b = box
    return bool(
        ((boxes[:, 0] < r) & (boxes[:, 2] > l) & (boxes[:, 1] < b) & (boxes[:, 3] > t)).any()
    )


def merged_text(words: Sequence[str]) -> str:
    """One label for words drawn on the same spot: 'a · b · c +4'."""
    head = " · ".join(words[:MAX_MERGED])
    return head + (f" +{len(words) - MAX_MERGED}" if len(words) > MAX_MERGED else "")


def place_labels(
    points: np.ndarray,
    words: Sequence[str],
    ranges: tuple[Sequence[float], Sequence[float]],
    size_px: tuple[float, float] = (560.0, 420.0),
    font_px: float = 13.0,
    always: Sequence[str] = (),
    prefer: dict[str, str] | None = None,
) -> Labels:
    """Where to print each word so that labels stay readable.

    points: (n, 2) data coordinates; ranges: the axes' (x range, y range); size_px: the
    plot area's assumed width and height; always: words labelled whatever it costs;
    prefer: word -> position used in the previous frame (tried first, so labels do not
    hop between frames).
    """
    P = np.asarray(points, dtype=float)  # (n, 2)
    n = len(P)
    (x0, x1), (y0, y1) = ranges
    W, H = size_px
    sx = W / ((x1 - x0) or 1.0)
    sy = H / ((y1 - y0) or 1.0)
    px = np.nan_to_num((P[:, 0] - x0) * sx)  # (n,) screen x, px
    py = np.nan_to_num((y1 - P[:, 1]) * sy)  # (n,) screen y, px (down)
    # 1. points on the same spot share one label, carried by the highest-priority one
    always = set(always)
    rank = sorted(range(n), key=lambda i: (words[i] not in always, i))
    carrier = {}  # point -> the point whose label names it
    groups: dict[int, list[int]] = {}
    for i in rank:
        for c in groups:
            if abs(px[i] - px[c]) < SAME_PX and abs(py[i] - py[c]) < SAME_PX:
                carrier[i] = c
                groups[c].append(i)
                break
        else:
            carrier[i] = i
            groups[i] = [i]
    # 2. greedy placement, avoiding labels placed so far and every marker
    markers = np.stack(
        [px - MARKER_PX, py - MARKER_PX, px + MARKER_PX, py + MARKER_PX], axis=1
    )  # (n, 4)
    placed: list[tuple[float, float, float, float]] = []
    text = [""] * n
    position = ["top center"] * n
    hidden = 0
    prefer = prefer or {}
    h = font_px * 1.25
    for c, members in groups.items():
        label = merged_text([words[i] for i in members])
        w = CHAR_WIDTH * font_px * len(label)
        others = np.delete(markers, members, axis=0)  # (n - m, 4) markers of other points
        tries = [prefer[words[c]]] if words[c] in prefer else []
        tries += [p for p in POSITIONS if p not in tries]
        best = None
        for pos in tries:
            box = _box(px[c], py[c], w, h, pos)
            inside = box[0] >= 0 and box[1] >= 0 and box[2] <= W and box[3] <= H
            if inside and not _overlaps(box, np.array(placed)) and not _overlaps(box, others):
                best = pos, box
                break
        if best is None and any(words[i] in always for i in members):
            best = tries[0], _box(px[c], py[c], w, h, tries[0])  # shown even if it overlaps
        if best is None:
            hidden += len(members)
            continue
        position[c] = best[0]
        text[c] = label
        placed.append(best[1])
    return Labels(text, position, hidden)
