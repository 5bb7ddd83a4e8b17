"""Compare runs: settings that differ in one knob (or two), each over several seeds.

Thin page: the runs, their scores and spreads come from ``lab.compare_view`` (pure), the
figures from ``lab.figures.compare``; long work runs as a ``lab.jobs`` job (progress,
Stop, time limit).
"""

import pandas as pd
import streamlit as st

from lab import compare_view as cv
from lab import exercise_view, jobs, live, presenter, tour
from lab import session as ses
from lab import tinker_view as tv
from lab.escape import md
from lab.figures.compare import epoch_curves, grid_heatmap, sweep_bars
from lab.figures.train import matrix_heatmap
from lab.tour import Section
from lab.widgets import setting
from w2v_core.errors import W2VError

K = "cmp_"  # prefix of this page's own session-state keys (widgets use "compare_")
PAIR, SWEEP, GRID = "pair", "sweep", "grid"  # (lesson key, Comparison) of the last runs
WORDS = "compare_words"  # the neighbours multiselect
JUDGE = "compare_judgements"  # the text area of word pairs the user scored (its value is
# copied to K + "judgements", which outlives the widget when the user visits other pages)


def state(name, default=None):
    return st.session_state.get(K + name, default)


def put(name, value) -> None:
    st.session_state[K + name] = value


def current():
    """The sidebar's settings and lesson; results of another corpus are dropped (noted)."""
    s, les = ses.current()
    key = ses.lesson_key(s)
    for part in (PAIR, SWEEP, GRID):
        held = state(part)
        if held is not None and held[0] != key:
            put(part, None)
            put(part + "_stale", held[1].corpus)
    return s, les


def stale_note(part: str, les) -> None:
    old = state(part + "_stale")
    if old:
        st.warning(
            f"The sidebar corpus changed since the last runs (they trained on **{md(old)}**), so "
            f"their results were removed. Run again to train on **{md(les.title)}**."
        )


def seeds_input(col, part: str) -> int:
    return col.number_input(
        "Seeds", 1, cv.MAX_SEEDS, cv.SEEDS, key=f"compare_{part}_seeds",
        help="Each setting trains once per seed (the sidebar's seed and the next ones); "
        "the page shows mean ± sample standard deviation over the seeds.",
    )  # fmt: skip


def knob_select(col, key: str, label: str = "Knob", default: str = "window") -> str:
    return col.selectbox(
        label, list(cv.KNOBS), list(cv.KNOBS).index(default),
        format_func=lambda k: cv.KNOBS[k].label, key=key,
        help="The hyperparameter that differs; everything else comes from the sidebar.",
    )  # fmt: skip


def value_input(col, knob: cv.Knob, side: str):
    """Value A or B of the knob: a choice among the values the app's limits allow."""
    return col.selectbox(
        f"Value {side}", knob.options, knob.options.index(knob.a if side == "A" else knob.b),
        key=f"compare_{side.lower()}_{knob.name}", format_func=cv.value_name,
    )  # fmt: skip


def prepare(s, les, knob, settings, seeds: int, part: str, go: bool, labels=None) -> bool:
    """Notes and the cap for these settings; start the job if ``go``. False on bad input."""
    for k in cv.knobs_of(knob):
        vals = (
            [v[cv.knobs_of(knob).index(k)] for v in settings]
            if isinstance(knob, tuple)
            else settings
        )
        for note in (cv.knob_note(s, k), cv.window_note(les, k, vals)):
            if note:
                st.warning(note)
    try:
        st.caption(cv.plan(s, les, knob, settings, seeds=seeds).describe(len(settings)))
    except W2VError as e:
        st.error(md(e))
        return False
    if go:
        put(part + "_note", None)
        steps = cv.run_all_steps(s, les, knob, settings, labels, seeds=seeds,
                                 judgements=judgements(les))  # fmt: skip
        jobs.start(K + part + "_job", steps, label="Preparing the runs...", owner=ses.lesson_key(s))
    return True


def finish(part: str, les):
    """Advance the runs' job; keep its result for its corpus, or say why it stopped.
    Returns the Comparison held for this part (or None)."""
    ended = jobs.panel(K + part + "_job")
    if ended is not None and ended.status == "done":
        put(part, (ended.owner, ended.result))
        put(part + "_stale", None)
    elif ended is not None:
        put(part + "_note", (ended.status, f"{ended.message} The earlier results are kept."))
    note = state(part + "_note")
    if note:
        (st.error if note[0] == "failed" else st.warning)(md(note[1], 1_000))
    stale_note(part, les)
    held = state(part)
    return None if held is None else held[1]


def result_header(cmp: cv.Comparison, s) -> None:
    if cv.settings_changed(cmp, s):
        st.info(
            "The sidebar's hyperparameters changed since these runs. The results below keep "
            "the settings they were trained with; run again to use the new ones."
        )
    p = cmp.plan
    seeds = ", ".join(str(x) for x in dict.fromkeys(r.seed for r in cmp.runs))
    if p.cut:
        st.warning(f"These runs were capped. {p.describe(len(cmp.values))}")
    st.caption(f"Results on {md(cmp.corpus)}; seeds {seeds}; mean ± sample sd over the seeds.")


def score_help(les) -> str:
    k = live.score_k(les.vocab.words, les.categories, cv.K_NEIGHBOURS)
    return (
        f"category@{k}: share of each categorised word's {k} nearest categorised neighbours "
        "in its own category. Analogies a:b :: c:? are solved by 3CosAdd (nearest to "
        "b − a + c) and 3CosMul (Levy & Goldberg 2014); accuracy is the share solved. "
        "Word pairs ρ: Spearman's rank correlation between your similarity scores and the "
        "run's cosines (1: same order, 0: unrelated)."
    )


# ---- the user's similarity judgements ----------------------------------------------------


def judgements(les, show: bool = False) -> tuple:
    """The scored word pairs typed in the text area (empty if none or malformed); with
    ``show``, say how many the corpus covers or what is wrong."""
    text = state("judgements") or ""
    if not text.strip():
        return ()
    try:
        judged = cv.parse_judgements(text, les.vocab.words)
    except W2VError as e:
        if show:
            st.error(f"{md(e)} The runs will not score word pairs until it is fixed.")
        return ()
    if show:
        (st.info if judged.known >= 2 else st.warning)(judged.note())
        if judged.missing:
            more = len(judged.missing) - 12
            st.caption("Not in the vocabulary: " + md(", ".join(judged.missing[:12]))
                       + (f" and {more} more" if more > 0 else "") + ".")  # fmt: skip
    return judged.pairs


def judgements_section() -> None:
    st.subheader("Your similarity judgements (optional)")
    st.caption(
        "Real text has no known word categories to score against. Type word pairs with how "
        "similar you find them, on any scale (WordSim-353 uses 0–10), one pair per line: "
        "every run below then also reports how well its cosines rank the pairs as you do."
    )
    _, les = current()
    st.text_area(
        "Word pairs (word1 word2 score)", state("judgements") or "", key=JUDGE, height=110,
        on_change=lambda: put("judgements", st.session_state.get(JUDGE)),
        max_chars=cv.MAX_JUDGEMENT_CHARS, placeholder="king queen 8\nking prince 7\nking apple 1",
        help="Separate the fields by spaces or tabs (a WordSim-353 file pastes as is); lines "
        "starting with # are skipped. Case does not matter.",
    )  # fmt: skip
    judgements(les, show=True)


# ---- A vs B ------------------------------------------------------------------------------


def pair_section() -> None:
    st.subheader("A vs B")
    st.caption("Two settings of one knob, each trained from several seeds on the same corpus.")
    s, les = current()
    c = st.columns([2, 1, 1, 1], vertical_alignment="bottom")
    knob = knob_select(c[0], "compare_knob")
    kb = cv.KNOBS[knob]
    a, b = value_input(c[1], kb, "A"), value_input(c[2], kb, "B")
    seeds = seeds_input(c[3], PAIR)
    go = st.container(horizontal=True, gap="small").button(
        "Run both", key="compare_run", type="primary"
    )
    if a == b:
        st.info("A and B are equal: any difference below is the seeds' doing.")
    if not prepare(s, les, knob, [a, b], seeds, PAIR, go, ["A", "B"]):
        return
    cmp = finish(PAIR, les)
    if cmp is None:
        st.info("Choose a knob and two values, then press **Run both**.")
        return
    show_pair(cmp, s, les)


def show_pair(cmp: cv.Comparison, s, les) -> None:
    result_header(cmp, s)
    names = [f"{r.label}: {cv.format_value(cmp.knob, r.value)}" for r in cmp.first]
    for col, v, name in zip(st.columns(2), cmp.values, names, strict=True):
        with col:
            st.markdown(f"**{md(name)}**")
            for r in cmp.group(v):
                if r.diverged:
                    st.error(f"Seed {r.seed}: {md(r.diverged)}")
            for sc in cv.score_names(cmp) + ["loss"] * ("loss" not in cv.score_names(cmp)):
                sp = cv.spreads(cmp, sc)[cmp.values.index(v)]
                st.metric(cv.SCORES[sc], sp.text(), help=score_help(les))
            for r in cmp.group(v):
                st.caption(f"Seed {r.seed}: {cv.timing(r)}.")
    for sc in cv.score_names(cmp):
        gap = cv.pair_gap(cmp, sc)
        if gap is not None:
            d, within = gap
            says = (
                "smaller than the seed spread: may be luck" if within else "beyond the seed spread"
            )
            (st.info if within else st.success)(f"{cv.SCORES[sc]}: B − A = {d:+.3f}, {says}.")
    curves(cmp, names)
    neighbours_table(cmp, names, les)


def curves(cmp: cv.Comparison, names) -> None:
    """Loss and category@k against epochs, mean ± sd over seeds."""
    left, right = st.columns(2)
    loss = [cv.epoch_spread(cmp.group(v), "loss") for v in cmp.values]
    with left:
        presenter.chart(
            epoch_curves([(n, m) for n, (m, _) in zip(names, loss, strict=True)],
                         "mean loss per example", title="Loss per epoch",
                         errors=[e for _, e in loss]),
            key="compare_loss",
        )  # fmt: skip
    if cmp.has_scores:
        sc = [cv.epoch_spread(cmp.group(v), "score") for v in cmp.values]
        with right:
            presenter.chart(
                epoch_curves([(n, m) for n, (m, _) in zip(names, sc, strict=True)],
                             "category@k", y_range=[0.0, 1.02], title="Score per epoch",
                             errors=[e for _, e in sc]),
                key="compare_score",
            )  # fmt: skip


def neighbours_table(cmp: cv.Comparison, names, les) -> None:
    words = cmp.first[0].words
    options = list(words[:2000])
    chosen = st.session_state.get(WORDS)
    if chosen is None or not set(chosen) <= set(options):
        st.session_state[WORDS] = cv.default_queries(words, les.categories)
    queries = st.multiselect(
        "Nearest neighbours of", options, key=WORDS,
        help=f"The {cv.K_NEIGHBOURS} nearest words by cosine in W_in (first seed's runs).",
    )  # fmt: skip
    if queries:
        table = {n: cv.neighbours(r, queries) for n, r in zip(names, cmp.first, strict=True)}
        st.dataframe(pd.DataFrame(table, index=queries), width="stretch")


# ---- sweep -------------------------------------------------------------------------------


def sweep_section() -> None:
    st.subheader("Sweep one knob")
    st.caption("One point per value: the mean score over the seeds, ± one sample sd.")
    s, les = current()
    c = st.columns([1, 3, 1], vertical_alignment="bottom")
    knob = knob_select(c[0], "compare_sweep_knob")
    kb = cv.KNOBS[knob]
    chosen = c[1].multiselect(
        "Values", kb.options, default=list(kb.sweep), key=f"compare_sweep_values_{knob}",
        format_func=cv.value_name, max_selections=cv.MAX_SWEEP_VALUES,
        help=f"At most {cv.MAX_SWEEP_VALUES} values.",
    )  # fmt: skip
    seeds = seeds_input(c[2], SWEEP)
    values = sorted(chosen, key=kb.options.index)
    go = st.container(horizontal=True, gap="small").button(
        "Run sweep", key="compare_sweep_run", type="primary", disabled=len(values) < 2
    )
    if len(values) < 2:
        st.warning("Choose at least two values to sweep.")
    elif not prepare(s, les, knob, values, seeds, SWEEP, go):
        return
    cmp = finish(SWEEP, les)
    if cmp is None:
        st.info("Choose a knob and its values, then press **Run sweep**.")
        return
    show_sweep(cmp, s, les)


def show_sweep(cmp: cv.Comparison, s, les) -> None:
    result_header(cmp, s)
    kb = cv.KNOBS[cmp.knob]
    names = cv.score_names(cmp)
    name = st.radio("Score", names, format_func=cv.SCORES.get, key="compare_sweep_score",
                    horizontal=True, help=score_help(les))  # fmt: skip
    xs, ys, sds, failed = cv.sweep_points(cmp, name)
    if xs:
        shown = [cv.value_name(x) for x in xs] if kb.categorical else xs
        best = max(range(len(ys)), key=lambda i: -ys[i] if name == "loss" else ys[i])
        fig = sweep_bars(shown, ys, sds, kb.label, cv.SCORES[name], categorical=kb.categorical,
                         log_x=kb.log and min(xs) > 0, best=best,
                         y_range=cv.score_range(name))  # fmt: skip
        presenter.chart(fig, key="compare_sweep_chart")
    verdict = cv.verdict(cmp, name)
    if verdict:
        st.info(verdict)
    if name == "loss":
        st.caption("No known word categories: the score is the final mean loss (lower is "
                   "better); losses of different output layers are not on one scale.")  # fmt: skip
    for r in cmp.runs:
        if r.diverged:
            st.error(f"{cv.format_value(cmp.knob, r.value)}, seed {r.seed}: {md(r.diverged)}")
    if failed and not xs:
        st.warning("No run finished, so there is nothing to plot.")
    st.dataframe(pd.DataFrame(cv.sweep_table(cmp)), hide_index=True, width="stretch")


# ---- grid --------------------------------------------------------------------------------


def grid_section() -> None:
    st.subheader("Two knobs at once")
    st.caption("Every pair of values, each over the seeds; the colour is the mean score.")
    s, les = current()
    c = st.columns(2)
    k1 = knob_select(c[0], "compare_grid_k1", "Knob 1")
    k2 = knob_select(c[1], "compare_grid_k2", "Knob 2", "dim")
    if k1 == k2:
        st.warning("Choose two different knobs.")
        return
    v1 = c[0].multiselect("Values 1", cv.KNOBS[k1].options, list(cv.KNOBS[k1].sweep[:3]),
                          key=f"compare_grid_v1_{k1}", format_func=cv.value_name)  # fmt: skip
    v2 = c[1].multiselect("Values 2", cv.KNOBS[k2].options, list(cv.KNOBS[k2].sweep[:3]),
                          key=f"compare_grid_v2_{k2}", format_func=cv.value_name)  # fmt: skip
    row = st.container(horizontal=True, gap="small", vertical_alignment="bottom")
    seeds = seeds_input(row, GRID)
    cells = cv.settings_of((k1, k2), sorted(v1, key=cv.KNOBS[k1].options.index),
                           sorted(v2, key=cv.KNOBS[k2].options.index))  # fmt: skip
    ok = 2 <= len(cells) <= cv.MAX_GRID_CELLS
    go = row.button("Run grid", key="compare_grid_run", type="primary", disabled=not ok)
    if not ok:
        st.warning(f"Choose values so that the grid has 2 to {cv.MAX_GRID_CELLS} cells.")
    elif not prepare(s, les, (k1, k2), cells, seeds, GRID, go):
        return
    cmp = finish(GRID, les)
    if cmp is None:
        st.info("Choose two knobs and their values, then press **Run grid**.")
        return
    result_header(cmp, s)
    name = cv.score_names(cmp)[0]
    a, b, mean, sd = cv.grid_matrix(cmp, name)
    ka, kb = (cv.KNOBS[k] for k in cmp.knob)
    fig = grid_heatmap([cv.value_name(x) for x in a], [cv.value_name(x) for x in b], mean, sd,
                       ka.label, kb.label, cv.SCORES[name])  # fmt: skip
    presenter.chart(fig, key="compare_grid_chart")
    verdict = cv.verdict(cmp, name)
    if verdict:
        st.info(verdict)


# ---- the code ----------------------------------------------------------------------------


def code_section() -> None:
    st.subheader("The same run in gensim and PyTorch")
    st.caption("The sidebar's settings as library code (copy with the icon at the top right).")
    s, _ = current()
    cfg = s.config()
    gensim_tab, torch_tab = st.tabs(["gensim", "PyTorch"])
    gensim_tab.code(cv.gensim_code(cfg), language="python")
    torch_tab.code(cv.torch_code(cfg), language="python")


# ---- your own pairs, and the next minibatch ----------------------------------------------


def pairs_section() -> None:
    st.subheader("Your own training pairs")
    st.caption(
        "Type (input, output) pairs, one per line: the model trains on exactly these, with "
        "a full softmax, and you see both matrices and p(output | input)."
    )
    s, _ = current()
    text = st.text_area("Pairs (input output)", tv.EXAMPLE_PAIRS, height=160,
                        key="compare_pairs_text", help="Separate the two words by a space, "
                        "a comma or ->. Lines starting with # are skipped.")  # fmt: skip
    row = st.container(horizontal=True, gap="small", vertical_alignment="bottom")
    epochs = setting("epochs", 100, key="compare_pairs_epochs", where=row)
    go = row.button("Train on these", key="compare_pairs_run", type="primary")
    pairs, problems = tv.parse_pairs(text)
    for p in problems:
        st.error(md(p))
    if not pairs:
        st.info("Type at least one valid pair.")
        return
    if go:
        put("pairs", tv.train_pairs(pairs, s.dim, epochs, s.alpha, s.seed))
    run = state("pairs")
    if run is None:
        st.info(f"{len(pairs)} pairs read. Press **Train on these**.")
        return
    st.caption(
        f"{len(run.pairs)} pairs, {len(run.words)} words, d = {run.W_in.shape[1]}, "
        f"{len(run.epoch_loss)} epochs: mean loss {run.epoch_loss[0]:.3f} in the first, "
        f"{run.epoch_loss[-1]:.3f} in the last."
    )
    left, right = st.columns(2)
    with left:
        presenter.chart(matrix_heatmap(run.W_in, run.words, title="W_in (v_w)"),
                        key="compare_pairs_win")  # fmt: skip
    with right:
        presenter.chart(matrix_heatmap(run.W_out, run.words, title="W_out (u_w)"),
                        key="compare_pairs_wout")  # fmt: skip
    probs = pd.DataFrame(run.probs.round(2), index=list(run.words), columns=list(run.words))
    st.caption("p(output | input) of the trained model: rows are inputs.")
    st.dataframe(probs, width="stretch")


def batch_section() -> None:
    st.subheader("The next minibatch as tensors")
    st.caption(
        "What a framework would be fed for the next step of your model (TensorFlow's "
        "word2vec tutorial): centre ids, the context column [true word, k negatives] and "
        "labels [1, 0, …, 0]. The negatives are the ones the next step will draw."
    )
    s, les = current()
    tr = ses.page_trainer(s, les, key="compare_batch_new")
    if tr is None:
        return
    b = tv.next_batch(tr)
    if b is None:
        st.info("This view needs skip-gram with negative sampling, and a model that has not "
                "finished training: change the sidebar or reset the model.")  # fmt: skip
        return
    st.caption(
        f"Epoch {b.epoch + 1}, examples {b.start:,}–{b.start + len(b.centre) - 1:,} "
        f"(the first {len(b.centre)} of a batch of {tr.config.batch_size}): centre "
        f"{tuple(b.centre.shape)}, context {tuple(b.context.shape)}, "
        f"label {tuple(b.label.shape)}; a −1 is a draw of the true word, skipped."
    )
    left, right = st.columns(2)
    left.dataframe(pd.DataFrame({"centre": b.centre, **{
        ("true" if j == 0 else f"neg {j}"): b.context[:, j] for j in range(b.context.shape[1])
    }}), hide_index=True, width="stretch")  # fmt: skip
    right.dataframe(pd.DataFrame(b.rows()), hide_index=True, width="stretch", height=300)


def exercises_section() -> None:
    s, les = current()
    held = [state(p) for p in (SWEEP, PAIR)]
    sweep, pair = (None if h is None else h[1] for h in held)
    exercise_view.show(cv.exercises(s, les, sweep, pair))


def render() -> None:
    st.title("Compare runs")
    st.write(
        "Change one hyperparameter and see what it does. Every setting trains on the same "
        "corpus from several seeds with the sidebar's other settings; a difference smaller "
        "than what the seeds alone do is marked as such."
    )
    tour.draw(
        "compare.py",
        [
            Section("judgements", judgements_section),
            Section("pair", pair_section),
            Section("sweep", sweep_section),
            Section("grid", grid_section),
            Section("code", code_section),
            Section("pairs", pairs_section),
            Section("batch", batch_section),
            Section("exercises", exercises_section),
        ],
    )


render()
