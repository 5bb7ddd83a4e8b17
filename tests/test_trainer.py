"""The trainer: loss falls, seeds reproduce, advances report rows, divergence rolls back."""

import numpy as np
import pytest

from w2v_core import fast
from w2v_core.config import W2VConfig
from w2v_core.errors import ConfigError, CorpusError, TrainingDiverged
from w2v_core.trainer import Trainer

SMALL = W2VConfig(dim=10, window=2, negative=3, min_count=1, sample=0, epochs=3, batch_size=16)


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
@pytest.mark.parametrize("loss", ["negative", "softmax", "hs"])
def test_loss_falls(toy_sentences, model, loss):
    tr = Trainer(SMALL.replace(model=model, loss=loss, epochs=8, alpha=0.05)).fit(toy_sentences)
    first, last = tr.history_.epoch_loss[0], tr.history_.epoch_loss[-1]
    assert len(tr.history_.epoch_loss) == 8
    assert last < 0.8 * first


def test_same_seed_same_model_other_seed_other_model(toy_sentences):
    a = Trainer(SMALL).fit(toy_sentences)
    b = Trainer(SMALL).fit(toy_sentences)
    c = Trainer(SMALL.replace(seed=1)).fit(toy_sentences)
    np.testing.assert_array_equal(a.W_in_, b.W_in_)
    np.testing.assert_array_equal(a.W_out_, b.W_out_)
    assert not np.allclose(a.W_in_, c.W_in_)


def test_initial_state_follows_word2vec(toy_sentences):
    tr = Trainer(SMALL).prepare(toy_sentences)
    d = SMALL.dim
    assert tr.W_in_.shape == (len(tr.vocab_), d) and tr.W_in_.dtype == np.float32
    assert np.all(np.abs(tr.W_in_) <= 1 / d) and np.abs(tr.W_in_).max() > 0.9 / d
    assert not tr.W_out_.any()


def test_advance_by_examples_reports_changed_rows(toy_sentences):
    tr = Trainer(SMALL.replace(dynamic_window=False)).prepare(toy_sentences)
    tr.advance(40)  # make W_out non-zero so both sides move
    ex = tr.examples
    lo = tr.cursor_
    W_in, W_out = tr.W_in_, tr.W_out_
    rep = tr.advance(10)
    assert rep.examples == 10 and tr.examples_seen_ == 50
    changed_in = np.flatnonzero(np.any(tr.W_in_ != W_in, axis=1))
    changed_out = np.flatnonzero(np.any(tr.W_out_ != W_out, axis=1))
    assert set(changed_in) == set(ex.target[lo : lo + 10]) == set(rep.rows_in)
    assert set(changed_out) <= set(rep.rows_out)
    assert set(ex.context[lo : lo + 10]) <= set(rep.rows_out)


def test_advance_returns_new_arrays_and_never_mutates_old_ones(toy_sentences):
    tr = Trainer(SMALL).prepare(toy_sentences)
    held = tr.W_in_
    copy = held.copy()
    tr.advance(epochs=1)
    np.testing.assert_array_equal(held, copy)
    assert tr.W_in_ is not held


def test_epochs_and_done(toy_sentences):
    tr = Trainer(SMALL.replace(epochs=2)).prepare(toy_sentences)
    r1 = tr.advance(epochs=1)
    assert r1.epoch == 1 and not r1.done
    r2 = tr.advance(epochs=5)
    assert r2.done and tr.epoch_ == 2
    assert tr.advance(10).examples == 0
    assert tr.progress == 1.0
    assert r1.alpha > r2.alpha >= SMALL.min_alpha  # linear decay


def test_step_applies_exactly_one_example(toy_sentences):
    tr = Trainer(SMALL.replace(dtype="float64")).prepare(toy_sentences)
    tr.advance(30)
    before_in, before_out = tr.W_in_, tr.W_out_
    shown = tr.explain_next()
    assert tr.W_in_ is before_in  # explaining changes nothing
    s = tr.step()
    assert s is shown and tr.examples_seen_ == 31
    np.testing.assert_array_equal(tr.W_in_, s.W_in)
    changed = np.flatnonzero(np.any(tr.W_out_ != before_out, axis=1))
    assert set(changed) <= set(s.rows_out)


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
@pytest.mark.parametrize("loss", ["negative", "softmax", "hs"])
def test_step_and_batch_of_one_agree(toy_sentences, model, loss):
    cfg = SMALL.replace(dtype="float64", model=model, loss=loss)
    a = Trainer(cfg).prepare(toy_sentences)
    b = Trainer(cfg).prepare(toy_sentences)
    for _ in range(5):
        a.step()
        b.advance(1)
    np.testing.assert_allclose(a.W_in_, b.W_in_, atol=1e-12)
    np.testing.assert_allclose(a.W_out_, b.W_out_, atol=1e-12)


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_hs_updates_the_inner_nodes_on_the_paths(toy_sentences, model):
    """Under HS, rows_out are inner-node ids: the nodes on the paths of the predicted words."""
    tr = Trainer(SMALL.replace(model=model, loss="hs", dynamic_window=False)).prepare(toy_sentences)
    V = len(tr.vocab_)
    tr.advance(40)
    ex, lo, W_out = tr.examples, tr.cursor_, tr.W_out_
    rep = tr.advance(10)
    predicted = ex.context[lo : lo + 10] if model == "skipgram" else ex.target[lo : lo + 10]
    nodes = set(np.concatenate([tr.tree_.path(w) for w in predicted]).tolist())
    assert set(rep.rows_out) == nodes and max(nodes) == V - 2  # every path starts at the root
    changed = np.flatnonzero(np.any(tr.W_out_ != W_out, axis=1))
    assert set(changed) <= nodes
    assert not tr.W_out_[V - 1].any()  # row V-1 is no inner node
    s = tr.explain_next()
    w = s.output
    assert list(s.scored_ids) == list(tr.tree_.path(w)) and list(s.code) == list(tr.tree_.code(w))
    assert len(s.negatives) == 0 and set(s.rows_out) == set(tr.tree_.path(w))


def test_hs_ignores_the_numba_backend(toy_sentences):
    """The compiled kernel does negative sampling only: HS runs the NumPy path (same result)."""
    cfg = SMALL.replace(loss="hs", dtype="float64", epochs=1)
    a = Trainer(cfg).fit(toy_sentences)
    b = Trainer(cfg.replace(backend="numba")).fit(toy_sentences)
    np.testing.assert_array_equal(a.W_in_, b.W_in_)
    np.testing.assert_array_equal(a.W_out_, b.W_out_)


def test_divergence_rolls_back_and_explains(toy_sentences):
    tr = Trainer(SMALL).prepare(toy_sentences)
    tr.advance(20)
    for _ in range(200):
        before = (tr.W_in_, tr.W_out_, tr.examples_seen_, tr.cursor_)
        try:
            tr.advance(50, alpha=50.0)
        except TrainingDiverged as e:
            assert "rolled back" in str(e) and "learning rate" in str(e)
            break
    else:
        pytest.fail("a learning rate of 50 never diverged")
    assert (tr.W_in_, tr.W_out_, tr.examples_seen_, tr.cursor_) == before  # last good state kept
    assert np.isfinite(tr.W_in_).all() and np.isfinite(tr.W_out_).all()
    assert tr.advance(20).examples == 20  # still usable at a sane learning rate


def test_history_is_bounded(toy_sentences):
    cfg = SMALL.replace(max_snapshots=8, epochs=50, history_bytes=10_000)
    tr = Trainer(cfg).prepare(toy_sentences)
    for _ in range(300):
        tr.advance(7)
    h = tr.history_
    assert 2 <= len(h.snapshots) <= 8
    assert h.nbytes <= 10_000 + 16 * len(h.loss)
    steps = [s.examples_seen for s in h.snapshots]
    assert steps == sorted(steps) and steps[0] == 0


@pytest.mark.parametrize(
    "change",
    [
        dict(window=0),
        dict(dim=0),
        dict(negative=-1),
        dict(model="glove"),
        dict(loss="tree"),
        dict(batch_size=100_000),
    ],
)
def test_bad_config(change, toy_sentences):
    with pytest.raises(ConfigError):
        Trainer(SMALL.replace(**change)).prepare(toy_sentences)


def test_bad_corpora():
    with pytest.raises(CorpusError):
        Trainer(SMALL).prepare([])
    with pytest.raises(CorpusError, match="min_count"):
        Trainer(SMALL.replace(min_count=5)).prepare([["a", "b", "c"]])
    with pytest.raises(CorpusError, match="single word"):
        Trainer(SMALL).prepare([["a"], ["b"], ["a"]])


@pytest.mark.skipif(not fast.available(), reason="numba not installed")
@pytest.mark.parametrize("model", ["skipgram", "cbow", "cbow-exact"])
@pytest.mark.parametrize("threads", [1, 2])
def test_numba_kernel_matches_numpy(toy_sentences, model, threads):
    update = "gradient" if "exact" in model else "word2vec"
    cfg = SMALL.replace(model=model.split("-")[0], dtype="float64", epochs=2, cbow_update=update)
    a = Trainer(cfg).fit(toy_sentences)
    b = Trainer(cfg.replace(backend="numba", threads=threads)).fit(toy_sentences)
    np.testing.assert_allclose(a.W_in_, b.W_in_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(a.W_out_, b.W_out_, rtol=1e-9, atol=1e-12)
    assert a.history_.epoch_loss == pytest.approx(b.history_.epoch_loss, rel=1e-9)


@pytest.mark.skipif(not fast.available(), reason="numba not installed")
def test_numba_two_threads_match_numpy_on_many_row_blocks():
    """Hundreds of words: both threads own many blocks of 16 rows (fast.BLOCK_SHIFT)."""
    from w2v_core.generated import generate_corpus
    from w2v_core.tokenize import tokenize

    sentences = tokenize(generate_corpus(20_000, seed=1).text, split="line")
    cfg = W2VConfig(dim=16, epochs=1, min_count=1, dtype="float64", seed=3, batch_size=256)
    a = Trainer(cfg).fit(sentences)
    assert len(a.vocab_) > 20 * (1 << fast.BLOCK_SHIFT)
    b = Trainer(cfg.replace(backend="numba", threads=2)).fit(sentences)
    np.testing.assert_allclose(a.W_in_, b.W_in_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(a.W_out_, b.W_out_, rtol=1e-9, atol=1e-12)
