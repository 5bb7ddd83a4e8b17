"""Tests for w2v_core.analysis: geometry we can check by hand, and gensim as the reference."""

import numpy as np
import pytest
from gensim.models import KeyedVectors, Word2Vec
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess

from w2v_core.analysis import (
    analogy,
    analogy_score,
    analogy_vector,
    category_score,
    evaluate_analogies,
    evaluate_pairs,
    nearest,
    similarity_matrix,
    unit_rows,
)
from w2v_core.errors import ConfigError, VectorsFormatError, W2VError

PAIRS = datapath("wordsim353.tsv")
QUESTIONS = datapath("questions-words.txt")


# ---- fixtures ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lee_kv() -> KeyedVectors:
    """Small real vectors: gensim word2vec on the Lee corpus (well under a second)."""
    with open(datapath("lee_background.cor"), encoding="utf-8") as f:
        sentences = [simple_preprocess(line) for line in f]
    model = Word2Vec(sentences, vector_size=40, min_count=2, seed=1, workers=1, epochs=5)
    return model.wv


@pytest.fixture(scope="module")
def question_lines() -> list[str]:
    with open(QUESTIONS, encoding="utf-8") as f:
        return f.read().splitlines()


def compass() -> tuple[list[str], np.ndarray]:
    """Five 2-D vectors at known angles; 'zero' is the zero vector."""
    words = ["east", "northeast", "north", "west", "zero"]
    W = np.array([[2, 0], [1, 1], [0, 3], [-1, 0], [0, 0]], dtype=np.float64)  # (5, 2)
    return words, W


def parallelogram() -> tuple[list[str], np.ndarray]:
    """man:woman :: king:queen, with the gender offset small so b - a + c stays near 'king'."""
    words = ["man", "woman", "king", "queen", "prince", "apple"]
    man = np.array([1.0, 0.0, 0.0, 0.0])
    gender = np.array([0.0, 0.3, 0.0, 0.0])
    royal = np.array([0.0, 0.0, 1.0, 0.0])
    W = np.stack(
        [
            man,
            man + gender,
            man + royal,
            man + royal + gender + np.array([0.0, 0.0, 0.0, 0.5]),  # an imperfect queen
            man + royal + np.array([0.0, -0.2, 0.0, 0.3]),
            np.array([0.0, 0.0, 0.0, 1.0]),
        ]
    )  # (6, 4)
    return words, W


# ---- basics --------------------------------------------------------------------------


def test_unit_rows_zero_rows_stay_zero_and_input_untouched():
    W = np.array([[3.0, 4.0], [0.0, 0.0], [0.0, -2.0]])
    before = W.copy()
    U = unit_rows(W)
    np.testing.assert_allclose(U, [[0.6, 0.8], [0.0, 0.0], [0.0, -1.0]])
    assert not np.isnan(U).any()
    np.testing.assert_array_equal(W, before)
    assert unit_rows(W.astype(np.float32)).dtype == np.float32
    np.testing.assert_allclose(unit_rows(np.array([[3, 4]])), [[0.6, 0.8]])  # ints work too


def test_nearest_known_geometry():
    words, W = compass()
    before = W.copy()
    result = nearest(W, words, "east", k=3)
    assert [w for w, _ in result] == ["northeast", "north", "zero"]  # tie at 0: lower row first
    np.testing.assert_allclose([s for _, s in result], [np.sqrt(0.5), 0.0, 0.0], atol=1e-12)
    assert nearest(W, words, "east", k=10)[-1] == ("west", -1.0)
    assert len(nearest(W, words, "east", k=10)) == 4  # everything but the query itself
    assert [w for w, _ in nearest(W, words, "east", k=2, exclude=["northeast", "nope"])] == [
        "north",
        "zero",
    ]
    np.testing.assert_array_equal(W, before)


def test_nearest_by_vector_keeps_every_word():
    words, W = compass()
    result = nearest(W, words, np.array([0.0, 5.0]), k=2)
    assert result[0] == ("north", 1.0)
    assert result[1][0] == "northeast"
    with pytest.raises(W2VError, match="shape"):
        nearest(W, words, np.zeros(3))


def test_unknown_word_and_bad_k():
    words, W = compass()
    with pytest.raises(W2VError, match="'xyz' is not in the vocabulary"):
        nearest(W, words, "xyz")
    with pytest.raises(W2VError, match="'xyz' is not in the vocabulary"):
        analogy(W, words, "east", "xyz", "north")
    with pytest.raises(ConfigError):
        nearest(W, words, "east", k=0)
    with pytest.raises(ConfigError):
        analogy(W, words, "east", "west", "north", method="sub")
    with pytest.raises(W2VError, match="rows"):
        nearest(W[:3], words, "east")


@pytest.mark.parametrize("method", ["add", "mul"])
def test_analogy_parallelogram_excludes_query_words(method):
    words, W = parallelogram()
    # Without exclusion the nearest word to b - a + c is c itself ...
    target = analogy_vector(W, words, "man", "woman", "king")
    assert nearest(W, words, target, k=1)[0][0] == "king"
    # ... so the answer is only right because a, b and c are ruled out.
    result = analogy(W, words, "man", "woman", "king", k=3, method=method)
    assert result[0][0] == "queen"
    assert {w for w, _ in result}.isdisjoint({"man", "woman", "king"})
    scores = [s for _, s in result]
    assert scores == sorted(scores, reverse=True)


def test_analogy_vector_is_offset_of_unit_rows():
    words, W = parallelogram()
    U = W / np.linalg.norm(W, axis=1, keepdims=True)  # (V, d)
    np.testing.assert_allclose(analogy_vector(W, words, "man", "woman", "king"), U[1] - U[0] + U[2])
    # 3CosAdd scores are the cosines with that vector.
    add = dict(analogy(W, words, "man", "woman", "king", k=3))
    near = dict(nearest(W, words, analogy_vector(W, words, "man", "woman", "king"), k=6))
    for w, s in add.items():
        assert s == pytest.approx(near[w])


@pytest.mark.parametrize("method", ["add", "mul"])
def test_analogy_matches_brute_force(method):
    rng = np.random.default_rng(3)
    W = rng.normal(size=(40, 6))  # (V, d)
    words = [f"w{i}" for i in range(40)]
    U = W / np.linalg.norm(W, axis=1, keepdims=True)
    a, b, c = U[5], U[7], U[11]

    def cos(x, y):
        return float(x @ y / np.linalg.norm(y))

    expected = {}
    for i in set(range(40)) - {5, 7, 11}:
        if method == "add":
            expected[words[i]] = cos(U[i], b - a + c)
        else:
            ca, cb, cc = ((U[i] @ v + 1) / 2 for v in (a, b, c))
            expected[words[i]] = cb * cc / (ca + 1e-3)
    best = sorted(expected.items(), key=lambda kv: -kv[1])[:5]
    got = analogy(W, words, "w5", "w7", "w11", k=5, method=method)
    assert [w for w, _ in got] == [w for w, _ in best]
    np.testing.assert_allclose([s for _, s in got], [s for _, s in best], rtol=1e-10)


def test_similarity_matrix():
    words, W = compass()
    S = similarity_matrix(W, words, ["east", "north", "zero", "northeast"])
    assert S.shape == (4, 4)
    np.testing.assert_allclose(S, S.T)
    np.testing.assert_allclose(np.diag(S), [1, 1, 0, 1])
    assert S[0, 3] == pytest.approx(np.sqrt(0.5))
    assert S[0, 1] == 0.0
    with pytest.raises(W2VError, match="'moon' is not in the vocabulary"):
        similarity_matrix(W, words, ["east", "moon"])


# ---- generated-corpus scores ---------------------------------------------------------


def test_category_score_known_fractions():
    words = ["a1", "a2", "b1", "b2", "loner"]
    W = np.array([[1.0, 0.1], [1.0, 0.2], [0.1, 1.0], [0.2, 1.0], [0.7, 0.7]])  # (5, 2)
    cats = {"a1": "A", "a2": "A", "b1": "B", "b2": "B", "absent": "B"}
    assert category_score(W, words, cats, k=1) == 1.0  # each nearest neighbour is a sibling
    assert category_score(W, words, cats, k=2) == 0.5  # one sibling + one of the other kind
    assert category_score(W, words, cats, k=10) == pytest.approx(1 / 3)  # k capped at n - 1
    with pytest.raises(W2VError, match="at least 2"):
        category_score(W, words, {"a1": "A"})


def test_category_score_matches_loop_on_random_vectors():
    rng = np.random.default_rng(0)
    W = rng.normal(size=(30, 5))
    words = [f"w{i}" for i in range(30)]
    cats = {w: "xyz"[i % 3] for i, w in enumerate(words) if i % 5}  # some words uncategorised
    keep = [i for i, w in enumerate(words) if w in cats]
    U = W / np.linalg.norm(W, axis=1, keepdims=True)
    fracs = []
    for i in keep:
        others = sorted((j for j in keep if j != i), key=lambda j: -(U[i] @ U[j]))[:4]
        fracs.append(np.mean([cats[words[j]] == cats[words[i]] for j in others]))
    assert category_score(W, words, cats, k=4) == pytest.approx(np.mean(fracs))


@pytest.mark.parametrize("method", ["add", "mul"])
def test_analogy_score(method):
    words, W = parallelogram()
    quads = [
        ("man", "woman", "king", "queen"),  # right
        ("man", "king", "woman", "queen"),  # right
        ("woman", "man", "queen", "king"),  # wrong: the imperfect queen points at prince
        ("man", "woman", "king", "unicorn"),  # ignored: unknown word
    ]
    assert analogy_score(W, words, quads, method=method) == pytest.approx(2 / 3)
    with pytest.raises(W2VError, match="none of the 1"):
        analogy_score(W, words, [("a", "b", "c", "d")])


# ---- word pairs vs gensim ------------------------------------------------------------


def test_evaluate_pairs_matches_gensim(lee_kv):
    pearson, spearman, oov_pct = lee_kv.evaluate_word_pairs(PAIRS)
    ours = evaluate_pairs(lee_kv.vectors, lee_kv.index_to_key, PAIRS)
    assert ours.spearman == pytest.approx(spearman.statistic, abs=1e-9)
    assert ours.pearson == pytest.approx(pearson.statistic, abs=1e-6)  # gensim uses float32
    assert 100 * ours.oov_ratio == pytest.approx(oov_pct)
    assert ours.n_used + ours.n_oov == 353
    assert ours.gold.shape == ours.model.shape == (ours.n_used,)
    # Lines work as well as a path, str or bytes.
    with open(PAIRS, "rb") as f:
        raw = f.read().splitlines()
    assert evaluate_pairs(lee_kv.vectors, lee_kv.index_to_key, raw).spearman == ours.spearman


def test_evaluate_pairs_case_variants_like_gensim(tmp_path):
    # Upper-cased lookup: "Tiger" (first row) wins over "tiger"; "CD" matches "cd".
    words = ["Tiger", "cat", "tiger", "cd", "stock", "jaguar", "egg"]
    W = np.random.default_rng(1).normal(size=(len(words), 8)).astype(np.float32)
    kv = KeyedVectors(8)
    kv.add_vectors(words, W)
    lines = ["# comment", "tiger\tcat\t7.35", "stock\tCD\t1.31", "stock\tjaguar\t0.92",
             "stock\tegg\t1.81", "TIGER\tegg\t3", "cat\tunicorn\t2"]  # fmt: skip
    path = tmp_path / "pairs.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pearson, spearman, _ = kv.evaluate_word_pairs(str(path))
    ours = evaluate_pairs(W, words, lines)
    assert ours.spearman == pytest.approx(spearman.statistic, abs=1e-9)
    assert ours.pearson == pytest.approx(pearson.statistic, abs=1e-6)
    assert (ours.n_used, ours.n_oov) == (5, 1)
    tiger_cat = ours.model[0]
    U = unit_rows(W.astype(np.float64))
    assert tiger_cat == pytest.approx(U[0] @ U[1])  # the "Tiger" row, not "tiger"


@pytest.mark.parametrize(
    "lines, line_no",
    [
        (["# c", "a\tb\t1", "a\tb", "a\tb\t2"], 3),
        (["a\tb\t1", "a\tb\t2", "a\tb\t3", "a\tb\tlots"], 4),
        (["a\tb\tnan"], 1),
        (["a\tb\t1\textra"], 1),
    ],
)
def test_evaluate_pairs_malformed_line(lines, line_no):
    words, W = ["a", "b"], np.eye(2)
    with pytest.raises(VectorsFormatError, match=f"line {line_no}:"):
        evaluate_pairs(W, words, lines)


def test_evaluate_pairs_needs_two_known_pairs():
    with pytest.raises(W2VError, match="only 1 of the 2"):
        evaluate_pairs(np.eye(2), ["a", "b"], ["a\tb\t1", "a\tz\t2"])


# ---- analogies vs gensim -------------------------------------------------------------


def _gensim_counts(sections: list[dict]) -> list[tuple[str, int, int]]:
    return [
        (s["section"], len(s["correct"]), len(s["correct"]) + len(s["incorrect"])) for s in sections
    ]


def test_evaluate_analogies_matches_gensim_on_lee(lee_kv):
    score, sections = lee_kv.evaluate_word_analogies(QUESTIONS, restrict_vocab=30000)
    ours = evaluate_analogies(lee_kv.vectors, lee_kv.index_to_key, QUESTIONS)
    assert ours.accuracy == score
    assert ours.n_total > 500
    assert ours.n_total + ours.n_skipped == 19544
    assert [(s.name, s.n_correct, s.n_total) for s in ours.sections] == _gensim_counts(
        sections[:-1]
    )


def structured_vectors(question_lines, n_filler=1500, d=30, seed=0):
    """Vectors where many analogies hold (with noise), plus lower-case variants and filler."""
    rng = np.random.default_rng(seed)
    vec: dict[str, np.ndarray] = {}
    offset = None
    for line in question_lines:
        if line.startswith(":"):
            offset = rng.normal(size=d) * 1.5
            continue
        a, b, c, e = line.split()
        for x, y in ((a, b), (c, e)):
            vec.setdefault(x, rng.normal(size=d))
            old = vec.get(y, rng.normal(size=d))
            vec[y] = 0.5 * old + 0.5 * (vec[x] + offset) + rng.normal(size=d) * 0.3
    vocab = list(vec)
    upper = {w.upper(): w for w in vocab}
    words = vocab + [w.lower() for w in vocab[::3]] + [f"filler{i}" for i in range(n_filler)]
    rng.shuffle(words)
    W = rng.normal(size=(len(words), d)).astype(np.float32)  # (V, d) filler rows stay random
    for i, w in enumerate(words):
        if w in vec:
            W[i] = vec[w]
        elif w.upper() in upper:  # a case variant sits right next to its word
            W[i] = vec[upper[w.upper()]] + rng.normal(size=d) * 0.1
    return words, W


def test_evaluate_analogies_matches_gensim_with_restrict_and_case_variants(
    question_lines, tmp_path
):
    # every 8th question keeps gensim's one-at-a-time loop fast
    lines = [ln for i, ln in enumerate(question_lines) if ln.startswith(":") or i % 8 == 0]
    path = tmp_path / "questions.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    words, W = structured_vectors(question_lines)
    kv = KeyedVectors(W.shape[1])
    kv.add_vectors(words, W)
    for restrict in (1200, 30000):
        score, sections = kv.evaluate_word_analogies(str(path), restrict_vocab=restrict)
        ours = evaluate_analogies(W, words, lines, restrict=restrict)
        assert ours.accuracy == score
        assert [(s.name, s.n_correct, s.n_total) for s in ours.sections] == _gensim_counts(
            sections[:-1]
        )
    assert 0.2 < ours.accuracy < 0.95  # a test set that can tell right from wrong
    assert ours.n_skipped == 0


def test_evaluate_analogies_full_file(question_lines):
    """The whole questions-words file is read and every question counted, against a 5k
    vocabulary (a 30k one, as gensim's restrict, is timed in the benchmarks)."""
    words, W = structured_vectors(question_lines, n_filler=5000 - 1207, d=100)
    result = evaluate_analogies(W, words, QUESTIONS)
    assert result.n_total + result.n_skipped == 19544


def test_evaluate_analogies_sections_and_skips():
    words, W = parallelogram()
    lines = [
        ": family",
        "man woman king queen",
        "man woman king unicorn",
        "",
        ": empty",
        "a b c d",
    ]
    r = evaluate_analogies(W, words, lines)
    assert (r.n_correct, r.n_total, r.n_skipped) == (1, 1, 2)
    assert r.section_accuracy == {"family": 1.0, "empty": 0.0}
    assert [s.n_skipped for s in r.sections] == [1, 1]
    # Questions before any header are accepted (gensim refuses them).
    assert evaluate_analogies(W, words, ["MAN WOMAN KING QUEEN"]).accuracy == 1.0


@pytest.mark.parametrize(
    "lines, line_no",
    [([": s", "a b c d", "a b c"], 3), ([": s", "a b c d e"], 2)],
)
def test_evaluate_analogies_malformed_line(lines, line_no):
    with pytest.raises(VectorsFormatError, match=f"line {line_no}:"):
        evaluate_analogies(np.eye(4), ["a", "b", "c", "d"], lines)


def test_evaluate_analogies_empty_source():
    with pytest.raises(VectorsFormatError, match="no analogy questions"):
        evaluate_analogies(np.eye(2), ["a", "b"], [": header only", ""])
