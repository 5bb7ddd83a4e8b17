"""w2v_core.directions.parallelogram: an analogy drawn as vectors, on vectors built by hand."""

import numpy as np
import pytest

from lab import explore_view as ev
from w2v_core.directions import parallelogram
from w2v_core.errors import W2VError

# an exact parallelogram before normalising; the engine works on unit rows v̂, where it is
# only close to one
WORDS = ("man", "woman", "boy", "girl", "king", "queen", "car")
W = np.array(
    [
        [1.0, 0.0, 0.2, 0.0],  # man
        [1.0, 1.0, 0.2, 0.0],  # woman = man + gender
        [1.0, 0.0, 0.6, 0.0],  # boy
        [1.0, 1.0, 0.6, 0.0],  # girl = boy + gender
        [1.0, 0.0, 0.2, 1.0],  # king = man + royal
        [1.0, 1.0, 0.2, 1.0],  # queen = king + gender
        [0.0, 0.0, 0.0, 1.0],  # car
    ]
)  # (7, 4)
INDEX = {w: i for i, w in enumerate(WORDS)}


def test_a_true_analogy_steps_along_the_direction():
    p = parallelogram(W, INDEX, [("man", "woman"), ("boy", "girl")], ("king", "queen"))
    assert p.words == ("man", "woman", "boy", "girl", "king", "queen")
    assert p.arrows == ((0, 1), (2, 3), (4, 5))
    assert p.along > 0 and p.cosine > 0.9  # the unit-normalised steps stay close to parallel
    assert p.points.shape == (6, 2) and np.all(np.abs(p.points) <= 1 + 1e-9)
    back = parallelogram(W, INDEX, [("man", "woman")], ("queen", "king"))
    assert back.along == pytest.approx(-parallelogram(W, INDEX, [("man", "woman")],
                                                      ("king", "queen")).along)  # fmt: skip


def test_an_unrelated_step_is_not_along_it():
    p = parallelogram(W, INDEX, [("man", "woman"), ("boy", "girl")], ("king", "car"))
    assert p.cosine < 0.5


def test_bad_pairs_raise_a_readable_error():
    with pytest.raises(W2VError, match="test pair"):
        parallelogram(W, INDEX, [("man", "woman")], ("king", "zzz"))
    with pytest.raises(W2VError, match="None of the word pairs"):
        parallelogram(W, INDEX, [("x", "y")], ("king", "queen"))
    with pytest.raises(W2VError, match="starts where"):
        parallelogram(W, INDEX, [("man", "woman")], ("man", "woman"))


def test_suggested_analogy_falls_back_in_order():
    cats = {"dog": "animal", "cat": "animal", "car": "vehicle", "bus": "vehicle"}
    words = ["the", "dog", "car", "cat", "bus"]
    s = ev.suggested_analogy(words, (), cats)
    assert (s.a, s.b, s.c, s.category) == ("dog", "car", "cat", "vehicle")
    plain = ev.suggested_analogy(["the", "a", "of", "fox"])
    assert (plain.a, plain.b, plain.c) == ("the", "a", "of") and "most frequent" in plain.why
    own = ev.suggested_analogy(
        ["man", "king", "woman", "queen"], [("man", "king", "woman", "queen")]
    )
    assert own.answer == "queen" and "own" in own.why
