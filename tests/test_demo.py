"""The flagship demo: each preset's suggested analogy comes out right after the default
lesson training, on a handful of seeds (benchmarks/bench_demo.py counts all 20).

Trained and asked as the app does it: ``build_lesson`` and ``Settings.config()`` for the
run, Explore's ``train_to_end`` for the training, and Explore's ``explain_analogy`` and
``neighbour_rows`` on W_in for the questions.
"""

import pytest

from lab import explore_view as ev
from lab.lesson import Settings, build_lesson
from w2v_core.corpora import PRESETS
from w2v_core.trainer import Trainer

SEEDS = range(5)
SUGGESTED = [(key, q) for key, p in PRESETS.items() for q in p.analogies]


def trained_vectors(s: Settings) -> ev.Vectors:
    tr = Trainer(s.config()).prepare(build_lesson(s).sentences)
    ev.train_to_end(tr)
    assert tr.done
    return ev.live_vectors(tr, "W_in")


@pytest.fixture(scope="module")
def royalty_runs() -> list[ev.Vectors]:
    return [trained_vectors(Settings(seed=seed)) for seed in SEEDS]


def test_the_default_lesson_is_the_royalty_preset():
    s = Settings()
    assert (s.source, s.preset) == ("preset", "royalty")
    assert ("man", "king", "woman", "queen") in PRESETS["royalty"].analogies


def test_king_minus_man_plus_woman_is_queen(royalty_runs):
    for vec in royalty_runs:
        view = ev.explain_analogy(vec, "man", "king", "woman", k=3)
        assert view.add[0][0] == "queen", view.add


def test_queen_is_among_kings_three_nearest_neighbours(royalty_runs):
    for vec in royalty_runs:
        top3 = [r["word"] for r in ev.neighbour_rows(vec, "king", 3)]
        assert "queen" in top3, top3


def test_kings_neighbour_cosines_spread_out(royalty_runs):
    for vec in royalty_runs:
        cosines = [r["cosine"] for r in ev.neighbour_rows(vec, "king", 5)]
        assert max(cosines) - min(cosines) > 0.05, cosines


def test_people_differ_by_their_attributes(royalty_runs):
    """king's nearest people differ from him in one attribute; boy and girl, in two, are
    further than at least one of queen, man and prince."""
    for vec in royalty_runs:
        cos = {r["word"]: r["cosine"] for r in ev.neighbour_rows(vec, "king", vec.V - 1)}
        assert max(cos["queen"], cos["man"], cos["prince"]) > max(cos["boy"], cos["girl"])


@pytest.mark.parametrize(("key", "quad"), [s for s in SUGGESTED if s[0] != "royalty"])
def test_other_suggested_analogies_come_out_right(key, quad):
    a, b, c, d = quad
    for seed in SEEDS:
        vec = trained_vectors(Settings(preset=key, seed=seed))
        assert ev.explain_analogy(vec, a, b, c, k=3).add[0][0] == d


@pytest.mark.parametrize(("key", "quad"), SUGGESTED)
def test_explore_asks_the_suggested_analogy_first(key, quad):
    les = build_lesson(Settings(preset=key))
    assert ev.default_analogy(les.vocab.words, les.analogies) == quad[:3]
