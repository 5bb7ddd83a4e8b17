"""The lesson: what the app builds from the corpus once, reused by the engine."""

import numpy as np

from lab.lesson import MAX_VOCAB, Settings, build_lesson


def test_a_lessons_trainer_reuses_its_counts_and_matches_prepare():
    """reset_trainer hands the lesson's vocabulary and corpus to prepare_encoded: the same
    vocabulary, corpus and initial weights as preparing from the sentences again."""
    from w2v_core.trainer import Trainer

    s = Settings(preset="royalty")
    les = build_lesson(s)
    cfg = s.config()
    assert (cfg.min_count, cfg.max_vocab) == (s.min_count, MAX_VOCAB)
    a = Trainer(cfg).prepare_encoded(les.vocab, les.corpus)
    b = Trainer(cfg).prepare(les.sentences)
    assert a.words_ == b.words_
    np.testing.assert_array_equal(a.corpus_.ids, b.corpus_.ids)
    np.testing.assert_array_equal(a.W_in_, b.W_in_)
