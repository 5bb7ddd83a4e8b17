"""Unit tests of lab/compare_view.py: runs that differ in one knob, caps, sweeps."""

import numpy as np
import pytest

from lab import compare_view as cv
from lab.figures.compare import epoch_curves, sweep_figure
from lab.lesson import Settings, build_lesson
from w2v_core.errors import W2VError
from w2v_core.pairs import cbow_examples, pair_count


@pytest.fixture(scope="module")
def royalty():
    s = Settings(epochs=4)
    return s, build_lesson(s)


@pytest.fixture(scope="module")
def generated():
    s = Settings(source="generated", generated_tokens=3_000, epochs=2)
    return s, build_lesson(s)


@pytest.mark.parametrize("knob", list(cv.KNOBS))
def test_configs_differ_only_in_the_knob(royalty, knob):
    s, _ = royalty
    kb = cv.KNOBS[knob]
    a, b = cv.run_config(s, knob, kb.a, 3), cv.run_config(s, knob, kb.b, 3)
    da, db = a.to_dict(), b.to_dict()
    assert {k for k in da if da[k] != db[k]} == {knob}
    assert da[knob] == kb.a and db[knob] == kb.b and a.seed == s.seed
    assert a.epochs == (kb.a if knob == "epochs" else 3)  # the cap never changes the knob
    assert kb.a in kb.options and kb.b in kb.options and set(kb.sweep) <= set(kb.options)
    # everything else is the sidebar's
    assert {k: v for k, v in da.items() if k not in (knob, "epochs")} == {
        k: v for k, v in s.config().to_dict().items() if k not in (knob, "epochs")
    }


def test_trained_runs_differ_only_in_the_knob(royalty):
    s, les = royalty
    cmp = cv.run_all(s, les, "window", [1, 4], ["A", "B"])
    a, b = (r.config.to_dict() for r in cmp.runs)
    assert {k for k in a if a[k] != b[k]} == {"window"}
    assert [r.label for r in cmp.runs] == ["A", "B"] and cmp.values == (1, 4)
    assert cmp.runs[0].words == cmp.runs[1].words  # the same corpus
    assert not np.array_equal(cmp.runs[0].W_in, cmp.runs[1].W_in)


def test_same_seed_gives_identical_results(royalty):
    s, les = royalty
    one = cv.run_all(s, les, "dim", [5, 20])
    two = cv.run_all(s, les, "dim", [5, 20])
    for r1, r2 in zip(one.runs, two.runs, strict=True):
        np.testing.assert_array_equal(r1.W_in, r2.W_in)
        assert r1.epoch_loss == r2.epoch_loss and r1.scores == r2.scores
    same = cv.run_all(s, les, "dim", [10, 10])
    np.testing.assert_array_equal(same.runs[0].W_in, same.runs[1].W_in)
    assert same.runs[0].epoch_loss == same.runs[1].epoch_loss


def test_score_curve_has_one_point_per_epoch(royalty):
    s, les = royalty
    cmp = cv.run_all(s, les, "negative", [1, 10])
    assert cmp.plan.epochs == s.epochs == 4
    for r in cmp.runs:
        assert len(r.scores) == len(r.epoch_loss) == r.epochs_done == 4
        assert all(0.0 <= x <= 1.0 for x in r.scores)
        assert len(r.advance_loss) >= 4
        assert r.final_score == r.scores[-1]
        assert r.words_per_sec > 0


def test_results_are_read_only_copies(royalty):
    s, les = royalty
    r = cv.run_all(s, les, "window", [2]).runs[0]
    assert not r.W_in.flags.writeable
    with pytest.raises(ValueError):
        r.W_in[0, 0] = 1.0
    with pytest.raises(AttributeError):
        r.label = "C"  # frozen


def test_window_sweep_on_the_generated_corpus_scores_in_unit_interval(generated):
    s, les = generated
    values = [1, 2, 4, 6]
    seen = []
    cmp = cv.run_all(s, les, "window", values, on_progress=lambda f, t: seen.append((f, t)))
    xs, ys, _, failed = cv.sweep_points(cmp)
    assert xs == values and not failed and len(ys) == len(values)
    assert all(0.0 <= y <= 1.0 for y in ys)
    assert cmp.has_scores and cv.score_label(cmp) == "category@k"
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)
    assert any(t.startswith("Run 3 of 4 (window = 4, seed 0)") for _, t in seen)
    rows = cv.sweep_table(cmp)
    assert [r["setting"] for r in rows] == ["window = 1", "window = 2", "window = 4", "window = 6"]
    assert all(r["status"] == "finished" and r["epochs"] == 2 for r in rows)


def test_divergence_is_captured_not_raised(royalty):
    s, les = royalty
    cmp = cv.run_all(s, les, "alpha", [0.05, 50.0], ["A", "B"])
    a, b = cmp.runs
    assert a.diverged is None and a.epochs_done == s.epochs and np.isfinite(a.final_loss)
    assert b.diverged and "diverged" in b.diverged
    assert np.isfinite(b.W_in).all()  # the last good state
    xs, _, _, failed = cv.sweep_points(cmp)
    assert xs == [0.05] and failed == [50.0]
    assert [r["status"] for r in cv.sweep_table(cmp)] == ["finished", "1 of 1 diverged"]


def test_without_categories_the_sweep_scores_the_loss():
    s = Settings(preset="fox", epochs=3)
    cmp = cv.run_all(s, build_lesson(s), "window", [1, 3])
    assert not cmp.has_scores and all(r.scores is None for r in cmp.runs)
    assert "loss" in cv.score_label(cmp)
    _, ys, _, _ = cv.sweep_points(cmp)
    assert ys == [r.epoch_loss[-1] for r in cmp.runs]


def test_examples_per_sentence_counts_the_real_examples(generated):
    s, les = generated
    lengths = np.bincount(les.corpus.sentence, minlength=len(les.sentences))
    for w in (1, 3, 7):
        sg = cv.examples_per_sentence(cv.run_config(s, "window", w), lengths)
        assert sg.sum() == pair_count(les.corpus, w)
        cfg = cv.run_config(s, "model", "cbow").replace(window=w)
        assert cv.examples_per_sentence(cfg, lengths).sum() == len(cbow_examples(les.corpus, w))


def test_the_cap_cuts_epochs_first_then_the_corpus(generated):
    s, les = generated
    s = s.replace(epochs=50)
    full = cv.plan(s, les, "window", [1, 2], budget=1e6)
    assert not full.cut and full.epochs == 50 and full.sentences == full.sentences_all
    fewer = cv.plan(s, les, "window", [1, 2], budget=full.seconds / 5)
    assert 1 <= fewer.epochs < 50 and fewer.sentences == fewer.sentences_all
    assert fewer.seconds <= fewer.budget
    assert f"{fewer.epochs} of the sidebar's 50 epochs" in fewer.describe(2)
    tiny = cv.plan(s, les, "window", [1, 2], budget=full.seconds / 500)
    assert tiny.epochs == 1 and 1 <= tiny.sentences < tiny.sentences_all
    assert tiny.tokens < tiny.tokens_all and "first" in tiny.describe(2)
    cmp = cv.run_all(s, les, "window", [1, 2], budget=tiny.budget)
    assert cmp.plan == tiny and all(r.config.epochs == 1 for r in cmp.runs)
    # seeds multiply the cost: three seeds get fewer epochs under the same cap
    assert cv.plan(s, les, "window", [1, 2], budget=fewer.budget, seeds=3).epochs < fewer.epochs
    # the epochs knob keeps its values: the cap cuts the corpus instead
    ep = cv.plan(s, les, "epochs", [5, 50], budget=fewer.budget)
    assert ep.epochs_knob and ep.sentences < ep.sentences_all
    # costlier settings get fewer epochs under the same cap
    assert cv.plan(s, les, "window", [8, 10], budget=fewer.budget).epochs < fewer.epochs


def test_bad_requests_raise_readable_errors(royalty):
    s, les = royalty
    with pytest.raises(W2VError, match="at least one"):
        cv.run_all(s, les, "window", [])
    with pytest.raises(W2VError, match="At most"):
        cv.run_all(s, les, "window", list(range(1, cv.MAX_SWEEP_VALUES + 2)))
    with pytest.raises(W2VError, match="unknown knob"):
        cv.run_config(s, "colour", 1)
    assert cv.knob_note(s.replace(loss="softmax"), "negative")
    assert cv.knob_note(s, "negative") is None


def test_default_queries_and_neighbours(royalty):
    s, les = royalty
    r = cv.run_all(s, les, "window", [2]).runs[0]
    q = cv.default_queries(r.words, les.categories)
    assert len(q) == 3 and len({les.categories[w] for w in q}) == 3
    nb = cv.neighbours(r, [*q, "not-a-word"])
    assert nb["not-a-word"] == "–"
    assert all(len(nb[w].split(", ")) == cv.K_NEIGHBOURS for w in q)
    assert cv.default_queries(["the", "a", "b", "c"], {}) == ["a", "b", "c"]


def test_figures_have_one_trace_per_run_and_fixed_axes():
    fig = epoch_curves([("A", [3.0, 2.0, 1.5]), ("B", [])], "loss")
    assert [len(t.x) for t in fig.data] == [3, 0]
    assert fig.layout.xaxis.range == (0.5, 3.5) and fig.layout.uirevision == "keep"
    assert fig.layout.yaxis.range[0] < 1.5 < 3.0 < fig.layout.yaxis.range[1]
    sw = sweep_figure([2, 5, 100], [0.2, 0.5, 0.9], "d", "score", log_x=True, y_range=[0, 1])
    assert len(sw.data[0].x) == 3 and sw.layout.xaxis.type == "log"
    cat = sweep_figure(["skipgram", "cbow"], [0.4, 0.6], "model", "score", categorical=True)
    assert list(cat.data[0].x) == ["skipgram", "cbow"] and cat.layout.xaxis.range == (-0.5, 1.5)


def test_window_note_names_the_windows_wider_than_every_sentence(royalty):
    s, les = royalty
    top = les.longest_sentence - 1
    assert cv.window_note(les, "window", [1, top]) is None
    note = cv.window_note(les, "window", [1, top + 1, top + 3])
    assert f"windows {top + 1}, {top + 3} make the same pairs as window {top}" in note
    assert "window 9 makes" in cv.window_note(les, "window", [9])
    assert cv.window_note(les, "dim", [100]) is None
    # and indeed: the runs come out identical
    cmp = cv.run_all(s, les, "window", [top, top + 2])
    np.testing.assert_array_equal(cmp.runs[0].W_in, cmp.runs[1].W_in)


# ---- seeds, spreads, scores ---------------------------------------------------------------


def test_seeds_give_mean_and_sample_sd_per_setting(royalty):
    s, les = royalty
    cmp = cv.run_all(s, les, "window", [1, 3], seeds=3)
    assert cmp.seeds == 3 and [r.seed for r in cmp.runs] == [0, 1, 2, 0, 1, 2]
    assert cmp.values == (1, 3) and [r.value for r in cmp.first] == [1, 3]
    finals = [r.final_score for r in cmp.group(3)]
    assert len(set(finals)) > 1 or len(set(r.final_loss for r in cmp.group(3))) > 1  # seeds differ
    sp = cv.spreads(cmp, "category")[1]
    assert sp.mean == pytest.approx(np.mean(finals)) and sp.sd == pytest.approx(
        np.std(finals, ddof=1)
    )
    _, ys, sds, _ = cv.sweep_points(cmp, "category")
    assert ys[1] == pytest.approx(sp.mean) and sds[1] == pytest.approx(sp.sd)
    # only the first seed keeps W_in (memory); every run keeps its scores and timings
    assert cmp.first[0].W_in.shape[0] > 0 and cmp.runs[1].W_in.shape[0] == 0
    assert all(r.seconds > 0 and r.examples > 0 and r.examples_per_sec > 0 for r in cmp.runs)
    with pytest.raises(W2VError, match="Seeds"):
        cv.run_all(s, les, "window", [1], seeds=cv.MAX_SEEDS + 1)


def test_verdict_labels_gaps_inside_the_seed_spread():
    from w2v_core.compare import best_beyond_spread, spread, within_spread

    a, b, c = spread([0.5, 0.6, 0.7]), spread([0.62, 0.66, 0.7]), spread([0.9, 0.91, 0.92])
    assert a.sd == pytest.approx(0.1) and a.text() == "0.600 ± 0.100"
    assert within_spread(a, b) and not within_spread(a, c)
    assert best_beyond_spread([a, b, c]) == (2, [])
    assert best_beyond_spread([a, b]) == (1, [0])
    one = spread([0.4])
    assert np.isnan(one.sd) and within_spread(one, c) and one.text() == "0.400"
    assert spread([None, float("nan")]).n == 0


def test_analogy_scores_come_from_the_runs_vectors(generated):
    from w2v_core.analysis import analogy_score

    s, les = generated
    cmp = cv.run_all(s, les, "window", [2], seeds=1)
    r = cmp.runs[0]
    assert les.analogies and cmp.has_analogies
    for method, got in (("add", r.analogy_add), ("mul", r.analogy_mul)):
        want = analogy_score(r.W_in.astype(np.float64), list(r.words), les.analogies, method)
        assert got == pytest.approx(want) and 0.0 <= got <= 1.0


def test_numba_runs_match_numpy_runs(royalty):
    s, les = royalty
    cfg = cv.run_config(s, "window", 2, 2)
    assert cv.fast_config(cfg).backend == "numba"
    assert cv.fast_config(cfg.replace(loss="hs")).backend == cfg.backend
    from w2v_core.trainer import Trainer

    slow = Trainer(cfg.replace(dtype="float64")).fit(les.sentences)
    fast = Trainer(cv.fast_config(cfg.replace(dtype="float64"))).fit(les.sentences)
    np.testing.assert_allclose(fast.W_in_, slow.W_in_, atol=1e-6)


def test_grid_trains_every_pair_of_values(royalty):
    s, les = royalty
    cells = cv.settings_of(("window", "dim"), [1, 3], [2, 5])
    assert cells == [(1, 2), (1, 5), (3, 2), (3, 5)]
    cmp = cv.run_all(s, les, ("window", "dim"), cells, seeds=2)
    assert [(r.config.window, r.config.dim) for r in cmp.first] == cells
    a, b, mean, sd = cv.grid_matrix(cmp, "category")
    assert a == [1, 3] and b == [2, 5] and mean.shape == sd.shape == (2, 2)
    assert mean[1, 0] == pytest.approx(cv.spreads(cmp, "category")[2].mean)
    assert cv.format_value(("window", "dim"), (3, 5)) == "window = 3, dimensions d = 5"


def test_timing_states_seconds_with_digits_and_examples_per_second(royalty):
    s, les = royalty
    r = cv.run_all(s, les, "window", [2]).runs[0]
    text = cv.timing(r)
    assert f"{r.seconds:.3f} s" in text and f"{r.examples:,} examples" in text
    assert f"{r.examples / r.seconds:,.0f} examples/s" in text


def test_difficulty_adds_fillers_and_topic_mates_and_keeps_the_size():
    from w2v_core.errors import ConfigError
    from w2v_core.generated import FILLER_WORDS, TOPIC_MATES, generate_corpus

    plain = generate_corpus(5_000, seed=3)
    assert generate_corpus(5_000, seed=3, difficulty=0.0) == plain  # 0 is the plain text
    hard = generate_corpus(5_000, seed=3, difficulty=0.6)
    assert abs(hard.n_tokens - 5_000) < 80 and hard != plain
    tokens = hard.text.split()
    share = sum(t in FILLER_WORDS for t in tokens) / len(tokens)
    plain_share = sum(t in FILLER_WORDS for t in plain.text.split()) / plain.n_tokens
    assert share > 0.1 > plain_share
    # continued sentences pair a group with its topic mate only
    cats = hard.categories
    kinds = {"royalty", "family", "person", "animal", "vehicle", "fruit", "colour"}
    for line in hard.text.split("\n"):
        seen = {cats[w] for w in line.split() if cats.get(w) in kinds}
        if len(seen) == 2:
            a, b = sorted(seen)
            assert TOPIC_MATES.get(a) == b, line
    with pytest.raises(ConfigError, match="difficulty"):
        generate_corpus(1_000, difficulty=1.5)


JUDGED = (
    "# mine\nking queen 9\nking prince 7\nman woman 8\ncat dog 6\nking gold 2\n"
    "hat castles 1\nKing Zebra 5\n"
)


def test_judgements_are_read_and_matched_case_insensitively(royalty):
    _, les = royalty
    j = cv.parse_judgements(JUDGED, les.vocab.words)
    assert len(j.pairs) == 7 and j.pairs[0] == ("king", "queen", 9.0)
    assert j.known == 6 and j.missing == ("Zebra",)
    assert "6 of 7 pairs" in j.note() and "ρ moves a lot" in j.note()
    j1 = cv.parse_judgements("king queen 3\nking zebra 1", les.vocab.words)
    assert j1.known == 1 and "at least 2 are needed" in j1.note()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("king queen 9\nking queen\n", "line 2"),
        ("king queen high\n", "not a number"),
        ("king queen nan\n", "not a finite number"),
        ("a b 1\n" * (cv.MAX_JUDGEMENTS + 1), "more than"),
        ("x" * (cv.MAX_JUDGEMENT_CHARS + 1), "characters"),
    ],
)
def test_bad_judgements_raise_a_readable_error(royalty, text, says):
    with pytest.raises(W2VError, match=says):
        cv.parse_judgements(text, royalty[1].vocab.words)


def test_wordsim_is_the_spearman_of_each_runs_cosines(royalty):
    from w2v_core.analysis import score_pairs

    s, les = royalty
    j = cv.parse_judgements(JUDGED, les.vocab.words)
    cmp = cv.run_all(s, les, "dim", [2, 10], seeds=2, judgements=j.pairs)
    assert cmp.has_wordsim and "wordsim" in cv.score_names(cmp)
    for r in cmp.first:  # the first seed keeps W_in: recompute its rho from the vectors
        assert -1.0 <= r.wordsim <= 1.0
        assert r.wordsim == score_pairs(r.W_in, r.words, j.pairs).spearman
    assert all(r.wordsim is not None for r in cmp.runs)
    assert cv.score_range("wordsim") == [-1.05, 1.05]
    no_pairs = cv.run_all(s, les, "dim", [2, 10], seeds=1)
    assert not no_pairs.has_wordsim and "wordsim" not in cv.score_names(no_pairs)


def test_verdict_names_the_top_group_and_an_optimum_inside_the_sweep(royalty):
    """A window sweep whose best settings tie in the middle and whose ends fall behind by
    more than the seed spread is said to show an optimum (built from spreads, no training)."""
    s, les = royalty
    cmp = cv.run_all(s, les, "window", [1, 2], seeds=2)
    r0 = cmp.runs[0]
    means = {1: (0.90, 0.91), 2: (0.99, 0.98), 3: (0.985, 0.995), 4: (0.70, 0.72)}
    runs = tuple(
        cv.RunResult(**{**r0.__dict__, "value": w, "label": str(w), "scores": (m,)})
        for w, ms in means.items() for m in ms
    )  # fmt: skip
    fake = cv.Comparison(knob="window", runs=runs, plan=cmp.plan, corpus="x", seeds=2)
    text = cv.verdict(fake, "category")
    assert text.startswith("window = 2 scores best") or text.startswith("window = 3 scores best")
    assert "may be luck" in text and "Behind the best by more than the spread: window = 1" in text
    assert "The sweep shows an optimum: window = 2 to window = 3 (the top group)" in text
    ends = {1: (0.99, 0.98), 2: (0.90, 0.91), 3: (0.70, 0.72)}  # best at the edge: no optimum
    runs = tuple(
        cv.RunResult(**{**r0.__dict__, "value": w, "label": str(w), "scores": (m,)})
        for w, ms in ends.items() for m in ms
    )  # fmt: skip
    edge = cv.Comparison(knob="window", runs=runs, plan=cmp.plan, corpus="x", seeds=2)
    assert "optimum" not in cv.verdict(edge, "category")
