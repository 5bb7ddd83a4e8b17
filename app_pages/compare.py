"""Compare runs: two models that differ in one knob, and a sweep of one knob."""

import numpy as np
import pandas as pd
import streamlit as st

from lab import compare_view as cv
from lab import jobs, live
from lab import session as ses
from lab.escape import md
from lab.figures.compare import epoch_curves, sweep_figure
from w2v_core.errors import W2VError

K = "cmp_"  # prefix of this page's own session-state keys (widgets use "compare_")
PAIR, SWEEP = "pair", "sweep"  # (lesson key, Comparison) of the last runs
WORDS = "compare_words"  # the neighbours multiselect


def state(name, default=None):
    return st.session_state.get(K + name, default)


def put(name, value) -> None:
    st.session_state[K + name] = value


def invalidate(s) -> None:
    """Results belong to one corpus: drop them (and remember to say so) when it changes."""
    key = ses.lesson_key(s)
    for part in (PAIR, SWEEP):
        held = state(part)
        if held is not None and held[0] != key:
            put(part, None)
            put(part + "_stale", held[1].corpus)


def stale_note(part: str, les) -> None:
    old = state(part + "_stale")
    if old:
        st.warning(
            f"The sidebar corpus changed since the last runs (they trained on **{md(old)}**), so "
            f"their results were removed. Run again to train on **{md(les.title)}**."
        )


def score_k(les) -> int:
    """Neighbours the ground-truth score counts (fewer than 5 for small categories)."""
    return live.score_k(les.vocab.words, les.categories, cv.K_NEIGHBOURS)


def fmt(x: float | None, spec: str = ".3f") -> str:
    return "–" if x is None or not np.isfinite(x) else format(x, spec)


def value_input(col, knob: cv.Knob, side: str):
    """Value A or B of the knob: a number for the learning rate, else a choice."""
    key = f"compare_{side.lower()}_{knob.name}"
    default = knob.a if side == "A" else knob.b
    if knob.name == "alpha":
        return col.number_input(
            f"Value {side}", 1e-4, 100.0, float(default), format="%.4f", key=key,
            help="Try a huge rate (e.g. 50) to see a run diverge.",
        )  # fmt: skip
    return col.selectbox(
        f"Value {side}", knob.options, knob.options.index(default), key=key,
        format_func=cv.value_name,
    )  # fmt: skip


def run(s, les, knob: str, values, labels, part: str) -> None:
    """Start the runs as a bounded job (progress bar, Stop, time limit: ``lab.jobs``)."""
    put(part + "_note", None)
    steps = cv.run_all_steps(s, les, knob, values, labels)
    jobs.start(K + part + "_job", steps, label="Preparing the runs...", owner=ses.lesson_key(s))


def finish(part: str) -> None:
    """Advance the runs' job; keep its result for its corpus, or say why it stopped."""
    ended = jobs.panel(K + part + "_job")
    if ended is not None and ended.status == "done":
        put(part, (ended.owner, ended.result))
        put(part + "_stale", None)
    elif ended is not None:
        put(part + "_note", (ended.status, f"{ended.message} The earlier results are kept."))
    note = state(part + "_note")
    if note:
        (st.error if note[0] == "failed" else st.warning)(md(note[1], 1_000))


def notes(s, les, knob: str, values) -> None:
    """Settings under which (some of) the values change nothing."""
    for note in (cv.knob_note(s, knob), cv.window_note(les, knob, values)):
        if note:
            st.warning(note)


def result_header(cmp: cv.Comparison, s) -> None:
    if cv.settings_changed(cmp, s):
        st.info(
            "The sidebar's hyperparameters changed since these runs. The results below keep "
            "the settings they were trained with; run again to use the new ones."
        )
    p, seed = cmp.plan, cmp.runs[0].config.seed
    if p.cut:
        st.warning(f"These runs were capped. {p.describe(len(cmp.runs))}")
    else:
        st.caption(
            f"Results on {cmp.corpus} (seed {seed}): each run trained all {p.epochs} epochs "
            "on the whole corpus."
        )


# ---- A vs B ------------------------------------------------------------------------------


def pair_section(s, les) -> None:
    c = st.columns([2, 1, 1, 1], vertical_alignment="bottom")
    knob = c[0].selectbox(
        "Knob", list(cv.KNOBS), format_func=lambda k: cv.KNOBS[k].label, key="compare_knob",
        help="The one hyperparameter that differs; everything else comes from the sidebar.",
    )  # fmt: skip
    kb = cv.KNOBS[knob]
    a = value_input(c[1], kb, "A")
    b = value_input(c[2], kb, "B")
    go = c[3].button("Run both", key="compare_run", type="primary", width="stretch")
    notes(s, les, knob, [a, b])
    if a == b:
        st.info("A and B are equal: with the same seed the two runs come out identical.")
    try:
        st.caption(cv.plan(s, les, knob, [a, b]).describe(2))
    except W2VError as e:
        st.error(md(e))
        return
    if go:
        run(s, les, knob, [a, b], ["A", "B"], PAIR)
    finish(PAIR)
    stale_note(PAIR, les)
    held = state(PAIR)
    if held is None:
        st.info("Choose a knob and two values, then press **Run both**.")
        return
    show_pair(held[1], s, les)


def show_pair(cmp: cv.Comparison, s, les) -> None:
    result_header(cmp, s)
    heads = [f"{r.label}: {cv.format_value(cmp.knob, r.value)}" for r in cmp.runs]
    names = [f"{h} (diverged)" if r.diverged else h for h, r in zip(heads, cmp.runs, strict=True)]
    a = cmp.runs[0]
    for col, r, head in zip(st.columns(len(cmp.runs)), cmp.runs, heads, strict=True):
        with col:
            st.subheader(head)
            if r.diverged:
                st.error(f"Run {r.label}: {md(r.diverged)}")
            m = st.columns(3)
            other = r is not a and not a.diverged and not r.diverged
            loss_delta = f"{r.final_loss - a.final_loss:+.3f} vs A" if other else None
            m[0].metric("Final loss", fmt(r.final_loss), loss_delta, delta_color="inverse",
                        help="Mean loss per example in the last epoch.")  # fmt: skip
            if r.scores is not None:
                sc = r.final_score
                delta = (
                    f"{100 * (sc - a.final_score):+.0f} points vs A"
                    if other and sc is not None and a.final_score is not None
                    else None
                )
                m[1].metric("Ground truth", fmt(sc, ".0%"), delta,
                            help=f"Share of each categorised word's {score_k(les)} nearest "
                            "categorised neighbours that share its category.")  # fmt: skip
            m[2].metric("Words/s", fmt(r.words_per_sec, ",.0f"))
            st.caption(f"{r.epochs_done} of {r.config.epochs} epochs trained in {r.seconds:.1f} s.")
    left, right = st.columns(2)
    left.plotly_chart(
        epoch_curves(
            [(n, r.epoch_loss) for n, r in zip(names, cmp.runs, strict=True)],
            "mean loss per example",
            title="Loss per epoch",
        ),
        key="compare_loss",
        width="stretch",
    )
    if cmp.knob in ("loss", "negative"):
        left.caption(
            "Different output layers (or numbers of negatives) compute different losses: "
            "compare the shapes of the curves, and the ground truth, not their heights."
        )
    with right:
        if cmp.has_scores:
            st.plotly_chart(
                epoch_curves(
                    [(n, r.scores or ()) for n, r in zip(names, cmp.runs, strict=True)],
                    "ground-truth score",
                    y_range=[0.0, 1.0],
                    title="Ground truth per epoch",
                ),
                key="compare_score",
                width="stretch",
            )
        else:
            st.info(
                "This corpus has no known word categories, so there is no ground-truth score. "
                "The built-in examples and the generated corpus have them."
            )
    neighbours_table(cmp, names, les)


def neighbours_table(cmp: cv.Comparison, names, les) -> None:
    words = cmp.runs[0].words
    options = list(words[:2000])
    chosen = st.session_state.get(WORDS)
    if chosen is None or not set(chosen) <= set(options):
        st.session_state[WORDS] = cv.default_queries(words, les.categories)
    queries = st.multiselect(
        "Nearest neighbours of", options, key=WORDS,
        help=f"The {cv.K_NEIGHBOURS} nearest words by cosine in each run's W_in.",
    )  # fmt: skip
    if not queries:
        st.info("Choose words to compare their neighbours in the runs.")
        return
    table = pd.DataFrame(
        {n: cv.neighbours(r, queries) for n, r in zip(names, cmp.runs, strict=True)},
        index=queries,
    )
    st.dataframe(table, width="stretch")


# ---- sweep -------------------------------------------------------------------------------


def sweep_section(s, les) -> None:
    c = st.columns([1, 3, 1], vertical_alignment="bottom")
    knob = c[0].selectbox(
        "Knob", list(cv.KNOBS), format_func=lambda k: cv.KNOBS[k].label,
        key="compare_sweep_knob",
    )  # fmt: skip
    kb = cv.KNOBS[knob]
    chosen = c[1].multiselect(
        "Values", kb.options, default=list(kb.sweep), key=f"compare_sweep_values_{knob}",
        format_func=cv.value_name,
        max_selections=cv.MAX_SWEEP_VALUES, help=f"At most {cv.MAX_SWEEP_VALUES} values.",
    )  # fmt: skip
    values = sorted(chosen, key=kb.options.index)
    go = c[2].button(
        "Run sweep", key="compare_sweep_run", type="primary", width="stretch",
        disabled=len(values) < 2,
    )  # fmt: skip
    notes(s, les, knob, values)
    if len(values) < 2:
        st.warning("Choose at least two values to sweep.")
    else:
        try:
            st.caption(cv.plan(s, les, knob, values).describe(len(values)))
        except W2VError as e:
            st.error(md(e))
            return
        if go:
            run(s, les, knob, values, None, SWEEP)
    finish(SWEEP)
    stale_note(SWEEP, les)
    held = state(SWEEP)
    if held is None:
        st.info("Choose a knob and its values, then press **Run sweep**.")
        return
    show_sweep(held[1], s, les)


def show_sweep(cmp: cv.Comparison, s, les) -> None:
    result_header(cmp, s)
    kb = cv.KNOBS[cmp.knob]
    xs, ys, failed = cv.sweep_points(cmp)
    label = cv.score_label(cmp)
    if xs:
        shown = [cv.value_name(x) for x in xs] if kb.categorical else xs
        fig = sweep_figure(
            shown, ys, kb.label, label, categorical=kb.categorical, log_x=kb.log,
            y_range=[0.0, 1.0] if cmp.has_scores else None,
        )  # fmt: skip
        st.plotly_chart(fig, key="compare_sweep_chart", width="stretch")
    if cmp.has_scores:
        st.caption(
            f"Score: the ground-truth score after the last epoch, the share of each "
            f"categorised word's {score_k(les)} nearest categorised neighbours that share "
            "its category. Higher is better; 1 means every category forms a tight cluster."
        )
    else:
        st.caption(
            "This corpus has no known word categories, so the score is the final mean loss "
            "per example (lower is better). Losses of different output layers or numbers of "
            "negatives are not on one scale."
        )
    for r in cmp.runs:
        if r.diverged:
            st.error(f"{cv.format_value(cmp.knob, r.value)}: {md(r.diverged)}")
    if failed and not xs:
        st.warning("No run finished, so there is nothing to plot.")
    st.dataframe(pd.DataFrame(cv.sweep_table(cmp)), hide_index=True, width="stretch")


def render() -> None:
    st.title("Compare runs")
    st.write(
        "Change one hyperparameter and see what it does. Both runs train on the same corpus "
        "from the same seed with the sidebar's other settings, so every difference below "
        "comes from the one knob you turned. A sweep trains one model per value and plots "
        "how good each one gets."
    )
    s, les = ses.current()
    invalidate(s)
    pair_tab, sweep_tab = st.tabs(["A vs B", "Sweep one knob"])
    with pair_tab:
        pair_section(s, les)
    with sweep_tab:
        sweep_section(s, les)


render()
