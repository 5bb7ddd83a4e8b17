"""AppTest of the live-training page: each run() is one tick of the fragment."""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from lab.lesson import Settings, build_lesson
from tests.apptest import metric, open_page, trainer

ROOT = Path(__file__).resolve().parents[1]


def page() -> AppTest:
    return open_page("app_pages/train.py")


def test_ticks_lower_the_loss_and_change_w_in():
    at = page()
    tr = trainer(at)
    W0 = tr.W_in_.copy()
    at.button(key="train_start").click().run()
    first = tr.history_.loss[0][1]
    for _ in range(8):
        at.run()
    assert not at.exception
    tr = trainer(at)
    assert tr.examples_seen_ >= 8 * 500
    assert tr.history_.loss[-1][1] < first
    assert not np.allclose(tr.W_in_, W0)
    assert metric(at, "Examples seen") == f"{tr.examples_seen_:,}"
    # successive PCA frames are aligned: Procrustes moves points less than raw PCA
    frame = at.session_state["live_frame"]
    assert frame.residual_aligned <= frame.residual_raw + 1e-12
    charts = {c.proto.spec for c in at.get("plotly_chart")}
    assert any("W_in = E" in spec for spec in charts)


def test_changed_settings_keep_the_trained_model_until_a_new_one_is_started():
    at = page()
    at.button(key="train_start").click().run()
    at.button(key="train_start").click().run()  # pause
    tr = trainer(at)
    seen = tr.examples_seen_
    assert seen > 0
    at.slider(key="w_dim").set_value(12).run()
    assert not at.exception
    assert any("changed since your model was trained" in w.value for w in at.warning)
    assert trainer(at) is tr and tr.examples_seen_ == seen  # nothing lost
    at.button(key="train_apply_settings").click().run()
    assert trainer(at).config.dim == 12 and trainer(at).examples_seen_ == 0
    assert not at.warning and not at.exception


def test_pause_stops_all_change():
    at = page()
    at.button(key="train_start").click().run()
    at.run()
    at.button(key="train_start").click().run()  # now "Pause"
    tr = trainer(at)
    seen, W = tr.examples_seen_, tr.W_in_
    for _ in range(3):
        at.run()
    assert trainer(at).examples_seen_ == seen
    assert trainer(at).W_in_ is W


def test_step_shows_then_applies_exactly_one_example():
    at = page()
    at.button(key="train_run_100").click().run()
    seen = trainer(at).examples_seen_
    at.button(key="train_step").click().run()
    assert trainer(at).examples_seen_ == seen  # first press: forward pass only
    assert any("not applied yet" in m.value for m in at.markdown)
    at.button(key="train_step").click().run()
    assert trainer(at).examples_seen_ == seen + 1


def test_reset_restores_the_seeded_initial_state():
    at = page()
    at.button(key="train_run_500").click().run()
    at.button(key="train_reset").click().run()
    tr = trainer(at)
    assert tr.examples_seen_ == 0
    from w2v_core.trainer import Trainer

    s = Settings()
    fresh = Trainer(s.config()).prepare(build_lesson(s).sentences)
    np.testing.assert_array_equal(tr.W_in_, fresh.W_in_)


def test_huge_learning_rate_shows_divergence_and_keeps_last_good_model():
    at = page()
    at.button(key="train_run_100").click().run()
    at.toggle(key="train_fix_lr").set_value(True).run()
    at.number_input(key="train_lr").set_value(50.0).run()
    for _ in range(30):
        at.button(key="train_run_500").click().run()
        if at.error:
            break
    assert at.error and "diverged" in at.error[0].value
    tr = trainer(at)
    assert np.isfinite(tr.W_in_).all() and np.isfinite(tr.W_out_).all()
    assert not at.exception


@pytest.mark.parametrize("source", ["fox", "nlp", "generated"])
def test_runs_on_other_corpora(source):
    at = page()
    if source == "generated":
        at.radio(key="w_source").set_value("generated").run()
    else:
        at.selectbox(key="w_preset").set_value(source).run()
    at.button(key="train_run_500").click().run()
    assert not at.exception
    at.button(key="train_tsne").click().run()
    assert not at.exception
