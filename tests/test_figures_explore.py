"""Figure builders of the Explore-and-share page: plain data in, fixed-range figures out."""

import numpy as np

from lab.figures.explore import (
    MAX_CELL_TEXT,
    MAX_LABELS,
    analogy_figure,
    projection_figure,
    similarity_figure,
)

LABELS = ("a: man", "b: king", "c: woman", "b − a + c", "answer: queen")


def test_analogy_figure_shows_the_five_rows():
    rows = np.random.default_rng(0).normal(size=(5, 8))
    fig = analogy_figure(LABELS, rows, 0.8123)
    hm = fig.data[0]
    assert hm.type == "heatmap"
    np.testing.assert_array_equal(np.asarray(hm.z), rows)
    assert tuple(hm.y) == LABELS and list(hm.x) == list(range(8))
    zmax = np.abs(rows).max()
    assert (hm.zmin, hm.zmax) == (-zmax, zmax)
    assert hm.texttemplate == "%{z:.2f}"  # few dimensions: the values are written
    assert "0.812" in fig.layout.title.text
    assert list(fig.layout.xaxis.range) == [-0.5, 7.5]
    assert fig.layout.uirevision == "keep"


def test_analogy_figure_drops_cell_text_for_many_dimensions():
    fig = analogy_figure(LABELS, np.ones((5, MAX_CELL_TEXT + 1)), 1.0)
    assert fig.data[0].texttemplate is None


def test_similarity_figure():
    S = np.array([[1.0, 0.25], [0.25, 1.0]])
    fig = similarity_figure(["king", "queen"], S, "two words")
    hm = fig.data[0]
    assert (hm.zmin, hm.zmax, hm.zmid) == (-1, 1, 0)
    assert list(hm.x) == ["king", "queen"] and hm.texttemplate == "%{z:.2f}"
    np.testing.assert_array_equal(np.asarray(hm.z), S)
    assert list(fig.layout.xaxis.range) == [-0.5, 1.5]
    assert fig.layout.uirevision == "keep"
    many = [f"w{i}" for i in range(MAX_CELL_TEXT + 1)]
    assert similarity_figure(many, np.eye(len(many))).data[0].texttemplate is None


def test_projection_2d_groups_and_highlight():
    pts = np.array([[0.0, 0.0], [1.0, 2.0], [2.0, 1.0], [3.0, 3.0]])
    words = ["king", "queen", "apple", "pear"]
    fig = projection_figure(
        pts, words, ["royal", "royal", "fruit", "fruit"], ("PC 1 (40%)", "PC 2 (20%)"), ["pear"]
    )
    names = [t.name for t in fig.data]
    assert names == ["royal", "fruit", "highlighted"]
    lit = fig.data[2]
    assert "pear" in fig.data[1].text  # labelled in its group's trace
    assert list(lit.x) == [3.0] and lit.marker.size > fig.data[0].marker.size
    assert lit.marker.line.width >= 2 and (lit.x[0], lit.y[0]) == (3.0, 3.0)
    assert fig.layout.xaxis.title.text == "PC 1 (40%)"
    lo, hi = fig.layout.xaxis.range
    assert lo < 0 and hi > 3
    assert fig.layout.uirevision == "keep"


def test_projection_2d_many_points_labels_do_not_pile_up():
    n = MAX_LABELS + 1
    pts = np.random.default_rng(1).normal(size=(n, 2))
    words = [f"w{i}" for i in range(n)]
    fig = projection_figure(pts, words, None, ("x", "y"), ["w7"])
    shown = [t for t in fig.data[0].text if t]
    assert "w7" in shown  # a highlighted word is always labelled
    assert 10 < len(shown) < n  # many labels, but not all of them on a crowded plot
    assert fig.layout.meta["hidden_labels"] == n - len(shown)
    assert list(fig.data[0].hovertext) == words  # hovering names every point
    assert fig.data[-1].name == "highlighted"


def test_projection_3d():
    pts = np.random.default_rng(2).normal(size=(6, 3))
    words = [f"w{i}" for i in range(6)]
    fig = projection_figure(pts, words, None, ("t-SNE 1", "t-SNE 2", "t-SNE 3"), ["w2"])
    assert [t.type for t in fig.data] == ["scatter3d", "scatter3d"]
    main, lit = fig.data
    assert list(main.text) == words and main.mode == "markers+text"
    assert lit.name == "highlighted" and lit.marker.symbol == "circle-open"
    assert lit.marker.size > main.marker.size
    assert (lit.x[0], lit.y[0], lit.z[0]) == tuple(pts[2])
    scene = fig.layout.scene
    assert scene.zaxis.title.text == "t-SNE 3"
    for axis, k in ((scene.xaxis, 0), (scene.yaxis, 1), (scene.zaxis, 2)):
        lo, hi = axis.range
        assert lo < pts[:, k].min() and hi > pts[:, k].max()
    assert fig.layout.uirevision == "keep"


def test_projection_3d_without_highlight_has_no_extra_trace():
    pts = np.zeros((3, 3))
    fig = projection_figure(pts, ["a", "b", "c"], ["x", "y", "x"], ("1", "2", "3"))
    assert [t.name for t in fig.data] == ["x", "y"]
