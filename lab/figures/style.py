"""One look for every figure: fonts, colours, and the presenter's larger print.

Figures read their sizes from here, so a legible default is set once (labels
of at least ``TICK`` px, readable at the back of a classroom) and presenter
mode scales a finished figure with ``scaled`` instead of every builder taking
a size argument. Pure: figures in, figures out.
"""

import plotly.graph_objects as go

FONT = dict(size=14)  # body text of figures (axis titles, legends, hover)
TICK = 13  # the smallest label: heatmap rows and columns, tick labels
DIVERGING = "RdBu"  # plotly's RdBu: red = negative, white = 0, blue = positive
DIVERGING_WORDS = "blue = positive, white = 0, red = negative"  # how to read DIVERGING
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip
PRESENTER_SCALE = 1.4  # presenter mode prints every figure's text this much larger


def scaled(fig: go.Figure, factor: float = PRESENTER_SCALE) -> go.Figure:
    """A copy of ``fig`` whose every text (layout, axes, legend, annotations, trace text)
    is ``factor`` times larger; heights grow by half as much, so more fits on a screen.

    Works on the figure's dict and builds one new figure (see ``lab.figures.draft`` for
    why not ``update_layout``). The copy gets the default template, as every builder's
    figure has.
    """
    spec = fig.to_dict()  # a deep copy: {"data": [...], "layout": {...}, "frames"?}
    layout = spec["layout"]
    layout.pop("template", None)

    def size(font: dict | None, default: float | None) -> float | None:
        value = (font or {}).get("size", default)
        return None if value is None else round(value * factor, 1)

    layout.setdefault("font", {})["size"] = size(layout.get("font"), 12)
    for name in [k for k in layout if k.startswith(("xaxis", "yaxis"))]:
        layout[name].setdefault("tickfont", {})["size"] = size(layout[name].get("tickfont"), TICK)
    legend_font = layout.get("legend", {}).get("font")
    if legend_font and "size" in legend_font:
        legend_font["size"] = size(legend_font, None)
    for note in layout.get("annotations", ()):
        note["font"] = {"size": size(note.get("font"), 12)}  # replaces the font, as before
    for trace in spec["data"]:
        if trace.get("textfont", {}).get("size") is not None:
            trace["textfont"]["size"] = round(trace["textfont"]["size"] * factor, 1)
    if layout.get("height"):
        layout["height"] = int(layout["height"] * (1 + (factor - 1) / 2))
    return go.Figure(spec)
