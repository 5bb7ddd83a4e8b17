"""Count vs predict: SVD-of-PPMI vectors next to skip-gram, and the shifted PMI SGNS fits."""

import weakref

import numpy as np
import pandas as pd
import streamlit as st

from lab import count_view as cv
from lab import live
from lab import session as ses
from lab.escape import md
from lab.figures.count import correlation_series, pmi_scatter
from w2v_core.errors import W2VError

TICK_SECONDS = live.TICK_SECONDS
K = "cvp_"  # prefix of this page's own session-state keys (widgets use "count_")
SPEEDS = [100, 200, 500, 1000, 2000, 5000, 10000, 20000]  # examples per tick
TABLE = dict(
    hide_index=True,
    width="stretch",
    column_config={"cosine": st.column_config.NumberColumn(format="%.3f")},
)


def state(name, default=None):
    return st.session_state.get(K + name, default)


def put(name, value) -> None:
    st.session_state[K + name] = value


def count_data(tr) -> cv.CountData:
    """The counts of this trainer's corpus, computed once per trainer (a new model: again)."""
    held = state("data")
    if held is not None and held[0]() is tr:
        return held[1]
    cfg = tr.config
    with st.spinner("Counting co-occurrences and running the SVD..."):
        data = cv.count_data(tr.corpus_, tr.vocab_, cfg.window, cfg.negative, cfg.noise_alpha,
                             cfg.dim)  # fmt: skip
    put("data", (weakref.ref(tr), data))
    for name in ("series", "scatter_range", "series_range", "error"):
        put(name, None)
    return data


def advance(tr, n=None, epochs=None) -> None:
    """Train the shared model; a divergence stops the run and keeps the last good model."""
    try:
        if epochs is not None:
            tr.advance(epochs=epochs)
        else:
            live.train_tick(tr, n, budget=TICK_SECONDS)
    except W2VError as e:
        put("error", md(e))
        put("running", False)
        return
    put("error", None)
    if tr.done:
        put("running", False)


def controls(tr) -> int:
    running = state("running", False)
    c = st.columns([1.2, 1.4, 3])
    if c[0].button(
        "Pause" if running else "Start",
        icon=":material/pause:" if running else ":material/play_arrow:",
        key="count_start", type="primary",
        disabled=tr.done, width="stretch",
    ):  # fmt: skip
        put("running", not running)
        st.rerun()
    if c[1].button(
        "Train one epoch", key="count_epoch", disabled=running or tr.done, width="stretch"
    ):
        advance(tr, epochs=1)
    speed = c[2].select_slider(
        "Examples per tick", SPEEDS, 1000, key="count_speed",
        help=f"While running, the model trains on this many examples every {TICK_SECONDS:g} s.",
    )  # fmt: skip
    return int(speed)


def neighbour_frame(pairs, shared) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "word": [w for w, _ in pairs],
            "cosine": [s for _, s in pairs],
            "in both": ["✓" if w in shared else "" for w, _ in pairs],
        }
    )


def neighbours_view(tr, les, data: cv.CountData) -> None:
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


def fit_view(tr, data: cv.CountData) -> None:
    st.header("What skip-gram fits: PMI shifted by log k")
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
            f"trains {cfg.model} with {ses.LOSS_LABELS.get(cfg.loss, cfg.loss)}. {note} "
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
    series = cv.append_point(state("series") or (), tr.examples_seen_, f.corr)
    put("series", series)
    m = st.columns(3)
    m[0].metric(
        "Correlation r", "undefined" if np.isnan(f.corr) else f"{f.corr:.3f}",
        help="Pearson correlation of W_in[w]·W_out[c] with PMI − log k over the fitted pairs. "
        "Undefined at the start: W_out begins at zero, so every score is 0.",
    )  # fmt: skip
    m[1].metric("RMS gap", f"{f.rms:.3f}", help="Root mean square of score − (PMI − log k).")
    m[2].metric(
        "Pairs compared", f"{f.n_pairs:,}",
        help=f"Co-occurring pairs (w, c), the most frequent first (at most {cv.MAX_FIT_PAIRS:,}).",
    )  # fmt: skip
    rng = cv.scatter_range(state("scatter_range"), f.x, f.y)
    put("scatter_range", rng)
    epoch_examples = len(tr.examples) if not tr.done else 1
    ranges = cv.series_ranges(state("series_range"), series, epoch_examples)
    put("series_range", ranges)
    left, right = st.columns([3, 2])
    left.plotly_chart(
        pmi_scatter(f.x, f.y, f.labels, f.counts, rng, data.k), key="count_scatter",
        width="stretch",
    )  # fmt: skip
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
            st.plotly_chart(correlation_series(series, ranges), key="count_series", width="stretch")
            st.caption(
                f"r after each tick ({len(series)} points kept). A small d can only "
                "approximate the V × V matrix: raise d in the sidebar and r climbs higher."
            )
        else:
            st.info("Press **Start** or **Train one epoch**: r over time appears here.")


def render() -> None:
    st.title("Count vs predict")
    st.write(
        "There are two classic routes from text to word vectors. **Counting**: tally which "
        "words appear near which (page 2), reweight the counts with PPMI and compress the "
        "V × V table with an SVD. **Predicting**: word2vec never builds that table; it walks "
        "through the (target, context) pairs and nudges two small matrices so that each "
        "target predicts its contexts. Levy & Goldberg (2014) showed that the routes meet: "
        "skip-gram with k negative samples, at its optimum, gives every pair that occurs the "
        "score W_in[w]·W_out[c] = PMI(w, c) − log k. Predicting quietly factorises a shifted "
        "count matrix. Below, the same corpus both ways, and the live model moving towards "
        "that matrix as it trains."
    )
    s, les = ses.current()
    tr = ses.page_trainer(
        s, les, key="count_apply_settings", on_reset=lambda: put("running", False)
    )
    if tr is None:
        return
    st.caption(
        "The model here is the one on the Live training page: training on either page "
        "moves the same W_in and W_out."
    )
    try:
        data = count_data(tr)
    except W2VError as e:
        st.error(md(e))
        return
    speed = controls(tr)
    if state("error"):
        st.error(state("error"))
    if tr.done:
        st.info(
            f"All {tr.config.epochs} epochs are trained. Reset the model on the Live training "
            "page to watch the fit grow again."
        )
        st.page_link("app_pages/train.py", label="Live training", icon=":material/play_circle:")
    running = state("running", False)

    @st.fragment(run_every=TICK_SECONDS if running else None)
    def live_view():
        if state("running", False):
            advance(tr, n=speed)
            if not state("running", False):
                st.rerun()  # finished or diverged: a full rerun stops the ticking
        neighbours_view(tr, les, data)
        fit_view(tr, data)

    live_view()


render()
