"""Unit tests of lab/tinker_view.py: typed training pairs, and the next minibatch."""

import numpy as np
import pytest

from lab import tinker_view as tv
from lab.lesson import Settings, build_lesson
from w2v_core.sampler import NoiseSampler
from w2v_core.step import sgd_step
from w2v_core.trainer import Trainer


def test_parse_pairs_reads_every_separator_and_names_bad_lines():
    pairs, problems = tv.parse_pairs("a b\nB,c\n\n# note\nc -> d\nd\te\none two three\nsolo")
    assert pairs == [("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")]
    assert problems == [
        "Line 7: expected two words (input output), found 3.",
        "Line 8: expected two words (input output), found 1.",
    ]
    assert tv.parse_pairs("x " + "y" * 40)[1][0].startswith("Line 1: a word is longer")
    assert tv.parse_pairs("a a\na a")[0] == []  # one word only
    many = "\n".join(f"w{i} v{i}" for i in range(tv.MAX_WORDS))
    assert tv.parse_pairs(many)[0] == [] and "distinct words" in tv.parse_pairs(many)[1][0]


def test_training_on_pairs_is_the_per_example_softmax_step():
    pairs, _ = tv.parse_pairs(tv.EXAMPLE_PAIRS)
    run = tv.train_pairs(pairs, dim=4, epochs=1, alpha=0.1, seed=3)
    # replay: the same init and order, one sgd_step per pair
    rng = np.random.default_rng(3)
    V = len(run.words)
    W_in, W_out = (rng.random((V, 4)) - 0.5) / 4, np.zeros((V, 4))
    index = {w: i for i, w in enumerate(run.words)}
    P = np.array([[index[a], index[b]] for a, b in pairs])
    total = 0.0
    for c, o in P[rng.permutation(len(P))]:
        s = sgd_step("skipgram", "softmax", [c], int(o), [], W_in, W_out, 0.1)
        W_in, W_out, total = s.W_in, s.W_out, total + s.loss
    np.testing.assert_allclose(run.W_in, W_in)
    np.testing.assert_allclose(run.W_out, W_out)
    assert run.epoch_loss == pytest.approx((total / len(P),))
    # trained longer, each input predicts its typed outputs
    long = tv.train_pairs(pairs, dim=4, epochs=150, alpha=0.1, seed=3)
    assert long.epoch_loss[-1] < long.epoch_loss[0]
    i, j = long.words.index("apple"), long.words.index("juice")
    assert long.probs[i, j] > 0.3 and np.allclose(long.probs.sum(axis=1), 1.0)


def test_next_batch_shows_the_negatives_the_trainer_then_uses(monkeypatch):
    s = Settings(batch_size=8)
    les = build_lesson(s)
    a, b = (Trainer(s.config()).prepare(les.sentences) for _ in range(2))
    batch = tv.next_batch(a, limit=8)
    assert batch.centre.shape == (8,) and batch.context.shape == batch.label.shape == (8, 6)
    assert (batch.label[:, 0] == 1).all() and (batch.label[:, 1:] == 0).all()
    seen = []
    real = NoiseSampler.outputs
    monkeypatch.setattr(
        NoiseSampler, "outputs", lambda sm, t, u: seen.append(real(sm, t, u)) or seen[-1]
    )
    b.advance(8)
    monkeypatch.undo()
    np.testing.assert_array_equal(seen[0][:8], batch.context)
    np.testing.assert_array_equal(b.examples.target[:8], batch.centre)
    a.advance(8)  # next_batch did not disturb a: both trainers are still identical
    np.testing.assert_array_equal(a.W_in_, b.W_in_)
    rows = batch.rows()
    assert rows[0] == {"example": 0, "centre": a.words_[batch.centre[0]],
                       "context": a.words_[batch.context[0, 0]], "label": 1}  # fmt: skip
    assert tv.next_batch(Trainer(s.config(loss="hs")).prepare(les.sentences)) is None
