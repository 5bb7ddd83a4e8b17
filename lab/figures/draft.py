"""A figure drafted as plain dicts and built into one ``go.Figure`` at the end.

Plotly checks every key path each time a finished figure changes: on this
machine ``fig.update_layout`` with a few nested keys takes about 10 ms,
``make_subplots`` about 20 ms, while passing the same layout to ``go.Figure``
once takes about 1.5 ms. The Live page redraws several figures every tick, so
the builders draft their figures here and build them once.

``Draft`` keeps the few calls the builders use, with plotly's meaning:
``update_layout`` merges nested dicts and reads ``a_b`` as ``a.b``;
``update_xaxes``/``update_yaxes`` change every axis of that letter, or one cell's
with ``row``/``col``; ``add_shape``/``add_annotation``/``add_trace`` with
``row``/``col`` refer to that cell's axes; ``add_hline`` draws a labelled line.
``Draft.grid`` lays out cells the way ``make_subplots`` does (its layout is
computed once per shape and cached).
"""

import copy
import functools
import json

import plotly.graph_objects as go
from plotly.subplots import make_subplots

WHOLE_KEYS = frozenset({"paper_bgcolor", "plot_bgcolor"})  # layout names that hold a "_"
FREE_FORM = frozenset({"meta"})  # values plotly passes through untouched: keys kept as they are


def nested(changes: dict) -> dict:
    """{"xaxis_title_text": t} as {"xaxis": {"title": {"text": t}}} (plotly's "magic
    underscores"), recursively; other keys unchanged."""
    out: dict = {}
    for key, value in changes.items():
        value = nested(value) if isinstance(value, dict) and key not in FREE_FORM else value
        parts = [key] if key in WHOLE_KEYS or "_" not in key else key.split("_")
        for part in reversed(parts[1:]):
            value = {part: value}
        merge_into(out, {parts[0]: value})
    return out


def merge_into(base: dict, changes: dict) -> dict:
    """Merge ``changes`` into ``base`` like plotly's update: dicts merge key by key, any
    other value replaces (a string title becomes {"text": ...} first). Returns base."""
    for key, value in changes.items():
        old = base.get(key)
        if key == "title" and isinstance(old, str) and isinstance(value, dict):
            old = base[key] = {"text": old}
        if isinstance(value, dict) and isinstance(old, dict):
            merge_into(old, value)
        else:
            base[key] = copy.deepcopy(value) if isinstance(value, dict) else value
    return base


@functools.lru_cache(maxsize=32)
def _grid_layout(rows: int, cols: int, options: str, n_titles: int) -> str:
    """make_subplots' layout (no template) as JSON, with titles "\\0<i>" to fill in."""
    kwargs = json.loads(options)
    if n_titles:
        kwargs["subplot_titles"] = [f"\0{i}" for i in range(n_titles)]
    layout = make_subplots(rows=rows, cols=cols, **kwargs).to_plotly_json()["layout"]
    layout.pop("template", None)
    return json.dumps(layout)


class Draft:
    """Traces and a layout as plain data; ``figure()`` builds the ``go.Figure``."""

    def __init__(self, data=None, layout: dict | None = None, frames=None):
        many = isinstance(data, list | tuple)  # several traces, or one
        self.data: list = [] if data is None else list(data) if many else [data]
        self.layout: dict = nested(layout or {})
        self.frames = frames  # animation frames (go.Frame), passed through
        self.cols = 0  # columns of the grid (0: one plot, no grid)

    @classmethod
    def grid(cls, rows: int, cols: int, subplot_titles=(), **options) -> "Draft":
        """A rows x cols grid like ``make_subplots(rows, cols, **options)``."""
        titles = list(subplot_titles or ())
        options = {k: list(v) if isinstance(v, tuple) else v for k, v in options.items()}
        layout = json.loads(
            _grid_layout(rows, cols, json.dumps(options, sort_keys=True), len(titles))
        )
        notes = []
        for note in layout.get("annotations", []):
            title = titles[int(note["text"][1:])]
            if title:  # make_subplots writes no annotation for an empty title
                notes.append({**note, "text": title})
        if notes:
            layout["annotations"] = notes
        else:
            layout.pop("annotations", None)
        draft = cls()
        draft.layout, draft.cols = layout, cols
        return draft

    def _cell(self, row, col) -> tuple[str, str]:
        """The (x, y) axis ids of a cell: "x", "y" for cell 1, "x4", "y4" for cell 4."""
        i = (row - 1) * self.cols + col if self.cols else 1
        return ("x", "y") if i == 1 else (f"x{i}", f"y{i}")

    def add_trace(self, trace, row: int | None = None, col: int | None = None) -> "Draft":
        if row is not None:
            x, y = self._cell(row, col)
            trace.update(xaxis=x, yaxis=y)  # a go trace or a dict: both have update
        self.data.append(trace)
        return self

    def update_layout(self, dict1: dict | None = None, **changes) -> "Draft":
        merge_into(self.layout, nested({**(dict1 or {}), **changes}))
        return self

    def _update_axes(self, letter: str, dict1, row, col, changes) -> "Draft":
        change = nested({**(dict1 or {}), **changes})
        if row is not None or col is not None:
            names = [letter + "axis" + self._cell(row, col)[letter == "y"][1:]]
        elif self.cols:
            names = [k for k in self.layout if k.startswith(letter + "axis")]
        else:
            names = [letter + "axis"]
        for name in names:
            merge_into(self.layout.setdefault(name, {}), change)
        return self

    def update_xaxes(self, dict1: dict | None = None, row=None, col=None, **changes) -> "Draft":
        return self._update_axes("x", dict1, row, col, changes)

    def update_yaxes(self, dict1: dict | None = None, row=None, col=None, **changes) -> "Draft":
        return self._update_axes("y", dict1, row, col, changes)

    def _add(self, kind: str, row, col, item: dict) -> "Draft":
        item = nested(item)
        if row is not None:
            item["xref"], item["yref"] = self._cell(row, col)
        self.layout.setdefault(kind, []).append(item)
        return self

    def add_shape(self, row: int | None = None, col: int | None = None, **shape) -> "Draft":
        return self._add("shapes", row, col, shape)

    def add_annotation(self, row: int | None = None, col: int | None = None, **note) -> "Draft":
        return self._add("annotations", row, col, note)

    def add_hline(
        self, y: float, line: dict, annotation_text: str = "", annotation_position="top right"
    ) -> "Draft":
        """A line at height ``y`` across the plot, labelled above its left or right end
        (``annotation_position`` "top left" or "top right"), as plotly's ``add_hline``."""
        self.add_shape(type="line", x0=0, x1=1, xref="x domain", y0=y, y1=y, yref="y", line=line)
        if annotation_text:
            side = annotation_position.split()[-1]  # "left" or "right"
            self.add_annotation(
                text=annotation_text, x=0 if side == "left" else 1, xanchor=side,
                xref="x domain", y=y, yanchor="bottom", yref="y", showarrow=False,
            )  # fmt: skip
        return self

    def figure(self) -> go.Figure:
        """The finished figure: one validation of everything drafted."""
        return go.Figure(data=self.data, layout=self.layout, frames=self.frames)
