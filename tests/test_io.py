"""Tests for w2v_core.io: exact round trips, gensim compatibility, and line-named errors."""

import io
import zipfile

import numpy as np
import pytest
from gensim.models import KeyedVectors
from hypothesis import given, settings
from hypothesis import strategies as st

from w2v_core.errors import VectorsFormatError, W2VError
from w2v_core.io import (
    Limits,
    load_model_npz,
    load_projector_tsv,
    load_word2vec_text,
    npz_headers,
    save_model_npz,
    save_projector_tsv,
    save_word2vec_text,
    to_projector_tsv,
    to_word2vec_text,
)

WORDS = ["the", "café", "naïve", "東京", "x"]


def random_vectors(V: int = 5, d: int = 7, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(V, d)) * 10.0 ** rng.integers(-6, 6, size=(V, d))).astype(np.float32)


# ---- word2vec text -------------------------------------------------------------------


def test_word2vec_text_round_trip_path_and_bytes(tmp_path):
    W = random_vectors()
    path = tmp_path / "vectors.txt"
    save_word2vec_text(path, WORDS, W)
    words, W2 = load_word2vec_text(path)
    assert words == WORDS
    assert W2.dtype == np.float32
    np.testing.assert_array_equal(W2, W)  # 9 significant digits give float32 back exactly
    data = path.read_bytes()
    for source in (data, io.BytesIO(data), str(path)):
        words, W3 = load_word2vec_text(source)
        assert words == WORDS
        np.testing.assert_array_equal(W3, W)
    assert to_word2vec_text(WORDS, W) == data.decode("utf-8")
    assert data.startswith(b"5 7\nthe ")


def test_word2vec_text_to_open_files():
    W = random_vectors()
    text_buffer, byte_buffer = io.StringIO(), io.BytesIO()
    save_word2vec_text(text_buffer, WORDS, W)
    save_word2vec_text(byte_buffer, WORDS, W)
    assert text_buffer.getvalue().encode("utf-8") == byte_buffer.getvalue()


def test_word2vec_text_float64_is_stored_as_float32():
    W = np.random.default_rng(1).normal(size=(5, 3))  # float64
    words, W2 = load_word2vec_text(to_word2vec_text(WORDS, W).encode())
    np.testing.assert_array_equal(W2, W.astype(np.float32))


def test_gensim_loads_our_file(tmp_path):
    W = random_vectors()
    path = tmp_path / "ours.txt"
    save_word2vec_text(path, WORDS, W)
    kv = KeyedVectors.load_word2vec_format(str(path), binary=False)
    assert kv.index_to_key == WORDS
    np.testing.assert_array_equal(kv.vectors, W)


def test_we_load_gensims_file(tmp_path):
    W = random_vectors(V=50, d=12, seed=2)
    words = [f"word{i}" for i in range(50)]
    kv = KeyedVectors(12)
    kv.add_vectors(words, W)
    path = tmp_path / "gensim.txt"
    kv.save_word2vec_format(str(path), binary=False)
    ours_words, ours_W = load_word2vec_text(path)
    assert ours_words == words
    np.testing.assert_array_equal(ours_W, kv.vectors)


@pytest.mark.parametrize("bad", ["new york", "tab\there", "line\nbreak", "nbsp\u00a0x", ""])
def test_words_that_cannot_be_written(bad):
    with pytest.raises(W2VError):
        to_word2vec_text(["ok", bad], np.zeros((2, 3)))


def test_other_things_that_cannot_be_written():
    with pytest.raises(W2VError, match="duplicate"):
        to_word2vec_text(["a", "a"], np.zeros((2, 3)))
    with pytest.raises(W2VError, match="NaN"):
        to_word2vec_text(["a", "b"], np.array([[0.0], [np.nan]]))
    with pytest.raises(W2VError, match="rows"):
        to_word2vec_text(["a"], np.zeros((2, 3)))


@pytest.mark.parametrize(
    "text, line_no, fragment",
    [
        ("3\na 1 2\n", 1, "header"),
        ("two 2\na 1 2\n", 1, "line 1 set d = 1"),  # no header: read as GloVe
        ("2 2\na 1 2\nb 1 2 3\n", 3, "expected 2 numbers"),
        ("2 2\na 1 2\nb 1\n", 3, "expected 2 numbers"),
        ("3 2\na 1 2\nb 1 2\nc 1 zwei\n", 4, "not a number"),
        ("2 2\na 1 2\nb nan 2\n", 3, "NaN"),
        ("2 2\na 1 2\nb 1e39 2\n", 3, "too large"),
        ("2 2\na 1 2\na 3 4\n", 3, "duplicate word 'a' (already on line 2)"),
        ("1 2\na 1 2\nb 3 4\n", 3, "more rows"),
        ("2 2\n 1 2\nb 3 4\n", 2, "starts with a space"),
        (b"2 2\na 1 2\nb \xff\x00\x80 2\n", 3, "binary"),
    ],
)
def test_malformed_word2vec_text_names_the_line(text, line_no, fragment):
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    with pytest.raises(VectorsFormatError, match=f"line {line_no}") as info:
        load_word2vec_text(data)
    assert fragment in str(info.value)


def test_truncated_empty_and_oversized_word2vec_text(tmp_path):
    with pytest.raises(VectorsFormatError, match="announces 3 rows but the file has only 2"):
        load_word2vec_text(b"3 2\na 1 2\nb 1 2\n")
    for empty in (b"", b"\n  \n"):
        with pytest.raises(VectorsFormatError, match="empty"):
            load_word2vec_text(empty)
    data = to_word2vec_text(WORDS, random_vectors()).encode()
    path = tmp_path / "big.txt"
    path.write_bytes(data)
    for make_source in (lambda: data, lambda: io.BytesIO(data), lambda: path):
        with pytest.raises(VectorsFormatError, match="size limit"):
            load_word2vec_text(make_source(), max_bytes=len(data) - 1)
        assert load_word2vec_text(make_source(), max_bytes=len(data))[0] == WORDS


def test_word2vec_text_tolerates_crlf_bom_and_trailing_spaces():
    data = "\ufeff2 2\r\na 1 2 \r\n\r\nb 3 4\r\n".encode()
    words, W = load_word2vec_text(data)
    assert words == ["a", "b"]
    np.testing.assert_array_equal(W, [[1, 2], [3, 4]])


safe_words = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12
).filter(lambda w: not any(ch.isspace() for ch in w))


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(safe_words, min_size=1, max_size=6, unique=True),
    d=st.integers(1, 5),
    data=st.data(),
)
def test_round_trip_property(words, d, data):
    values = data.draw(
        st.lists(
            st.floats(width=32, allow_nan=False, allow_infinity=False),
            min_size=len(words) * d,
            max_size=len(words) * d,
        )
    )
    W = np.array(values, dtype=np.float32).reshape(len(words), d)  # (V, d)
    got_words, got_W = load_word2vec_text(to_word2vec_text(words, W).encode("utf-8"))
    assert got_words == words
    np.testing.assert_array_equal(got_W, W)
    vectors, metadata = to_projector_tsv(words, W)
    got_words, got_W = load_projector_tsv(vectors.encode(), metadata.encode())
    assert got_words == words
    np.testing.assert_array_equal(got_W, W)


# ---- projector TSV -------------------------------------------------------------------


def test_projector_tsv_round_trip(tmp_path):
    W = random_vectors()
    save_projector_tsv(tmp_path / "vectors.tsv", tmp_path / "metadata.tsv", WORDS, W)
    vectors = (tmp_path / "vectors.tsv").read_text(encoding="utf-8")
    metadata = (tmp_path / "metadata.tsv").read_text(encoding="utf-8")
    assert (vectors, metadata) == to_projector_tsv(WORDS, W)
    assert metadata == "the\ncafé\nnaïve\n東京\nx\n"  # one column, no header
    assert vectors.count("\n") == 5 and vectors.splitlines()[0].count("\t") == 6
    words, W2 = load_projector_tsv(tmp_path / "vectors.tsv", tmp_path / "metadata.tsv")
    assert words == WORDS
    np.testing.assert_array_equal(W2, W)


def test_projector_words_with_spaces_and_multi_column_metadata():
    W = np.array([[1.0, 2.0], [3.0, 4.0]])
    vectors, metadata = to_projector_tsv(["new york", "paris"], W)
    assert load_projector_tsv(vectors.encode(), metadata.encode())[0] == ["new york", "paris"]
    multi = b"word\tcount\nnew york\t3\nparis\t5\n"
    assert load_projector_tsv(vectors.encode(), multi)[0] == ["new york", "paris"]
    with pytest.raises(W2VError, match="tab"):
        to_projector_tsv(["a\tb", "c"], W)


@pytest.mark.parametrize(
    "vectors, metadata, fragment",
    [
        (b"1\t2\n3\t4\t5\n", b"a\nb\n", "vectors.tsv line 2: expected 2"),
        (b"1\t2\n3\tfour\n", b"a\nb\n", "vectors.tsv line 2: 'four' is not a number"),
        (b"1\t2\n3\tinf\n", b"a\nb\n", "vectors.tsv line 2: a value is NaN"),
        (b"1\t2\n\n3\t4\n", b"a\nb\nc\n", "vectors.tsv line 2: empty line"),
        (b"1\t2\n3\t4\n", b"a\nb\nc\n", "has 2 rows but metadata.tsv has 3 words"),
        (b"1\t2\n3\t4\n", b"a\na\n", "metadata.tsv line 2: duplicate word 'a'"),
        (b"1\t2\n3\t4\n5\t6\n", b"a\n\nb\n", "metadata.tsv line 2: empty word"),
        (b"", b"a\n", "vectors.tsv is empty"),
    ],
)
def test_malformed_projector_tsv(vectors, metadata, fragment):
    with pytest.raises(VectorsFormatError) as info:
        load_projector_tsv(vectors, metadata)
    assert fragment in str(info.value)


def test_projector_errors_use_the_file_name(tmp_path):
    (tmp_path / "v.tsv").write_text("1\t2\n3\tx\n", encoding="utf-8")
    (tmp_path / "m.tsv").write_text("a\nb\n", encoding="utf-8")
    with pytest.raises(VectorsFormatError, match="v.tsv line 2"):
        load_projector_tsv(tmp_path / "v.tsv", tmp_path / "m.tsv")


# ---- npz models ----------------------------------------------------------------------


def model_arrays() -> dict:
    return {
        "W_in": random_vectors(),
        "W_out": random_vectors(seed=1).astype(np.float64),
        "counts": np.array([50, 20, 9, 3, 1], dtype=np.int64),
        "words": WORDS,  # a plain list: must be stored as unicode, not objects
    }


def test_npz_round_trip_path_and_bytes(tmp_path):
    meta = {"model": "sgns", "window": np.int64(5), "lr": np.float32(0.025), "loss": [1.5, 1.2]}
    path = tmp_path / "model"  # no suffix: numpy must not add ".npz"
    save_model_npz(path, model_arrays(), meta)
    assert path.exists() and not (tmp_path / "model.npz").exists()
    buffer = io.BytesIO()
    save_model_npz(buffer, model_arrays(), meta)
    for source in (path, str(path), path.read_bytes(), io.BytesIO(buffer.getvalue())):
        arrays, got_meta = load_model_npz(source)
        assert set(arrays) == {"W_in", "W_out", "counts", "words"}
        for name, expected in model_arrays().items():
            np.testing.assert_array_equal(arrays[name], expected)
        assert arrays["W_in"].dtype == np.float32 and arrays["W_out"].dtype == np.float64
        assert arrays["words"].dtype.kind == "U"
        assert arrays["words"].tolist() == WORDS
        assert got_meta == {
            "model": "sgns",
            "window": 5,
            "lr": pytest.approx(0.025),
            "loss": [1.5, 1.2],
        }
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == sorted(
            ["W_in.npy", "W_out.npy", "counts.npy", "words.npy", "__meta__.npy"]
        )


def test_npz_never_unpickles(monkeypatch):
    buffer = io.BytesIO()
    np.savez(buffer, W=np.zeros((2, 2)), evil=np.array([{"run": "code"}], dtype=object))
    with pytest.raises(VectorsFormatError, match="'evil' holds pickled Python objects"):
        load_model_npz(buffer.getvalue())

    seen = []
    real_load = np.load

    def spy(*args, **kwargs):
        seen.append(kwargs.get("allow_pickle"))
        return real_load(*args, **kwargs)

    monkeypatch.setattr(np, "load", spy)
    good = io.BytesIO()
    save_model_npz(good, model_arrays(), {})
    load_model_npz(good.getvalue())
    assert seen and all(flag is False for flag in seen)


def test_npz_refuses_objects_on_save():
    with pytest.raises(W2VError, match="Python objects"):
        save_model_npz(io.BytesIO(), {"x": np.array([1, "a", None], dtype=object)}, {})
    with pytest.raises(W2VError, match="JSON"):
        save_model_npz(io.BytesIO(), {}, {"f": lambda: 0})
    with pytest.raises(W2VError, match="reserved"):
        save_model_npz(io.BytesIO(), {"__meta__": np.zeros(1)}, {})


def test_corrupt_and_foreign_npz():
    buffer = io.BytesIO()
    save_model_npz(buffer, model_arrays(), {"a": 1})
    data = buffer.getvalue()
    with pytest.raises(VectorsFormatError, match="damaged"):
        load_model_npz(data[: len(data) // 2])
    with pytest.raises(VectorsFormatError, match="not a model file"):
        load_model_npz(b"2 2\na 1 2\n")
    npy = io.BytesIO()
    np.save(npy, np.zeros(3))
    with pytest.raises(VectorsFormatError, match="not a model file"):
        load_model_npz(npy.getvalue())
    foreign = io.BytesIO()
    with zipfile.ZipFile(foreign, "w") as zf:
        zf.writestr("notes.txt", "hello")
    with pytest.raises(VectorsFormatError, match="not a numpy array"):
        load_model_npz(foreign.getvalue())
    with pytest.raises(VectorsFormatError, match="size limit"):
        load_model_npz(data, max_bytes=100)


def test_npz_zip_bomb_is_refused():
    buffer = io.BytesIO()
    save_model_npz(buffer, {"zeros": np.zeros((1000, 1000))}, {})  # 8 MB that packs to ~8 kB
    data = buffer.getvalue()
    assert len(data) < 100_000
    with pytest.raises(VectorsFormatError, match="unpack"):
        load_model_npz(data, max_bytes=100_000)
    arrays, meta = load_model_npz(data)
    assert arrays["zeros"].shape == (1000, 1000) and meta == {}


# ---- formats found in the wild, and sizes checked before allocating ---------------------


def test_glove_text_without_a_header_is_read_with_a_note():
    notes: list[str] = []
    words, W = load_word2vec_text(b"the 0.1 0.2 0.3\ncat 1 2 3\n\ndog -1 0 1e-3\n", notes=notes)
    assert words == ["the", "cat", "dog"] and W.shape == (3, 3)
    assert notes and "no 'V d' header" in notes[0]
    with pytest.raises(VectorsFormatError, match="line 2.*line 1 set d = 3"):
        load_word2vec_text(b"the 0.1 0.2 0.3\ncat 1 2\n")


def test_a_bad_utf8_byte_in_a_word_is_replaced_not_called_binary():
    """fastText's .vec files hold a few words cut inside a UTF-8 sequence."""
    notes: list[str] = []
    words, _ = load_word2vec_text(b"3 1\na 1\nb\xe2\x82 2\nc 3\n", notes=notes)
    assert words == ["a", "b\ufffd", "c"]
    assert notes and "line 3" in notes[0] and "not UTF-8" in notes[0]
    with pytest.raises(VectorsFormatError, match="binary"):
        load_word2vec_text(b"2 2\nab \x00\x00\x80?\x00\x00\x00@\ncd \x00\x00\x80?\x00\x00")


@pytest.mark.parametrize(
    "data, fragment",
    [
        (b"3 5000\na 1\n", "5,000 dimensions per word"),
        (b"100000 10\na 1\n", "100,000 words"),
        (b"1000 1000\na 1\n", "1,000,000 numbers"),
        (b"a " + b"1 " * 5000 + b"\n", "5,000 dimensions per word"),  # no header: first line
    ],
)
def test_limits_refuse_what_a_header_announces_before_allocating(data, fragment):
    limits = Limits(max_words=10_000, max_dim=1_000, max_cells=100_000)
    with pytest.raises(VectorsFormatError, match=fragment):
        load_word2vec_text(data, limits=limits)


def test_projector_and_npz_limits():
    limits = Limits(max_words=10, max_dim=3, max_cells=20)
    with pytest.raises(VectorsFormatError, match="4 dimensions"):
        load_projector_tsv(b"1\t2\t3\t4\n", b"a\n", limits=limits)
    with pytest.raises(VectorsFormatError, match="11 words"):
        load_projector_tsv(b"1\n" * 11, b"a\n" * 11, limits=limits)
    buffer = io.BytesIO()
    save_model_npz(buffer, {"W_in": np.zeros((10, 3)), "words": [str(i) for i in range(10)]}, {})
    headers = npz_headers(buffer.getvalue())
    assert headers["W_in"][0] == (10, 3) and headers["words"][1].kind == "U"
    with pytest.raises(VectorsFormatError, match="per array"):  # W_in: 240 bytes > 16
        load_model_npz(buffer.getvalue(), limits=Limits(max_words=0, max_cells=4))
    arrays, _ = load_model_npz(buffer.getvalue(), names=("words",))
    assert set(arrays) == {"words"}
