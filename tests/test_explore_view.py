"""Pure helpers of the Explore-and-share page: vectors, imports/exports, questions, layouts."""

import dataclasses
import io

import numpy as np
import pytest

from lab import explore_view as ev
from lab.lesson import Settings, build_lesson
from w2v_core.analysis import analogy, analogy_vector, nearest
from w2v_core.errors import TrainingDiverged, VectorsFormatError, W2VError
from w2v_core.io import load_model_npz, save_model_npz
from w2v_core.trainer import Trainer


@pytest.fixture(scope="module")
def trained():
    s = Settings(epochs=5)
    return Trainer(s.config()).prepare(build_lesson(s).sentences).fit(build_lesson(s).sentences)


def random_vectors(V=30, d=6, seed=0, name="r"):
    rng = np.random.default_rng(seed)
    return ev.Vectors(tuple(f"w{i}" for i in range(V)), rng.normal(size=(V, d)), name, "test")


def neighbours(vec, word, k=5):
    return [(r["word"], r["cosine"]) for r in ev.neighbour_rows(vec, word, k)]


# ---- Vectors -------------------------------------------------------------------------


def test_vectors_are_an_immutable_copy():
    W = np.arange(6.0).reshape(3, 2)
    vec = ev.Vectors(["a", "b", "c"], W, "n", "o")
    W[0, 0] = 99.0  # the caller's array changes; ours does not
    assert vec.W[0, 0] == 0.0
    assert vec.W.dtype == np.float32 and not vec.W.flags.writeable
    assert vec.words == ("a", "b", "c") and (vec.V, vec.d) == (3, 2)
    with pytest.raises(ValueError):
        vec.W[1, 1] = 5.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        vec.name = "other"


@pytest.mark.parametrize(
    "words, W, needle",
    [
        (["a", "b"], np.zeros((3, 2)), "2 words"),
        (["a"], np.zeros((1, 2)), "at least 2"),
        (["a", "b"], np.array([[0.0, np.nan], [1.0, 1.0]]), "'a'"),
        (["a", "a"], np.ones((2, 2)), "two rows"),
    ],
)
def test_vectors_refuse_bad_input(words, W, needle):
    with pytest.raises(W2VError, match=needle):
        ev.Vectors(words, W, "n", "o")


def test_live_vectors_pick_the_matrix(trained):
    for which, expect in (
        ("W_in", trained.W_in_),
        ("W_out", trained.W_out_),
        ("sum", trained.W_in_ + trained.W_out_),
    ):
        vec = ev.live_vectors(trained, which)
        np.testing.assert_allclose(vec.W, expect, rtol=1e-6)
        assert vec.words == tuple(trained.words_)
        assert f"{trained.examples_seen_:,} examples" in vec.origin


def test_train_to_end_reports_progress_and_finishes():
    s = Settings(epochs=3)
    tr = Trainer(s.config()).prepare(build_lesson(s).sentences)
    assert ev.needs_training(tr)
    seen = []
    for fraction, text in ev.train_steps(tr, seconds=1e-5):  # small chunks: many reports
        seen.append(fraction)
        assert text.startswith("Training: epoch ")
    assert tr.done and not ev.needs_training(tr)
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 3
    # the same run as training epoch by epoch
    ref = Trainer(s.config()).fit(build_lesson(s).sentences)
    assert tr.examples_seen_ == ref.examples_seen_


def test_train_to_end_divergence_keeps_finite_weights():
    s = Settings(alpha=50.0)
    tr = Trainer(s.config()).prepare(build_lesson(s).sentences)
    with pytest.raises(TrainingDiverged):
        ev.train_to_end(tr)
    assert np.isfinite(tr.W_in_).all() and np.isfinite(tr.W_out_).all()


# ---- imports -------------------------------------------------------------------------


def test_import_word2vec_text():
    vec = ev.import_vectors(b"3 2\nalpha 1 0\nbeta 0.5 0.5\ngamma 0 1\n", "v.vec")
    assert vec.words == ("alpha", "beta", "gamma")
    np.testing.assert_array_equal(vec.W, [[1, 0], [0.5, 0.5], [0, 1]])
    assert vec.name == "v.vec" and "word2vec text" in vec.origin


@pytest.mark.parametrize(
    "data, needle",
    [
        (b"3 2\nalpha 1 0\nbeta 0.5 x\ngamma 0 1\n", "line 3"),
        (b"3 2\nalpha 1 0\nbeta 0.5\ngamma 0 1\n", "line 3"),
        (b"alpha 1 0\n", "at least 2"),  # read as GloVe (no header): one word
        (b"alpha\nbeta 1 0\n", "line 1"),  # neither a header nor a word and numbers
        (b"3 2\nalpha 1 0\n", "cut short"),
        (b"1 2\nalpha 1 0\n", "at least 2"),
    ],
)
def test_malformed_text_names_the_problem(data, needle):
    with pytest.raises(W2VError, match=needle):
        ev.import_vectors(data, "bad.txt")


def test_oversized_upload_is_refused_before_parsing():
    data = b"2 1\na 1\nb 2\n" + b" " * 200
    with pytest.raises(VectorsFormatError, match="over the"):
        ev.import_vectors(data, "big.txt", max_bytes=100)


def test_import_npz_takes_w_in(trained):
    data = ev.model_npz_bytes(trained)
    vec = ev.import_vectors(data, "m.npz")
    np.testing.assert_array_equal(vec.W, trained.W_in_)
    assert vec.words == tuple(trained.words_)
    assert "W_in" in vec.origin and f"{trained.examples_seen_:,}" in vec.origin
    # the file is recognised by its content, whatever its name
    assert ev.import_vectors(data, "renamed.bin").words == vec.words


def test_model_npz_holds_the_whole_model(trained):
    arrays, meta = load_model_npz(ev.model_npz_bytes(trained))
    np.testing.assert_array_equal(arrays["W_out"], trained.W_out_)
    np.testing.assert_array_equal(arrays["counts"], trained.vocab_.counts)
    assert meta["config"] == trained.config.to_dict()
    assert meta["examples_seen"] == trained.examples_seen_


def test_foreign_npz_is_refused():
    buffer = io.BytesIO()
    save_model_npz(buffer, {"vectors": np.zeros((2, 2))}, {})
    with pytest.raises(VectorsFormatError, match="'words' or 'W_in'"):
        ev.import_vectors(buffer.getvalue(), "x.npz")
    with pytest.raises(VectorsFormatError):
        ev.import_vectors(b"PK\x03\x04 not really a zip", "x.npz")


def test_import_projector_pair():
    vec = ev.import_projector(b"1\t0\n0\t1\n", "vectors.tsv", b"left\nright\n", "metadata.tsv")
    assert vec.words == ("left", "right")
    np.testing.assert_array_equal(vec.W, np.eye(2))
    with pytest.raises(VectorsFormatError, match="my.tsv line 2"):
        ev.import_projector(b"1\t0\n0\tz\n", "my.tsv", b"left\nright\n", "metadata.tsv")


# ---- exports and round trips ---------------------------------------------------------


def test_export_problem():
    assert ev.export_problem(["a", "b"], "word2vec") is None
    assert "white space" in ev.export_problem(["a b", "c"], "word2vec")
    assert ev.export_problem(["a b", "c"], "projector") is None
    assert "tab" in ev.export_problem(["a\tb", "c"], "projector")


@pytest.mark.parametrize("which", ["W_in", "W_out", "sum"])
def test_round_trip_keeps_the_neighbours(trained, which):
    vec = ev.live_vectors(trained, which)
    back_txt = ev.import_vectors(ev.word2vec_bytes(vec), "vectors.txt")
    vtsv, mtsv = ev.projector_bytes(vec)
    back_tsv = ev.import_projector(vtsv, "vectors.tsv", mtsv, "metadata.tsv")
    for back in (back_txt, back_tsv):
        assert back.words == vec.words
        np.testing.assert_array_equal(back.W, vec.W)  # 9 significant digits: exact float32
    for word in ("king", "queen", "apple" if "apple" in vec.words else "man"):
        want = neighbours(vec, word)
        assert neighbours(back_txt, word) == want
        assert neighbours(back_tsv, word) == want


def test_npz_round_trip_keeps_the_neighbours(trained):
    vec = ev.live_vectors(trained, "W_in")
    back = ev.import_vectors(ev.model_npz_bytes(trained), "word2vec_lab_model.npz")
    for word in ("king", "woman"):
        assert neighbours(back, word) == neighbours(vec, word)


def test_gensim_text_file_gives_gensims_neighbours(tmp_path, toy_sentences):
    from gensim.models import Word2Vec

    model = Word2Vec(
        toy_sentences, vector_size=12, window=2, min_count=1, sg=1, seed=3, workers=1, epochs=5
    )
    path = tmp_path / "gensim.txt"
    model.wv.save_word2vec_format(str(path), binary=False)
    vec = ev.import_vectors(path.read_bytes(), "gensim.txt")
    assert vec.words == tuple(model.wv.index_to_key)
    for word in ("king", "dog", "park", "the"):
        ours = neighbours(vec, word, k=6)
        theirs = model.wv.most_similar(word, topn=6)
        assert [w for w, _ in ours] == [w for w, _ in theirs]
        np.testing.assert_allclose([s for _, s in ours], [s for _, s in theirs], atol=1e-5)


# ---- questions -----------------------------------------------------------------------


def test_resolve_and_unknown_message():
    words = ["the", "king", "Paris"]
    assert ev.resolve(words, " king ") == "king"
    assert ev.resolve(words, "KING") == "king"
    assert ev.resolve(words, "Paris") == "Paris"
    assert ev.resolve(words, "paris") is None
    assert ev.resolve([" ", "\x85", "a"], "\x85") == "\x85"  # projector words of white space
    assert ev.resolve([" ", "a"], " ") == " " and ev.resolve([" ", "a"], " a ") == "a"
    msg = ev.unknown_message(["x", "y"], words)
    assert "'x', 'y' are not in the vocabulary" in msg and "3 words" in msg and "the" in msg
    assert "'x' is not" in ev.unknown_message(["x"], words)


def test_defaults():
    words = ["the", "he", "king", "queen", "man", "woman", "apple", "pear", "dog"]
    cats = {"king": "m", "man": "m", "queen": "f", "woman": "f", "apple": "fruit"}
    assert ev.default_query(words, cats) == "king"
    assert ev.default_query(words, {}) == "he"
    assert ev.default_analogy(words) == ("man", "king", "woman")
    assert ev.default_analogy(words, [("queen", "king", "woman", "man")]) == (
        "queen",
        "king",
        "woman",
    )
    assert ev.default_analogy(["a", "b", "c"]) == ("a", "b", "c")
    # categories in turn, most frequent first
    assert ev.default_heatmap_words(words, cats, n=4) == ["king", "queen", "apple", "man"]
    assert ev.default_heatmap_words(words, {}, n=3) == ["the", "he", "king"]


def test_neighbour_rows_match_the_engine():
    vec = random_vectors()
    rows = ev.neighbour_rows(vec, "w3", 4)
    assert [r["rank"] for r in rows] == [1, 2, 3, 4]
    assert [(r["word"], r["cosine"]) for r in rows] == nearest(vec.W, vec.words, "w3", k=4)
    assert all(r["word"] != "w3" for r in rows)
    cos = [r["cosine"] for r in rows]
    assert cos == sorted(cos, reverse=True)


def test_explain_analogy(trained):
    vec = ev.live_vectors(trained, "W_in")
    view = ev.explain_analogy(vec, "man", "king", "woman", k=5)
    assert view.add == analogy(vec.W, vec.words, "man", "king", "woman", k=5, method="add")
    assert view.mul == analogy(vec.W, vec.words, "man", "king", "woman", k=5, method="mul")
    assert not {"man", "king", "woman"} & {w for w, _ in view.add + view.mul}
    assert view.rows.shape == (5, vec.d)
    np.testing.assert_allclose(np.linalg.norm(view.rows[[0, 1, 2, 4]], axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(
        view.rows[3], analogy_vector(vec.W, vec.words, "man", "king", "woman"), rtol=1e-5
    )
    assert view.cos_answer == pytest.approx(view.add[0][1], abs=1e-5)
    assert view.labels[4] == f"answer: {view.add[0][0]}"
    rows = ev.analogy_rows(view)
    assert [r["3CosAdd"] for r in rows] == [w for w, _ in view.add]
    assert [r["3CosMul score"] for r in rows] == [s for _, s in view.mul]


def test_explain_analogy_refuses_unknown_and_tiny_vocabularies():
    vec = random_vectors()
    with pytest.raises(W2VError, match="'nope' is not in the vocabulary"):
        ev.explain_analogy(vec, "w1", "nope", "w2")
    tiny = random_vectors(V=3)
    with pytest.raises(W2VError, match="too few words"):
        ev.explain_analogy(tiny, "w0", "w1", "w2")


def test_similarity_is_a_cosine_matrix():
    vec = random_vectors()
    S = ev.similarity(vec, ["w0", "w5", "w9"])
    assert S.shape == (3, 3)
    np.testing.assert_allclose(np.diag(S), 1.0)
    np.testing.assert_allclose(S, S.T)
    u, v = vec.W[0], vec.W[5]
    assert S[0, 1] == pytest.approx(u @ v / np.linalg.norm(u) / np.linalg.norm(v), rel=1e-5)
    with pytest.raises(W2VError, match="'zz' is not"):
        ev.similarity(vec, ["w0", "zz"])


# ---- projections ---------------------------------------------------------------------


def test_projection_key_follows_the_inputs():
    X = np.arange(12.0).reshape(4, 3)
    assert ev.projection_key(X, "pca", 2) == ev.projection_key(X.copy(), "pca", 2, 30, 1000, 7)
    assert ev.projection_key(X, "pca", 2) != ev.projection_key(X, "pca", 3)
    Y = X.copy()
    Y[0, 0] += 1e-6
    assert ev.projection_key(X, "pca", 2) != ev.projection_key(Y, "pca", 2)
    assert ev.projection_key(X, "tsne", 2, 5, 500) != ev.projection_key(X, "tsne", 2, 6, 500)
    assert ev.fingerprint(X) != ev.fingerprint(X.astype(np.float32))


@pytest.mark.parametrize("dims", [2, 3])
def test_pca_projection_titles_give_the_variance(dims):
    vec = random_vectors(V=40, d=6)
    p = ev.pca_projection(vec.W, vec.words, dims)
    assert p.points.shape == (40, dims) and p.method == "pca" and p.note is None
    assert len(p.axis_titles) == dims
    for i, title in enumerate(p.axis_titles):
        assert title == f"PC {i + 1} ({p.explained[i]:.1%} of variance)"
    assert np.all(np.diff(p.explained) <= 0) and 0 < p.explained.sum() <= 1
    # PC 1's share is the variance of the first coordinate over the total
    X = vec.W.astype(np.float64) - vec.W.mean(axis=0)
    assert p.explained[0] == pytest.approx(p.points[:, 0].var() / X.var(axis=0).sum())


def test_pca_projection_of_two_dimensional_vectors_in_3d():
    vec = random_vectors(V=10, d=2)
    p = ev.pca_projection(vec.W, vec.words, 3)
    assert "only 2 dimensions" in p.note
    np.testing.assert_array_equal(p.points[:, 2], 0.0)


def test_clamp_perplexity():
    assert ev.clamp_perplexity(5, 20) == (5.0, None)
    used, note = ev.clamp_perplexity(30, 20)
    assert used == 19.0 and "below the number of points (20)" in note
    assert ev.clamp_perplexity(20, 20)[0] == 19.0  # equal is not allowed either
    with pytest.raises(W2VError, match="at least 4"):
        ev.clamp_perplexity(2, 3)


@pytest.mark.parametrize("dims", [2, 3])
def test_tsne_projection(dims):
    vec = random_vectors(V=12, d=5)
    p = ev.tsne_projection(vec.W, vec.words, dims, perplexity=50, iterations=250, seed=0)
    assert p.points.shape == (12, dims) and np.isfinite(p.points).all()
    assert p.axis_titles == tuple(f"t-SNE {i + 1}" for i in range(dims))
    assert "11 was used" in p.note and p.explained is None
    assert p.key == ev.projection_key(vec.W, "tsne", dims, 50, 250, 0)


def test_groups_and_search():
    words = ["king", "queen", "prince", "princess", "apple"]
    assert ev.groups_for(words, {}) is None
    assert ev.groups_for(words[:2], {"king": "m"}) == ["m", "other"]
    found = ev.search_words("King, prin*  zzz apple", words[:3], words)
    assert found.shown == ["king", "prince"]
    assert found.not_shown == ["princess", "apple"]
    assert found.unknown == ["zzz"]
    assert ev.search_words("  ", words, words) == ev.Search([], [], [])


def test_a_search_looks_up_a_bounded_number_of_terms():
    words = [f"w{i}" for i in range(5_000)]
    hostile = "w1* " * 100_000  # each prefix term scans every word
    found = ev.search_words(hostile, words[:10], words)
    assert found.shown == ["w1"] and len(found.not_shown) == 1_110
    assert len(ev.search_words(" ".join(f"zz{i}" for i in range(1_000)), [], words).unknown) == (
        ev.MAX_SEARCH_TERMS
    )
