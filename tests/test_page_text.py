"""AppTest of page 1 (text and vocabulary), driven through the real sidebar."""

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from lab.lesson import Settings, build_lesson
from w2v_core.corpora import PRESETS

ROOT = Path(__file__).resolve().parents[1]


def arr(value) -> np.ndarray:
    """A Plotly JSON array (plain list or base64 typed array) as NumPy."""
    if isinstance(value, dict) and "bdata" in value:
        a = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = value.get("shape")
        return a.reshape([int(n) for n in str(shape).split(",")]) if shape else a
    return np.asarray(value)


def open_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()  # the default page is page 1
    assert not at.exception
    assert at.title[0].value == "1. Text and vocabulary"
    return at


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def chart(at, key: str) -> dict:
    el = next(c for c in at.get("plotly_chart") if c.proto.id.endswith(key))
    return json.loads(el.proto.spec)


def test_default_corpus_numbers_are_live():
    at = open_page()
    les = build_lesson(Settings())
    assert metric(at, "Vocabulary V") == f"{len(les.vocab):,}"
    assert metric(at, "Tokens") == f"{les.n_tokens:,}"
    assert metric(at, "W_in shape") == f"{len(les.vocab)} × 10"
    zipf = chart(at, "text_zipf")
    kept = zipf["data"][0]
    assert arr(kept["y"]).tolist() == les.vocab.counts.tolist()
    assert not at.error


@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_preset(preset):
    at = open_page()
    at.selectbox(key="w_preset").set_value(preset).run()
    assert not at.exception
    les = build_lesson(Settings(preset=preset))
    assert metric(at, "Vocabulary V") == f"{len(les.vocab):,}"
    assert metric(at, "Sentences") == f"{len(les.sentences):,}"
    table = at.dataframe[1].value  # the vocabulary table
    assert table["word"].tolist()[:5] == list(les.vocab.words[:5])
    assert table["count"].tolist()[:5] == les.vocab.counts[:5].tolist()


def test_generated_corpus():
    at = open_page()
    at.radio(key="w_source").set_value("generated").run()
    at.number_input(key="w_gen_tokens").set_value(3_000).run()
    assert not at.exception
    les = build_lesson(Settings(source="generated", generated_tokens=3_000))
    assert metric(at, "Tokens") == f"{les.n_tokens:,}"
    assert metric(at, "Vocabulary V") == f"{len(les.vocab):,}"
    assert chart(at, "text_one_hot")


def test_sentence_slider_lists_more_sentences():
    at = open_page()
    assert len(at.dataframe[0].value) == 8
    at.slider(key="text_n_sentences").set_value(20).run()
    assert len(at.dataframe[0].value) == 20
    at.number_input(key="text_sentence_pick").set_value(1).run()
    assert ":blue-background[queen]" in " ".join(m.value for m in at.markdown)


def test_min_count_drops_words_and_tokens():
    at = open_page()
    at.selectbox(key="w_preset").set_value("nlp").run()
    assert metric(at, "Words dropped") == "0"
    at.number_input(key="w_min_count").set_value(2).run()  # keeps 'i' (3) and 'like' (2)
    assert not at.exception
    assert metric(at, "Vocabulary V") == "2"
    assert metric(at, "Words dropped") == "5"
    assert metric(at, "Tokens dropped") == "5"
    dropped = at.dataframe[2].value
    assert set(dropped["dropped word"]) == {"deep", "learning", "nlp", "enjoy", "flying"}
    assert "·" in at.dataframe[0].value["ids"].iloc[0]  # dropped tokens marked in the ids


def test_min_count_preview_changes_v():
    at = open_page()
    at.selectbox(key="w_preset").set_value("nlp").run()
    at.slider(key="text_min_count_preview").set_value(2).run()
    assert metric(at, "V would be") == "2"
    at.slider(key="text_min_count_preview").set_value(3).run()
    assert metric(at, "V would be") == "1"
    sizes = arr(chart(at, "text_vocab_size")["data"][0]["y"])
    assert sizes.tolist() == [7, 2, 1]


def test_one_hot_vectors_and_their_cosines():
    at = open_page()
    les = build_lesson(Settings())
    at.multiselect(key="text_one_hot_words").set_value(["king", "queen", "the"]).run()
    assert not at.exception
    z = arr(chart(at, "text_one_hot")["data"][0]["z"])
    assert z.shape == (3, min(40, len(les.vocab)))  # at most 40 columns are drawn
    assert [int(np.argmax(r)) for r in z] == [les.vocab.id(w) for w in ("king", "queen", "the")]
    cos = arr(chart(at, "text_one_hot_cosine")["data"][0]["z"])
    np.testing.assert_array_equal(cos, np.eye(3))
    latex = " ".join(el.value for el in at.latex)
    assert rf"W_{{\text{{in}}}}[{les.vocab.id('king')}, :]" in latex


def test_find_a_word():
    at = open_page()
    at.text_input(key="text_find").input("queen").run()
    assert any("has id" in s.value for s in at.success)
    at.text_input(key="text_find").input("unicorn").run()
    assert any("never occurs" in s.value for s in at.info)


def test_one_word_sentences_and_tiny_vocabulary():
    at = open_page()
    at.radio(key="w_source").set_value("paste").run()
    at.text_area(key="w_paste").input("a b\nb").run()
    assert not at.exception
    assert metric(at, "Vocabulary V") == "2"
    at.multiselect(key="text_one_hot_words").set_value([]).run()
    assert not at.exception


def test_choices_reset_when_the_corpus_changes():
    at = open_page()
    at.number_input(key="text_sentence_pick").set_value(50).run()
    at.multiselect(key="text_one_hot_words").set_value(["king", "royal"]).run()
    at.selectbox(key="w_preset").set_value("fox").run()
    assert not at.exception
    assert at.multiselect(key="text_one_hot_words").value == ["the", "quick", "brown", "fox"]
    assert not [w for w in at.number_input if w.key == "text_sentence_pick"]  # one sentence
    assert ":blue-background[quick]" in " ".join(m.value for m in at.markdown)


def test_find_a_dropped_word():
    at = open_page()
    at.selectbox(key="w_preset").set_value("nlp").run()
    at.number_input(key="w_min_count").set_value(2).run()
    at.text_input(key="text_find").input("  Deep!! ").run()  # typed text is tokenized first
    assert any("'deep' occurs 1 time(s), fewer than min_count = 2" in w.value for w in at.warning)


def solve(at, ex, given: str):
    """Type an answer to an exercise and press Check."""
    at.text_input(key=f"ex_{ex.key}_{ex.instance}").input(given).run()
    at.button(key=f"ex_check_{ex.key}_{ex.instance}").click().run()
    assert not at.exception
    return at


@pytest.mark.parametrize("preset", ["royalty", "nlp"])
def test_exercises_solve_with_the_models_answer(preset):
    from lab.vocab_view import exercises

    at = open_page()
    at.selectbox(key="w_preset").set_value(preset).run()
    s = Settings(preset=preset)
    les = build_lesson(s)
    exs = exercises(les, s)
    assert {e.key for e in exs} == {"text.id", "text.one_hot", "text.min_count"}
    ex = {e.key: e for e in exs}
    assert ex["text.one_hot"].answer == len(les.vocab)
    word = ex["text.id"].prompt.split("**")[1].replace("\\", "")
    assert ex["text.id"].answer == les.vocab.id(word)  # the id of the word it names
    for n, e in enumerate(exs):
        solve(at, e, str(e.answer))
        assert rights(at) == 1 and wrongs(at) == n, e.key  # this one right, earlier ones wrong
        solve(at, e, str(e.answer + 1))
        assert rights(at) == 0 and wrongs(at) == n + 1, e.key


def rights(at) -> int:
    return sum(x.value.startswith("Right.") for x in at.success)


def wrongs(at) -> int:
    return sum("Not quite" in x.value for x in at.error)


def test_min_count_exercise_matches_the_preview():
    from lab.vocab_view import exercises

    at = open_page()
    s = Settings()
    ex = next(e for e in exercises(build_lesson(s), s) if e.key == "text.min_count")
    m = int(ex.prompt.split("**")[1])
    at.slider(key="text_min_count_preview").set_value(m).run()
    assert metric(at, "V would be") == f"{ex.answer:,}"


def test_cosine_colour_caption_matches_the_figure():
    at = open_page()
    scale = chart(at, "text_one_hot_cosine")["data"][0]["colorscale"]
    low, high = scale[0][1], scale[-1][1]  # the colours at zmin = -1 and zmax = +1
    r, _, b = (int(v) for v in low[4:-1].split(","))
    assert r > b  # -1 is red
    r, _, b = (int(v) for v in high[4:-1].split(","))
    assert b > r  # +1 is blue
    assert any("blue = +1" in c.value and "red = −1" in c.value for c in at.caption)
