"""Streaming: whole epochs trained one chunk at a time give the materialised epochs' model.

Also: corpus chunks, ``prepare_encoded``, the file reader of the command line and
backend "auto". Memory itself is measured by ``benchmarks/bench_scale.py memory``, not here.
"""

import numpy as np
import pytest

from w2v_core import cli, fast, textfile, trainer
from w2v_core.config import W2VConfig, resolve_backend
from w2v_core.errors import ConfigError, CorpusError, TrainingDiverged
from w2v_core.generated import generate_corpus
from w2v_core.pairs import Corpus, FlatCorpus, skipgram_pairs
from w2v_core.tokenize import decode_text, tokenize
from w2v_core.trainer import Trainer, epoch_generators
from w2v_core.vocab import build_vocab

NUMBA = pytest.mark.skipif(not fast.available(), reason="numba not installed")


@pytest.fixture(scope="module")
def sentences():
    gen = generate_corpus(6_000, seed=3)
    text = gen.text if isinstance(gen.text, str) else "\n".join(gen.text)
    sents = tokenize(text, split="line")
    # a few long lines too, so that pieces hold one sentence or many
    return sents + [sum(sents[i : i + 40], []) for i in range(0, 400, 40)]


def _small_chunks(monkeypatch, chunk=3_000, tokens=700):
    monkeypatch.setattr(trainer, "CHUNK", chunk)
    monkeypatch.setattr(trainer, "STREAM_TOKENS", tokens)


def _materialised(cfg, sentences):
    """All epochs through the materialised path: ``advance(n)`` draws whole epochs."""
    tr = Trainer(cfg).prepare(sentences)
    while not tr.done:
        tr.advance(10**9)
    return tr


def _assert_same_model(a: Trainer, b: Trainer):
    np.testing.assert_array_equal(a.W_in_, b.W_in_)
    np.testing.assert_array_equal(a.W_out_, b.W_out_)
    assert a.examples_seen_ == b.examples_seen_
    assert a.history_.epoch_loss == b.history_.epoch_loss


CASES = [
    ("skipgram", "negative", "numpy"),
    ("cbow", "negative", "numpy"),
    ("skipgram", "hs", "numpy"),
    ("cbow", "softmax", "numpy"),
    pytest.param("skipgram", "negative", "numba", marks=NUMBA),
    pytest.param("cbow", "negative", "numba", marks=NUMBA),
]


@pytest.mark.parametrize("model,loss,backend", CASES)
def test_streamed_epochs_equal_the_materialised_ones(monkeypatch, sentences, model, loss, backend):
    _small_chunks(monkeypatch)  # many chunks, examples carried over between pieces
    cfg = W2VConfig(
        model=model, loss=loss, backend=backend, dim=12, epochs=3, min_count=2, batch_size=128
    )
    streamed = Trainer(cfg).fit(sentences)
    assert streamed._examples is None  # nothing was materialised
    _assert_same_model(streamed, _materialised(cfg, sentences))


def test_streamed_result_does_not_depend_on_the_piece_size(monkeypatch, sentences):
    cfg = W2VConfig(dim=10, epochs=2, min_count=2, batch_size=100)
    _small_chunks(monkeypatch, tokens=37)  # most pieces are a sentence or two
    a = Trainer(cfg).fit(sentences)
    _small_chunks(monkeypatch, tokens=10**7)  # one piece: the whole corpus
    _assert_same_model(a, Trainer(cfg).fit(sentences))


def test_chunked_draws_equal_one_draw():
    """What streaming relies on: a generator's draws do not depend on how they are split."""
    a = epoch_generators(5, 2)
    b = epoch_generators(5, 2)
    whole = [a[0].random(1000), a[1].integers(1, 6, size=1000), a[2].random((100, 5))]
    parts = [
        np.concatenate([b[0].random(n) for n in (1, 499, 500)]),
        np.concatenate([b[1].integers(1, 6, size=n) for n in (3, 997)]),
        np.concatenate([b[2].random((n, 5)) for n in (60, 40)]),
    ]
    for w, p in zip(whole, parts, strict=True):
        np.testing.assert_array_equal(w, p)


def test_an_epoch_begun_step_by_step_continues_materialised(monkeypatch, sentences):
    _small_chunks(monkeypatch)
    cfg = W2VConfig(dim=8, epochs=2, min_count=2, batch_size=64)
    a = Trainer(cfg).prepare(sentences)
    for _ in range(3):
        a.step()
    a.advance(epochs=2)  # the rest of epoch 1 materialised, epoch 2 streamed
    b = Trainer(cfg).prepare(sentences)
    for _ in range(3):
        b.step()
    while not b.done:
        b.advance(10**9)
    _assert_same_model(a, b)
    # the live trainer's view of the next epoch is still there after streaming
    c = Trainer(cfg.replace(epochs=3)).prepare(sentences)
    c.advance(epochs=1)
    assert c.examples is not None and len(c.examples) > 0 and c.cursor_ == 0


def test_streaming_calls_back_after_each_chunk(monkeypatch, sentences):
    _small_chunks(monkeypatch)
    seen = []
    tr = Trainer(W2VConfig(dim=8, epochs=2, min_count=2)).prepare(sentences)
    tr.advance(epochs=2, callback=lambda t, loss: seen.append((t.progress, t.epoch_, loss)))
    progress = [p for p, _, _ in seen]
    assert len(seen) > 4 and progress == sorted(progress) and 0 < progress[0] < progress[-1] <= 1
    assert all(np.isfinite(loss) for _, _, loss in seen)


def test_a_diverging_stream_rolls_back(monkeypatch, sentences):
    _small_chunks(monkeypatch)
    tr = Trainer(W2VConfig(dim=8, epochs=2, min_count=2, alpha=100)).prepare(sentences)
    W = tr.W_in_.copy()
    with pytest.raises(TrainingDiverged):
        tr.advance(epochs=2)
    assert tr.epoch_ == 0 and tr.cursor_ == 0 and tr.examples_seen_ == 0 and tr.progress == 0
    np.testing.assert_array_equal(tr.W_in_, W)


# ---- corpus chunks


def test_corpus_chunks_cut_between_sentences_and_cover_the_corpus(sentences):
    vocab = build_vocab(sentences, 2)
    corpus = Corpus.from_encoded(vocab.encode(sentences))
    flat = FlatCorpus(ids=corpus.ids, lengths=corpus.lengths)
    for source in (corpus, flat):
        for tokens in (1, 50, 700, 10**9):
            pieces = list(source.chunks(tokens))
            offsets = [o for o, _ in pieces]
            assert offsets == sorted(offsets) and offsets[0] == 0
            whole = Corpus(*(np.concatenate([getattr(p, f) for _, p in pieces]) for f in
                             ("ids", "sentence", "position")))  # fmt: skip
            for f in ("ids", "sentence", "position"):
                np.testing.assert_array_equal(getattr(whole, f), getattr(corpus, f))
            for o, p in pieces:  # each piece starts a sentence
                assert p.position[0] == 0 and len(p) >= 1
                assert o + len(p) <= len(corpus)
    np.testing.assert_array_equal(flat.to_corpus().position, corpus.position)
    assert flat.longest_sentence == corpus.longest_sentence


def test_pieces_give_the_pairs_of_the_whole_corpus(sentences):
    vocab = build_vocab(sentences, 2)
    corpus = Corpus.from_encoded(vocab.encode(sentences))
    keep = vocab.keep_probs(1e-2)
    whole = skipgram_pairs(corpus, 4, dynamic=True, keep_probs=keep, rng=np.random.default_rng(1),
                           window_rng=np.random.default_rng(2))  # fmt: skip
    r1, r2 = np.random.default_rng(1), np.random.default_rng(2)
    parts = [skipgram_pairs(p, 4, dynamic=True, keep_probs=keep, rng=r1, window_rng=r2)
             for _, p in corpus.chunks(123)]  # fmt: skip
    offsets = [o for o, _ in corpus.chunks(123)]
    np.testing.assert_array_equal(np.concatenate([p.context for p in parts]), whole.context)
    tokens = np.concatenate([p.token + o for p, o in zip(parts, offsets, strict=True)])
    np.testing.assert_array_equal(tokens, whole.token)


# ---- prepare_encoded (the lesson's vocabulary and corpus)


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_prepare_encoded_equals_prepare(sentences, model):
    cfg = W2VConfig(model=model, dim=10, epochs=2, min_count=2, seed=4)
    vocab = build_vocab(sentences, cfg.min_count, cfg.max_vocab)
    corpus = Corpus.from_encoded(vocab.encode(sentences))
    a = Trainer(cfg).prepare(sentences)
    b = Trainer(cfg).prepare_encoded(vocab, corpus)
    np.testing.assert_array_equal(a.W_in_, b.W_in_)
    assert b.corpus_ is corpus and b.vocab_ is vocab
    np.testing.assert_array_equal(a.examples.target, b.examples.target)
    a.step()
    b.step()
    a.advance(epochs=2)
    b.advance(epochs=2)
    _assert_same_model(a, b)
    flat = FlatCorpus(ids=corpus.ids, lengths=corpus.lengths)  # the command line's form
    c = Trainer(cfg).prepare_encoded(vocab, flat)
    c.advance(epochs=2)
    _assert_same_model(Trainer(cfg).fit(sentences), c)


def test_prepare_encoded_trains_a_flat_corpus_like_a_corpus(sentences):
    cfg = W2VConfig(dim=10, epochs=2, min_count=2)
    vocab = build_vocab(sentences, 2)
    corpus = Corpus.from_encoded(vocab.encode(sentences))
    a = Trainer(cfg).prepare_encoded(vocab, corpus)
    b = Trainer(cfg).prepare_encoded(vocab, FlatCorpus(ids=corpus.ids, lengths=corpus.lengths))
    a.advance(epochs=2)
    b.advance(epochs=2)
    _assert_same_model(a, b)
    c = Trainer(cfg).prepare_encoded(vocab, FlatCorpus(ids=corpus.ids, lengths=corpus.lengths))
    c.step()  # the live path materialises the flat corpus
    assert c.examples_seen_ == 1


def test_prepare_encoded_refuses_ids_outside_the_vocabulary(sentences):
    vocab = build_vocab(sentences, 2)
    bad = Corpus.from_encoded([np.array([0, 1, len(vocab)])])
    with pytest.raises(CorpusError, match="outside the vocabulary"):
        Trainer(W2VConfig()).prepare_encoded(vocab, bad)


# ---- backend "auto"


def test_backend_auto_resolves_in_one_place():
    assert resolve_backend("numpy") == "numpy" and resolve_backend("numba") == "numba"
    assert resolve_backend("auto") == ("numba" if fast.available() else "numpy")
    W2VConfig(backend="auto").validate()
    with pytest.raises(ConfigError):
        W2VConfig(backend="gpu").validate()


def test_backend_auto_trains_like_the_backend_it_picks(sentences):
    cfg = W2VConfig(dim=8, epochs=1, min_count=2, dtype="float64")
    auto = Trainer(cfg.replace(backend="auto")).fit(sentences)
    assert auto.backend_ == resolve_backend("auto")
    _assert_same_model(auto, Trainer(cfg.replace(backend=auto.backend_)).fit(sentences))


def test_cli_defaults_to_auto_and_says_so_first(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cli, "default_threads", lambda: 2)
    path = tmp_path / "c.txt"
    path.write_text("the king rules the land\nthe queen rules the land\n" * 40, encoding="utf-8")
    assert cli.main(["train", str(path), "--min-count", "1", "--epochs", "1", "--quiet"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    if fast.available():
        assert first == "backend: numba (auto: numba imports), 2 threads"
    else:
        assert first == "backend: numpy (auto: numba is not installed)"
    assert cli.main(["train", str(path), "--min-count", "1", "--epochs", "1", "--quiet",
                     "--backend", "numpy"]) == 0  # fmt: skip
    assert capsys.readouterr().out.splitlines()[0] == "backend: numpy"


# ---- the command line's file reader


TEXTS = {
    "lines": "the cat sat\n\nthe dog sat on the mat\r\nthe cat ran\n" * 30,
    "prose": "The cat sat. The dog ran! Did it?\nA café, naïve — don’t stop.\n" * 25,
    "bom": "\ufeffthe cat sat\nthe dog sat\u2028the cat\n" * 20 + "no final break",
    "long line": " ".join([f"w{i % 50}" for i in range(12_000)]) + "\nshort one\n",
}


@pytest.mark.parametrize("name", list(TEXTS))
@pytest.mark.parametrize("split", ["auto", "line", "sentence"])
def test_read_encoded_equals_tokenize_build_vocab_encode(tmp_path, name, split):
    path = tmp_path / "corpus.txt"
    path.write_bytes(TEXTS[name].encode("utf-8"))
    sentences = tokenize(decode_text(path.read_bytes()), split=split)
    vocab = build_vocab(sentences, 2)
    corpus = Corpus.from_encoded(vocab.encode(sentences))
    for block in (16, 100, 1 << 20):  # blocks of a line or two, and the whole file at once
        v, flat, n_raw = textfile.read_encoded(path, split, min_count=2, block_bytes=block)
        assert v.words == vocab.words and v.dropped == vocab.dropped
        np.testing.assert_array_equal(v.counts, vocab.counts)
        np.testing.assert_array_equal(flat.ids, corpus.ids)
        np.testing.assert_array_equal(flat.to_corpus().sentence, corpus.sentence)
        assert n_raw == sum(map(len, sentences))


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfeh\x00i\x00",
        b"fine\nfine\n\x00bad\n",
        b"fine\n" * 50 + b"caf\xe9\n",
        b"",
        b"\n \n",
    ],
)
def test_read_encoded_refuses_what_decode_text_refuses_with_its_message(tmp_path, data):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(CorpusError) as expected:
        build_vocab(tokenize(decode_text(data)))
    with pytest.raises(CorpusError) as got:
        textfile.read_encoded(path, block_bytes=32)
    assert str(got.value) == str(expected.value)


def test_an_epoch_left_empty_by_subsampling_is_skipped_step_by_step():
    sentences = [["red", "green", "blue"]]  # one sentence of three words (test_hostile)
    cfg = W2VConfig(dim=4, min_count=1, sample=0.1, epochs=40)
    tr = Trainer(cfg).prepare(sentences)
    sizes = []
    while not tr.done:
        sizes.append(len(tr.examples))
        tr.advance(epochs=1)
    assert 0 in sizes, "no epoch of this corpus was empty: the test needs other settings"
    tr = Trainer(cfg).prepare(sentences)
    while not tr.done:
        try:
            tr.step()
        except CorpusError:  # the last epochs were empty
            assert tr.done
    assert tr.examples_seen_ > 0 and tr.epoch_ == cfg.epochs


def test_advance_in_place_trains_the_same_model_without_a_copy(sentences):
    cfg = W2VConfig(dim=8, epochs=2, min_count=2)
    a = Trainer(cfg).prepare(sentences)
    theta = a._theta
    a.advance(epochs=2, copy=False)
    assert a._theta is theta and np.shares_memory(a.W_in_, theta)  # trained where it was
    _assert_same_model(a, Trainer(cfg).fit(sentences))


def test_in_place_divergence_still_raises(sentences):
    tr = Trainer(W2VConfig(dim=8, epochs=2, min_count=2, alpha=100)).prepare(sentences)
    with pytest.raises(TrainingDiverged):
        tr.advance(epochs=2, copy=False)
    assert tr.epoch_ == 0 and tr.examples_seen_ == 0  # the counters roll back; the weights not


def test_reading_while_returning_freed_memory_reads_the_same(tmp_path, sentences):
    from w2v_core.heap import returning_freed_memory

    path = tmp_path / "c.txt"
    path.write_text("\n".join(" ".join(s) for s in sentences), encoding="utf-8")
    plain = textfile.read_encoded(path, "line", 2, block_bytes=4096)
    with returning_freed_memory():
        tidy = textfile.read_encoded(path, "line", 2, block_bytes=4096)
    assert plain[0].words == tidy[0].words and plain[2] == tidy[2]
    np.testing.assert_array_equal(plain[1].ids, tidy[1].ids)
    np.testing.assert_array_equal(plain[1].lengths, tidy[1].lengths)
