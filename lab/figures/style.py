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


def _scale_font(font, factor: float, default: float | None = None) -> dict | None:
    size = font.size if font is not None and font.size is not None else default
    return None if size is None else dict(size=round(size * factor, 1))


def scaled(fig: go.Figure, factor: float = PRESENTER_SCALE) -> go.Figure:
    """A copy of ``fig`` whose every text (layout, axes, legend, annotations, trace text)
    is ``factor`` times larger; heights grow by half as much, so more fits on a screen."""
    fig = go.Figure(fig)
    layout = fig.layout
    fig.update_layout(font=_scale_font(layout.font, factor, default=12))
    for name in [k for k in layout.to_plotly_json() if k.startswith(("xaxis", "yaxis"))]:
        axis = layout[name]
        fig.update_layout({name: dict(tickfont=_scale_font(axis.tickfont, factor, default=TICK))})
    if layout.legend is not None and layout.legend.font is not None:
        fig.update_layout(legend=dict(font=_scale_font(layout.legend.font, factor)))
    for a in layout.annotations or ():
        a.font = _scale_font(a.font, factor, default=12)
    for t in fig.data:
        if getattr(t, "textfont", None) is not None and t.textfont.size is not None:
            t.textfont.size = round(t.textfont.size * factor, 1)
    if layout.height:
        fig.update_layout(height=int(layout.height * (1 + (factor - 1) / 2)))
    return fig
