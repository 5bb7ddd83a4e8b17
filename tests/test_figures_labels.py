"""Label placement: readable labels, words on one spot merged, watched words always shown."""

import numpy as np

from lab.figures import label_positions, scatter_words
from lab.figures.labels import CHAR_WIDTH, _box, merged_text, place_labels

RANGES = ([0.0, 1.0], [0.0, 1.0])
SIZE = (500.0, 400.0)


def boxes(points, labels, font=13.0):
    """The screen boxes of the shown labels (as place_labels measures them)."""
    P = np.asarray(points)
    out = []
    for (x, y), text, pos in zip(P, labels.text, labels.position, strict=True):
        if text:
            w = CHAR_WIDTH * font * len(text)
            out.append(_box(x * SIZE[0], (1 - y) * SIZE[1], w, font * 1.25, pos))
    return out


def test_a_crowded_cluster_gets_labels_that_do_not_overlap():
    rng = np.random.default_rng(0)
    pts = 0.5 + 0.03 * rng.normal(size=(12, 2))  # a tight cluster, like king/queen/prince...
    words = [f"word{i}" for i in range(12)]
    lab = place_labels(pts, words, RANGES, SIZE)
    shown = boxes(pts, lab)
    assert len(shown) >= 4 and 0 < lab.hidden <= 12 - len(shown)  # merged words count as shown
    for i, a in enumerate(shown):
        for b in shown[i + 1 :]:
            overlap = a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
            assert not overlap, (a, b)


def test_words_on_the_same_spot_share_one_label():
    pts = np.array([[0.2, 0.2]] * 5 + [[0.8, 0.8]])
    words = ["a", "b", "c", "d", "e", "f"]
    lab = place_labels(pts, words, RANGES, SIZE)
    assert lab.text[0] == merged_text(words[:5]) == "a · b · c +2"
    assert lab.text[1:5] == ["", "", "", ""] and lab.text[5] == "f"
    assert lab.hidden == 0


def test_watched_words_are_labelled_even_in_a_pile():
    pts = np.full((30, 2), 0.5) + np.linspace(0, 0.01, 30)[:, None]
    words = [f"w{i}" for i in range(30)]
    lab = place_labels(pts, words, RANGES, SIZE, always=["w29"])
    carrier = next(i for i, t in enumerate(lab.text) if "w29" in t)
    assert lab.text[carrier].startswith("w29")


def test_a_previous_position_is_kept_when_it_is_still_free():
    pts = np.array([[0.5, 0.5], [0.9, 0.1]])
    lab = place_labels(pts, ["x", "y"], RANGES, SIZE, prefer={"x": "bottom left"})
    assert lab.position[0] == "bottom left"


def test_scatter_words_uses_the_placement_and_reports_positions():
    pts = np.array([[0.1, 0.1], [0.1, 0.1], [0.9, 0.9]])
    fig = scatter_words(pts, ["p", "q", "r"], ranges=RANGES)
    assert list(fig.data[0].text) == ["p · q", "", "r"]
    assert list(fig.data[0].hovertext) == ["p", "q", "r"]
    assert set(label_positions(fig)) == {"p", "r"}
