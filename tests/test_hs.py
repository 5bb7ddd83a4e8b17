"""Hierarchical softmax: the Huffman tree, the loss, training and the command line."""

import base64
import heapq
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from w2v_core.analysis import category_score
from w2v_core.config import W2VConfig
from w2v_core.errors import ConfigError, CorpusError
from w2v_core.generated import generate_corpus
from w2v_core.huffman import build_huffman
from w2v_core.models import hs_output, loss_and_grad
from w2v_core.trainer import Trainer

ROOT = Path(__file__).resolve().parents[1]


def word2vec_c_tree(counts):
    """A line-by-line port of word2vec.c's CreateBinaryTree: (codes, points) per word."""
    V = len(counts)
    count = list(counts) + [10**15] * V
    binary, parent = [0] * (2 * V), [0] * (2 * V)
    pos1, pos2 = V - 1, V
    for a in range(V - 1):
        mins = []
        for _ in range(2):
            if pos1 >= 0 and count[pos1] < count[pos2]:
                mins.append(pos1)
                pos1 -= 1
            else:
                mins.append(pos2)
                pos2 += 1
        count[V + a] = count[mins[0]] + count[mins[1]]
        parent[mins[0]] = parent[mins[1]] = V + a
        binary[mins[1]] = 1
    codes, points = [], []
    for a in range(V):
        b, code, point = a, [], []
        while True:
            code.append(binary[b])
            point.append(b)
            b = parent[b]
            if b == 2 * V - 2:
                break
        n = len(code)
        c, p = [0] * n, [0] * (n + 1)
        p[0] = V - 2
        for j in range(n):
            c[n - j - 1] = code[j]
            p[n - j] = point[j] - V
        codes.append(c)
        points.append(p[:n])
    return codes, points


def random_counts(rng, V, top):
    return np.sort(rng.integers(1, top, size=V))[::-1]  # many ties when top is small


# ---- the tree -----------------------------------------------------------------------


@pytest.mark.parametrize("V", [2, 3, 4, 7, 50, 400])
@pytest.mark.parametrize("top", [3, 1000])
def test_tree_matches_word2vec_c(V, top):
    counts = random_counts(np.random.default_rng(V + top), V, top)
    tree = build_huffman(counts)
    codes, points = word2vec_c_tree(counts.tolist())
    for w in range(V):
        assert tree.code(w).tolist() == codes[w]
        assert tree.path(w).tolist() == points[w]
    assert tree.max_length == max(map(len, codes))


def test_two_words():
    tree = build_huffman([5, 3])
    assert tree.root == 0 and tree.max_length == 1
    assert [tree.path(w).tolist() for w in (0, 1)] == [[0], [0]]
    assert [tree.code_string(w) for w in (0, 1)] == ["1", "0"]  # the rarer word is taken first
    assert tree.children.tolist() == [[1, 0]]
    assert tree.mean_length == 1.0


def test_codes_are_a_complete_prefix_code_and_frequent_words_are_short():
    counts = random_counts(np.random.default_rng(0), 300, 5000)
    tree = build_huffman(counts)
    codes = [tree.code_string(w) for w in range(300)]
    assert len(set(codes)) == 300
    assert not any(a != b and b.startswith(a) for a in codes for b in codes)
    assert sum(2.0 ** -len(c) for c in codes) == pytest.approx(1.0)  # a full binary tree
    assert np.all(np.diff(tree.lengths) >= 0)  # ids are by frequency: codes only get longer
    assert tree.lengths[0] < tree.lengths[-1]


def test_tree_is_optimal():
    """Σ_w count_w L_w equals the cost of any Huffman code (computed here with a heap)."""
    counts = random_counts(np.random.default_rng(1), 500, 10_000)
    heap = [int(c) for c in counts]
    heapq.heapify(heap)
    cost = 0
    while len(heap) > 1:
        a, b = heapq.heappop(heap), heapq.heappop(heap)
        cost += a + b
        heapq.heappush(heap, a + b)
    tree = build_huffman(counts)
    assert int((counts * tree.lengths).sum()) == cost
    assert tree.mean_length == pytest.approx(cost / counts.sum())


def test_structure_is_consistent():
    counts = random_counts(np.random.default_rng(2), 60, 100)
    tree = build_huffman(counts)
    V = 60
    assert tree.children.shape == (V - 1, 2) and tree.parent[2 * V - 2] == -1
    for n in range(V - 1):
        assert all(tree.parent[c] == V + n for c in tree.children[n])
    for w in range(V):  # following the code from the root reaches the word
        node = 2 * V - 2
        for n, bit in zip(tree.path(w), tree.code(w), strict=True):
            assert node == V + n
            node = tree.children[n, bit]
        assert node == w
        assert tree.depths[w] == tree.lengths[w]
    assert tree.depths[2 * V - 2] == 0
    assert tree.node_counts[2 * V - 2] == counts.sum()
    assert list(tree.top_nodes(3)) == [V - 2, V - 3, V - 4]
    assert set(tree.leaves_under(V + tree.root)) == set(range(V))
    n = tree.path(V - 1)[-1]  # the parent of the rarest word
    assert V - 1 in tree.leaves_under(V + n)


def test_bad_inputs():
    with pytest.raises(CorpusError, match="two words"):
        build_huffman([7])
    with pytest.raises(CorpusError, match="sorted"):
        build_huffman([1, 5, 3])
    with pytest.raises(ConfigError, match="loss must be one of .*hs"):
        W2VConfig(loss="tree").validate()


# ---- the loss -----------------------------------------------------------------------------


def test_hs_is_a_probability_distribution_over_the_words():
    """p(w | h) = Π σ(s_j u·h) sums to 1 over the leaves, whatever the weights."""
    rng = np.random.default_rng(3)
    counts = random_counts(rng, 25, 40)
    tree = build_huffman(counts)
    W_out = rng.normal(0, 1.0, size=(25, 6))  # (V, d)
    h = rng.normal(size=6)  # (d,)
    p = [np.exp(-hs_output(h, tree.path(w), tree.code(w), W_out)[0]) for w in range(25)]
    assert sum(p) == pytest.approx(1.0, abs=1e-12)
    W_out[24] = 100.0  # row V-1 is not an inner node: it never matters
    assert np.exp(-hs_output(h, tree.path(3), tree.code(3), W_out)[0]) == pytest.approx(p[3])


def test_hs_gradient_follows_the_formula():
    rng = np.random.default_rng(4)
    tree = build_huffman(random_counts(rng, 10, 30))
    W_in, W_out = rng.normal(size=(10, 3)), rng.normal(size=(10, 3))
    w = int(np.argmax(tree.lengths))
    path, code = tree.path(w), tree.code(w)
    lg = loss_and_grad("skipgram", "hs", 2, w, W_in, W_out, path=path, code=code)
    s = W_out[path] @ W_in[2]  # (L,)
    delta = 1 / (1 + np.exp(-s)) - (1 - code)  # σ(u·h) - y, y = 1 - c
    np.testing.assert_allclose(lg.grad_h, W_out[path].T @ delta)
    assert set(np.flatnonzero(lg.grad_W_out.any(axis=1))) == set(path)
    assert not lg.grad_W_out[9].any()  # the unused row
    with pytest.raises(ValueError, match="path"):
        loss_and_grad("skipgram", "hs", 2, w, W_in, W_out)


# ---- training -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated():
    return generate_corpus(30_000, seed=0)


def test_hs_skipgram_learns_the_categories(generated):
    """Default settings with HS: >= 95% of 5 nearest neighbours share the category
    (measured 0.996 here; 0.992-0.996 over trainer seeds 0-4, 0.986-1.0 over corpus seeds
    1-3; the untrained vectors score 0.12)."""
    tr = Trainer(W2VConfig(model="skipgram", loss="hs")).fit(generated.sentences)
    assert category_score(tr.W_in_, tr.words_, generated.categories, k=5) >= 0.95
    assert tr.history_.epoch_loss[-1] < 0.7 * tr.history_.epoch_loss[0]
    assert not tr.W_out_[len(tr.words_) - 1].any()  # row V-1 is no inner node: never moves


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "w2v_core", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_trains_with_hs_and_gradcheck_has_six_rows(tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text(generate_corpus(3_000, seed=1).text, encoding="utf-8")
    r = run_cli("train", corpus, "--loss", "hs", "--dim", 8, "--epochs", 1, "--min-count", 1)
    assert r.returncode == 0, r.stderr
    assert "words/s" in r.stdout
    r = run_cli("gradcheck")
    assert r.returncode == 0
    rows = [ln.split() for ln in r.stdout.splitlines() if "max relative error" in ln]
    assert [(m, l) for m, l, *_ in rows] == [
        (m, l) for m in ("skipgram", "cbow") for l in ("negative", "softmax", "hs")
    ]
    assert all(float(row[-1]) < 1e-6 for row in rows)


# ---- the live page (its own AppTest file belongs to another change: kept here) -------------


def test_live_page_trains_with_hs_and_names_w_out_rows_as_nodes():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/train.py").run()
    at.radio(key="w_loss").set_value("hs").run()
    at.number_input(key="w_epochs").set_value(1000).run()  # long enough not to finish
    at.session_state["train_pace"] = "fast"  # large ticks: a loss that clearly falls
    at.button(key="train_start").click().run()
    for _ in range(1):
        at.run()  # ticks
    assert not at.exception
    tr = at.session_state["lesson_trainer"].trainer
    assert tr.config.loss == "hs" and tr.examples_seen_ > 0
    assert tr.history_.loss[-1][1] < tr.history_.loss[0][1]
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    heat = next(f for f in specs if "inner nodes nearest the root" in json.dumps(f["layout"]))
    shown = tr.tree_.top_nodes(len(heat["data"][0]["y"]))
    assert heat["data"][0]["y"] == [f"node {n}" for n in shown]
    z = heat["data"][0]["z"]  # Plotly's typed-array encoding
    z = np.frombuffer(base64.b64decode(z["bdata"]), z["dtype"]).reshape(tr.W_out_[shown].shape)
    np.testing.assert_array_equal(z, tr.W_out_[shown])
    assert np.abs(z).max() > 0  # the nodes nearest the root have learned
    at.button(key="train_start").click().run()  # pause, then one step shown and applied
    seen = tr.examples_seen_
    at.button(key="train_step").click().run()
    at.button(key="train_step").click().run()
    assert not at.exception
    assert at.session_state["lesson_trainer"].trainer.examples_seen_ == seen + 1
