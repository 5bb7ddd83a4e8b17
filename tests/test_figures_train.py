"""Figures of the live-training page: plain data in, go.Figure out."""

import numpy as np

from lab.figures.train import loss_figure, matrix_heatmap


def test_heatmap_outlines_exactly_the_changed_rows():
    W = np.arange(12.0).reshape(4, 3) - 6  # (4, 3)
    fig = matrix_heatmap(W, ["a", "b", "c", "d"], changed=[1, 3], zmax=6.0)
    np.testing.assert_array_equal(np.array(fig.data[0].z), W)
    assert list(fig.data[0].y) == ["a", "b", "c", "d"]
    assert (fig.data[0].zmin, fig.data[0].zmax, fig.data[0].zmid) == (-6.0, 6.0, 0)
    boxes = [(s.y0, s.y1, s.x0, s.x1) for s in fig.layout.shapes]
    assert boxes == [(0.5, 1.5, -0.5, 2.5), (2.5, 3.5, -0.5, 2.5)]
    assert fig.layout.uirevision == "keep"
    assert matrix_heatmap(W, list("abcd")).layout.shapes == ()


def test_loss_figure_has_ticks_smoothed_and_epochs():
    ticks = [(100, 3.0), (200, 2.5), (300, 2.0)]
    fig = loss_figure(ticks, [3.0, 2.8, 2.5], [(150, 2.6)])
    ys = [list(t.y) for t in fig.data]
    assert [3.0, 2.5, 2.0] in ys and [3.0, 2.8, 2.5] in ys
    epochs = next(t for t in fig.data if t.name == "per epoch")
    assert list(epochs.x) == [150] and list(epochs.y) == [2.6]  # where the epoch ended
