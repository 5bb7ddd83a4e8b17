"""Lesson links: settings <-> query parameters, and the app opening a link."""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from lab.lesson import Settings, build_lesson
from lab.links import PARAMS, params_to_settings, parse_value, settings_to_params
from lab.session import SHARE_OPEN
from tests.apptest import plain
from w2v_core.trainer import Trainer

ROOT = Path(__file__).resolve().parents[1]


def test_round_trip_of_every_field():
    s = Settings(source="generated", generated_tokens=7000, model="cbow", loss="softmax", dim=17,
                 window=4, negative=9, noise_alpha=0.5, min_count=2, sample=1e-4, alpha=0.0125,
                 epochs=3, seed=1234)  # fmt: skip
    params = settings_to_params(s)
    assert all(isinstance(v, str) for v in params.values())
    back, notices = params_to_settings(params, Settings())
    assert notices == []
    assert back == s


def test_preset_link_carries_the_preset_not_tokens():
    params = settings_to_params(Settings(preset="fruit"))
    assert params["source"] == "preset" and params["preset"] == "fruit"
    assert "tokens" not in params


def test_pasted_text_does_not_travel():
    s = Settings(source="paste", text="a b c", window=3)
    params = settings_to_params(s)
    assert "source" not in params and "a b c" not in params.values()
    back, _ = params_to_settings(params, Settings())
    assert back.source == "preset" and back.window == 3
    _, notices = params_to_settings({"source": "paste"}, Settings())
    assert "cannot travel" in notices[0]


@pytest.mark.parametrize(
    "name, raw, why",
    [
        ("window", "99", "outside 1..10"),
        ("window", "2.5", "whole number"),
        ("dim", "abc", "not a number"),
        ("alpha", "nan", "finite"),
        ("sample", "0.5", "one of"),
        ("model", "glove", "one of"),
        ("preset", "../etc", "one of"),
        ("seed", "-1", "outside"),
    ],
)
def test_bad_value_falls_back_with_a_notice(name, raw, why):
    with pytest.raises(ValueError, match=why):
        parse_value(name, raw)
    base = Settings()
    s, notices = params_to_settings({name: raw, "epochs": "3"}, base)
    field = PARAMS[name]
    assert getattr(s, field) == getattr(base, field)  # the default
    assert s.epochs == 3  # good values still apply
    assert len(notices) == 1 and name in notices[0] and "default" in notices[0]


def test_unknown_parameter_is_named_and_streamlit_params_are_quiet():
    s, notices = params_to_settings({"colour": "red", "embed": "true"}, Settings())
    assert s == Settings()
    assert len(notices) == 1 and "colour" in notices[0]


def test_list_values_take_the_last():
    s, _ = params_to_settings({"window": ["2", "5"]}, Settings())
    assert s.window == 5


# ---- the app -------------------------------------------------------------------------


def open_link(params: dict, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(params)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception
    return at


def test_link_sets_the_sidebar_and_the_run_seed_included():
    link = {"source": "generated", "tokens": "5000", "window": "3", "dim": "8",
            "negative": "4", "alpha": "0.03", "epochs": "2", "seed": "7"}  # fmt: skip
    at = open_link(link, "app_pages/train.py")
    s = at.session_state["lesson_settings"]
    assert (s.source, s.generated_tokens, s.window, s.dim, s.seed) == ("generated", 5000, 3, 8, 7)
    assert at.slider(key="w_window").value == 3
    assert at.number_input(key="w_seed").value == 7
    assert not at.warning or all("link" not in w.value for w in at.warning)
    # the same run: seeded like a trainer built from the link's settings, and a second
    # student opening the same link gets the same weights after the same ticks
    tr0 = at.session_state["lesson_trainer"].trainer
    ref = Trainer(s.config()).prepare(build_lesson(s).sentences)
    np.testing.assert_array_equal(tr0.W_in_, ref.W_in_)
    runs = []
    for app in (at, open_link(link, "app_pages/train.py")):
        app.button(key="train_start").click().run()
        app.run()
        runs.append(app.session_state["lesson_trainer"].trainer)
    assert runs[0].examples_seen_ == runs[1].examples_seen_ > 0
    np.testing.assert_array_equal(runs[0].W_in_, runs[1].W_in_)
    assert not np.array_equal(runs[0].W_out_, ref.W_out_)  # trained (W_in moves from the 2nd)


def test_bad_link_value_shows_a_notice_and_keeps_the_default():
    at = open_link({"window": "99", "seed": "5"})
    s = at.session_state["lesson_settings"]
    assert s.window == Settings().window and s.seed == 5
    assert any("window='99'" in plain(w.value) for w in at.warning)
    at.slider(key="w_window").set_value(4).run()  # the notice goes once the user moves on
    assert not any("window='99'" in plain(w.value) for w in at.warning)


def test_the_url_follows_the_sidebar():
    at = open_link({})
    at.slider(key="w_window").set_value(4).run()
    at.number_input(key="w_seed").set_value(11).run()
    assert at.query_params["window"] == "4" and at.query_params["seed"] == "11"
    assert params_to_settings(at.query_params, Settings())[0] == at.session_state["lesson_settings"]
    assert not at.code  # the share box is closed: its link is drawn once it is opened
    at.session_state[SHARE_OPEN] = True
    at.run()
    assert any("seed=11" in c.value for c in at.code)


def test_batch_size_and_dynamic_window_travel_in_a_link():
    s, notices = params_to_settings({"batch": "1", "dynamic": "1"}, Settings())
    assert (s.batch_size, s.dynamic_window, notices) == (1, True, [])
    assert settings_to_params(s)["batch"] == "1" and settings_to_params(s)["dynamic"] == "1"
    assert params_to_settings(settings_to_params(s), Settings())[0] == s
    bad, notices = params_to_settings({"batch": "3", "dynamic": "maybe"}, Settings())
    assert bad == Settings() and len(notices) == 2


def test_the_generated_corpus_difficulty_travels_in_a_link():
    s, notices = params_to_settings({"source": "generated", "difficulty": "0.25"}, Settings())
    assert not notices and s.generated_difficulty == 0.25
    assert settings_to_params(s)["difficulty"] == "0.25"
    assert "difficulty" not in settings_to_params(Settings(preset="royalty"))
