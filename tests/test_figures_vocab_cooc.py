"""Figure builders and pure helpers of pages 1 (vocabulary) and 2 (co-occurrence)."""

import numpy as np
import plotly.graph_objects as go
import pytest
from scipy import sparse

from lab.budget import size_text
from lab.cooc_view import (
    count_vectors,
    counts_and_ppmi,
    growth_table,
    memory,
    pairs_in_cell,
    prefix_corpus,
    row_cosines,
    row_pair,
    same_point_groups,
    scatter_ids,
    shared_contexts,
    similar_pairs,
    sparsity,
    strongest_neighbour,
    top_block,
)
from lab.figures.cooc import cooc_heatmap, growth_figure, row_pair_figure, svd_scatter
from lab.figures.vocab import (
    log_ticks,
    one_hot_figure,
    similarity_heatmap,
    vocab_size_figure,
    zipf_figure,
)
from lab.lesson import Settings, build_lesson
from lab.vocab_view import (
    DROPPED,
    cosine_rows,
    default_words,
    full_counts,
    lookup_demo,
    min_count_effect,
    one_hot_columns,
    one_hot_rows,
    rank_sample,
    sentence_chips,
    sentence_rows,
    token_ids,
    vocab_size_curve,
)
from w2v_core.cooccur import cooccurrence, ppmi
from w2v_core.pairs import Corpus, pair_count
from w2v_core.tokenize import tokenize
from w2v_core.vocab import build_vocab

TEXT = "the cat sat on the mat\nthe dog sat on the log\na cat and a dog\nzebra"


@pytest.fixture(scope="module")
def small():
    sentences = tokenize(TEXT, split="line")
    vocab = build_vocab(sentences, min_count=2)
    corpus = Corpus.from_encoded(vocab.encode(sentences))
    return sentences, vocab, corpus


@pytest.fixture(scope="module")
def royalty():
    return build_lesson(Settings(preset="royalty"))


# ---- page 1 helpers ---------------------------------------------------------------------


def test_full_counts_merges_kept_and_dropped(small):
    _, vocab, _ = small
    words, counts, kept = full_counts(vocab)
    assert len(words) == len(vocab) + len(vocab.dropped)
    assert np.all(np.diff(counts) <= 0)  # descending
    assert set(np.array(words)[kept]) == set(vocab.words)
    assert {w for w, k in zip(words, kept, strict=True) if not k} == {w for w, _ in vocab.dropped}
    assert dict(zip(words, counts.tolist(), strict=True))["the"] == 4


def test_min_count_effect_and_curve(small):
    _, vocab, _ = small
    _, counts, _ = full_counts(vocab)
    eff = min_count_effect(counts, 2)
    assert eff["words_kept"] == len(vocab)
    assert eff["words_dropped"] == len(vocab.dropped)
    assert eff["tokens_dropped"] == sum(c for _, c in vocab.dropped)
    assert eff["tokens_dropped_share"] == pytest.approx(eff["tokens_dropped"] / counts.sum())
    m, V = vocab_size_curve(counts, 5)
    assert m.tolist() == [1, 2, 3, 4, 5]
    assert V.tolist() == [int((counts >= k).sum()) for k in m]


def test_sentence_rows_mark_dropped_tokens(small):
    sentences, vocab, _ = small
    rows = sentence_rows(sentences, vocab, 2)
    assert len(rows) == 2
    assert rows[0]["tokens"] == "the · cat · sat · on · the · mat"
    ids = rows[0]["ids"].split()
    assert ids[0] == str(vocab.id("the"))
    assert ids[-1] == DROPPED  # 'mat' occurs once: dropped at min_count=2
    assert token_ids(["the", "mat"], vocab) == [vocab.id("the"), None]
    assert sentence_rows(sentences, vocab, 100)[-1]["length"] == 1


def test_sentence_chips(small):
    sentences, vocab, _ = small
    md = sentence_chips(sentences[0], vocab)
    assert ":blue-background[the]" in md
    assert ":gray-background[~~mat~~]" in md
    sub = str(vocab.id("cat")).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
    assert f":blue-background[cat]:gray[{sub}]" in md
    assert "more tokens" in sentence_chips(["the"] * 100, vocab, max_tokens=10)


def test_rank_sample():
    assert rank_sample(10, 100).tolist() == list(range(10))
    r = rank_sample(50_000, 500)
    assert len(r) <= 560 and r[0] == 0 and r[-1] == 49_999
    assert np.all(np.diff(r) > 0)


def test_one_hot_rows_have_cosine_identity(royalty):
    vocab = royalty.vocab
    words = ["king", "queen", "the"]
    X = one_hot_rows(vocab, words)
    assert X.shape == (3, len(vocab))
    assert X.sum(axis=1).tolist() == [1, 1, 1]
    assert [int(np.argmax(x)) for x in X] == [vocab.id(w) for w in words]
    np.testing.assert_array_equal(cosine_rows(X), np.eye(3))
    assert one_hot_rows(vocab, []).shape == (0, len(vocab))


def test_one_hot_columns_keep_chosen_ids():
    assert one_hot_columns([3], 10).tolist() == list(range(10))
    cols = one_hot_columns([5, 390], 396, max_columns=20)
    assert 390 in cols and 5 in cols and len(cols) == 20


def test_default_words(small):
    sentences, vocab, _ = small
    assert default_words(sentences, vocab, 3) == ["the", "cat", "sat"]


def test_lookup_demo_product_is_the_row():
    demo = lookup_demo(40, 10, 24, seed=0)
    rows = demo["rows"].tolist()
    assert 24 in rows and len(rows) == 7
    assert demo["x"].sum() == 1 and demo["x"][rows.index(24)] == 1
    np.testing.assert_allclose(demo["product"], demo["W"][rows.index(24)])
    assert np.all(np.abs(demo["W"]) <= 1 / 10)
    assert lookup_demo(3, 2, 0)["rows"].tolist() == [0, 1, 2]


# ---- page 1 figures ---------------------------------------------------------------------


def test_zipf_figure(small):
    _, vocab, _ = small
    words, counts, kept = full_counts(vocab)
    fig = zipf_figure(words, counts, kept, min_count=2)
    assert isinstance(fig, go.Figure)
    names = [t.name for t in fig.data]
    assert names[0].startswith("in the vocabulary") and names[1].startswith("dropped")
    assert list(fig.data[0].y) == vocab.counts.tolist()
    assert list(fig.data[0].x) == list(range(1, len(vocab) + 1))
    assert len(fig.data[1].y) == len(vocab.dropped)
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"
    zipf = next(t for t in fig.data if t.name and t.name.startswith("Zipf"))
    assert zipf.y[0] == counts[0]
    assert fig.layout.uirevision
    # min_count = 1: no dropped trace, no threshold line
    only = zipf_figure(vocab.words, vocab.counts, np.ones(len(vocab), bool))
    assert not any((t.name or "").startswith("dropped") for t in only.data)


def test_log_ticks():
    assert log_ticks(1, 40) == [1, 2, 5, 10, 20]
    assert log_ticks(1, 1e6) == [1, 10, 100, 1e3, 1e4, 1e5, 1e6]


def test_vocab_size_figure_marks_settings():
    m, V = np.arange(1, 6), np.array([10, 6, 3, 2, 1])
    fig = vocab_size_figure(m, V, current=2, preview=4)
    assert list(fig.data[0].y) == V.tolist()
    marks = {t.name: t.y[0] for t in fig.data[1:]}
    assert marks == {"sidebar: min_count = 2": 6, "preview: min_count = 4": 2}


def test_one_hot_figure(royalty):
    vocab = royalty.vocab
    words = ["king", "the"]
    X = one_hot_rows(vocab, words)
    cols = one_hot_columns([vocab.id(w) for w in words], len(vocab))
    fig = one_hot_figure(X, words, cols, vocab.words)
    z = np.array(fig.data[0].z)
    assert z.shape == (2, min(40, len(vocab)))  # at most 40 columns are drawn
    assert z.sum() == 2
    x = list(fig.data[0].x)
    assert x[int(np.argmax(z[0]))] == f"{vocab.id('king')} king"
    assert list(fig.data[0].y) == ["x_king", "x_the"]


def test_similarity_heatmap_values():
    S = cosine_rows(np.eye(3))
    fig = similarity_heatmap(S, ["a", "b", "c"], "t")
    np.testing.assert_array_equal(np.array(fig.data[0].z), np.eye(3))
    assert fig.data[0].zmin == -1 and fig.data[0].zmax == 1
    assert fig.data[0].text[0][1] == "0.00"


# ---- page 2 helpers ---------------------------------------------------------------------


def test_top_block_and_sparsity(royalty):
    V = len(royalty.vocab)
    C, P = counts_and_ppmi(royalty.corpus, V, 2)
    np.testing.assert_array_equal(top_block(C, 5), C.toarray()[:5, :5])
    assert top_block(C, 10_000).shape == (V, V)
    sp = sparsity(C)
    assert sp["cells"] == V * V and sp["nonzero"] == C.count_nonzero()
    assert sp["zero_share"] == pytest.approx(1 - C.count_nonzero() / V**2)
    np.testing.assert_allclose(P.toarray(), ppmi(C).toarray())


@pytest.mark.parametrize("window", [1, 2, 5])
def test_growth_table_matches_cooccurrence_of_prefixes(window):
    les = build_lesson(Settings(source="generated", generated_tokens=3_000))
    V = len(les.vocab)
    rows = growth_table(les.corpus, window, len(les.sentences))
    assert [r["share"] for r in rows] == pytest.approx([k / 10 for k in range(1, 11)])
    for r in rows:
        pre = prefix_corpus(les.corpus, r["sentences"])
        assert r["nonzero"] == cooccurrence(pre, V, window).count_nonzero()
        assert r["V"] == len(np.unique(pre.ids))
        assert r["tokens"] == len(pre)
        assert r["cells"] == r["V"] ** 2
        assert r["dense_bytes"] == 8 * r["V"] ** 2
    assert rows[-1]["tokens"] == les.n_tokens
    assert rows[-1]["nonzero"] == cooccurrence(les.corpus, V, window).count_nonzero()


def test_growth_table_without_any_pair():
    corpus = Corpus.from_encoded([np.array([0]), np.array([1])])
    rows = growth_table(corpus, 2, 2)
    assert all(r["nonzero"] == 0 for r in rows)
    assert rows[-1]["V"] == 2


def test_memory_and_bytes():
    assert memory(1000, 10)["dense"] == 8_000_000
    assert memory(1000, 10)["sparse"] == 10 * 12 + 1001 * 4
    assert size_text(512) == "512 B"
    assert size_text(1536) == "1.5 KB"
    assert size_text(8 * 10**12).endswith("TB")


def test_row_cosines_similar_pairs_and_tiebreak(royalty):
    vocab = royalty.vocab
    C, P = counts_and_ppmi(royalty.corpus, len(vocab), 2)
    ids = list(range(30))
    S = row_cosines(P, ids)
    dense = P.toarray()[:30]
    U = dense / np.linalg.norm(dense, axis=1, keepdims=True)
    np.testing.assert_allclose(S, np.clip(U @ U.T, -1, 1), atol=1e-12)
    ranked = similar_pairs(S, 5, row_cosines(C, ids), tiebreak=shared_contexts(C, ids))
    assert len(ranked) == 5
    sims = [round(r[2], 9) for r in ranked]  # equal up to float noise is a tie (tiebreak)
    assert sims == sorted(sims, reverse=True)
    i, j = ranked[0][:2]
    assert i < j and ranked[0][2] == pytest.approx(S[i, j])
    # among the pairs tied for the highest similarity, the tiebreak prefers rich rows
    off = np.round(S, 9)
    np.fill_diagonal(off, -np.inf)
    tied = np.argwhere(np.triu(off == off.max(), 1))  # (t, 2)
    T = shared_contexts(C, ids)
    assert T[i, j] == max(T[a, b] for a, b in tied)
    plain = similar_pairs(np.array([[1, 0.5, 0.5], [0.5, 1, 0.2], [0.5, 0.2, 1]]), 2)
    assert [p[:2] for p in plain] == [(0, 1), (0, 2)]


def test_shared_contexts(small):
    _, vocab, corpus = small
    C = cooccurrence(corpus, len(vocab), 1)
    ids = [vocab.id("cat"), vocab.id("dog")]
    B = C.toarray()[ids] > 0
    assert shared_contexts(C, ids)[0, 1] == (B[0] & B[1]).sum()


def test_row_pair(royalty):
    vocab = royalty.vocab
    C, P = counts_and_ppmi(royalty.corpus, len(vocab), 2)
    a, b = vocab.id("king"), vocab.id("queen")
    rp = row_pair(C, P, a, b, max_columns=5)
    rows = C.toarray()[[a, b]]
    assert len(rp["columns"]) == 5
    np.testing.assert_array_equal(rp["counts"], rows[:, rp["columns"]])
    np.testing.assert_array_equal(rp["ppmi"], P.toarray()[[a, b]][:, rp["columns"]])
    totals = rows[:, rp["columns"]].sum(axis=0)
    assert np.all(np.diff(totals) <= 0)
    assert rp["columns_total"] == int((rows.sum(axis=0) > 0).sum())
    assert rp["cos_counts"] == pytest.approx(row_cosines(C, [a, b])[0, 1])


def test_count_vectors_shape(royalty):
    C, _ = counts_and_ppmi(royalty.corpus, len(royalty.vocab), 2)
    assert count_vectors(C, 5).shape == (len(royalty.vocab), 5)
    assert count_vectors(C, 5, max_words=10).shape == (10, 5)


@pytest.mark.parametrize("window", [1, 3])
def test_cells_are_skipgram_pair_counts(royalty, window):
    vocab = royalty.vocab
    C, _ = counts_and_ppmi(royalty.corpus, len(vocab), window)
    assert C.sum() == pair_count(royalty.corpus, window)
    i = vocab.id("king")
    j, cij = strongest_neighbour(C, i)
    assert cij == C.toarray()[i].max() > 0
    assert pairs_in_cell(royalty.corpus, window, i, j) == cij
    assert pairs_in_cell(royalty.corpus, window, i, vocab.id("queen")) == C[i, vocab.id("queen")]


def test_strongest_neighbour_of_empty_row():
    assert strongest_neighbour(sparse.csr_array((3, 3)), 1) is None


def test_scatter_ids():
    words = ["the", "king", "a", "queen"]
    cats = {"king": "male", "queen": "female"}
    assert scatter_ids(words, 4, 3) == [0, 1, 2]
    assert scatter_ids(words, 4, 10, cats, only_known=True) == [1, 3]
    assert scatter_ids(words, 2, 10, cats, only_known=True) == [1]


# ---- page 2 figures ---------------------------------------------------------------------


def test_cooc_heatmap_data_and_labels():
    Z = np.array([[0, 2, 1], [2, 0, 0], [1, 0, 4]], dtype=float)
    fig = cooc_heatmap(Z, ["a", "b", "c"], "counts", highlight=[1])
    hm = fig.data[0]
    np.testing.assert_array_equal(np.array(hm.z), Z)
    assert list(hm.x) == list(hm.y) == ["a", "b", "c"]
    assert hm.colorbar.title.text == "C[i, j]"
    assert hm.text[0][0] == "" and hm.text[0][1] == "2"  # zeros left blank
    assert len(fig.layout.shapes) == 1 and fig.layout.shapes[0].y0 == 0.5
    assert list(fig.layout.yaxis.range) == [2.5, -0.5]  # first word on top
    p = cooc_heatmap(Z / 3, ["a", "b", "c"], "ppmi")
    assert p.data[0].colorbar.title.text == "PPMI(i, j)" and p.data[0].text[0][1] == "0.7"
    big = cooc_heatmap(np.ones((40, 40)), [str(i) for i in range(40)])
    assert big.data[0].text is None  # too many cells to write numbers
    with pytest.raises(ValueError):
        cooc_heatmap(Z, ["a", "b", "c"], "cosine")


def test_growth_figure():
    les = build_lesson(Settings(preset="royalty"))
    rows = growth_table(les.corpus, 2, len(les.sentences))
    fig = growth_figure(rows)
    assert len(fig.data) == 2
    assert list(fig.data[0].y) == [r["cells"] for r in rows]
    assert list(fig.data[1].y) == [r["nonzero"] for r in rows]
    assert list(fig.data[0].x) == [r["tokens"] for r in rows]
    assert fig.layout.yaxis.type == "log"


def test_row_pair_figure():
    counts = np.array([[3, 1, 0], [2, 0, 1]])
    pm = np.array([[0.5, 0.1, 0], [0.4, 0, 0.9]])
    fig = row_pair_figure("king", "queen", ["the", "a", "his"], counts, pm)
    bars = [t for t in fig.data if isinstance(t, go.Bar)]
    assert len(bars) == 4
    assert list(bars[0].y) == [3, 1, 0] and list(bars[1].y) == [2, 0, 1]
    assert list(bars[3].y) == [0.4, 0, 0.9]
    assert bars[0].name == "row of 'king'" and list(bars[0].x) == ["the", "a", "his"]


def test_svd_scatter_greys_uncategorised_words():
    pts = np.array([[0, 0], [1, 1], [2, 0]], dtype=float)
    fig = svd_scatter(pts, ["the", "king", "queen"], ["other", "male", "female"], [0.5, 0.3],
                      highlight=["king"])  # fmt: skip
    assert fig.data[0].name == "other" and fig.data[0].marker.color == "#b0b0b0"
    assert {t.name for t in fig.data} == {"other", "male", "female", "highlighted"}
    assert fig.layout.xaxis.title.text == "PC 1 (50% of variance)"
    plain = svd_scatter(pts, ["a", "b", "c"], None, [0.5, 0.3])
    assert len(plain.data) == 1


def test_same_point_groups():
    X = np.array([[0, 1], [0.5, 0.5], [0, 1], [-0.0, 1.0], [2, 2]])
    assert same_point_groups(X, [0, 1, 2, 3, 4]) == [[0, 2, 3]]
    assert same_point_groups(X, [1, 4]) == []
    assert same_point_groups(X, []) == []
