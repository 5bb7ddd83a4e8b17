"""The per-session memory estimate bounds what a trainer really holds, and the cap bites."""

import pytest
from streamlit.testing.v1 import AppTest

from lab.budget import MAX_SESSION_BYTES, budget_error, session_bytes
from lab.lesson import Settings, build_lesson
from tests.test_links import ROOT
from w2v_core.trainer import Trainer


@pytest.mark.parametrize(
    "s",
    [
        Settings(),
        Settings(source="generated", generated_tokens=50_000, window=5, dim=50),
        Settings(source="generated", generated_tokens=50_000, window=3, model="cbow"),
        Settings(preset="fruit", loss="hs", dim=30),
    ],
    ids=["royalty", "generated-sg", "generated-cbow", "fruit-hs"],
)
def test_estimate_bounds_the_trainer(s):
    les = build_lesson(s)
    tr = Trainer(s.config()).prepare(les.sentences)
    for _ in range(3):
        tr.advance(5_000)
    assert tr.nbytes <= session_bytes(les, s)
    assert tr.history_.nbytes <= s.config().history_bytes


def test_cap_refuses_a_model_too_big_and_keeps_settings():
    s = Settings(source="generated", generated_tokens=1_000_000, window=10, dim=100)
    les = build_lesson(s)
    assert session_bytes(les, s) > MAX_SESSION_BYTES
    assert "at most 256 MB" in budget_error(les, s)
    assert budget_error(les, s.replace(window=2, dim=10)) is None


def test_the_sidebar_states_the_cap():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"source": "generated", "tokens": "1000000", "window": "10",
                            "dim": "100"})  # fmt: skip
    at.run()
    assert not at.exception
    # the link's settings are refused up front: the defaults are used, and shown
    assert any("256 MB" in w.value and "defaults are used" in w.value for w in at.warning)
    assert at.session_state["lesson_settings"] == Settings()
    assert at.slider(key="w_window").value == Settings().window
    assert at.slider(key="w_dim").value == Settings().dim
