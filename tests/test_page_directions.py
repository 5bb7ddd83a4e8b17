"""AppTest of "Meaning as directions": every number comes from the table or the model."""

import json

import numpy as np
import pytest

from lab import directions_view as dv
from lab import explore_view as ev
from tests.apptest import open_page, trainer, values
from w2v_core.directions import direction, feature_agreement, parallelogram, plane, project


def frame(at, column):
    """The dataframe that has this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def chart_specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def metric_value(at, label: str) -> float:
    return float(next(m.value for m in at.metric if m.label == label))


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
    table = frame(at, "recovered")  # the agreement table, computed from the model
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


def test_the_analogy_as_vectors_king_to_queen_goes_along_man_to_woman():
    at = trained_page()
    tr = trainer(at)
    ref, test = dv.analogy_defaults(tr.words_)
    assert test == "king queen" and "man woman" in ref and "," in ref  # several pairs averaged
    assert at.text_input(key="dir_an_ref").value == ref
    want = parallelogram(tr.W_in_, tr.vocab_.index, dv.parse_pairs(ref)[0], ("king", "queen"))
    along = metric_value(at, "Step along")
    assert along == pytest.approx(want.along, abs=5e-4)
    assert along > 0  # queen − king projects positively on man → woman after training
    assert metric_value(at, "Cosine") == pytest.approx(want.cosine, abs=5e-3)
    chart = next(s for s in chart_specs(at) if len(s["layout"].get("annotations", [])) == 4)
    assert len(chart["layout"]["annotations"]) == len(want.arrows) == 4  # 3 reference + test
    # a single reference pair works too, and an unknown word is a message
    at.text_input(key="dir_an_ref").set_value("man woman").run()
    one = parallelogram(tr.W_in_, tr.vocab_.index, [("man", "woman")], ("king", "queen"))
    assert metric_value(at, "Step along") == pytest.approx(one.along, abs=5e-4)
    at.text_input(key="dir_an_test").set_value("king zzz").run()
    assert not at.exception and any("test pair" in i.value for i in at.info)


def test_the_directions_work_on_imported_vectors():
    at = trained_page()
    tr = trainer(at)
    rng = np.random.default_rng(1)
    W = tr.W_in_ + 0.01 * rng.normal(size=tr.W_in_.shape)  # vectors from "elsewhere"
    vec = ev.Vectors(tuple(tr.words_), W, "other.txt", "word2vec text file other.txt")
    at.session_state["xp_imported"] = vec
    at.run()
    at.radio(key="dir_source").set_value("imported").run()
    assert not at.exception
    ref, _ = dv.analogy_defaults(vec.words)
    want = parallelogram(vec.W, {w: i for i, w in enumerate(vec.words)},
                         dv.parse_pairs(ref)[0], ("king", "queen"))  # fmt: skip
    assert metric_value(at, "Step along") == pytest.approx(want.along, abs=5e-4)
    ranking = next(s for s in chart_specs(at) if s["data"][0]["type"] == "bar")
    gender = direction(vec.W, {w: i for i, w in enumerate(vec.words)},
                       dv.parse_pairs(dv.AXES["male → female"])[0])  # fmt: skip
    got = dict(zip(ranking["data"][0]["y"], values(ranking["data"][0]["x"]), strict=True))
    assert got["queen"] == pytest.approx(project(vec.W, gender)[vec.words.index("queen")], 1e-6)


def test_hand_made_and_learned_neighbours_side_by_side():
    at = trained_page()
    tr = trainer(at)
    table = frame(at, "learned")
    hand = dv.feature_table(tr.words_)
    W = dv.rows_of(tr.W_in_, tr.words_, list(hand.index))
    want = dv.nearest_rows(hand.to_numpy(), W, list(hand.index))
    assert list(table["learned"]) == [r["learned"] for r in want]
    assert list(table["by hand"]) == [r["by hand"] for r in want]
    assert dict(zip(table["word"], table["by hand"], strict=True))["king"] in {
        "queen", "prince", "man"}  # one feature apart in the table  # fmt: skip


def test_sections_are_drawn_alone_as_the_tour_does(monkeypatch):
    from lab import tour

    at = open_page("app_pages/directions.py")
    trainer(at).advance(epochs=20)
    step = tour.Step("directions.py", ("analogy",), "idea", "look")
    monkeypatch.setattr(tour, "steps", lambda: (step,))  # a one-step tour on this section
    at.session_state[tour.STEP] = 0
    at.run()
    assert not at.exception
    assert [h.value for h in at.main.header] == ["5. An analogy drawn as vectors"]
    assert metric_value(at, "Step along") > 0
