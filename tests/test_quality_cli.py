"""Learned structure on the generated corpus, and the command line end to end."""

import subprocess
import sys
from pathlib import Path

import pytest
from gensim.models import KeyedVectors

from w2v_core.analysis import category_score, nearest
from w2v_core.config import W2VConfig
from w2v_core.generated import generate_corpus
from w2v_core.trainer import Trainer

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def generated():
    return generate_corpus(30_000, seed=0)


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_generated_corpus_neighbours_share_categories(generated, model):
    """After default training, >= 90% of a word's 5 nearest neighbours share its category."""
    tr = Trainer(W2VConfig(model=model)).fit(generated.sentences)
    score = category_score(tr.W_in_, tr.words_, generated.categories, k=5)
    assert score >= 0.9
    # and the untrained initial vectors do not: the structure was learned
    raw = Trainer(W2VConfig(model=model)).prepare(generated.sentences)
    assert category_score(raw.W_in_, raw.words_, generated.categories, k=5) < 0.5


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "w2v_core", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_train_then_eval(tmp_path, generated):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text(generated.text, encoding="utf-8")
    out = tmp_path / "vectors.txt"
    r = run_cli(
        "train", corpus, "--out", out, "--dim", 30, "--epochs", 3, "--min-count", 2, "--seed", 3
    )
    assert r.returncode == 0, r.stderr
    assert "words/s" in r.stdout and "#" in r.stderr  # the speed and the progress bar
    kv = KeyedVectors.load_word2vec_format(str(out), binary=False)  # gensim reads our file
    assert kv.vector_size == 30 and "king" in kv.key_to_index
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text(
        "king\tqueen\t9\nking\tapple\t1\nfrance\tparis\t8\ncar\tbanana\t0.5\n", encoding="utf-8"
    )
    analogies = tmp_path / "analogies.txt"
    analogies.write_text(
        ": gender\n" + "\n".join(" ".join(q) for q in generated.analogies[:20]) + "\n"
    )
    r = run_cli("eval", out, "--pairs", pairs, "--analogies", analogies)
    assert r.returncode == 0, r.stderr
    assert "Spearman" in r.stdout and "analogies:" in r.stdout


def test_cli_npz_model_round_trip(tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text(generate_corpus(3_000, seed=1).text, encoding="utf-8")
    out = tmp_path / "model.npz"
    r = run_cli(
        "train", corpus, "--out", out, "--dim", 8, "--epochs", 1, "--min-count", 1, "--quiet"
    )
    assert r.returncode == 0, r.stderr
    from w2v_core.cli import load_vectors

    words, W = load_vectors(str(out))
    assert W.shape == (len(words), 8)
    assert nearest(W, words, "king", k=3)


def test_cli_gradcheck_passes():
    r = run_cli("gradcheck")
    assert r.returncode == 0
    lines = [ln for ln in r.stdout.splitlines() if "max relative error" in ln]
    assert len(lines) == 6
    assert all(float(ln.split()[-1]) < 1e-6 for ln in lines)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--window", "0"], "window"),
        (["--dim", "0"], "dim"),
        (["--negative", "-1"], "negative"),
        (["--min-count", "1000"], "min_count"),
    ],
)
def test_cli_bad_input_is_one_clear_line(tmp_path, args, message):
    corpus = tmp_path / "c.txt"
    corpus.write_text("the cat sat on the mat\nthe dog sat on the log\n", encoding="utf-8")
    r = run_cli("train", corpus, *args)
    assert r.returncode == 2
    assert r.stderr.startswith("error:") and message in r.stderr
    assert "Traceback" not in r.stderr


def test_cli_rejects_binary_and_malformed_files(tmp_path):
    binary = tmp_path / "b.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    r = run_cli("train", binary)
    assert r.returncode == 2 and "binary" in r.stderr
    bad = tmp_path / "v.txt"
    bad.write_text("2 3\nking 0.1 0.2 0.3\nqueen 0.1 oops 0.3\n", encoding="utf-8")
    r = run_cli("eval", bad, "--pairs", bad)
    assert r.returncode == 2 and "line 3" in r.stderr
