"""AppTest of page 3 (training pairs); sidebar values go into session state first."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lab.lesson import Settings, build_lesson
from tests.apptest import metric, open_page
from w2v_core.corpora import PRESETS
from w2v_core.pairs import pair_count

ROOT = Path(__file__).resolve().parents[1]
PAGE = "app_pages/pairs.py"


def page(**sidebar) -> AppTest:
    return open_page(PAGE, **sidebar)


def rows(at, i=0):
    df = at.dataframe[i].value
    return list(zip(df.iloc[:, 1], df.iloc[:, 2], strict=True))


def test_renders_on_default_corpus():
    at = page()
    assert at.title[0].value == "3. Training pairs"
    assert at.latex and at.slider(key="pairs_pos").value == 0
    les = build_lesson(Settings())
    assert metric(at, "skip-gram pairs per pass") == f"{pair_count(les.corpus, 2):,}"
    assert len(at.get("plotly_chart")) == 1


@pytest.mark.parametrize("preset", list(PRESETS))
def test_renders_on_every_preset(preset):
    at = page(w_preset=preset)
    assert PRESETS[preset].title in at.info[0].value
    assert len(at.dataframe) == 2  # skip-gram and CBOW tables


def test_renders_on_generated_corpus_with_options():
    at = page(w_source="generated", w_gen_tokens=5000, w_window=4)
    at.toggle(key="pairs_dynamic").set_value(True)
    at.toggle(key="pairs_subsample").set_value(True).run()
    assert not at.exception
    assert "status" in at.dataframe[0].value.columns
    assert metric(at, "with your options")


def test_larger_window_shows_more_pairs():
    small, large = page(w_window=1), page(w_window=5)
    n1 = int(metric(small, "skip-gram pairs per pass (W = 1)").replace(",", ""))
    n5 = int(metric(large, "skip-gram pairs per pass (W = 5)").replace(",", ""))
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
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = [t["name"] for t in spec["data"] if t["type"] == "bar"]
    assert names == ["static window (exact)", "subsampled (one draw)"]
    assert any("Keep probability" in c.value for c in at.caption)


def test_dynamic_window_adds_expected_counts():
    at = page(w_window=3)
    at.toggle(key="pairs_dynamic").set_value(True).run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = [t["name"] for t in spec["data"] if t["type"] == "bar"]
    assert names == ["static window (exact)", "dynamic window (expected)"]
    assert int(metric(at, "new")) == 0  # a shorter radius never adds a pair


def test_single_word_sentence_does_not_crash():
    at = page(w_source="paste", w_paste="the cat sat on the mat. Yes.")
    at.selectbox(key="pairs_sentence").set_value(1).run()
    assert not at.exception
    assert any("single word" in w.value for w in at.warning)
