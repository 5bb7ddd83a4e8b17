"""Property-based tests (hypothesis) of the engine on arbitrary unicode text and sizes.

Each property is an invariant the lesson relies on: tokens are clean lower-case
words, ids follow counts, the pairs are exactly the windows of the text, the
co-occurrence matrix is their histogram, files give back what was written, and
no input makes a loader fail with anything but a message for a person.
"""

import io
import json
import unicodedata
import zipfile
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from w2v_core.cooccur import cooccurrence, ppmi, svd_embeddings
from w2v_core.errors import ConfigError, CorpusError, VectorsFormatError, W2VError
from w2v_core.io import (
    load_model_npz,
    load_projector_tsv,
    load_word2vec_text,
    save_model_npz,
    to_projector_tsv,
    to_word2vec_text,
)
from w2v_core.pairs import Corpus, cbow_examples, pair_count, skipgram_pairs
from w2v_core.tokenize import (
    _WORD,
    MAX_SENTENCE_TOKENS,
    MAX_TOKEN_CHARS,
    decode_text,
    tokenize,
    tokenize_line,
)
from w2v_core.vocab import build_vocab

FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text of every kind: letters of all scripts, combining marks, emoji, controls, NUL,
# line and paragraph separators. Surrogates are excluded (a str from UTF-8 has none).
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=120)
# Hostile pieces glued together: more likely to hit apostrophes, marks and breaks.
pieces = st.sampled_from(
    ["don't", "’", "'", "_", "-", ".", "!", "? ", "\n", "\r\n", "\u2028", "\x85", "\x00",
     "\t", " ", "é", "e\u0301", "İ", "ß", "ǅ", "हिन्दी", "مَرْحَبًا", "שָׁלוֹם", "東京", "🙂",
     "👩\u200d💻", "x²", "٣", "<b>", "a" * (MAX_TOKEN_CHARS + 5), "\u0301", "Ω", "ﬁ"]
)  # fmt: skip
hostile_text = st.one_of(any_text, st.lists(pieces, max_size=30).map("".join))
ascii_word = st.from_regex(r"[a-z0-9]{1,10}(?:'[a-z0-9]{1,5})?", fullmatch=True)


def flat(sentences):
    return [t for s in sentences for t in s]


# ---- tokenizer -----------------------------------------------------------------------


@FAST
@given(text=hostile_text, split=st.sampled_from(["auto", "line", "sentence"]))
@example(text="a" * 500 + " B", split="auto")
@example(text="İstanbul CAFÉ cafe\u0301 naïve", split="line")
def test_tokens_are_clean_lower_case_words(text, split):
    sentences = tokenize(text, split=split)
    for s in sentences:
        assert s, "empty sentences are dropped"
        assert len(s) <= MAX_SENTENCE_TOKENS
        for t in s:
            assert t and len(t) <= MAX_TOKEN_CHARS
            assert t == t.lower()
            assert not any(ch.isspace() for ch in t)
            assert "_" not in t and "\x00" not in t and "\u2019" not in t
            assert t[0].isalnum() and t[-1] != "'"
            assert unicodedata.category(t[0])[0] != "M"  # never starts with a lone accent


@FAST
@given(text=hostile_text)
def test_tokenizing_tokens_again_changes_nothing(text):
    tokens = tokenize_line(text)
    assert tokenize_line(" ".join(tokens)) == tokens


@FAST
@given(text=hostile_text)
def test_sentence_split_only_groups_the_same_tokens(text):
    by_line = flat(tokenize(text, split="line"))
    assert flat(tokenize(text, split="sentence")) == by_line
    assert flat(tokenize(text, split="auto")) == by_line
    assert by_line == [t for ln in text.splitlines() for t in tokenize_line(ln)]


@FAST
@given(text=hostile_text)
def test_composed_and_decomposed_accents_give_the_same_words(text):
    nfc = tokenize_line(unicodedata.normalize("NFC", text))
    assert tokenize_line(unicodedata.normalize("NFD", text)) == nfc
    assert tokenize_line(text) == nfc


@FAST
@given(
    text=st.one_of(
        hostile_text,
        st.lists(st.sampled_from(["a", "b1", "'", " ", "\t", "é"]), max_size=20).map("".join),
    )
)
def test_the_whole_word_shortcut_gives_the_regex_tokens(text):
    """tokenize_line skips the regex when every chunk is already a word: same tokens."""
    line = unicodedata.normalize("NFC", text).lower().replace("_", " ")
    regex = [t[:MAX_TOKEN_CHARS].rstrip("'’").replace("’", "'") for t in _WORD.findall(line)]
    assert tokenize_line(text) == regex


def test_words_with_combining_marks_stay_whole():
    assert tokenize_line("हिन्दी भाषा") == ["हिन्दी", "भाषा"]  # vowel signs and virama
    assert tokenize_line("مَرْحَبًا بالعالم") == ["مَرْحَبًا", "بالعالم"]  # harakat
    assert tokenize_line("שָׁלוֹם") == ["שָׁלוֹם"]  # niqqud
    assert tokenize_line("Cafe\u0301 NAI\u0308VE") == ["café", "naïve"]


@FAST
@given(
    lines=st.lists(
        st.lists(ascii_word, max_size=8).map(" ".join)
        | st.lists(ascii_word, min_size=1, max_size=8).map("  \t ".join),
        max_size=8,
    )
)
def test_lower_case_spaced_ascii_words_are_exactly_split(lines):
    text = "\n".join(lines)
    assert tokenize(text, split="line") == [ln.split() for ln in lines if ln.split()]
    for ln in lines:
        assert tokenize_line(ln) == ln.split()


@pytest.mark.parametrize("n", [MAX_SENTENCE_TOKENS, MAX_SENTENCE_TOKENS + 1, 25_003])
def test_long_lines_are_cut_exactly_as_gensim_line_sentence(n, tmp_path):
    from gensim.models.word2vec import LineSentence

    text = " ".join(f"w{i % 97}" for i in range(n)) + "\nshort line\n"
    path = tmp_path / "corpus.txt"
    path.write_text(text, encoding="utf-8")
    got = tokenize(text, split="line")
    assert got == [list(s) for s in LineSentence(str(path))]
    assert [len(s) for s in got[:-1]] == [
        min(MAX_SENTENCE_TOKENS, n - i) for i in range(0, n, MAX_SENTENCE_TOKENS)
    ]


@FAST
@given(data=st.binary(max_size=200) | any_text.map(lambda t: t.encode("utf-8")))
@example(data=b"\xff\xfeh\x00i\x00")  # UTF-16 with a BOM
@example(data=b"\xef\xbb\xbfhello")  # UTF-8 with a BOM
@example(data=b"ok" * 40_000 + b"\x00")  # a NUL far from the start
def test_decode_text_returns_the_text_or_a_corpus_error(data):
    try:
        text = decode_text(data)
    except CorpusError as e:
        assert "UTF" in str(e) or "NUL" in str(e)
        assert b"\x00" in data or data[:2] in (b"\xff\xfe", b"\xfe\xff") or not _utf8(data)
        return
    assert isinstance(text, str) and "\x00" not in text
    assert text == data.decode("utf-8-sig")


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@FAST
@given(text=any_text.filter(lambda t: "\x00" not in t))
def test_utf8_text_decodes_to_itself(text):
    assert decode_text(text.encode("utf-8")) == text.removeprefix("\ufeff")


# ---- vocabulary ----------------------------------------------------------------------

words_alphabet = st.sampled_from(["the", "a", "king", "queen", "東京", "مَرْحَبًا", "x", "y", "z"])
sentence_lists = st.lists(st.lists(words_alphabet, max_size=12), min_size=1, max_size=12)


@FAST
@given(
    sentences=sentence_lists, min_count=st.integers(1, 6), max_size=st.none() | st.integers(1, 9)
)
def test_vocab_ids_follow_counts(sentences, min_count, max_size):
    tokens = flat(sentences)
    counts = Counter(tokens)
    if not tokens or max(counts.values()) < min_count:
        with pytest.raises(CorpusError):
            build_vocab(sentences, min_count=min_count, max_size=max_size)
        return
    v = build_vocab(sentences, min_count=min_count, max_size=max_size)
    first = {w: tokens.index(w) for w in counts}
    # ids by decreasing count, ties by first appearance
    assert list(v.words) == sorted(v.words, key=lambda w: (-counts[w], first[w]))
    assert v.counts.tolist() == [counts[w] for w in v.words]
    assert (np.diff(v.counts) <= 0).all()
    assert (v.counts >= min_count).all()
    assert max_size is None or len(v) <= max_size
    # kept + dropped = every distinct word and every token
    assert set(v.words) | {w for w, _ in v.dropped} == set(counts)
    assert v.n_tokens + sum(c for _, c in v.dropped) == len(tokens)
    assert v.n_tokens == sum(counts[w] for w in v.words)
    if max_size is None:
        assert all(c < min_count for _, c in v.dropped)
    # index, one-hot and encode agree
    eye = np.eye(len(v))
    for i, w in enumerate(v.words):
        assert v.id(w) == i and w in v
        np.testing.assert_array_equal(v.one_hot(w), eye[i])
    for s, ids in zip(sentences, v.encode(sentences), strict=True):
        assert [v.words[i] for i in ids] == [w for w in s if w in v]


@FAST
@given(
    counts=st.lists(st.integers(1, 10**6), min_size=1, max_size=20),
    alpha=st.floats(0, 100),
    sample=st.sampled_from([0.0, 1e-5, 1e-3, 0.1, 0.9]),
)
def test_noise_and_keep_probabilities_are_distributions(counts, alpha, sample):
    counts = sorted(counts, reverse=True)
    v = build_vocab([[f"w{i}"] * c for i, c in enumerate(counts)])
    p = v.noise_probs(alpha)
    assert np.isfinite(p).all() and (p >= 0).all()
    assert p.sum() == pytest.approx(1.0)
    assert (np.diff(p) <= 1e-15).all()  # a more frequent word is never less likely
    if alpha == 0:
        np.testing.assert_allclose(p, 1 / len(v))
    keep = v.keep_probs(sample)
    assert np.isfinite(keep).all() and ((keep > 0) & (keep <= 1)).all()
    assert (np.diff(keep) >= -1e-12).all()  # frequent words are kept less often


def test_bad_distribution_settings_are_config_errors():
    v = build_vocab([["a", "b", "a"]])
    for bad in (float("nan"), float("inf"), -1.0):
        with pytest.raises(ConfigError):
            v.noise_probs(bad)
        with pytest.raises(ConfigError):
            v.keep_probs(bad)


# ---- pairs ---------------------------------------------------------------------------

id_sentences = st.lists(st.lists(st.integers(0, 6), max_size=9), min_size=1, max_size=8).filter(
    lambda ss: any(ss)
)


def corpus_of(id_lists) -> Corpus:
    return Corpus.from_encoded([np.array(s, dtype=np.int32) for s in id_lists])


def brute_pairs(id_lists, window):
    """Every (target token, context token) in reading order, by two plain loops."""
    out, start = [], 0
    for s in id_lists:
        for t in range(len(s)):
            for o in [*range(-window, 0), *range(1, window + 1)]:
                if 0 <= t + o < len(s):
                    out.append((start + t, start + t + o))
        start += len(s)
    return out


@FAST
@given(id_lists=id_sentences, window=st.integers(1, 12))
def test_static_pairs_are_exactly_the_windows(id_lists, window):
    c = corpus_of(id_lists)
    p = skipgram_pairs(c, window)
    expected = brute_pairs(id_lists, window)
    assert len(p) == pair_count(c, window) == len(expected)
    assert list(zip(p.token.tolist(), p.context_token.tolist(), strict=True)) == expected
    np.testing.assert_array_equal(p.target, c.ids[p.token])
    np.testing.assert_array_equal(p.context, c.ids[p.context_token])
    assert (c.sentence[p.token] == c.sentence[p.context_token]).all()


@FAST
@given(id_lists=id_sentences, window=st.integers(1, 6), seed=st.integers(0, 2**32 - 1))
def test_dynamic_and_subsampled_pairs_are_a_subset(id_lists, window, seed):
    c = corpus_of(id_lists)
    static = set(brute_pairs(id_lists, window))
    rng = np.random.default_rng(seed)
    p = skipgram_pairs(c, window, dynamic=True, rng=rng)
    assert set(zip(p.token.tolist(), p.context_token.tolist(), strict=True)) <= static
    assert len(p) <= pair_count(c, window)
    # a word kept with probability 0 never shows up; probability 1 changes nothing
    keep = rng.random(7).round()  # (V,) zeros and ones
    q = skipgram_pairs(c, window, keep_probs=keep, rng=np.random.default_rng(seed))
    assert (keep[q.target] == 1).all() and (keep[q.context] == 1).all()
    ones = skipgram_pairs(c, window, keep_probs=np.ones(7), rng=np.random.default_rng(seed))
    np.testing.assert_array_equal(ones.token, skipgram_pairs(c, window).token)


@FAST
@given(id_lists=id_sentences, window=st.integers(1, 12))
def test_cbow_examples_hold_the_same_contexts_as_skipgram(id_lists, window):
    c = corpus_of(id_lists)
    sg = skipgram_pairs(c, window)
    cb = cbow_examples(c, window)
    assert cb.contexts.shape[1] <= 2 * window
    assert (cb.contexts >= 0).sum() == len(sg)
    assert np.unique(cb.token).size == len(cb)  # one example per target token
    for i in range(len(cb)):
        got = sorted(cb.context_tokens[i][cb.context_tokens[i] >= 0].tolist())
        assert got == sorted(sg.context_token[sg.token == cb.token[i]].tolist())
        np.testing.assert_array_equal(
            cb.contexts[i][cb.contexts[i] >= 0], c.ids[cb.context_tokens[i][cb.contexts[i] >= 0]]
        )


@FEW
@given(id_lists=id_sentences, huge=st.sampled_from([10**6, 10**9, 2**62]))
def test_a_huge_window_is_the_whole_sentence_and_stays_small(id_lists, huge):
    c = corpus_of(id_lists)
    whole = max(c.longest_sentence - 1, 1)
    assert pair_count(c, huge) == pair_count(c, whole) == len(skipgram_pairs(c, huge))
    cb = cbow_examples(c, huge)
    assert cb.contexts.shape[1] <= 2 * whole  # memory bounded by the sentence, not the window
    V = int(c.ids.max()) + 1
    assert (cooccurrence(c, V, huge) != cooccurrence(c, V, whole)).nnz == 0


# ---- co-occurrence -------------------------------------------------------------------


@FAST
@given(id_lists=id_sentences, window=st.integers(1, 12), dim=st.integers(1, 10))
def test_cooccurrence_is_the_symmetric_histogram_of_pairs(id_lists, window, dim):
    c = corpus_of(id_lists)
    V = int(c.ids.max()) + 1
    p = skipgram_pairs(c, window)
    H = np.zeros((V, V))  # (V, V)
    np.add.at(H, (p.target, p.context), 1)
    C = cooccurrence(c, V, window)
    np.testing.assert_array_equal(C.toarray(), H)
    assert (C != C.T).nnz == 0
    assert C.sum() == pair_count(c, window)
    Ch = cooccurrence(c, V, window, weighting="harmonic").toarray()  # (V, V)
    np.testing.assert_allclose(Ch, Ch.T)
    assert (Ch <= H + 1e-12).all() and ((Ch > 0) == (H > 0)).all()
    P = ppmi(C).toarray()  # (V, V)
    assert np.isfinite(P).all() and (P >= 0).all()
    np.testing.assert_allclose(P, P.T, atol=1e-12)
    assert not (P[H == 0]).any()  # PPMI is zero where words never met
    E = svd_embeddings(ppmi(C), dim)  # (V, k)
    assert E.shape == (V, min(dim, V - 1) if V > 1 else 1)
    assert np.isfinite(E).all()


def test_cooccurrence_refuses_a_vocabulary_smaller_than_the_ids():
    with pytest.raises(ConfigError, match="V is only"):
        cooccurrence(corpus_of([[0, 5, 1]]), 3, 2)


# ---- word vector files ---------------------------------------------------------------

# Unicode words of every script, emoji and controls; no white space (word2vec text).
unicode_word = st.text(st.characters(exclude_categories=("Cs", "Zs", "Zl", "Zp")), min_size=1,
                       max_size=8).filter(lambda w: not any(ch.isspace() for ch in w))  # fmt: skip
tsv_word = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\t\n\r"),
                   min_size=1, max_size=8)  # fmt: skip
finite32 = st.floats(width=32, allow_nan=False, allow_infinity=False)


def vectors(data, V: int) -> np.ndarray:
    d = data.draw(st.integers(1, 4), label="d")
    values = data.draw(st.lists(finite32, min_size=V * d, max_size=V * d), label="values")
    return np.array(values, dtype=np.float32).reshape(V, d)  # (V, d)


@FAST
@given(words=st.lists(unicode_word, min_size=1, max_size=6, unique=True), data=st.data())
@example(words=["東京", "مَرْحَبًا", "🙂", "e\u0301", "\x00a", "a\x1b"], data=None)
def test_word2vec_text_round_trip_keeps_unicode_words_and_float32(words, data):
    W = vectors(data, len(words)) if data is not None else np.eye(len(words), dtype=np.float32)
    got_words, got_W = load_word2vec_text(to_word2vec_text(words, W).encode("utf-8"))
    assert got_words == words
    assert got_W.dtype == np.float32
    np.testing.assert_array_equal(got_W, W)  # 9 significant digits: exact for float32


@FEW
@given(
    good=st.lists(unicode_word, min_size=1, max_size=3, unique=True),
    bad=st.text(min_size=1, max_size=4).map(lambda w: w + st_space(w)),
)
def test_word2vec_text_refuses_words_with_white_space(good, bad):
    assume(bad not in good)
    words = [*good, bad]
    with pytest.raises(W2VError, match="white space"):
        to_word2vec_text(words, np.zeros((len(words), 2), dtype=np.float32))


def st_space(w: str) -> str:
    """A white-space character chosen from the word (so hypothesis shrinks it)."""
    spaces = " \t\n\r\x0b\x0c\x1c\x85\u2028\u3000"
    return spaces[len(w) % len(spaces)]


@FAST
@given(words=st.lists(tsv_word, min_size=1, max_size=6, unique=True), data=st.data())
@example(words=[" ", "two words", "東京 🙂", "\u2028x", "\x85"], data=None)
@example(words=["\x85"], data=None)  # a metadata file of white space alone still has a word
@example(words=[" "], data=None)
def test_projector_tsv_round_trip_keeps_words_with_spaces(words, data):
    W = vectors(data, len(words)) if data is not None else np.ones((len(words), 3), np.float32)
    vec, meta = to_projector_tsv(words, W)
    got_words, got_W = load_projector_tsv(vec.encode("utf-8"), meta.encode("utf-8"))
    assert got_words == words
    np.testing.assert_array_equal(got_W, W)


@pytest.mark.parametrize("bad", ["a\tb", "line\nbreak", "cr\r"])
def test_projector_tsv_refuses_tabs_and_line_breaks(bad):
    with pytest.raises(W2VError, match="tab or line break"):
        to_projector_tsv(["ok", bad], np.zeros((2, 2), dtype=np.float32))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False,
    allow_infinity=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=8,
)  # fmt: skip


@FAST
@given(
    words=st.lists(st.text(max_size=6), min_size=1, max_size=6, unique=True),
    meta=st.dictionaries(st.text(max_size=8), json_values, max_size=4),
    data=st.data(),
)
def test_npz_round_trip_keeps_words_vectors_and_meta(words, meta, data):
    W = vectors(data, len(words))
    buf = io.BytesIO()
    if any(w.endswith("\x00") for w in words):
        with pytest.raises(W2VError, match="NUL"):
            save_model_npz(buf, {"words": words, "W_in": W}, meta)
        return
    save_model_npz(buf, {"words": words, "W_in": W}, meta)
    arrays, got_meta = load_model_npz(buf.getvalue())
    assert arrays["words"].tolist() == words
    assert arrays["W_in"].dtype == np.float32
    np.testing.assert_array_equal(arrays["W_in"], W)
    assert got_meta == json.loads(json.dumps(meta))


def _valid_files() -> dict[str, bytes]:
    words, W = ["the", "東京", "🙂"], np.arange(6, dtype=np.float32).reshape(3, 2)  # (3, 2)
    vec, meta = to_projector_tsv(words, W)
    buf = io.BytesIO()
    save_model_npz(buf, {"words": words, "W_in": W}, {"dim": 2})
    return {
        "w2v": to_word2vec_text(words, W).encode(),
        "vec": vec.encode(),
        "meta": meta.encode(),
        "npz": buf.getvalue(),
    }


VALID = _valid_files()


@st.composite
def damaged(draw, name: str) -> bytes:
    """A valid file with a few bytes changed, cut, or inserted; or random bytes."""
    data = bytearray(VALID[name])
    if draw(st.booleans()):
        return draw(st.binary(max_size=300))
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, max(len(data) - 1, 0)))
        how = draw(st.sampled_from(["flip", "cut", "insert"]))
        if how == "flip" and data:
            data[i] = draw(st.integers(0, 255))
        elif how == "cut":
            del data[i:]
        else:
            data[i:i] = draw(st.binary(min_size=1, max_size=8))
    return bytes(data)


def must_load_or_refuse(load, *args) -> None:
    try:
        load(*args)
    except VectorsFormatError as e:
        assert str(e)  # a message for a person
    except W2VError as e:  # allowed too: still a message, not a traceback
        assert str(e)


@FAST
@given(data=damaged("w2v"))
@example(data=b"1 1\nw 1e39\n")  # too large for float32
@example(data=b"99999999999999999999 1\nw 1\n")
@example(data=b"1 3\nw 1 2\n")
def test_arbitrary_bytes_to_word2vec_loader_raise_format_errors(data):
    must_load_or_refuse(load_word2vec_text, data)


@FAST
@given(vec=damaged("vec"), meta=damaged("meta"))
def test_arbitrary_bytes_to_projector_loader_raise_format_errors(vec, meta):
    must_load_or_refuse(load_projector_tsv, vec, meta)


@FAST
@given(data=damaged("npz"))
def test_arbitrary_bytes_to_npz_loader_raise_format_errors(data):
    must_load_or_refuse(load_model_npz, data)
    must_load_or_refuse(load_model_npz, data, 10_000)


@pytest.mark.parametrize(
    "offset, value",
    [(10, 1), (8, 1)],  # compression method 1 ("shrink": unsupported); flag bit 0: encrypted
    ids=["unknown-compression", "encrypted"],
)
def test_npz_members_zipfile_cannot_read_raise_format_errors(offset, value):
    data = bytearray(VALID["npz"])
    for at in [i for i in range(len(data)) if data[i : i + 4] == b"PK\x01\x02"]:  # directory
        data[at + offset] = value
    with pytest.raises(VectorsFormatError, match="cannot be read"):
        load_model_npz(bytes(data))


@FEW
@given(member=st.binary(max_size=200), name=st.sampled_from(["W_in.npy", "__meta__.npy", "x"]))
def test_zip_archives_with_arbitrary_members_raise_format_errors(member, name):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(name, member)
    must_load_or_refuse(load_model_npz, buf.getvalue())
