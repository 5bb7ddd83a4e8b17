"""Vocabulary, training pairs, co-occurrence and the noise sampler."""

import numpy as np
import pytest
from scipy.stats import chisquare

from w2v_core.cooccur import cooccurrence, ppmi, svd_embeddings
from w2v_core.errors import ConfigError, CorpusError
from w2v_core.pairs import Corpus, cbow_examples, pair_count, skipgram_pairs
from w2v_core.sampler import NoiseSampler
from w2v_core.tokenize import decode_text, tokenize
from w2v_core.vocab import build_vocab


def corpus_of(sentences, min_count=1):
    v = build_vocab(sentences, min_count=min_count)
    return v, Corpus.from_encoded(v.encode(sentences))


def random_sentences(seed=0, n=60, V=25):
    rng = np.random.default_rng(seed)
    return [[f"w{i}" for i in rng.integers(0, V, rng.integers(1, 15))] for _ in range(n)]


def test_vocab_ids_by_frequency_and_min_count():
    v = build_vocab([["b", "a", "b", "c"], ["b", "a", "d"]], min_count=2)
    assert v.words == ("b", "a")
    assert list(v.counts) == [3, 2]
    assert dict(v.dropped) == {"c": 1, "d": 1}
    x = v.one_hot("a")
    assert x.tolist() == [0.0, 1.0]


def test_one_hot_vectors_are_orthogonal():
    v = build_vocab(tokenize("the quick brown fox jumped over the lazy dog"))
    X = np.stack([v.one_hot(w) for w in v.words])
    np.testing.assert_array_equal(X @ X.T, np.eye(len(v)))


def test_keep_probability_matches_word2vec_formula():
    v = build_vocab([["a"] * 900 + ["b"] * 90 + ["c"] * 10])
    keep = v.keep_probs(1e-2)
    t = 1e-2 * 1000
    f = 900
    assert keep[0] == pytest.approx((np.sqrt(f / t) + 1) * t / f)
    assert keep[2] == 1.0  # rare words are always kept
    assert np.all(v.keep_probs(0) == 1)


def test_bad_vocab_input():
    with pytest.raises(CorpusError, match="no words"):
        build_vocab([])
    with pytest.raises(CorpusError, match="removes every word"):
        build_vocab([["a", "b"]], min_count=3)
    with pytest.raises(ConfigError):
        build_vocab([["a"]], min_count=0)


def test_fox_pairs_match_the_article():
    """Window 1 on the fox sentence: (quick, the), (quick, brown), (brown, quick), ..."""
    s = tokenize("the quick brown fox jumped over the lazy dog")
    v, c = corpus_of(s)
    p = skipgram_pairs(c, 1)
    w = v.words
    pairs = [(w[t], w[o]) for t, o in zip(p.target, p.context, strict=True)]
    assert pairs[:5] == [
        ("the", "quick"),
        ("quick", "the"),
        ("quick", "brown"),
        ("brown", "quick"),
        ("brown", "fox"),
    ]
    assert len(pairs) == 16 == pair_count(c, 1)
    # provenance: sentence 0, target position, offset +-1
    assert c.position[p.token[1]] == 1 and p.context_token[1] - p.token[1] == -1


@pytest.mark.parametrize("window", [1, 2, 3, 7])
def test_pair_count_static_window(window):
    v, c = corpus_of(random_sentences())
    p = skipgram_pairs(c, window)
    assert len(p) == pair_count(c, window)
    lengths = np.bincount(c.sentence)
    brute = sum(
        sum(1 for i in range(n) for j in range(n) if 0 < abs(i - j) <= window) for n in lengths
    )
    assert len(p) == brute
    assert np.all(np.abs(p.context_token - p.token) <= window)
    assert np.all(c.sentence[p.token] == c.sentence[p.context_token])


def test_pair_count_dynamic_window_matches_its_expectation():
    """With radius b ~ U{1..W}, offset o survives with probability (W - o + 1) / W."""
    v, c = corpus_of(random_sentences(1, n=200))
    W = 4
    lengths = np.bincount(c.sentence)
    expected = sum(2 * np.maximum(lengths - o, 0).sum() * (W - o + 1) / W for o in range(1, W + 1))
    counts = [
        len(skipgram_pairs(c, W, dynamic=True, rng=np.random.default_rng(s))) for s in range(30)
    ]
    assert max(counts) < pair_count(c, W)
    assert np.mean(counts) == pytest.approx(expected, rel=0.02)


def test_subsampling_drops_frequent_tokens():
    s = [["the"] * 50 + ["cat", "sat"]] * 20
    v, c = corpus_of(s)
    rng = np.random.default_rng(0)
    p = skipgram_pairs(c, 2, keep_probs=v.keep_probs(1e-2), rng=rng)
    full = skipgram_pairs(c, 2)
    the = v.id("the")
    assert len(p) < len(full)
    assert (p.target == the).mean() < (full.target == the).mean()


def test_cbow_examples_group_the_same_windows():
    v, c = corpus_of(random_sentences(2))
    sg = skipgram_pairs(c, 3)
    cb = cbow_examples(c, 3)
    assert (cb.contexts >= 0).sum() == len(sg)  # same (target, context) cells
    for i in range(len(cb)):
        ctx = sorted(cb.contexts[i][cb.contexts[i] >= 0])
        assert ctx == sorted(sg.context[sg.token == cb.token[i]])


@pytest.mark.parametrize("window", [1, 2, 5])
def test_cooccurrence_is_the_histogram_of_pairs(window):
    v, c = corpus_of(random_sentences(3))
    p = skipgram_pairs(c, window)
    H = np.zeros((len(v), len(v)))
    np.add.at(H, (p.target, p.context), 1)
    C = cooccurrence(c, len(v), window).toarray()
    np.testing.assert_array_equal(C, H)
    np.testing.assert_array_equal(C, C.T)


def test_harmonic_weighting_and_ppmi():
    v, c = corpus_of(tokenize("a b c a b c a b"))
    C = cooccurrence(c, len(v), 2, weighting="harmonic").toarray()
    assert C[v.id("a"), v.id("c")] == pytest.approx(2 * 0.5 + 2 * 1)  # distance 2 twice, 1 twice
    P = ppmi(cooccurrence(c, len(v), 2)).toarray()
    assert np.all(P >= 0)
    E = svd_embeddings(ppmi(cooccurrence(c, len(v), 2)), dim=2)
    assert E.shape == (3, 2)


def test_noise_sampler_frequencies_follow_unigram_power():
    counts = np.array([500, 200, 100, 50, 20, 10, 5, 1])
    for alpha in (0.0, 0.75, 1.0):
        p = counts**alpha / (counts**alpha).sum()
        draws = NoiseSampler(p).draw(np.random.default_rng(7), 200_000)
        observed = np.bincount(draws, minlength=len(p))
        assert chisquare(observed, p * len(draws)).pvalue > 1e-3


def test_noise_sampler_is_seeded():
    s = NoiseSampler(np.array([0.5, 0.3, 0.2]))
    a = s.draw(np.random.default_rng(1), (4, 5))
    b = s.draw(np.random.default_rng(1), (4, 5))
    np.testing.assert_array_equal(a, b)
    assert a.shape == (4, 5)


def test_bad_window_and_bytes():
    v, c = corpus_of([["a", "b"]])
    with pytest.raises(ConfigError):
        skipgram_pairs(c, 0)
    with pytest.raises(CorpusError, match="UTF-8"):
        decode_text(b"caf\xe9 au lait")
    with pytest.raises(CorpusError, match="binary"):
        decode_text(b"\x00\x01\x02abc")
    assert decode_text("héllo".encode()) == "héllo"


def test_tokens_equal_split_on_lowercase_text():
    text = "the cat's toy\nit's a dog  and   a cat\n"
    assert tokenize(text) == [ln.split() for ln in text.splitlines()]
