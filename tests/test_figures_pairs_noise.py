"""Pure helpers and figure builders of pages 3 (training pairs) and 4 (negative sampling)."""

import numpy as np
import pytest

from lab.figures.noise import cost_figure, draws_figure, noise_distribution_figure
from lab.figures.pairs import window_counts_figure
from lab.model_view import cost_per_example
from lab.noise_view import (
    NOISE,
    SAME,
    TRUE_CONTEXT,
    check_draws,
    label_negatives,
    top_and_rest,
    true_contexts,
)
from lab.pairs_view import (
    DROPPED,
    KEPT,
    NEW,
    cbow_example_count,
    kept_tokens,
    sentence_corpus,
    sentence_lengths,
    sentence_pairs,
    window_pair_counts,
)
from w2v_core.pairs import Corpus, cbow_examples, pair_count, skipgram_pairs
from w2v_core.sampler import NoiseSampler
from w2v_core.tokenize import tokenize
from w2v_core.vocab import build_vocab

FOX = "the quick brown fox jumped over the lazy dog"


def corpus_of(text):
    sentences = tokenize(text)
    v = build_vocab(sentences)
    return v, Corpus.from_encoded(v.encode(sentences))


def random_corpus(seed=0, n=80, V=30):
    rng = np.random.default_rng(seed)
    sentences = [[f"w{i}" for i in rng.integers(0, V, rng.integers(1, 14))] for _ in range(n)]
    v = build_vocab(sentences)
    return v, Corpus.from_encoded(v.encode(sentences))


# ---- lab.pairs_view ---------------------------------------------------------------


def test_fox_pairs_follow_the_article_after_the_first_row():
    v, c = corpus_of(FOX)
    sp = sentence_pairs(c, v, 0, 1)
    rows = list(zip(sp.table["target"], sp.table["context"], strict=True))
    assert rows[0] == ("the", "quick")
    assert rows[1:5] == [("quick", "the"), ("quick", "brown"), ("brown", "quick"), ("brown", "fox")]
    assert len(rows) == pair_count(c, 1) == 16
    assert set(sp.table["status"]) == {KEPT}
    assert sp.cbow["context"][1] == "the, brown" and sp.cbow["target"][1] == "quick"


def test_sentence_corpus_is_one_sentence_of_the_stream():
    v, c = random_corpus()
    part, start = sentence_corpus(c, 5)
    lengths = sentence_lengths(c, 80)
    assert len(part) == lengths[5]
    np.testing.assert_array_equal(part.ids, c.ids[start : start + lengths[5]])
    assert (c.sentence[start : start + len(part)] == 5).all()


def test_sentence_pairs_match_the_engine_on_that_sentence():
    v, c = random_corpus(1)
    s = int(np.argmax(sentence_lengths(c, 80)))
    sp = sentence_pairs(c, v, s, 3)
    part, start = sentence_corpus(c, s)
    sg = skipgram_pairs(part, 3)
    np.testing.assert_array_equal(sp.table["target_pos"], sg.token)
    np.testing.assert_array_equal(sp.table["context_pos"], sg.context_token)
    assert len(sp.cbow) == len(cbow_examples(part, 3))


def test_dynamic_window_only_drops_pairs():
    v, c = corpus_of(FOX)
    sp = sentence_pairs(c, v, 0, 4, dynamic=True, seed=3)
    n = sp.counts()
    assert n[NEW] == 0
    assert n[KEPT] + n[DROPPED] == pair_count(c, 4)
    assert n[DROPPED] > 0  # 9 radii drawn from 1..4: some are shorter than 4
    assert (sp.table.loc[sp.table["status"] == DROPPED, "offset"].abs() >= 2).all()


def test_subsampling_drops_a_word_and_reaches_past_it():
    v, c = corpus_of(FOX)
    keep = np.ones(len(v))
    keep[v.id("fox")] = 0.0  # always removed
    sp = sentence_pairs(c, v, 0, 1, keep_probs=keep, seed=0)
    t = sp.table
    assert not sp.kept[3] and sp.kept.sum() == 8
    dropped = t[t["status"] == DROPPED]
    assert set(dropped["target"]) | set(dropped["context"]) >= {"fox"}
    assert ((dropped["target"] == "fox") | (dropped["context"] == "fox")).all()
    new = t[t["status"] == NEW]
    assert sorted(zip(new["target"], new["context"], strict=True)) == [
        ("brown", "jumped"),
        ("jumped", "brown"),
    ]
    assert set(new["offset"].abs()) == {2}  # counted in the original sentence


def test_kept_mask_is_the_engines_subsampling_draw():
    v, c = random_corpus(2)
    keep = v.keep_probs(0.02)
    s = int(np.argmax(sentence_lengths(c, 80)))
    sp = sentence_pairs(c, v, s, 2, keep_probs=keep, seed=[4, 5])
    used = set(sp.table.loc[sp.table["status"] != DROPPED, "target_pos"])
    assert used <= set(np.flatnonzero(sp.kept))


@pytest.mark.parametrize("seed", [0, 1])
def test_window_pair_counts_static_is_pair_count(seed):
    v, c = random_corpus(seed)
    got = window_pair_counts(c, range(1, 11))
    assert got.tolist() == [pair_count(c, w) for w in range(1, 11)]


def test_window_pair_counts_after_subsampling_match_one_engine_pass():
    v, c = random_corpus(3)
    keep = v.keep_probs(0.02)
    kept = kept_tokens(c, keep, [1, 2])
    for w in (1, 3, 6):
        sg = skipgram_pairs(c, w, keep_probs=keep, rng=np.random.default_rng([1, 2]))
        assert window_pair_counts(c, [w], kept)[0] == len(sg)
    cb = cbow_examples(c, 2, keep_probs=keep, rng=np.random.default_rng([1, 2]))
    assert cbow_example_count(c, kept) == len(cb)
    assert cbow_example_count(c) == len(cbow_examples(c, 5))


def test_dynamic_expectation_matches_the_engine_on_average():
    v, c = random_corpus(4)
    W = 5
    draws = [len(skipgram_pairs(c, W, dynamic=True, rng=np.random.default_rng(i)))
             for i in range(300)]  # fmt: skip
    expected = window_pair_counts(c, [W], dynamic=True)[0]
    assert abs(np.mean(draws) - expected) < 0.01 * expected
    assert expected < pair_count(c, W)


# ---- lab.noise_view ---------------------------------------------------------------


def test_true_contexts_are_the_contexts_of_the_pairs():
    v, c = random_corpus(5)
    sg = skipgram_pairs(c, 3)
    for t in (0, 3, 10):
        ids, counts = true_contexts(c, t, 3)
        want = np.unique(sg.context[sg.target == t], return_counts=True)
        assert dict(zip(ids.tolist(), counts.tolist(), strict=True)) == dict(
            zip(want[0].tolist(), want[1].tolist(), strict=True)
        )
        assert (np.diff(counts) <= 0).all()  # most frequent first


def test_true_contexts_of_fox_words():
    v, c = corpus_of(FOX)
    ids, _ = true_contexts(c, v.id("quick"), 1)
    assert {v.words[i] for i in ids} == {"the", "brown"}
    ids, counts = true_contexts(c, v.id("the"), 1)
    assert {v.words[i] for i in ids} == {"quick", "over", "lazy"}


def test_label_negatives():
    labels = label_negatives(np.array([4, 2, 7, 4]), truth=4, true_ctx=np.array([2, 4]))
    assert labels == [SAME, TRUE_CONTEXT, NOISE, SAME]


def test_check_draws_accepts_a_right_sampler_and_rejects_a_wrong_one():
    v, c = random_corpus(6)
    p = v.noise_probs(0.75)
    draws = NoiseSampler(p).draw(np.random.default_rng(0), 20_000)
    ok = check_draws(draws, p)
    assert ok.n == 20_000 and ok.counts.sum() == 20_000
    assert ok.p_value > 0.001 and ok.tv < 0.05
    assert ok.dof == ok.n_bins - 1
    wrong = check_draws(draws, v.noise_probs(0.0))
    assert wrong.p_value < 1e-6 and wrong.tv > ok.tv


def test_top_and_rest_and_cost():
    top, rest = top_and_rest(np.array([0.5, 0.3, 0.2]), 2)
    assert top.tolist() == [0.5, 0.3] and rest == pytest.approx(0.2)
    cost = cost_per_example(40, 10, 5)
    assert (cost["softmax_dots"], cost["negative_dots"]) == (40, 6)


# ---- figures ------------------------------------------------------------------------


def test_window_counts_figure():
    fig = window_counts_figure(
        [1, 2, 3], {"static": [10, 18, 24], "dynamic": [10, 14, 17]}, current=2, cbow=9
    )
    bars = [t for t in fig.data if t.type == "bar"]
    assert [t.name for t in bars] == ["static", "dynamic"]
    assert list(bars[0].y) == [10, 18, 24] and list(bars[0].x) == [1, 2, 3]
    line = [t for t in fig.data if t.type == "scatter"][0]
    assert list(line.y) == [9, 9] and "CBOW" in line.name
    assert fig.layout.yaxis.range[1] >= 24
    assert fig.layout.shapes[0].x0 == 1.5 and fig.layout.shapes[0].x1 == 2.5
    assert "W = 2" in fig.layout.annotations[0].text
    assert fig.layout.xaxis.title.text.startswith("window W")
    assert fig.layout.uirevision == "keep"


def test_noise_distribution_figure():
    words = ["the", "king", "queen"]
    series = {"unigram": [0.5, 0.3, 0.2], "α": [0.45, 0.3, 0.25], "uniform": [1 / 3] * 3}
    fig = noise_distribution_figure(words, series, y_max=0.6, highlight="α")
    assert [t.name for t in fig.data] == ["unigram", "α", "uniform"]
    assert list(fig.data[1].y) == [0.45, 0.3, 0.25] and list(fig.data[1].x) == words
    assert fig.data[1].marker.line.width > 0 and fig.data[0].marker.line.width == 0
    assert list(fig.layout.yaxis.range) == [0, 0.6]
    assert fig.layout.yaxis.title.text == "P_n(w)"


def test_draws_figure_error_bars():
    p = np.array([0.5, 0.3, 0.2])
    fig = draws_figure(["a", "b", "other 3"], [0.52, 0.28, 0.2], p, 1000)
    bar, pts = fig.data
    assert bar.type == "bar" and list(bar.y) == [0.52, 0.28, 0.2]
    np.testing.assert_allclose(pts.y, p)
    np.testing.assert_allclose(pts.error_y.array, 2 * np.sqrt(p * (1 - p) / 1000))
    assert "1,000" in bar.name and fig.layout.yaxis.range[1] > 0.52


def test_cost_figure():
    fig = cost_figure(40, 5)
    soft, neg, here = fig.data
    np.testing.assert_array_equal(soft.x, soft.y)  # V dot products
    assert set(np.asarray(neg.y).tolist()) == {6}
    assert list(here.x) == [40, 40] and list(here.y) == [40, 6]
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"


def test_radius_figure_draws_each_radius_and_escapes_words():
    from lab.figures.pairs import radius_figure

    fig = radius_figure(["the", "<b>king</b>", "said"], [1, 3, 0], window=3, current=1)
    bar = fig.data[0]
    assert list(bar.y) == [1, 3, 0] and list(bar.x) == [0, 1, 2]
    assert "<b>" not in bar.customdata[1]
    assert bar.marker.color[1] != bar.marker.color[0]  # the target stands out
    assert fig.layout.yaxis.range[1] > 3  # room above W


def test_many_draws_are_the_samplers_and_bin_the_rest():
    from lab.noise_view import many_draws
    from w2v_core.sampler import NoiseSampler

    probs = np.array([0.5, 0.2, 0.2, 0.1])
    draw = NoiseSampler(probs)
    got = many_draws(draw, 4000, [1, 2], ["a", "b", "c", "d"], top_n=2)
    want = np.bincount(draw.draw(np.random.default_rng([1, 2]), 4000), minlength=4) / 4000
    assert got.labels == ["a", "b", "other 2"]
    np.testing.assert_allclose(got.observed, [want[0], want[1], want[2] + want[3]])
    np.testing.assert_allclose(got.expected, [0.5, 0.2, 0.3])
    assert got.check.n == 4000
