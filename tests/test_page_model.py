"""AppTest of page 5: the network, the one-hot look-up, one SGD step and the gradient check."""

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from lab import model_view as mv
from lab.lesson import Settings, build_lesson
from lab.model_view import MAX_TREE_LEAVES
from tests.apptest import metric, open_page, plain, trainer
from w2v_core.corpora import PRESETS

ROOT = Path(__file__).resolve().parents[1]
COMBOS = [(m, l) for m in ("skipgram", "cbow") for l in ("negative", "softmax", "hs")]


def page(**sidebar) -> AppTest:
    """The app on page 5, with sidebar values set in session state before the first run."""
    return open_page("app_pages/model.py", **sidebar)


ORDER = ["model_h_table", "model_scores", "model_grad_h", "model_delta_in", "model_delta_out",
         "model_check_table"]  # fmt: skip


def table(at, key):
    """The DataFrame of the page's st.dataframe(..., key=key), found by its place on the page
    (AppTest does not report keys of read-only dataframes); each is checked by its shape."""
    if key == "model_nn_table":  # after the step's tables, whether or not the check ran
        return next(
            d.value for d in at.dataframe if list(d.value.columns) == ["rank", "word", "cosine"]
        )
    df = at.dataframe[ORDER.index(key)].value
    signature = {
        "model_h_table": lambda t: str(t.index[-1]).startswith("h"),
        "model_scores": lambda t: "role" in t.columns,
        "model_grad_h": lambda t: list(t.index) == ["∂J/∂h"],
        "model_delta_in": lambda t: t.shape[1] == at_dim(at),
        "model_delta_out": lambda t: t.shape[1] == at_dim(at),
        "model_check_table": lambda t: str(t.index[0]).startswith("analytic"),
    }[key]
    assert signature(df), (key, df)
    return df


def warm(at) -> mv.Warm:
    """The briefly trained copy, from the pure function with the page's inputs."""
    tr = trainer(at)
    return mv.warm_start(tr.config, build_lesson(at.session_state["lesson_settings"]).sentences)


def yours(at) -> AppTest:
    """Switch the step to the session's own model."""
    at.radio(key="model_weights").set_value("yours").run()
    assert not at.exception, at.exception
    return at


def at_dim(at) -> int:
    return trainer(at).config.dim


def all_text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [
        e.value for kind in ("success", "info", "error", "warning") for e in getattr(at, kind)
    ]
    return "\n".join(parts)


def test_default_corpus_shows_live_shapes():
    at = page()
    assert not tree_figures(at)  # the tree is drawn under hierarchical softmax only
    assert at.title[0].value.startswith("5.")
    lesson = build_lesson(Settings())
    V = len(lesson.vocab)
    assert metric(at, "Vocabulary V") == str(V)
    assert metric(at, "W_in") == f"{V} × 10" and metric(at, "W_out") == f"{V} × 10"
    assert metric(at, "θ_t ∈") == "ℝ¹⁰"
    dots = [m.value for m in at.metric if m.label == "Dot products per example"]
    tr = trainer(at)
    L = tr.tree_.lengths[warm(at).example.output]  # the code length of the word to predict
    assert dots == [f"V = {V}", "k + 1 = 6", f"L = {L}"]
    assert f"costs {tr.tree_.mean_length:.2f} dot products" in all_text(at)
    specs = [
        json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("plotly_chart")
    ]
    assert any(f"V × d = {V} × 10" in s for s in specs)  # the network diagram
    assert any("x (one-hot)" in s for s in specs)  # the look-up figure
    assert "all zeros" in all_text(at)  # where E comes from: random W_in, zero W_out
    # the page opens on a briefly trained copy: the W_in gradient is not zero
    w = warm(at)
    assert at.radio(key="model_weights").value == "warm"
    assert metric(at, "Examples trained") == f"{w.n_trained:,}" and 0 < w.n_trained <= 300
    assert np.any(table(at, "model_grad_h").to_numpy())
    assert tr.examples_seen_ == 0  # the session's model is not touched


def test_dimension_slider_changes_the_shapes():
    at = page(w_dim=5)
    V = len(build_lesson(Settings()).vocab)
    assert metric(at, "W_in") == f"{V} × 5"
    assert metric(at, "θ_t ∈") == "ℝ⁵"
    assert trainer(at).W_in_.shape == (V, 5)


@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_preset_renders(preset):
    at = page(w_preset=preset)
    V = len(build_lesson(Settings(preset=preset)).vocab)
    assert metric(at, "Vocabulary V") == str(V)
    assert trainer(at).W_in_.shape[0] == V
    assert table(at, "model_scores")["role"].iloc[0] == "true word"


def test_generated_corpus_renders():
    at = page(w_source="generated", w_gen_tokens=5000)
    tr = trainer(at)
    generated = build_lesson(Settings(source="generated", generated_tokens=5000))
    assert len(tr.corpus_) == generated.n_tokens and len(tr.words_) == len(generated.vocab)
    assert metric(at, "Vocabulary V") == f"{len(tr.words_):,}"
    assert len(table(at, "model_scores")) == 6  # true word + k = 5 noise words (or fewer)


@pytest.mark.parametrize(("model", "loss"), COMBOS)
def test_models_and_losses_render(model, loss):
    at = page(w_model=model, w_loss=loss)
    h = table(at, "model_h_table")
    if model == "cbow":
        assert h.index[-1] == "h = mean" and len(h) >= 2
        assert np.allclose(h.iloc[:-1].to_numpy().mean(axis=0), h.iloc[-1].to_numpy())
        assert "word2vec.c and gensim" in all_text(at)
    else:
        assert list(h.index)[-1] == "h" and len(h) == 2
    scores = table(at, "model_scores")
    assert ("softmax p" if loss == "softmax" else "σ(u·h)") in scores.columns
    if loss == "hs":
        assert "P(branch taken)" in scores.columns


def test_apply_trains_exactly_one_example():
    at = yours(page())
    tr = trainer(at)
    pending = tr.explain_next()  # the example the page shows (cached, not applied)
    words = tr.words_
    shown_in = table(at, "model_delta_in")
    assert list(shown_in.index) == [words[i] for i in pending.rows_in]
    assert list(table(at, "model_delta_out").index) == [words[i] for i in pending.rows_out]
    W_in0, W_out0 = tr.W_in_.copy(), tr.W_out_.copy()
    at.button(key="model_apply").click().run()
    assert not at.exception
    tr = trainer(at)
    assert tr.examples_seen_ == 1
    assert metric(at, "Examples trained") == "1"
    assert np.array_equal(tr.W_in_, pending.W_in) and np.array_equal(tr.W_out_, pending.W_out)
    ch_in = np.flatnonzero(np.any(W_in0 != tr.W_in_, axis=1))
    ch_out = np.flatnonzero(np.any(W_out0 != tr.W_out_, axis=1))
    assert set(ch_in) <= set(pending.rows_in)  # zero here: W_out starts at 0
    assert set(ch_out) == set(pending.rows_out)
    msg = at.success[0].value
    assert "Applied example 1" in msg
    assert all(words[i] in msg for i in pending.rows_out)
    at.button(key="model_apply").click().run()
    assert trainer(at).examples_seen_ == 2


def test_zero_gradient_is_explained_then_train_first():
    at = page()
    at.radio(key="model_weights").set_value("init").run()
    assert "∂J/∂h is exactly zero" in all_text(at)
    assert not np.any(table(at, "model_grad_h").to_numpy())
    w = warm(at)  # the same example as the warm copy, at the starting weights
    assert table(at, "model_scores")["id"].iloc[0] == w.example.output
    assert np.array_equal(table(at, "model_h_table").iloc[:-1].to_numpy(),
                          w.W_in0[w.example.inputs])  # fmt: skip
    yours(at)
    assert "∂J/∂h is exactly zero" in all_text(at)  # the untrained session model
    at.button(key="model_train").click().run()
    assert not at.exception
    tr = trainer(at)
    assert tr.epoch_ == 1 and tr.examples_seen_ == len(tr.examples)
    assert metric(at, "Epoch").startswith("2 of")
    assert "∂J/∂h is exactly zero" not in all_text(at)
    assert np.any(table(at, "model_grad_h").to_numpy())


@pytest.mark.parametrize(("model", "loss"), COMBOS)
def test_gradient_check_error_is_tiny(model, loss):
    at = page(w_model=model, w_loss=loss)  # the warm copy: non-zero W_out, every term counts
    at.button(key="model_check").click().run()
    assert not at.exception
    errors = [float(metric(at, f"Error, {m}")) for m in ("W_in", "W_out")]
    errors.append(float(metric(at, "Random model")))
    assert max(errors) < 1e-6, errors
    assert "max(1, |a|, |n|)" in all_text(at) and "CS224n" in all_text(at)
    assert "The gradients agree" in at.success[-1].value
    assert table(at, "model_check_table").shape[0] == 4


def test_custom_pair_is_a_preview():
    at = yours(page())
    assert not at.button(key="model_apply").disabled
    at.radio(key="model_mode").set_value("custom").run()
    assert at.button(key="model_apply").disabled
    at.selectbox(key="model_custom_c").set_value("king").run()
    at.selectbox(key="model_custom_o").set_value("queen").run()
    assert not at.exception
    scores = table(at, "model_scores")
    assert scores["word"].iloc[0] == "queen"
    assert list(table(at, "model_h_table").index) == ["v_king", "h"]
    before = scores.iloc[1:, 0].tolist()
    at.number_input(key="model_custom_draw").set_value(3).run()
    assert table(at, "model_scores").iloc[1:, 0].tolist() != before  # other noise words
    assert trainer(at).examples_seen_ == 0


def test_start_over_and_finished_training():
    at = yours(page(w_epochs=1))
    at.button(key="model_train").click().run()
    assert trainer(at).done
    assert "All epochs are trained" in all_text(at)
    at.button(key="model_reset").click().run()
    assert not at.exception
    assert trainer(at).examples_seen_ == 0 and not trainer(at).done
    assert len(table(at, "model_scores")) >= 2


def test_softmax_on_a_large_vocabulary_is_refused():
    text = " ".join(f"w{i}" for i in range(6000))
    at = page(w_source="paste", w_paste=text)
    assert metric(at, "Vocabulary V") == "6,000"
    at.radio(key="w_loss").set_value("softmax").run()
    assert not at.exception
    assert any("Full softmax is limited to 5,000 words" in plain(e.value) for e in at.error)
    assert at.session_state["lesson_settings"].loss == "negative"  # the last good settings


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_two_word_corpus(model):
    at = page(w_source="paste", w_paste="hello world", w_model=model, w_dim=2)
    assert metric(at, "W_in") == "2 × 2"
    yours(at).button(key="model_apply").click().run()
    assert not at.exception and trainer(at).examples_seen_ == 1
    at.button(key="model_check").click().run()
    assert float(metric(at, "Error, W_out")) < 1e-6


def test_corpus_without_pairs_shows_the_error():
    at = page(w_source="paste", w_paste="alpha\nbeta\ngamma")
    assert not at.exception
    assert any("No (target, context) pairs" in plain(e.value) for e in at.error)


def chart_specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def tree_figures(at) -> list[dict]:
    return [
        f for f in chart_specs(at) if "Huffman tree" in f["layout"].get("title", {}).get("text", "")
    ]


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_hierarchical_softmax_draws_the_tree_and_the_path(model):
    at = yours(page(w_loss="hs", w_model=model))
    tr = trainer(at)
    step = tr.explain_next()
    words, V = tr.words_, len(tr.words_)
    code = "".join(map(str, step.code))
    trees = tree_figures(at)
    assert len(trees) == 1
    fig = trees[0]
    assert f"all V = {V} words" in fig["layout"]["title"]["text"]  # a preset is small: all of it
    path = [t for t in fig["data"] if t.get("name", "").startswith("path to")]
    assert len(path) == 1 and path[0]["name"] == f"path to '{words[step.output]}' (code {code})"
    notes = [a["text"] for a in fig["layout"]["annotations"]]
    for n, c, p in zip(step.path, step.code, step.probs, strict=True):  # bit and σ per node
        assert f"n{n}: bit {c}, σ = {p:.2f}" in notes
    leaf = next(t for t in fig["data"] if t.get("name") == "word to predict")
    assert leaf["text"] == [f"{words[step.output]} ({step.output})"]
    # the score table lists the path's nodes; the update names the W_out rows as nodes
    scores = table(at, "model_scores")
    assert list(scores["node"]) == [f"node {n}" for n in step.path]
    assert list(scores["label y"]) == list(1 - step.code)
    assert list(table(at, "model_delta_out").index) == [f"node {n}" for n in step.rows_out]
    assert f"Its Huffman code: **{code}**" in all_text(at)
    assert "rows 0…" in all_text(at) and f"row {V - 1} is unused" in all_text(at)
    at.button(key="model_apply").click().run()
    assert not at.exception
    assert all(f"node {n}" in at.success[0].value for n in step.path)
    changed = np.flatnonzero(np.any(trainer(at).W_out_ != 0, axis=1))
    assert set(changed) == set(step.path)  # only the path's inner-node rows moved


def test_hierarchical_softmax_on_a_large_vocabulary_draws_the_top_of_the_tree():
    at = page(w_loss="hs", w_source="generated", w_gen_tokens=20_000)
    tr = trainer(at)
    V = len(tr.words_)
    assert V > MAX_TREE_LEAVES
    (fig,) = tree_figures(at)
    assert f"of {V:,} words or groups shown" in fig["layout"]["title"]["text"]
    assert "too many leaves to draw" in all_text(at)
    assert any(t.get("name") == "subtree not drawn" for t in fig["data"])
    at.button(key="model_check").click().run()
    assert float(metric(at, "Error, W_out")) < 1e-6


def test_bridges_to_ng_and_to_page_3_and_the_batch_size():
    at = page(w_dim=7)
    text = all_text(at)
    latex = " ".join(e.value for e in at.get("latex"))
    assert r"E = W_{in}^\top" in latex and r"\mathbb{R}^{7 \times" in latex  # Ng's E is d × V
    assert r"\theta_t \in \mathbb{R}^{7 \times 1}" in latex
    assert r"\text{column } c \text{ of } E" in latex
    assert r"\text{row } c \text{ of } W_{in}" in latex
    assert "page 3's target (centre word)" in text and "page 3's context word" in text
    assert f"batch_size = {trainer(at).config.batch_size}" in text and "1 is pure SGD" in text


def test_noise_words_the_student_picks():
    at = page()
    tr = trainer(at)
    at.radio(key="model_noise_from").set_value("picked").run()
    assert not at.exception
    w = warm(at)
    drawn = [tr.words_[i] for i in w.example.negatives if i != w.example.output]
    assert set(at.multiselect(key="model_noise").value) == set(drawn)  # starts from the draw
    at.multiselect(key="model_noise").set_value(["queen"]).run()
    scores = table(at, "model_scores")
    assert list(scores["role"]) == ["true word", "noise"] and scores["word"].iloc[1] == "queen"
    step = mv.step_view(tr, w, mv.StepChoice("warm", noise=(tr.vocab_.index["queen"],))).step
    assert np.allclose(scores["score u·h"], step.scores)  # the engine's numbers
    assert "picked by you" in all_text(at)
    assert sorted(table(at, "model_delta_out").index) == sorted([tr.words_[step.output], "queen"])


def test_output_layer_is_dropped_neighbours_by_matrix():
    at = page()
    assert any("W_out is all zeros" in i.value for i in at.info)  # an untrained model
    yours(at).button(key="model_train").click().run()
    tr = trainer(at)
    word = at.selectbox(key="model_nn_word").value
    for which in mv.SPACES:
        at.radio(key="model_space").set_value(which).run()
        got = table(at, "model_nn_table")
        want = mv.nearest_in(tr.W_in_, tr.W_out_, tr.words_, word, which)
        assert list(got["word"]) == [w for w, _ in want]
    assert "syn0" in all_text(at)


def test_output_layer_under_hierarchical_softmax_is_only_w_in():
    at = page(w_loss="hs")
    assert any("only W_in holds word vectors" in i.value for i in at.info)


def _exercise(at, key):
    tr = trainer(at)
    s = at.session_state["lesson_settings"]
    view = mv.step_view(tr, warm(at), mv.StepChoice(at.radio(key="model_weights").value))
    return next(e for e in mv.exercises(s.seed, tr.words_, tr.config.dim, view) if e.key == key)


@pytest.mark.parametrize("key", ["model.onehot", "model.theta", "model.rows"])
def test_exercises_solve_with_the_models_answer(key):
    at = page(w_dim=6)
    ex = _exercise(at, key)
    wrong = next((o for o in ex.options if o != ex.answer), "zzz")  # another shape, or a word
    for given, ok in ((wrong, False), (ex.shown_answer(), True)):
        box = f"ex_{ex.key}_{ex.instance}"
        if ex.kind == "choice":
            at.radio(key=box).set_value(given).run()
        else:
            at.text_input(key=box).set_value(given).run()
        at.button(key=f"ex_check_{ex.key}_{ex.instance}").click().run()
        assert not at.exception
        if ok:
            assert any(s.value.startswith("Right.") for s in at.success)
        else:
            assert any("Not quite" in e.value for e in at.error)
    if key == "model.theta":
        assert ex.answer == "6 × 1"
