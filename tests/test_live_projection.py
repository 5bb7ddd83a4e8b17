"""The live projection's engine: warm-started t-SNE steps, alignment, movement, fallbacks."""

import numpy as np
import pytest

from lab import live
from w2v_core.errors import W2VError
from w2v_core.projection import live_perplexity, movement, procrustes_align, tsne_step


def clusters(n=40, d=10, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(4, d)) * 3  # (4, d)
    return centres[np.arange(n) % 4] + rng.normal(size=(n, d))  # (n, d)


@pytest.mark.parametrize(
    "X",
    [np.ones((20, 5)), np.zeros((20, 5)), clusters()[:2], clusters()[:3], clusters()[:4]],
    ids=["identical", "zeros", "2 words", "3 words", "4 words"],
)
def test_tsne_step_refuses_what_it_cannot_lay_out(X):
    with pytest.raises(W2VError):
        tsne_step(X)
    f = live.live_frame(X, None, "tsne")  # the page's frame: PCA with a note, never a crash
    assert f.method == "pca" and "showing PCA" in f.note and np.isfinite(f.points).all()


def test_warm_steps_continue_the_layout_and_keep_clusters_apart():
    X = clusters()
    Y = tsne_step(X, seed=1)  # (n, 2) the first frame
    Y2 = tsne_step(X, Y, n_iter=10, seed=1)  # a few more iterations from Y
    fresh = tsne_step(X, None, seed=2)
    assert movement(Y, procrustes_align(Y2, Y)) < movement(Y, procrustes_align(fresh, Y))
    labels = np.arange(len(X)) % 4
    d = np.linalg.norm(Y2[:, None] - Y2[None], axis=2)  # (n, n)
    same = d[labels[:, None] == labels[None]].mean()
    assert same < d[labels[:, None] != labels[None]].mean() / 2  # the 4 clusters stay apart


def test_movement_falls_as_the_layout_settles_and_is_nan_when_unmatched():
    X = clusters()
    f = live.live_frame(X, None, "tsne")
    moves = []
    for _ in range(5):
        f = live.live_frame(X, f, "tsne")
        moves.append(f.movement)
    assert moves[-1] < moves[0]
    assert np.isnan(movement(np.zeros((3, 2)), np.zeros((4, 2))))
    assert np.isnan(movement(np.zeros((3, 2)), np.zeros((3, 2))))  # no spread


def test_frames_are_aligned_and_perplexity_is_lowered_for_few_words():
    X = clusters(12)
    f = live.live_frame(X, None, "tsne", perplexity=30)
    assert "lowered from 30 to 3.7" in f.note and live_perplexity(30, 12) == pytest.approx(11 / 3)
    g = live.live_frame(X, f, "tsne", perplexity=30)
    assert g.residual_aligned <= g.residual_raw + 1e-12  # aligned onto the previous frame


def test_umap_without_umap_learn_says_so():
    f = live.live_frame(clusters(), None, "umap")
    if live.umap_available():
        assert f.method == "umap"
    else:
        assert f.method == "pca" and "umap-learn" in f.note


def test_record_keeps_one_projection_and_thins():
    f = live.live_frame(clusters(), None, "pca")
    t = ()
    for i in range(300):
        t = live.record(t, i, f, max_len=50)
    assert len(t) <= 50 and t[0][0] == 0 and t[-1][0] == 299
    g = live.live_frame(clusters(), None, "tsne")
    assert live.record(t, 300, g) == ((300, "tsne", g.points),)  # a new method: a new track


@pytest.mark.parametrize("n, perplexity", [(12, 3.0), (100, 10.0), (300, 30.0)])
def test_affinities_are_opentsne_s(n, perplexity):
    from openTSNE import affinity

    from w2v_core.projection import perplexity_affinities

    X = clusters(n, 20, seed=n)
    ours = perplexity_affinities(X, perplexity).toarray()  # (n, n)
    theirs = affinity.PerplexityBasedNN(X, perplexity=perplexity, method="exact",
                                        random_state=0).P.toarray()  # fmt: skip
    np.testing.assert_allclose(ours, theirs, atol=1e-5)
    np.testing.assert_allclose(ours, ours.T)
    assert ours.sum() == pytest.approx(1.0)


# ---- both pages' sections draw alone (the guided tour shows any subset) --------------------

LIVE_SECTIONS = ("intro", "controls", "options", "metrics", "heatmaps", "projection", "loss",
                 "neighbours", "objective", "replay", "exercises")  # fmt: skip
COUNT_SECTIONS = ("intro", "controls", "neighbours", "fit", "exercises")


@pytest.mark.parametrize(
    "page, name",
    [("train.py", s) for s in LIVE_SECTIONS] + [("count_predict.py", s) for s in COUNT_SECTIONS],
)
def test_each_section_draws_alone_in_the_tour(page, name, monkeypatch):
    import sys
    import types

    from lab.tour import STEP, Step
    from tests.apptest import open_page

    fake = types.ModuleType("lab.tour_steps")
    fake.TOUR = (Step(page, (name,), "The idea.", "Look here."),)
    monkeypatch.setitem(sys.modules, "lab.tour_steps", fake)
    at = open_page(f"app_pages/{page}", **{STEP: 0, "train_proj": "tsne"})
    at.run()  # a second run: a tick of the live sections
    assert not at.exception, (page, name, at.exception)
    assert any("The idea." in m.value for m in at.markdown)  # the tour's banner
    shown = {"intro": "title", "exercises": "subheader"}.get(name)
    if shown:
        assert len(getattr(at, shown)) >= 1
    if name not in ("intro",) and page == "train.py":
        assert not at.title  # the other sections are not drawn
