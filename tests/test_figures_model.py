"""Page 5 builders and helpers, without Streamlit: figures, tables, the step view, exercises."""

import numpy as np
import pytest

from lab import model_view as mv
from lab.exercises import check as check_answer
from lab.figures.huffman import huffman_figure
from lab.figures.model import lookup_figure, network_figure, probs_figure, update_figure
from lab.lesson import Settings, build_lesson
from lab.model_view import (
    MAX_HEATMAP_ROWS,
    MAX_TREE_LEAVES,
    after_step,
    cost_per_example,
    display_rows,
    hidden_table,
    huffman_view,
    node_names,
    out_row_names,
    row_labels,
    score_table,
    sentence_around,
    superscript,
    train_budget,
    unique_labels,
)
from w2v_core.huffman import build_huffman
from w2v_core.pairs import Corpus
from w2v_core.step import sgd_step
from w2v_core.trainer import Trainer

COMBOS = [(m, l) for m in ("skipgram", "cbow") for l in ("negative", "softmax", "hs")]
COUNTS = np.array([50, 40, 30, 20, 12, 9, 8, 6, 4, 3, 2, 1])  # (12,) descending: a real tree
TREE = build_huffman(COUNTS)


def weights(V=12, d=4, seed=0, zero_out=False):
    rng = np.random.default_rng(seed)
    W_in = rng.normal(0, 0.5, (V, d))
    W_out = np.zeros((V, d)) if zero_out else rng.normal(0, 0.5, (V, d))
    return W_in, W_out


def make_step(model="skipgram", loss="negative", V=12, d=4, zero_out=False, negatives=(5, 7, 5)):
    W_in, W_out = weights(V, d, zero_out=zero_out)
    inputs = [2] if model == "skipgram" else [2, 3, 3, 9]
    if loss == "hs":
        W_out[V - 1] = 0.0  # row V-1 is no inner node
    tree = build_huffman(np.arange(V, 0, -1) * 3) if loss == "hs" else None
    step = sgd_step(model, loss, inputs, 4, np.array(negatives), W_in, W_out, 0.1, tree=tree)
    return step, W_in, W_out


WORDS = [f"w{i}" for i in range(12)]


# ---- helpers -----------------------------------------------------------------------


def test_display_rows_keeps_top_rows_and_the_required_ones():
    ids = display_rows(100, 5, [42, 3, 99])
    assert list(ids) == [0, 1, 2, 3, 4, 42, 99]
    assert list(display_rows(3, 10)) == [0, 1, 2]  # never more rows than V
    big = display_rows(10_000, 500, np.arange(5000, 5010))
    assert len(big) == MAX_HEATMAP_ROWS and set(range(5000, 5010)) <= set(big)


def test_small_text_helpers():
    assert superscript(10) == "¹⁰" and superscript(2) == "²"
    assert unique_labels(["a", "b", "a", "a"]) == ["a", "b", "a (draw 2)", "a (draw 3)"]
    assert row_labels([0, 3], ["x", "y", "z", "king"]) == ["0: x", "3: king"]
    assert train_budget(960, 500_000) == 960 and train_budget(3_000_000, 500_000) == 500_000
    c = cost_per_example(V=40, d=10, k=5)
    assert c == {"softmax_dots": 40, "softmax_madds": 400, "negative_dots": 6, "negative_madds": 60}
    h = cost_per_example(V=12, d=10, k=5, tree=TREE, target=11)
    assert h["hs_dots"] == TREE.lengths[11] == TREE.max_length == h["hs_max_dots"]
    assert h["hs_madds"] == 10 * h["hs_dots"]
    mean = (COUNTS * TREE.lengths).sum() / COUNTS.sum()
    assert h["hs_mean_dots"] == pytest.approx(mean) and mean < np.log2(12)  # skewed counts
    assert "hs_dots" not in cost_per_example(12, 10, 5, tree=TREE)
    assert node_names(3) == ["node 0", "node 1", "(unused row)"]
    assert out_row_names("hs", ["a", "b"]) == ["node 0", "(unused row)"]
    assert out_row_names("negative", ["a", "b"]) == ["a", "b"]


def test_sentence_around_stays_inside_the_sentence():
    corpus = Corpus.from_encoded([np.array([1, 2, 3]), np.array([4, 5, 6, 7])])
    ids, first, sent = sentence_around(corpus, 4, radius=1)
    assert (list(ids), first, sent) == ([4, 5, 6], 3, 1)
    ids, first, sent = sentence_around(corpus, 3, radius=5)
    assert list(ids) == [4, 5, 6, 7] and first == 3


@pytest.mark.parametrize(("model", "loss"), COMBOS)
def test_after_step_recomputes_the_loss_after(model, loss):
    step, *_ = make_step(model, loss)
    h, scores, probs = after_step(step)
    if loss == "softmax":
        J = -np.log(probs[step.output])
    elif loss == "hs":
        J = -np.log(np.where(step.code == 0, probs, 1 - probs)).sum()
    else:
        J = -np.log(probs[0]) - np.log(1 - probs[1:]).sum()
    assert J == pytest.approx(step.loss_after, rel=1e-9)
    assert step.loss_after < step.loss  # one step with a small alpha lowers this example's loss


def test_score_table_lists_labels_and_deltas():
    step, *_ = make_step("skipgram", "negative", negatives=(5, 4, 7))  # the draw of 4 is dropped
    t = score_table(step, WORDS)
    assert list(t["word"]) == ["w4", "w5", "w7"]
    assert list(t["label y"]) == [1, 0, 0]
    assert list(t["role"]) == ["true word", "noise", "noise"]
    assert np.allclose(t["δ = p − y"], t["σ(u·h)"] - t["label y"])
    assert np.allclose(t["σ(u·h)"], 1 / (1 + np.exp(-t["score u·h"])))
    soft, *_ = make_step("skipgram", "softmax", V=12)
    ts = score_table(soft, WORDS, max_rows=5)
    assert len(ts) == 5 and ts["word"].iloc[0] == "w4" and ts["label y"].sum() == 1
    others = ts["softmax p"].iloc[1:].to_numpy()
    assert np.all(np.diff(others) <= 0)  # most probable others, in order


def test_score_table_of_hierarchical_softmax_lists_the_path():
    step, *_ = make_step("skipgram", "hs")
    t = score_table(step, WORDS)
    assert list(t["id"]) == list(step.path) and len(t) >= 2
    assert t["node"].iloc[0] == f"node {step.path[0]}" and step.path[0] == 10  # the root: V-2
    assert list(t["label y"]) == list(1 - step.code)
    assert list(t["depth"]) == list(range(len(t)))
    assert np.allclose(t["δ = p − y"], t["σ(u·h)"] - t["label y"])
    taken = np.where(step.code == 0, t["σ(u·h)"], 1 - t["σ(u·h)"])
    assert np.allclose(t["P(branch taken)"], taken)
    assert -np.log(taken).sum() == pytest.approx(step.loss)  # J = -log Π P(branch taken)


def test_hidden_table_shows_the_cbow_mean():
    step, W_in, _ = make_step("cbow", "negative")
    t = hidden_table(step, W_in, WORDS)
    assert list(t.index) == ["v_w2", "v_w3", "v_w3", "v_w9", "h = mean"]
    assert np.allclose(t.loc["h = mean"].to_numpy(), W_in[[2, 3, 3, 9]].mean(axis=0))
    sg, W_in, _ = make_step("skipgram", "negative")
    assert list(hidden_table(sg, W_in, WORDS).index) == ["v_w2", "h"]


# ---- figures --------------------------------------------------------------------------


def _texts(fig):
    return [a.text for a in fig.layout.annotations]


def test_network_figure_shows_shapes_and_the_example():
    fig = network_figure(40, 10, [f"w{i}" for i in range(40)], "skipgram", "negative",
                         [24], 3, [16, 24])  # fmt: skip
    notes = " ".join(_texts(fig))
    assert "V × d = 40 × 10" in notes and "θ_t" in notes and "d = 10" in notes
    texts = [t for tr in fig.data if tr.text is not None for t in tr.text]
    assert "w24 (24) · x=1" in texts and "w0 (0) · x=0" in texts
    assert "w3 (3)  ← predict" in texts and "w16 (16)  ← noise" in texts
    assert sum("x=1" in t for t in texts) == 1
    assert any(t == "h10" for t in texts) and "⋮" in texts  # d = 10 > 8: dots in the middle
    names = {tr.name for tr in fig.data}
    assert "row of W_in copied into h" in names and "true word score u_o·h" in names
    assert list(fig.layout.xaxis.range) == [-3.2, 9.2]


def test_network_figure_cbow_softmax_and_tiny_sizes():
    words = [f"w{i}" for i in range(50_000)]
    fig = network_figure(50_000, 100, words, "cbow", "softmax", [7, 9, 49_999], 4)
    texts = [t for tr in fig.data if tr.text is not None for t in tr.text]
    assert sum("x=1" in t for t in texts) == 3
    assert len([t for t in texts if "(" in t]) <= 20  # capped, whatever V is
    assert "rows of W_in averaged into h" in {tr.name for tr in fig.data}
    assert "V × d = 50,000 × 100" in " ".join(_texts(fig))
    small = network_figure(2, 2, ["a", "b"], "skipgram", "negative", [0], 1, [1])
    texts = [t for tr in small.data if tr.text is not None for t in tr.text]
    assert "⋮" not in texts and "h2" in texts


def test_network_figure_for_hierarchical_softmax():
    words = [f"w{i}" for i in range(40)]
    fig = network_figure(40, 10, words, "skipgram", "hs", [24], 3, path=[38, 30, 7], code=[1, 0, 1])
    notes = " ".join(_texts(fig))
    assert "V − 1 = 39, 3 on the path" in notes and "row n = u_n of inner node n" in notes
    texts = [t for tr in fig.data if tr.text is not None for t in tr.text]
    assert (
        "node 38  ← bit 1" in texts and "node 7  ← bit 1" in texts and "node 30  ← bit 0" in texts
    )
    assert not any("predict" in t or "noise" in t for t in texts)
    assert "scores u_n·h of the nodes on the path" in {tr.name for tr in fig.data}


def test_lookup_figure_picks_one_row():
    W_in, _ = weights(V=80, d=6)
    fig = lookup_figure(W_in, [f"w{i}" for i in range(80)], 70, n_rows=10)
    x, block, h = fig.data
    z = np.asarray(x.z).ravel()
    assert z.sum() == 1 and len(z) == 11  # top 10 rows + the chosen row 70
    sel = int(np.argmax(z))
    assert np.allclose(np.asarray(block.z)[sel], W_in[70])
    assert np.allclose(np.asarray(h.z).ravel(), W_in[70])
    assert "row 70" in fig.layout.annotations[-1].text
    assert len(fig.layout.shapes) == 2  # the chosen row is outlined in x and in W_in
    assert list(fig.layout.yaxis.ticktext)[sel] == "70: w70"
    big = lookup_figure(np.zeros((1000, 3)), [f"w{i}" for i in range(1000)], 5, n_rows=500)
    assert len(big.data[1].z) == MAX_HEATMAP_ROWS


def test_update_figure_outlines_exactly_the_updated_rows():
    step, W_in, W_out = make_step("skipgram", "negative")
    fig = update_figure(W_in, step.W_in, W_out, step.W_out, WORDS, step.rows_in, step.rows_out, 12)
    d_in, d_out = (np.asarray(t.z) for t in fig.data)
    assert np.flatnonzero(np.abs(d_in).sum(axis=1)).tolist() == step.rows_in.tolist()
    assert np.flatnonzero(np.abs(d_out).sum(axis=1)).tolist() == step.rows_out.tolist()
    assert len(fig.layout.shapes) == len(step.rows_in) + len(step.rows_out)
    assert np.allclose(d_out[step.rows_out], step.delta_W_out)
    soft, W_in, W_out = make_step("skipgram", "softmax")
    fig = update_figure(W_in, soft.W_in, W_out, soft.W_out, WORDS, soft.rows_in, soft.rows_out, 12)
    assert len(fig.layout.shapes) == len(soft.rows_in)  # all V rows move: none outlined
    assert "12 of 12 rows updated" in fig.layout.annotations[1].text


def test_update_figure_names_inner_nodes_under_hs():
    step, W_in, W_out = make_step("skipgram", "hs")
    fig = update_figure(W_in, step.W_in, W_out, step.W_out, WORDS, step.rows_in, step.rows_out,
                        12, node_names(12))  # fmt: skip
    assert list(fig.layout.yaxis2.ticktext)[10] == "10: node 10"
    assert list(fig.layout.yaxis.ticktext)[2] == "2: w2"
    d_out = np.asarray(fig.data[1].z)
    assert np.flatnonzero(np.abs(d_out).sum(axis=1)).tolist() == sorted(step.path)


def test_update_figure_with_unchanged_w_in():
    step, W_in, W_out = make_step("skipgram", "negative", zero_out=True)
    fig = update_figure(W_in, step.W_in, W_out, step.W_out, WORDS, step.rows_in, step.rows_out)
    assert not np.any(np.asarray(fig.data[0].z))
    assert "largest |change| 0" in fig.layout.annotations[0].text


def test_probs_figure_bars_and_targets():
    fig = probs_figure(["is", "king", "king"], [True, False, False], [0.5, 0.4, 0.4],
                       [0.6, 0.3, 0.3], "negative")  # fmt: skip
    before, after, target = fig.data
    assert list(before.x) == ["is", "king", "king (draw 2)"]
    assert list(after.y) == [0.6, 0.3, 0.3] and list(target.y) == [1.0, 0.0, 0.0]
    assert fig.layout.yaxis.title.text == "σ(u_w·h)" and list(fig.layout.yaxis.range) == [0, 1.12]
    soft = probs_figure(["a"], [True], [0.1], [0.2], "softmax")
    assert soft.layout.yaxis.title.text == "softmax p(w | h)"
    hs = probs_figure(["node 10", "node 9"], [True, False], [0.5, 0.5], [0.6, 0.4], "hs")
    assert hs.layout.yaxis.title.text == "σ(u_n·h)" and "bit 0" in hs.layout.xaxis.title.text
    assert list(hs.data[2].y) == [1.0, 0.0]


# ---- the Huffman tree ----------------------------------------------------------------------


def test_huffman_view_draws_the_whole_small_tree():
    v = huffman_view(TREE, 11)
    assert v.full and v.n_slots == 12 and len(v.nodes) == 2 * 12 - 1
    assert v.kind.count("leaf") == 12 and "collapsed" not in v.kind
    assert v.nodes[0] == 22 and v.x[0] == 0  # the root first, at depth 0
    assert v.path_nodes == {12 + n for n in TREE.path(11)} | {11}
    leaf_y = {int(n): y for n, y, k in zip(v.nodes, v.y, v.kind, strict=True) if k == "leaf"}
    assert sorted(leaf_y.values()) == list(range(12))  # one row per word
    pos = {int(n): i for i, n in enumerate(v.nodes)}
    for par, child, bit in v.edges:  # bit 0 is drawn above bit 1, children one level deeper
        assert v.x[pos[child]] == v.x[pos[par]] + 1
        assert TREE.children[par - 12, bit] == child


def test_huffman_view_prunes_a_large_tree_around_the_path():
    counts = np.sort(np.random.default_rng(0).integers(1, 10_000, 3000))[::-1]
    tree = build_huffman(counts)
    v = huffman_view(tree, 2999)
    assert not v.full and v.n_slots <= MAX_TREE_LEAVES
    inner_depth = tree.depths[3000:]  # one more level would not fit
    deeper = set(np.flatnonzero(inner_depth <= v.top_depth) + 3000) | set(v.path_nodes - {2999})
    assert len(deeper) + 1 > MAX_TREE_LEAVES
    drawn = set(v.nodes.tolist())
    assert v.path_nodes <= drawn and 2999 in drawn
    assert v.n_words[list(v.kind).index("inner")] == 3000  # the root holds every word
    slots = [w for w, k in zip(v.n_words, v.kind, strict=True) if k != "inner"]
    assert sum(slots) == 3000  # the drawn slots partition the vocabulary
    assert np.all(v.x[np.array(v.kind) == "collapsed"] >= v.top_depth)


def test_huffman_figure_highlights_the_path():
    words = [f"w{i}" for i in range(12)]
    v = huffman_view(TREE, 11)
    code, probs = TREE.code(11), np.linspace(0.2, 0.8, TREE.lengths[11])
    fig = huffman_figure(v, words, code, probs)
    path = next(t for t in fig.data if t.name.startswith("path to 'w11'"))
    assert "".join(map(str, code)) in path.name and path.line.width == 4
    notes = [a.text for a in fig.layout.annotations]
    assert len(notes) == len(code)
    assert notes[0] == f"n{TREE.root}: bit {code[0]}, σ = 0.20"
    target = next(t for t in fig.data if t.name == "word to predict")
    assert list(target.text) == ["w11 (11)"]
    assert "all V = 12 words" in fig.layout.title.text
    assert fig.layout.uirevision == "huffman" and fig.layout.yaxis.range[0] > 11
    big = build_huffman(np.arange(5000, 0, -1))
    bigfig = huffman_figure(huffman_view(big, 0), [f"w{i}" for i in range(5000)], big.code(0))
    assert "of 5,000 words or groups shown" in bigfig.layout.title.text
    assert any(t.name == "subtree not drawn" and len(t.x) > 0 for t in bigfig.data)


# ---- the step view, the warm copy, the neighbours and the exercises ---------------------


def lesson_trainer(**kw):
    s = Settings(**kw)
    les = build_lesson(s)
    return les, Trainer(s.config()).prepare(les.sentences)


@pytest.mark.parametrize("loss", ["negative", "hs"])
def test_warm_start_trains_a_copy_and_keeps_the_initial_weights(loss):
    les, tr = lesson_trainer(loss=loss)
    w = mv.warm_start(tr.config, les.sentences, n=200)
    assert w.n_trained == 200
    assert np.array_equal(w.W_in0, tr.W_in_) and not np.any(w.W_out0)  # same seed, same start
    assert np.any(w.W_out) and not np.array_equal(w.W_in, w.W_in0)
    again = Trainer(tr.config).prepare(les.sentences)
    again.advance(n=200)
    assert np.array_equal(again.W_in_, w.W_in)  # exactly the trainer's own minibatches
    assert w.example.output == again.explain_next().output


def test_warm_start_stops_before_the_last_example():
    les, tr = lesson_trainer(source="paste", text="hello world", epochs=3)
    w = mv.warm_start(tr.config, les.sentences, n=300)
    assert w.n_trained == 3 * 2 - 1  # 2 examples per epoch, the very last one is shown


def test_step_view_weights_and_the_zero_gradient_at_initialisation():
    les, tr = lesson_trainer()
    w = mv.warm_start(tr.config, les.sentences, n=300)
    warm = mv.step_view(tr, w, mv.StepChoice("warm"))
    init = mv.step_view(tr, w, mv.StepChoice("init"))
    assert warm.trained == 300 and init.trained == 0
    assert warm.step.output == init.step.output == w.example.output  # the same example
    assert np.any(warm.step.grad_h) and not np.any(init.step.grad_h)  # W_out = 0 at the start
    assert not warm.applicable and not init.applicable
    mine = mv.step_view(tr, w, mv.StepChoice("yours"))
    assert mine.applicable and mine.step.output == tr.explain_next().output
    assert np.array_equal(mine.step.W_in, tr.explain_next().W_in)


def test_step_view_with_noise_words_the_student_picks():
    les, tr = lesson_trainer()
    w = mv.warm_start(tr.config, les.sentences, n=300)
    sheep = [tr.vocab_.index["queen"]]
    v = mv.step_view(tr, w, mv.StepChoice("warm", noise=tuple(sheep)))
    assert list(v.step.negatives) == sheep and v.noise_chosen
    assert set(v.step.rows_out) == {v.step.output, *sheep}
    none = mv.step_view(tr, w, mv.StepChoice("warm", noise=()))
    assert len(none.step.scored_ids) == 1  # only the word to predict


def test_step_view_custom_pair_and_its_errors():
    les, tr = lesson_trainer(model="cbow")
    w = mv.warm_start(tr.config, les.sentences, n=100)
    ids = tuple(tr.vocab_.index[x] for x in ("king", "man"))
    v = mv.step_view(tr, w, mv.StepChoice("warm", True, ids, tr.vocab_.index["queen"], 3))
    assert list(v.step.inputs) == list(ids) and v.example.token == -1
    with pytest.raises(mv.W2VError):
        mv.step_view(tr, w, mv.StepChoice("warm", True, (), 1))


def test_nearest_in_each_space():
    rng = np.random.default_rng(0)
    W_in, W_out = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    words = [f"w{i}" for i in range(6)]
    for which, W in (("W_in", W_in), ("W_out", W_out), ("sum", W_in + W_out)):
        hits = mv.nearest_in(W_in, W_out, words, "w0", which, k=3)
        U = W / np.linalg.norm(W, axis=1, keepdims=True)
        cos = U[1:] @ U[0]
        assert [h[0] for h in hits] == [words[1 + i] for i in np.argsort(-cos)[:3]]
    t = mv.neighbours_frame(hits)
    assert list(t["rank"]) == [1, 2, 3]


def test_exercises_are_computed_and_checked():
    les, tr = lesson_trainer()
    w = mv.warm_start(tr.config, les.sentences, n=300)
    view = mv.step_view(tr, w, mv.StepChoice("warm"))
    ex = {e.key: e for e in mv.exercises(7, tr.words_, 10, view)}
    one = ex["model.onehot"]
    i = one.prompt.split("[")[1].split("]")[0].split(", ").index("1")
    assert one.answer == tr.words_[i] and check_answer(one, tr.words_[i])
    assert not check_answer(one, tr.words_[i + 1])
    theta = ex["model.theta"]
    assert theta.answer == "10 × 1" and "10 × 1" in theta.options
    assert not check_answer(theta, f"{len(tr.words_)} × 10")
    rows = ex["model.rows"]
    assert set(rows.answer) == {tr.words_[j] for j in view.step.rows_out}
    assert check_answer(rows, ", ".join(reversed(rows.answer)))
    assert not check_answer(rows, rows.answer[0])
    _, hs = lesson_trainer(loss="hs")
    hv = mv.step_view(hs, None, mv.StepChoice("yours"))
    h = mv.rows_exercise(hv, hs.words_)
    assert h.answer == len(hv.step.path) and check_answer(h, str(len(hv.step.path)))
