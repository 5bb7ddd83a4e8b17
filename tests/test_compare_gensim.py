"""The gensim snippet of the "Compare runs" page, run for real: same vocabulary, same numbers.

gensim is a test dependency (requirements-dev.txt). The snippet from
``compare_view.gensim_code`` is executed as the user would paste it, on a preset's
sentences, and the trained gensim model's vocabulary and hyperparameters are checked
against our trainer's for the same settings.
"""

import numpy as np
import pytest

from lab import compare_view as cv
from lab.lesson import Settings, build_lesson
from w2v_core.trainer import Trainer

gensim = pytest.importorskip("gensim")


def run_snippet(cfg, sentences):
    scope = {"sentences": [list(s) for s in sentences]}
    exec(compile(cv.gensim_code(cfg), "<gensim snippet>", "exec"), scope)  # noqa: S102
    return scope["model"], scope["W_in"]


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"model": "cbow", "window": 3, "dim": 7},
        {"loss": "hs", "min_count": 2, "sample": 1e-3, "dynamic_window": True},
        {"negative": 12, "noise_alpha": 0.5, "alpha": 0.01, "epochs": 2},
    ],
)
def test_gensim_snippet_matches_our_vocabulary_and_parameters(changes):
    s = Settings(epochs=3).replace(**changes)
    les = build_lesson(s)
    cfg = s.config()
    model, W_in = run_snippet(cfg, les.sentences)
    ours = Trainer(cfg).prepare(les.sentences)
    # vocabulary: the same words with the same counts (ties may be ordered differently)
    theirs = {w: model.wv.get_vecattr(w, "count") for w in model.wv.index_to_key}
    mine = dict(zip(ours.vocab_.words, (int(c) for c in ours.vocab_.counts), strict=True))
    assert theirs == mine
    # parameters
    assert model.vector_size == cfg.dim and W_in.shape == (len(mine), cfg.dim)
    assert model.window == cfg.window and model.shrink_windows == cfg.dynamic_window
    assert model.sg == (cfg.model == "skipgram") and model.hs == (cfg.loss == "hs")
    assert model.negative == (cfg.negative if cfg.loss == "negative" else 0)
    assert model.ns_exponent == pytest.approx(cfg.noise_alpha)
    assert model.alpha == pytest.approx(cfg.alpha) and model.min_alpha == pytest.approx(
        cfg.min_alpha
    )
    assert model.sample == pytest.approx(cfg.sample) and model.epochs == cfg.epochs
    assert model.seed == cfg.seed and np.isfinite(W_in).all()


def test_full_softmax_says_gensim_has_none():
    code = cv.gensim_code(Settings(loss="softmax").config())
    assert "no full softmax" in code and "hs=1" in code and "negative=0" in code


def test_torch_loop_uses_the_settings():
    cfg = Settings(dim=16, negative=7, batch_size=32, alpha=0.02).config()
    code = cv.torch_code(cfg)
    compile(code, "<torch snippet>", "exec")  # valid Python
    assert "V, d, k = len(vocab), 16, 7" in code and "split(32)" in code and "lr=0.02" in code
