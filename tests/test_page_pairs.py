"""AppTest of page 3 (training pairs); sidebar values go into session state first."""

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from lab import pairs_view as pv
from lab.lesson import Settings, build_lesson
from tests.apptest import metric, open_page, values
from w2v_core.corpora import PRESETS
from w2v_core.pairs import draw_radii, pair_count

ROOT = Path(__file__).resolve().parents[1]
PAGE = "app_pages/pairs.py"


def page(**sidebar) -> AppTest:
    return open_page(PAGE, **sidebar)


def chart(at, title: str) -> dict:
    """The spec of the chart whose title starts with ``title``."""
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return next(s for s in specs if s["layout"]["title"]["text"].startswith(title))


def bar_names(at) -> list[str]:
    spec = chart(at, "Training examples in one pass")
    return [t["name"] for t in spec["data"] if t["type"] == "bar"]


def rows(at, i=0):
    df = at.dataframe[i].value
    return list(zip(df.iloc[:, 1], df.iloc[:, 2], strict=True))


def test_renders_on_default_corpus():
    at = page()
    assert at.title[0].value == "3. Training pairs"
    assert at.latex and at.slider(key="pairs_pos").value == 0
    les = build_lesson(Settings())
    assert metric(at, "Skip-gram pairs") == f"{pair_count(les.corpus, 2):,}"
    assert len(at.get("plotly_chart")) == 1


@pytest.mark.parametrize("preset", list(PRESETS))
def test_renders_on_every_preset(preset):
    at = page(w_preset=preset)
    assert PRESETS[preset].title in at.info[0].value
    assert len(at.dataframe) == 2  # skip-gram and CBOW tables


def test_renders_on_generated_corpus_with_options():
    at = page(w_source="generated", w_gen_tokens=5000, w_window=4, w_dynamic_window=True)
    at.toggle(key="pairs_subsample").set_value(True).run()
    assert not at.exception
    assert "status" in at.dataframe[0].value.columns
    assert metric(at, "With your options")


def test_larger_window_shows_more_pairs():
    small, large = page(w_window=1), page(w_window=5)
    n1 = int(metric(small, "Skip-gram pairs").replace(",", ""))
    n5 = int(metric(large, "Skip-gram pairs").replace(",", ""))
    les = build_lesson(Settings())
    assert (n1, n5) == (pair_count(les.corpus, 1), pair_count(les.corpus, 5))
    assert n5 > n1
    assert len(rows(large)) > len(rows(small))  # pairs of the first word


def test_fox_window_1_reads_like_the_article():
    at = page(w_preset="fox", w_window=1)
    at.slider(key="pairs_pos").set_value(8).run()
    got = rows(at)
    assert got[1:5] == [("quick", "the"), ("quick", "brown"), ("brown", "quick"), ("brown", "fox")]
    assert len(got) == 16
    cbow = at.dataframe[1].value
    assert cbow.iloc[1, 1] == "[the, brown]" and cbow.iloc[1, 2] == "quick"
    assert any("(quick, the), (quick, brown)" in c.value for c in at.caption)


def test_step_buttons_grow_the_table():
    at = page(w_preset="fox", w_window=1)
    assert len(rows(at)) == 1  # ('the', 'quick')
    at.button(key="pairs_next").click().run()
    at.button(key="pairs_next").click().run()
    assert at.slider(key="pairs_pos").value == 2
    assert rows(at) == [("the", "quick"), ("quick", "the"), ("quick", "brown"),
                        ("brown", "quick"), ("brown", "fox")]  # fmt: skip
    assert any(":orange-background[**brown**]" in m.value for m in at.markdown)
    at.button(key="pairs_back").click().run()
    assert at.slider(key="pairs_pos").value == 1


def test_play_advances_and_pause_stops():
    at = page(w_preset="fox")
    at.button(key="pairs_play").click().run()
    assert at.slider(key="pairs_pos").value == 1
    assert at.button(key="pairs_play").label == "Pause"
    assert at.button(key="pairs_next").disabled
    at.button(key="pairs_play").click().run()
    assert at.button(key="pairs_play").label == "Play"
    assert at.slider(key="pairs_pos").value == 1


def test_subsampling_marks_dropped_pairs_and_adds_a_series():
    at = page()
    at.slider(key="pairs_pos").set_value(3)
    at.toggle(key="pairs_subsample").set_value(True).run()
    at.select_slider(key="pairs_sample").set_value(1e-5).run()  # removes nearly every token
    status = set(at.dataframe[0].value["status"])
    assert "✗ dropped" in status
    dropped = int(metric(at, "dropped"))
    assert dropped > 0
    assert bar_names(at) == ["static window (exact)", "subsampled (one draw)"]
    assert any("Keep probability" in c.value for c in at.caption)


def test_dynamic_window_adds_expected_counts():
    at = page(w_window=3, w_dynamic_window=True)
    assert bar_names(at) == ["static window (exact)", "dynamic window (expected)"]
    assert int(metric(at, "new")) == 0  # a shorter radius never adds a pair


def test_single_word_sentence_does_not_crash():
    at = page(w_source="paste", w_paste="the cat sat on the mat. Yes.")
    at.selectbox(key="pairs_sentence").set_value(1).run()
    assert not at.exception
    assert any("single word" in w.value for w in at.warning)


def test_window_in_use_is_named():
    assert any("static" in i.value for i in page().info)
    assert any("dynamic" in i.value for i in page(w_dynamic_window=True).info)


def test_dynamic_radii_are_the_engines_draws():
    at = page(w_preset="fox", w_window=3, w_dynamic_window=True)
    les = build_lesson(Settings(preset="fox", window=3, dynamic_window=True))
    L = int((les.corpus.sentence == 0).sum())
    want = draw_radii(L, 3, True, np.random.default_rng([0, 0, 0]))  # seed, sentence, draw
    got = values(chart(at, "Radius b")["data"][0]["y"])
    np.testing.assert_array_equal(got, want)
    # the skip-gram table uses exactly those radii: no pair reaches further than its b
    df = at.dataframe[0].value
    used = df[df["status"] != "✗ dropped"]
    assert (used["offset"].abs().to_numpy() <= want[used["t"].to_numpy()]).all()
    at.button(key="pairs_redraw").click().run()
    assert not np.array_equal(values(chart(at, "Radius b")["data"][0]["y"]), got)


def test_static_window_has_no_radius_chart():
    at = page()
    assert not any(
        json.loads(c.proto.spec)["layout"]["title"]["text"].startswith("Radius")
        for c in at.get("plotly_chart")
    )
    assert any("b = W = 2" in m.value for m in at.markdown)


def test_fox_caption_names_window_1_when_it_is_not():
    at = page(w_preset="fox", w_window=2)
    notes = [c.value for c in at.caption if "quick, the" in c.value]
    assert notes and "W = 1 (set it in the sidebar)" in notes[0]


def _exercises(**kw):
    s = Settings(**kw)
    les = build_lesson(s)
    return pv.exercises(les.corpus, les.vocab, s.window, s.seed)


def _answer(at, ex, text: str) -> None:
    at.text_input(key=f"ex_{ex.key}_{ex.instance}").set_value(text).run()
    at.button(key=f"ex_check_{ex.key}_{ex.instance}").click().run()


@pytest.mark.parametrize("window", [1, 3])
def test_exercises_accept_the_models_answer_and_refuse_a_wrong_one(window):
    exs = _exercises(window=window)
    assert [e.key for e in exs][:2] == ["pairs.window1", "pairs.count"]
    assert len(exs) == (2 if window == 1 else 3)
    for ex in exs:
        at = page(w_window=window)
        _answer(at, ex, ex.shown_answer())
        assert any("Right" in s.value for s in at.success), ex.key
        at = page(w_window=window)
        wrong = "(nope, nope)" if ex.kind == "pairs" else str(float(ex.answer) + 1)
        _answer(at, ex, wrong)
        assert at.error and "Not quite" in at.error[0].value, ex.key


def test_exercise_answers_come_from_the_corpus():
    les = build_lesson(Settings(window=3))
    ex = {e.key: e for e in pv.exercises(les.corpus, les.vocab, 3, 0)}
    # the sentence named in the prompt gives the pairs and the count of the answers
    for key, w in (("pairs.window1", 1), ("pairs.count", 3)):
        words = ex[key].prompt.split("“")[1].split("”")[0].replace("\\", "").split()
        L = len(words)
        pairs = [(words[i], words[j]) for i in range(L) for j in range(L)
                 if i != j and abs(i - j) <= w]  # fmt: skip
        if key == "pairs.window1":
            assert set(ex[key].answer) == set(pairs)
        else:
            assert ex[key].answer == len(pairs)
    o = int(ex["pairs.dynamic"].prompt.split("distance ")[1].split()[0])
    used = sum(b >= o for b in range(1, 4)) / 3  # radii 1..3 equally likely
    assert ex["pairs.dynamic"].answer == pytest.approx(used, abs=1e-4)
