"""Bad input in the shared sidebar: a clear message, the app keeps running, nothing is lost.

Markup in pasted text and extreme settings on every page are in test_hostile (one session
visits every page per case)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lab.lesson import MAX_TEXT_BYTES, Settings, build_lesson
from tests.apptest import plain
from w2v_core.errors import CorpusError

ROOT = Path(__file__).resolve().parents[1]


def settings(at) -> Settings:
    return at.session_state["lesson_settings"]


def pasted(text: str, page: str = "app_pages/text.py") -> AppTest:
    """Paste the fox sentence first (a good corpus), then ``text``."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page(page).run()
    at.radio(key="w_source").set_value("paste").run()
    at.text_area(key="w_paste").input("the quick brown fox jumped over the lazy dog").run()
    assert settings(at).text.startswith("the quick")
    at.text_area(key="w_paste").input(text).run()
    return at


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("   \n\t  ", "empty"),
        ("hello", "one distinct word"),
        ("... !!! ??? ---", "No words"),
        ("🙂🙂🙂 🎉", "No words"),
    ],
)
def test_unusable_text_keeps_the_previous_corpus(text, message):
    at = pasted(text)
    assert not at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert "kept" in at.error[0].value
    assert settings(at).text.startswith("the quick")  # nothing the user had is lost


def test_oversized_text_is_refused_with_the_limit():
    big = "word " * (MAX_TEXT_BYTES // 5 + 10)
    with pytest.raises(CorpusError, match="MB limit"):
        build_lesson(Settings(source="paste", text=big))


def test_min_count_that_removes_every_word():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.number_input(key="w_min_count").set_value(500).run()
    assert not at.exception
    assert any("min_count" in plain(e.value) for e in at.error)
    assert settings(at).min_count == 1  # previous settings kept


def test_window_longer_than_every_sentence_is_explained():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.selectbox(key="w_preset").set_value("fox").run()
    at.slider(key="w_window").set_value(10).run()
    assert not at.exception
    assert any("reaches past every sentence" in w.value for w in at.warning)
    assert settings(at).window == 10
