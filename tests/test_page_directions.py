"""AppTest of "Meaning as directions": every number comes from the table or the model."""

import numpy as np
import pytest

from lab import directions_view as dv
from tests.apptest import open_page, trainer
from w2v_core.directions import direction, feature_agreement, plane, project


def trained_page():
    at = open_page("app_pages/directions.py")
    trainer(at).advance(epochs=20)  # the default run, as Explore's "train" does
    at.run()
    assert not at.exception
    return at


def test_the_gender_direction_is_learned_and_points_from_king_to_queen():
    at = trained_page()
    tr = trainer(at)
    index = tr.vocab_.index
    gender = direction(tr.W_in_, index, dv.parse_pairs(dv.AXES["male → female"])[0])
    v = project(tr.W_in_, gender)
    assert v[index["queen"]] - v[index["king"]] > 0  # queen − king points along man → woman
    assert v[index["woman"]] > v[index["man"]] and v[index["girl"]] > v[index["boy"]]
    table = at.dataframe[-1].value  # the agreement table, computed from the model
    row = table.set_index("feature").loc["gender"]
    hand = dv.feature_table(tr.words_)
    W = tr.W_in_[[index[w] for w in hand.index]]
    expected = feature_agreement(W, hand.to_numpy(), 0, "gender")
    assert row["recovered"] == f"{expected.held_out:.0%}"
    assert row["parallel"] == pytest.approx(round(expected.parallel, 2))
    assert row["pairs"] == len(expected.pairs) >= 4  # king→queen, man→woman, he→she...
    assert expected.held_out >= 0.75  # the learned vectors carry gender as a direction


def test_the_hand_made_table_answers_the_analogy_from_its_own_numbers():
    at = open_page("app_pages/directions.py")
    table = dv.feature_table(trainer(at).words_)
    assert dv.table_analogy(table, "king", "man", "woman").answer == "queen"
    assert any(m.label.startswith("king − man + woman") and m.value == "queen" for m in at.metric)
    edited = table.copy()
    edited.loc["queen"] = [-1.0, 0.0, 0.0]  # a student changes queen's features
    assert dv.table_analogy(edited, "king", "man", "woman").answer != "queen"


def test_plane_axes_and_parsing():
    rng = np.random.default_rng(0)
    W = rng.normal(size=(6, 4))
    index = {w: i for i, w in enumerate("abcdef")}
    x = direction(W, index, [("a", "b"), ("c", "d")])
    y = direction(W, index, [("a", "e"), ("x", "y")])  # one unknown pair is left out
    assert y.missing == (("x", "y"),)
    pl = plane(W, x, y)
    assert pl.points.shape == (6, 2) and np.all(np.abs(pl.points) <= 1 + 1e-9)
    assert dv.parse_pairs("a b, c d\ne f") == ([("a", "b"), ("c", "d"), ("e", "f")], [])
    assert dv.parse_pairs("a b c, d")[1] == ["a b c", "d"]


def test_bad_pairs_are_a_message_not_a_crash():
    at = open_page("app_pages/directions.py")
    at.text_area(key="dir_x_male → female").set_value("king, zzz yyy").run()
    assert not at.exception
    assert any("two words each" in i.value for i in at.info)


def test_minimal_pairs_differ_in_one_feature_only():
    from w2v_core.directions import minimal_pairs

    F = np.array([[-1, 1, 1], [1, 1, 1], [-1, 0, 1], [1, 0, 0]])  # king, queen, man, girl
    assert minimal_pairs(F, 0) == [(0, 1)]  # king→queen; man/girl differ in age too
    assert minimal_pairs(F, 1) == [(2, 0)]  # man→king
