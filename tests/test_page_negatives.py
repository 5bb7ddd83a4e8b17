"""AppTest of page 4 (negative sampling); sidebar values go into session state first."""

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from lab import noise_view as nv
from lab.lesson import Settings, build_lesson
from lab.noise_view import true_contexts
from tests.apptest import metric, open_page, values
from w2v_core.corpora import PRESETS

ROOT = Path(__file__).resolve().parents[1]
PAGE = "app_pages/negatives.py"


def page(**sidebar) -> AppTest:
    return open_page(PAGE, **sidebar)


def noise_traces(at) -> dict[str, np.ndarray]:
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return {t["name"]: values(t["y"]) for t in spec["data"]}


def test_renders_on_default_corpus():
    at = page()
    assert at.title[0].value == "4. Negative sampling"
    assert len(at.latex) >= 2
    assert len(at.get("plotly_chart")) == 3
    les = build_lesson(Settings())
    assert metric(at, "Softmax") == f"{len(les.vocab):,}"
    assert metric(at, "Negative sampling") == "6"


@pytest.mark.parametrize("preset", list(PRESETS))
def test_renders_on_every_preset(preset):
    at = page(w_preset=preset)
    assert PRESETS[preset].title in at.info[0].value
    assert len(at.dataframe[0].value) == 5  # k negatives


def test_renders_on_generated_corpus():
    at = page(w_source="generated", w_gen_tokens=5000, w_negative=10)
    assert len(at.dataframe[0].value) == 10
    assert "other" in json.dumps(json.loads(at.get("plotly_chart")[1].proto.spec)["data"][0]["x"])


def test_alpha_changes_the_noise_distribution():
    at = page()
    before = noise_traces(at)
    at.slider(key="neg_alpha").set_value(0.2).run()
    after = noise_traces(at)
    les = build_lesson(Settings())
    n = len(before["unigram (α = 1)"])
    np.testing.assert_allclose(before["P_n, α = 0.75"], les.vocab.noise_probs(0.75)[:n])
    np.testing.assert_allclose(after["P_n, α = 0.20"], les.vocab.noise_probs(0.2)[:n])
    assert not np.allclose(before["P_n, α = 0.75"], after["P_n, α = 0.20"])
    np.testing.assert_allclose(before["unigram (α = 1)"], after["unigram (α = 1)"])
    # the most frequent word loses probability mass as alpha shrinks
    assert after["P_n, α = 0.20"][0] < before["P_n, α = 0.75"][0]


def test_sidebar_exponent_is_the_default():
    at = page(w_noise_alpha=0.5)
    assert at.slider(key="neg_alpha").value == 0.5
    assert "P_n, α = 0.50" in noise_traces(at)


def test_draw_again_changes_the_negatives():
    at = page(w_negative=20)
    first = at.dataframe[0].value["id"].tolist()
    at.button(key="neg_redraw").click().run()
    second = at.dataframe[0].value["id"].tolist()
    assert len(first) == len(second) == 20 and first != second


def test_true_contexts_among_negatives_are_flagged():
    at = page(w_preset="fox", w_window=2, w_negative=20)
    at.selectbox(key="neg_target").set_value(1).run()  # 'quick'
    les = build_lesson(Settings(preset="fox"))
    v = les.vocab
    assert at.selectbox(key="neg_target").value == v.id("quick")
    context = at.selectbox(key="neg_context").value
    ctx, _ = true_contexts(les.corpus, v.id("quick"), 2)
    assert {v.words[i] for i in ctx} == {"the", "brown", "fox"}
    df = at.dataframe[0].value
    for wid, note in zip(df["id"], df["note"], strict=True):
        if wid == context:
            assert "skips" in note
        elif wid in set(ctx.tolist()):
            assert "true context" in note
        else:
            assert note == ""
    assert any("really appear" in w.value for w in at.warning)  # 20 draws from 8 words


def test_number_of_draws_changes_the_histogram():
    at = page()
    at.select_slider(key="neg_n_draws").set_value(1000).run()
    spec = json.loads(at.get("plotly_chart")[1].proto.spec)
    assert "1,000 draws" in spec["layout"]["title"]["text"]
    shares = values(spec["data"][0]["y"])
    assert shares.sum() == pytest.approx(1.0)  # every draw is in a bar (top words + other)
    assert float(metric(at, "p-value")) >= 0.0
    assert float(metric(at, "TV distance")) < 0.2


def test_objective_counts_k_negatives_and_nce_is_named():
    at = page()
    assert any(r"\sum_{i=1}^{k}" in x.value and "K" not in x.value for x in at.latex)
    text = " ".join(m.value for m in at.markdown)
    assert "noise-contrastive estimation" in text and "k·P_n(w)" in text
    assert "shifted PMI" in text


def test_drawn_negatives_are_the_samplers_draws():
    at = page(w_negative=7)
    les = build_lesson(Settings())
    target, context = at.selectbox(key="neg_target").value, at.selectbox(key="neg_context").value
    draw = nv.sampler(les.vocab, 0.75)
    want = draw.draw(np.random.default_rng([0, 0, target, context]), 7)
    df = at.dataframe[0].value
    np.testing.assert_array_equal(df["id"].to_numpy(), want)
    np.testing.assert_allclose(df["P_n(w_i)"].to_numpy(), les.vocab.noise_probs(0.75)[want])


def _answer(at, ex, text: str) -> None:
    at.text_input(key=f"ex_{ex.key}_{ex.instance}").set_value(text).run()
    at.button(key=f"ex_check_{ex.key}_{ex.instance}").click().run()


@pytest.mark.parametrize("sidebar", [{}, {"w_negative": 12, "w_noise_alpha": 0.5, "w_seed": 3}])
def test_exercises_accept_the_models_answer_and_refuse_a_wrong_one(sidebar):
    s = Settings(
        negative=sidebar.get("w_negative", 5),
        noise_alpha=sidebar.get("w_noise_alpha", 0.75),
        seed=sidebar.get("w_seed", 0),
    )
    les = build_lesson(s)
    exs = nv.exercises(les.vocab, s.negative, s.noise_alpha, s.seed)
    assert [e.key for e in exs] == ["neg.dots", "neg.top", "neg.ratio"]
    for ex in exs:
        at = page(**sidebar)
        _answer(at, ex, ex.shown_answer())
        assert any("Right" in m.value for m in at.success), ex.key
        at = page(**sidebar)
        _answer(at, ex, "zzz" if ex.kind == "word" else str(float(ex.answer) + 1))
        assert at.error and "Not quite" in at.error[0].value, ex.key


def test_exercise_answers_come_from_the_counts():
    les = build_lesson(Settings())
    v = les.vocab
    ex = {e.key: e for e in nv.exercises(v, 5, 0.75, 0)}
    assert ex["neg.dots"].answer == 6  # true context + k negatives
    assert ex["neg.top"].answer == v.words[int(np.argmax(v.counts))]
    a, b = ex["neg.ratio"].prompt.split("'")[1], ex["neg.ratio"].prompt.split("'")[3]
    ratio = (v.counts[v.id(a)] / v.counts[v.id(b)]) ** 0.75
    assert ex["neg.ratio"].answer == pytest.approx(ratio, abs=0.005)
