"""Count vs predict: SVD-of-PPMI vectors next to skip-gram, and the shifted PMI SGNS fits."""

import numpy as np
import pandas as pd
import streamlit as st

from lab import count_view as cv
from lab import exercise_view, presenter, tour
from lab import live_controls as lc
from lab import session as ses
from lab.escape import md
from lab.figures.count import correlation_series, pmi_scatter
from lab.lesson import NAMES
from lab.page_state import PageState
from lab.tour import Section
from w2v_core.errors import W2VError

PAGE = PageState("cvp_")  # this page's own state; its widgets have "count_" keys
TABLE = dict(
    hide_index=True,
    width="stretch",
    column_config={"cosine": st.column_config.NumberColumn(format="%.3f")},
)


def count_data(tr) -> cv.CountData:
    """The counts of this model's corpus, computed once per model."""
    data = PAGE.get("data")
    if data is not None:
        return data
    cfg = tr.config
    with st.spinner("Counting co-occurrences and running the SVD..."):
        data = cv.count_data(tr.corpus_, tr.vocab_, cfg.window, cfg.negative, cfg.noise_alpha,
                             cfg.dim)  # fmt: skip
    PAGE.put("data", data)
    return data


def model():
    """This user's model, lesson and the counts of its corpus (the page made sure of them)."""
    tr = ses.held_trainer()
    return tr, ses.current()[1], count_data(tr)


def controls() -> None:
    tr, _, _ = model()
    row = st.container(horizontal=True, gap="small", vertical_alignment="bottom")
    lc.start_pause(row, tr, PAGE, key="count_start")
    if row.button("Train one epoch", key="count_epoch", disabled=lc.running(PAGE) or tr.done):
        lc.advance(tr, PAGE, epochs=1)
    lc.pace(st, key="count_pace")
    if PAGE.get("error"):
        st.error(PAGE.get("error"))
    if tr.done:
        st.info(
            f"All {tr.config.epochs} epochs are trained. Reset the model on the Live training "
            "page to watch the fit grow again."
        )
        st.page_link("app_pages/train.py", label="Live training", icon=":material/play_circle:")


def neighbour_frame(pairs, shared) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "word": [w for w, _ in pairs],
            "cosine": [s for _, s in pairs],
            "in both": ["✓" if w in shared else "" for w, _ in pairs],
        }
    )


def neighbours_view() -> None:
    tr, les, data = model()
    st.header("Nearest neighbours, counted and predicted")
    m = data.E.shape[0]
    options = list(data.words[:m])
    if st.session_state.get("count_word") not in options:
        st.session_state["count_word"] = cv.default_word(options, les.categories)
    c = st.columns([2, 2])
    word = c[0].selectbox(
        "Word", options, key="count_word",
        help=f"The {m:,} most frequent words (both kinds of vectors are compared on these).",
    )  # fmt: skip
    if m - 1 > 3:
        n = c[1].slider("Neighbours", 3, min(20, m - 1), min(10, m - 1), key="count_k")
    else:  # too few words for a choice: show every other word
        n = max(1, m - 1)
        c[1].caption(f"Neighbours: all {n} other words.")
    try:
        nb = cv.neighbours(data.E, tr.W_in_, data.words, word, n)
    except W2VError as e:
        st.warning(md(e))
        return
    left, right = st.columns(2)
    with left:
        st.subheader("Counting: SVD of PPMI")
        st.dataframe(neighbour_frame(nb.count, nb.shared), **TABLE)
        st.caption(
            f"Rows of U·Σ^½ from the PPMI matrix of window {data.window}, {data.E.shape[1]} "
            f"dimensions, context counts smoothed with exponent {data.noise_alpha:g}. "
            "Fixed: counting is done once."
        )
    with right:
        st.subheader("Predicting: skip-gram W_in")
        st.dataframe(neighbour_frame(nb.predict, nb.shared), **TABLE)
        st.caption(
            f"Rows of W_in (= E) of the live model after {tr.examples_seen_:,} examples, "
            f"{tr.config.dim} dimensions. They change as it trains."
        )
    st.metric(
        "Overlap of the two lists", f"{len(nb.shared)} of {len(nb.count)}",
        help="Neighbours that both kinds of vectors put in the top list.",
    )  # fmt: skip
    if nb.shared:
        st.caption("In both lists: " + md(", ".join(nb.shared), 1_000) + ".")


def fit_view() -> None:
    tr, _, data = model()
    st.header("What skip-gram fits: PMI shifted by log k")
    st.write(
        "Negative sampling does not fit the softmax's probabilities: its optimum is this "
        "shifted PMI (with the noise distribution's exponent α inside the PMI, hence "
        "PMI_α). Full softmax and hierarchical softmax have other optima."
    )
    st.latex(
        r"v_w^{\top} u_c \;\longrightarrow\; \mathrm{PMI}_\alpha(w, c) - \log k"
        r" = \log \frac{\#(w, c)}{\#(w)\, P_n(c)} - \log k"
    )
    st.caption(
        "#(w, c) = C[w, c]: how often c falls in the window of w. #(w): all pairs with target "
        "w. P_n(c) ∝ count(c)^α: the noise distribution negatives are drawn from. "
        "v_w = W_in[w], u_c = W_out[c]. Only pairs that occur (C > 0) are compared: for the "
        "others the optimum score is −∞."
    )
    cfg = tr.config
    note = cv.identity_note(cfg.model, cfg.loss)
    if note:
        st.info(
            "This identity is about skip-gram with negative sampling (SGNS); the sidebar "
            f"trains {cfg.model} with {NAMES.get(cfg.loss, cfg.loss)}. {note} "
            f"The scatter still uses k = {data.k} and α = {data.noise_alpha:g} from the sidebar."
        )
    if cfg.sample > 0:
        st.caption(
            "Subsampling is on: the model trains on a thinned set of pairs, while C counts "
            "them all, so the target here is only approximately what it sees."
        )
    try:
        f = cv.model_fit(data, tr.W_in_, tr.W_out_)
    except W2VError as e:
        st.warning(f"No word-to-word scores to compare: {md(e)}")
        return
    series = cv.append_point(PAGE.get("series") or (), tr.examples_seen_, f.corr)
    PAGE.put("series", series)
    m = st.columns(3)
    m[0].metric(
        "Correlation r", "undefined" if np.isnan(f.corr) else f"{f.corr:.3f}",
        help="Pearson correlation of W_in[w]·W_out[c] with PMI_α − log k over the fitted pairs. "
        "Undefined at the start: W_out begins at zero, so every score is 0.",
    )  # fmt: skip
    m[1].metric("RMS gap", f"{f.rms:.3f}", help="Root mean square of score − (PMI_α − log k).")
    m[2].metric(
        "Pairs compared", f"{f.n_pairs:,}",
        help=f"Co-occurring pairs (w, c), the most frequent first (at most {cv.MAX_FIT_PAIRS:,}).",
    )  # fmt: skip
    fit_charts(tr, data, f, series)


def fit_charts(tr, data: cv.CountData, f, series) -> None:
    rng = cv.scatter_range(PAGE.get("scatter_range"), f.x, f.y)
    PAGE.put("scatter_range", rng)
    ranges = cv.series_ranges(PAGE.get("series_range"), series, lc.per_epoch(tr, PAGE))
    PAGE.put("series_range", ranges)
    left, right = st.columns([3, 2])
    with left:
        presenter.chart(pmi_scatter(f.x, f.y, f.labels, f.counts, rng, data.k),
                        key="count_scatter")  # fmt: skip
    shown = (
        f"All {len(f.x):,} co-occurring pairs"
        if len(f.x) == data.target.n_total
        else f"The {len(f.x):,} most frequent of {data.target.n_total:,} co-occurring pairs"
    )
    left.caption(
        f"{shown} (window {data.window}); colour: how often the pair occurs. At the optimum "
        "every point would sit on the dashed line."
    )
    with right:
        if series:
            presenter.chart(correlation_series(series, ranges), key="count_series")
            st.caption(
                f"r after each tick ({len(series)} points kept). A small d can only "
                "approximate the V × V matrix: raise d in the sidebar and r climbs higher."
            )
        else:
            st.info("Press **Start** or **Train one epoch**: r over time appears here.")


def intro() -> None:
    st.title("Count vs predict")
    st.write(
        "There are two classic routes from text to word vectors. **Counting**: tally which "
        "words appear near which (page 2), reweight the counts with PPMI and compress the "
        "V × V table with an SVD. **Predicting**: word2vec never builds that table; it walks "
        "through the (target, context) pairs and nudges two small matrices so that each "
        "target predicts its contexts. Levy & Goldberg (2014) showed that the routes meet: "
        "skip-gram with k negative samples, at its optimum, gives every pair that occurs the "
        "score W_in[w]·W_out[c] = PMI_α(w, c) − log k. Predicting quietly factorises a shifted "
        "count matrix. Below, the same corpus both ways, and the live model moving towards "
        "that matrix as it trains."
    )
    st.caption(
        "The model here is the one on the Live training page: training on either page "
        "moves the same W_in and W_out."
    )


def exercises() -> None:
    _, les, data = model()
    exercise_view.show(cv.exercises(data, ses.current()[0].seed, les.categories))


def render() -> None:
    s, les = ses.current()
    head = st.container()  # the title above the new-settings warning
    tr = ses.page_trainer(s, les, key="count_apply_settings", on_reset=PAGE.clear)
    if tr is not None:
        PAGE.follow(ses.model_serial())  # a new model: count again, fresh series
        try:
            count_data(tr)
        except W2VError as e:
            st.error(md(e))
            tr = None
    if tr is None:
        with head:
            intro()
        return
    ticks = lc.LiveSections()  # the live sections, drawn together by the ticks

    def title():
        with head:
            intro()

    tour.draw("count_predict.py", [
        Section("intro", title), Section("controls", controls),
        Section("neighbours", ticks.section(neighbours_view)),
        Section("fit", ticks.section(fit_view)),
        Section("exercises", exercises),
    ])  # fmt: skip
    ticks.run(tr, PAGE, "count_pace")


render()
