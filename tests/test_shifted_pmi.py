"""Shifted PMI (Levy & Goldberg 2014): the target by hand, the fit, and SGNS moving towards it."""

import numpy as np
import pytest
from scipy import sparse

from lab.lesson import Settings, build_lesson
from w2v_core import shifted_pmi as sp
from w2v_core.cooccur import cooccurrence
from w2v_core.errors import ConfigError, W2VError
from w2v_core.shifted_pmi import correlation, fit, pair_scores, shifted_pmi
from w2v_core.trainer import Trainer

# Rows sum to #(0) = 4, #(1) = 2, #(2) = 6; |D| = 12. Cells (1, 1) and (1, 2) are 0.
HAND = np.array([[0.0, 2, 2], [2, 0, 0], [2, 0, 4]])


def as_dict(t):
    return {(int(w), int(c)): float(v) for w, c, v in zip(t.rows, t.cols, t.target, strict=True)}


def test_target_by_hand_unigram_noise():
    t = shifted_pmi(sparse.csr_array(HAND), k=2, noise_alpha=1.0)
    # P(c) = [4, 2, 6] / 12; PMI(w, c) = log(C[w, c] / (#(w) P(c)))
    expected = {
        (0, 1): np.log(2 / (4 * 2 / 12)),  # = log 3
        (0, 2): np.log(2 / (4 * 6 / 12)),  # = log 1 = 0
        (1, 0): np.log(2 / (2 * 4 / 12)),  # = log 3
        (2, 0): np.log(2 / (6 * 4 / 12)),  # = 0
        (2, 2): np.log(4 / (6 * 6 / 12)),  # = log 4/3
    }
    assert t.n_total == 5 and len(t) == 5  # the two zero cells are left out
    got = as_dict(t)
    assert got.keys() == expected.keys()
    for pair, pmi in expected.items():
        assert got[pair] == pytest.approx(pmi - np.log(2), abs=1e-12)
    assert expected[(0, 1)] == pytest.approx(np.log(3))
    # most frequent first, then by ids
    assert list(zip(t.rows.tolist(), t.cols.tolist(), strict=True)) == [
        (2, 2), (0, 1), (0, 2), (1, 0), (2, 0)
    ]  # fmt: skip
    np.testing.assert_allclose(t.pmi - t.target, np.log(2))


def test_target_by_hand_smoothed_noise_and_limit():
    t = shifted_pmi(HAND, k=5, noise_alpha=0.5, max_pairs=2)
    z = 2 + np.sqrt(2) + np.sqrt(6)  # Σ #(c)^0.5
    assert len(t) == 2 and t.n_total == 5
    assert as_dict(t) == pytest.approx(
        {
            (2, 2): np.log(4 / (6 * np.sqrt(6) / z)) - np.log(5),
            (0, 1): np.log(2 / (4 * np.sqrt(2) / z)) - np.log(5),
        }
    )


def test_explicit_noise_overrides_the_exponent():
    noise = np.array([0.5, 0.25, 0.25])
    t = shifted_pmi(HAND, k=1, noise_alpha=0.3, noise=noise * 7)  # normalised inside
    assert as_dict(t)[(0, 1)] == pytest.approx(np.log(2 / (4 * 0.25)))
    assert as_dict(t)[(2, 0)] == pytest.approx(np.log(2 / (6 * 0.5)))


def test_target_is_where_the_sgns_gradient_vanishes():
    """d/dx [#(w,c) log σ(x) + k #(w) P_n(c) log σ(−x)] = 0 at x = PMI − log k."""
    corpus = build_lesson(Settings()).corpus
    V = int(corpus.ids.max()) + 1
    C = cooccurrence(corpus, V, 2)
    k = 5
    t = shifted_pmi(C, k, noise_alpha=0.75)
    col = np.asarray(C.sum(axis=0)).ravel() ** 0.75
    p_n = col / col.sum()
    n_w = np.asarray(C.sum(axis=1)).ravel()
    x = t.target
    sig = 1 / (1 + np.exp(-x))
    grad = t.counts * (1 - sig) - k * n_w[t.rows] * p_n[t.cols] * sig
    np.testing.assert_allclose(grad, 0, atol=1e-9)


def test_fit_is_perfect_for_vectors_built_from_the_target():
    t = shifted_pmi(HAND, k=3, noise_alpha=0.75)
    M = np.zeros((3, 3))
    M[t.rows, t.cols] = t.target
    W_in, W_out = np.eye(3), M.T.copy()  # W_in[w] · W_out[c] = M[w, c]
    f = fit(t, W_in, W_out)
    np.testing.assert_allclose(f.dots, t.target, atol=1e-12)
    assert f.corr == pytest.approx(1.0) and f.rms == pytest.approx(0.0, abs=1e-12)
    g = fit(t, W_in, -W_out)
    assert g.corr == pytest.approx(-1.0)
    assert g.rms == pytest.approx(2 * np.sqrt(np.mean(t.target**2)))


def test_zero_w_out_gives_undefined_correlation():
    t = shifted_pmi(HAND, k=1)
    f = fit(t, np.ones((3, 2)), np.zeros((3, 2)))
    assert np.isnan(f.corr)
    np.testing.assert_array_equal(f.dots, 0)
    assert f.rms == pytest.approx(np.sqrt(np.mean(t.target**2)))


def test_weighted_correlation_equals_repeating_pairs():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=6), rng.normal(size=6)
    w = np.array([1, 3, 2, 1, 5, 2])
    r = correlation(x, y, w)
    assert r == pytest.approx(np.corrcoef(np.repeat(x, w), np.repeat(y, w))[0, 1])
    assert correlation(x, y) == pytest.approx(np.corrcoef(x, y)[0, 1])
    assert np.isnan(correlation(x, np.full(6, 2.5)))


def test_pair_scores_in_chunks(monkeypatch):
    rng = np.random.default_rng(0)
    W_in, W_out = rng.normal(size=(7, 3)), rng.normal(size=(7, 3))
    rows, cols = rng.integers(7, size=50), rng.integers(7, size=50)
    monkeypatch.setattr(sp, "CHUNK", 4)
    np.testing.assert_allclose(
        pair_scores(W_in, W_out, rows, cols), (W_in[rows] * W_out[cols]).sum(axis=1)
    )
    with pytest.raises(W2VError):
        pair_scores(W_in, W_out[:5], rows, cols)  # W_out not one row per word


@pytest.mark.parametrize(
    "kwargs",
    [dict(k=0), dict(k=1.5), dict(k=1, noise_alpha=-1), dict(k=1, max_pairs=0),
     dict(k=1, noise=np.array([1.0, 0.0, 1.0]))],
)  # fmt: skip
def test_bad_arguments_raise_config_errors(kwargs):
    with pytest.raises(ConfigError):
        shifted_pmi(HAND, **kwargs)  # (the last: context 1 gets noise probability 0)


def test_sgns_moves_towards_shifted_pmi_on_the_generated_corpus():
    """Measured over seeds 0-4: r = nan at init, 0.15-0.19 after 1 epoch, 0.55-0.59 after 5,
    0.70-0.72 after 20 (seed 0: 0.161, 0.574, 0.697)."""
    s = Settings(source="generated", generated_tokens=20_000, seed=0)
    cfg = s.config()
    assert cfg.model == "skipgram" and cfg.loss == "negative"
    assert not cfg.dynamic_window and cfg.sample == 0
    tr = Trainer(cfg).prepare(build_lesson(s).sentences)
    C = cooccurrence(tr.corpus_, len(tr.vocab_), cfg.window)
    assert C.sum() == len(tr.examples)  # static window, no subsampling: C counts the pairs
    t = shifted_pmi(C, cfg.negative, noise=tr.vocab_.noise_probs(cfg.noise_alpha))
    r = [fit(t, tr.W_in_, tr.W_out_).corr]
    for epochs in (1, 4, 15):
        tr.advance(epochs=epochs)
        r.append(fit(t, tr.W_in_, tr.W_out_).corr)
    assert np.isnan(r[0])  # W_out = 0: every score is 0
    assert 0.1 < r[1] < r[2] < r[3]
    assert r[3] > 0.65
    assert tr.done
