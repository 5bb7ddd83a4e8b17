"""lab.figures.draft builds the same figure as plotly's own (slower) update calls."""

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lab.figures.draft import Draft, nested


def same(a: go.Figure, b: go.Figure) -> bool:
    return a.to_plotly_json() == b.to_plotly_json()


def test_a_grid_matches_make_subplots_with_cell_traces_axes_and_shapes():
    kw = dict(column_widths=[0.2, 0.8], shared_xaxes=True, horizontal_spacing=0.05)
    titles = ("left", "right", "", "bottom right")
    ref = make_subplots(rows=2, cols=2, subplot_titles=titles, **kw)
    draft = Draft.grid(rows=2, cols=2, subplot_titles=titles, **kw)
    for fig in (ref, draft):
        fig.add_trace(go.Heatmap(z=[[1, 2]]), row=1, col=2)
        fig.add_trace(go.Scatter(x=[0, 1], y=[1, 0]), row=2, col=1)
        fig.add_shape(type="rect", x0=0, x1=1, y0=0, y1=1, row=2, col=2)
        fig.update_xaxes(tickangle=-45)  # every x axis
        fig.update_yaxes(title_text="count", range=[0, 3], row=1, col=2)
        fig.update_layout(height=400, margin=dict(l=5), legend_orientation="h")
        fig.update_layout(margin=dict(r=7))  # merges with l
    assert same(ref, draft.figure())


def test_a_single_plot_matches_update_layout_annotations_and_titles():
    ref, draft = go.Figure(go.Bar(x=[1, 2], y=[3, 4])), Draft(go.Bar(x=[1, 2], y=[3, 4]))
    for fig in (ref, draft):
        fig.update_layout(title="first", xaxis_title="x", meta=dict(hidden_labels=["a_b"]))
        fig.update_layout(title=dict(x=0.5))  # a string title merges as its text
        fig.update_xaxes(range=[0, 3])
        fig.add_annotation(x=1, y=2, text="note", showarrow=False)
        fig.add_hline(y=3, line=dict(dash="dot"), annotation_text="W = 3")  # top right
        fig.add_hline(y=1, line=dict(width=2), annotation_text="m", annotation_position="top left")
    assert same(ref, draft.figure())
    assert draft.figure().layout.meta == {"hidden_labels": ["a_b"]}  # free-form keys kept


def test_magic_underscores_nest_except_whole_names():
    assert nested({"xaxis_title_text": "t", "plot_bgcolor": "white"}) == {
        "xaxis": {"title": {"text": "t"}},
        "plot_bgcolor": "white",
    }
