"""The divergence message names the minibatch pile-up when it is the cause.

A 3-word corpus with k = 20 negatives at rate 0.05: per-example SGD (batch_size 1)
stays finite, our minibatch of 64 adds ~450 updates onto one row of W_out and
diverges. The message must say so and say what to change; a rate that is simply
too high keeps the plain message.
"""

import numpy as np
import pytest

from lab.lesson import Settings, build_lesson
from w2v_core.diagnose import PILEUP_ROWS, pileup
from w2v_core.errors import TrainingDiverged
from w2v_core.trainer import Trainer

TINY = "a b c " * 30  # one sentence, 3 words


def trainer(text: str | None = None, **kw) -> Trainer:
    s = Settings(source="paste", text=text) if text else Settings()
    return Trainer(s.config(**kw)).prepare(build_lesson(s).sentences)


def train(tr: Trainer) -> None:
    while not tr.done:
        tr.advance(100)


def test_the_tiny_corpus_diverges_only_in_minibatches():
    train(trainer(TINY, negative=20, alpha=0.05, batch_size=1))  # per-example: finite
    tr = trainer(TINY, negative=20, alpha=0.05)
    with pytest.raises(TrainingDiverged) as info:
        train(tr)
    msg = str(info.value)
    assert "minibatch of 64 examples adds up to 450 updates on the same row of W_out" in msg
    assert "only 3 words" in msg and "Lower the learning rate (to about 0.011)" in msg
    assert "--batch-size" in msg and "rolled back" in msg
    assert np.isfinite(tr.W_out_).all()
    train(trainer(TINY, negative=20, alpha=0.011))  # the advice works


def test_pileup_counts_rows_per_batch():
    p = pileup(trainer(TINY, negative=20))
    assert p.batch == 64 and p.matrix == "W_out"
    assert p.rows_out == pytest.approx(64 * (1 + 20) / 3, rel=0.01)  # every row alike
    for kw in ({}, {"loss": "hs"}, {"loss": "softmax"}, {"model": "cbow"}):
        p = pileup(trainer(**kw))  # the built-in corpus: about one update per example
        assert p.worst < PILEUP_ROWS * p.batch, (kw, p)
    assert pileup(trainer(TINY, negative=20, model="cbow")).rows_out > 400


def test_a_rate_that_is_simply_too_high_keeps_the_plain_advice():
    tr = trainer(alpha=100.0)
    with pytest.raises(TrainingDiverged) as info:
        train(tr)
    assert str(info.value).endswith("lower the learning rate.")
    assert "minibatch" not in str(info.value)


def test_a_single_step_never_blames_the_minibatch():
    tr = trainer(TINY, negative=20)
    with pytest.raises(TrainingDiverged) as info:
        for _ in range(200):
            tr.step(alpha=1e4)
    assert "minibatch" not in str(info.value)
