"""Live training: watch W_in (= E) and W_out learn, tick by tick."""

import numpy as np
import streamlit as st

from lab import live, presenter, widgets
from lab import live_controls as lc
from lab import session as ses
from lab.budget import MAX_SESSION_BYTES, size_text
from lab.escape import md
from lab.figures import label_positions
from lab.figures.train import (
    loss_figure,
    matrix_heatmap,
    projection_figure,
    series_figure,
    timelapse_figure,
)
from lab.page_state import PageState
from w2v_core.errors import W2VError

PAGE = PageState("live_")  # this page's own state; its widgets have "train_" keys
RUN_EXAMPLES = 100  # the "Run 100" button
LOSS_LATEX = {
    "negative": r"J = -\log\sigma(u_o^\top h) - \sum_{i=1}^{k}\log\sigma(-u_{n_i}^\top h)",
    "softmax": r"J = -\log \frac{\exp(u_o^\top h)}{\sum_{w=1}^{V}\exp(u_w^\top h)}",
    "hs": r"J = -\sum_{j=1}^{L}\log\sigma(s_j\,u_{n_j}^\top h)",
}  # the loss of one example, by output layer


# ---- training -----------------------------------------------------------------------


def step(tr) -> None:
    """First press: show the next example without applying it. Second press: apply it."""
    alpha = PAGE.get("alpha_override")
    try:
        if PAGE.get("pending") is None:
            p = tr.explain_next(alpha)
            PAGE.put("pending", p)
            PAGE.put("last", (p.rows_in, p.rows_out))  # the rows it is about to change
        else:
            s = tr.step(alpha)
            PAGE.put("pending", None)
            PAGE.put("applied", s)
            PAGE.put("last", (s.rows_in, s.rows_out))
        PAGE.put("last_examples", 1)
        PAGE.put("error", None)
    except W2VError as e:  # a diverging fixed rate, or a finished run
        PAGE.put("pending", None)
        PAGE.put("error", md(e))


def reset(s, les) -> None:
    ses.reset_trainer(s, les)
    PAGE.clear()


# ---- controls -----------------------------------------------------------------------


def controls(tr, s, les) -> None:
    busy = lc.running(PAGE) or tr.done
    row = st.container(horizontal=True, gap="small", vertical_alignment="bottom")
    lc.start_pause(row, tr, PAGE, key="train_start")
    if row.button(
        "Step",
        key="train_step",
        disabled=busy,
        help="First press: show the next example and the rows it will change. Second: apply it.",
    ):
        step(tr)
    if row.button(f"Run {RUN_EXAMPLES}", key=f"train_run_{RUN_EXAMPLES}", disabled=busy):
        lc.advance(tr, PAGE, RUN_EXAMPLES)
    if row.button("Run 1 epoch", key="train_run_epoch", disabled=busy):
        lc.advance(tr, PAGE, epochs=1)
    if row.button("Reset", key="train_reset", help="Start again from the seeded initial weights."):
        reset(s, les)
        st.rerun()
    lc.pace(row, key="train_pace")


def watch_words(tr, les) -> list[str]:
    """The watch list, kept valid for this model's vocabulary (a new corpus drops words
    it does not have, and falls back to a few telling words)."""
    options = tr.words_[:2000]
    known = set(options)
    kept = [w for w in st.session_state.get("train_watch", []) if w in known]
    if not kept:
        kept = [w for w in ("king", "queen", "apple", "dog", "car") if w in known][:3]
        kept = kept or options[:2]
    st.session_state["train_watch"] = kept  # before the widget: its value must be an option
    return st.multiselect("Watch the neighbours of", options, key="train_watch")


def options(tr, les) -> dict:
    o = {}
    V = len(tr.vocab_)
    hs = tr.config.loss == "hs"  # W_out's rows are tree nodes, not words: only W_in projects
    row = st.container(horizontal=True, gap="medium", vertical_alignment="bottom")
    o["matrix"] = row.segmented_control(
        "Project",
        ["W_in"] if hs else list(live.MATRICES),
        format_func=live.MATRICES.get,
        default="W_in",
        key="train_matrix",
        help="Under hierarchical softmax the rows of W_out belong to the Huffman tree's inner "
        "nodes, not to words, so only W_in (= E) can be drawn as words."
        if hs
        else "Which vectors stand for each word in the projection.",
    ) or "W_in"
    o["colour"] = bool(les.categories) and row.toggle(
        "Colour by category", value=True, key="train_colour",
        help="Colour each word by the category the corpus gives it (royal, common...).",
    )  # fmt: skip
    with st.expander("More options: heatmap rows, a fixed learning rate"):
        default_top = 15 if presenter.is_on() else 25
        o["top"] = (
            st.slider(
                "Words in heatmaps", 2, min(V, 60), min(V, default_top), key="train_top",
                help="The most frequent words (ids 0..N-1); at most 60 rows stay legible.",
            )  # fmt: skip
            if V > 2
            else V
        )
        fixed = st.toggle(
            "Fixed learning rate",
            key="train_fix_lr",
            help="Override the linear decay; takes effect at the next tick.",
        )
        lr = widgets.setting(
            "alpha", float(tr.config.alpha), key="train_lr", disabled=not fixed,
            help="A constant learning rate for the next ticks (the sidebar's range).",
        )  # fmt: skip
        PAGE.put("alpha_override", float(lr) if fixed else None)
    o["watch"] = watch_words(tr, les)
    o["n_proj"] = min(V, 300)
    return o


# ---- what one step does -------------------------------------------------------------


def show_step(tr) -> None:
    """The example a Step is about to apply (or has just applied), named word by word."""
    pending, applied = PAGE.get("pending"), PAGE.get("applied")
    s = pending if pending is not None else applied
    if s is None:
        return
    words = tr.words_
    with st.container(border=True):
        if pending is not None:
            st.markdown("**Next example, not applied yet.** Press *Step* again to apply it.")
        else:
            st.markdown("**The example the last Step applied.**")
        st.dataframe(live.step_table(s, words, tr.config.loss), hide_index=True, width="stretch")
        st.write(
            f"Loss of this example: {s.loss:.4f} before the update, {s.loss_after:.4f} after "
            f"(learning rate {s.alpha:.4g}). The heatmaps outline the {len(s.rows_in)} row(s) "
            f"of W_in and the {len(s.rows_out)} row(s) of W_out it "
            + ("will change." if pending is not None else "changed.")
        )


# ---- the live views -----------------------------------------------------------------


def metrics(tr) -> float:
    """The run's numbers; returns the smoothed loss (nan before any training)."""
    loss = lc.smoothed_loss(tr, PAGE)
    row = st.container(horizontal=True, gap="medium")
    row.metric("Epoch", f"{min(tr.epoch_ + 1, tr.config.epochs)} / {tr.config.epochs}")
    row.metric("Examples seen", f"{tr.examples_seen_:,}")
    row.metric("Progress", f"{tr.progress:.0%}")
    row.metric(
        "Loss",
        "–" if np.isnan(loss) else f"{loss:.3f}",
        help="Mean loss per example over the last examples (the bold curve's last value).",
    )
    rate = PAGE.get("rate")
    row.metric(
        "Words/s", f"{rate:,.0f}" if rate else "–", help="Corpus words per second, last tick."
    )
    return loss


def heatmaps(tr, top: int) -> None:
    words = tr.words_
    V = len(words)
    rows_in, rows_out = PAGE.get("last", lc.NO_ROWS)
    # under hierarchical softmax W_out's rows are the tree's inner nodes, not words: show
    # the nodes nearest the root (the most often updated), labelled "node n"
    hs = tr.config.loss == "hs"
    out_ids = tr.tree_.top_nodes(top) if hs else np.arange(top)  # rows of W_out drawn
    out_labels = [f"node {n}" for n in out_ids] if hs else words[:top]
    zmax = max(
        PAGE.get("zmax", 0.0),
        float(np.abs(tr.W_in_[:top]).max()),
        float(np.abs(tr.W_out_[out_ids]).max()),
        1e-6,
    )
    PAGE.put("zmax", zmax)  # the colour scale only grows, so colours stay comparable
    height = 330 if presenter.is_on() else None
    h1, h2 = st.columns(2)
    with h1:
        presenter.chart(
            matrix_heatmap(
                tr.W_in_[:top], words[:top], [r for r in rows_in if r < top],
                f"W_in = E  ({V} × {tr.config.dim}), top {top} rows", zmax, height=height,
            ),
            key="train_heat_in",
        )  # fmt: skip
    with h2:
        presenter.chart(
            matrix_heatmap(
                tr.W_out_[out_ids], out_labels,
                np.flatnonzero(np.isin(out_ids, rows_out)).tolist(),
                f"W_out  ({V} × {tr.config.dim}), the {len(out_ids)} inner nodes nearest the root"
                if hs else f"W_out  ({V} × {tr.config.dim}), top {top} rows",
                zmax, height=height,
            ),
            key="train_heat_out",
        )  # fmt: skip
    n_ex = PAGE.get("last_examples", 0)
    what = (
        "the example Step will apply"
        if PAGE.get("pending") is not None
        else f"the last update ({n_ex:,} example{'s' if n_ex != 1 else ''})"
        if n_ex
        else "nothing yet"
    )
    st.caption(
        f"Outlined: rows changed by {what}: {len(rows_in)} of W_in's {V} rows and "
        f"{len(rows_out)} of W_out's, counting rows below the top {top}. "
        + (
            f"Under hierarchical softmax W_out's rows are the Huffman tree's inner nodes "
            f"(row {V - 1} unused). "
            if hs
            else "One skip-gram example changes one row of W_in and k + 1 rows of W_out. "
        )
        + "Colour: blue = positive, white = 0, red = negative."
    )


def projection(tr, les, o) -> None:
    words = tr.words_
    n = o["n_proj"]
    X = live.pick_matrix(tr.W_in_[:n], tr.W_out_[:n], o["matrix"])
    groups = (
        [les.categories.get(w, "other") for w in words[:n]]
        if les.categories and o["colour"]
        else None
    )
    tsne = PAGE.get("tsne")
    if tsne is not None and not lc.running(PAGE):
        frame, title = tsne, ("t-SNE 1", "t-SNE 2")
    else:
        frame = live.pca_frame(X, PAGE.get("frame"))
        PAGE.put("frame", frame)
        PAGE.put("tsne", None)
        title = (f"PC 1 ({frame.explained[0]:.0%})", f"PC 2 ({frame.explained[1]:.0%})")
    fig = projection_figure(
        frame.points, words[:n], groups, frame.ranges, title, o["watch"],
        prefer=PAGE.get("labels"), height=380 if presenter.is_on() else 520,
    )  # fmt: skip
    PAGE.put("labels", label_positions(fig))  # keep labels where they are next frame
    presenter.chart(fig, key="train_projection")
    if not presenter.is_on():
        hidden = fig.layout.meta["hidden_labels"]
        st.caption(
            f"{live.MATRICES[o['matrix']]} of the {n} most frequent words. Each frame is "
            f"aligned to the previous one (RMS move {frame.residual_aligned:.4f} aligned vs "
            f"{frame.residual_raw:.4f} raw), so points move instead of jumping."
            + (f" {hidden} labels that would overlap are shown on hover." if hidden else "")
        )


def objective(tr) -> None:
    """What the loss curve plots: the training objective, per example."""
    cfg = tr.config
    with st.expander("What is this loss?"):
        if cfg.model == "skipgram":
            st.markdown(
                "Skip-gram maximises the average log probability of the context words "
                "(Mikolov et al. 2013b), over the T tokens of the corpus:"
            )
            st.latex(r"\frac{1}{T}\sum_{t=1}^{T}\;\sum_{-c\le j\le c,\;j\ne 0}"
                     r"\log p(w_{t+j}\mid w_t)")  # fmt: skip
        else:
            st.markdown(
                "CBOW maximises the average log probability of each target word given the mean "
                "of its context (Mikolov et al. 2013a), over the T tokens of the corpus:"
            )
            st.latex(r"\frac{1}{T}\sum_{t=1}^{T}\log p(w_t \mid w_{t-c},\dots,w_{t+c})")
        st.markdown(
            "The curve plots, tick by tick, the mean over the examples trained of the loss of "
            "one (input, word to predict) example:"
        )
        st.latex(LOSS_LATEX[cfg.loss])
        st.caption(
            "With negative sampling this is not −log p of the softmax: it is the loss of k + 1 "
            "yes/no questions (is o a real context word? is each noise word one?), which is why "
            f"it starts at (k + 1)·log 2 = {(cfg.negative + 1) * np.log(2):.3f} while W_out is "
            "zero."
            if cfg.loss == "negative"
            else "The bold curve averages the last examples; the dots are the epochs' means."
        )


def loss_and_score(tr, les) -> None:
    pts = tr.history_.loss
    if pts:
        presenter.chart(
            loss_figure(
                pts,
                live.smooth_loss(pts, lc.per_epoch(tr, PAGE)),
                live.epoch_markers(tr.history_.epoch_end, tr.history_.epoch_loss),
                height=260 if presenter.is_on() else 300,
            ),
            key="train_loss",
        )
    if presenter.is_on():
        return
    objective(tr)
    if not les.categories:
        return
    words = tr.words_
    score = live.ground_truth(tr.W_in_, words, les.categories)
    if score is None:
        return
    scores = PAGE.get("scores", [])
    if not scores or scores[-1][0] != tr.examples_seen_:
        scores = [*scores, (tr.examples_seen_, score)][-500:]
        PAGE.put("scores", scores)
    presenter.chart(series_figure(scores, "neighbours in same category"), key="train_score")
    st.caption(
        f"Ground truth now: {score:.0%} of each categorised word's "
        f"{live.score_k(words, les.categories)} nearest categorised neighbours share its category."
    )


def neighbours(tr, o) -> None:
    nb = live.neighbour_table(live.pick_matrix(tr.W_in_, tr.W_out_, o["matrix"]), tr.words_,
                              o["watch"])  # fmt: skip
    if nb:
        st.dataframe(dict(nb.items()), width="stretch")


def views(tr, les, o) -> None:
    metrics(tr)
    if presenter.is_on():  # one screen: heatmaps, then projection and loss side by side
        heatmaps(tr, o["top"])
        left, right = st.columns([3, 2])
        with left:
            projection(tr, les, o)
        with right:
            loss_and_score(tr, les)
        return
    st.caption(
        f"This model holds {size_text(tr.nbytes)} (weights, this epoch's examples, "
        f"replay history); each session may hold up to {MAX_SESSION_BYTES // 2**20} MB."
    )
    heatmaps(tr, o["top"])
    left, right = st.columns([3, 2])
    with left:
        projection(tr, les, o)
    with right:
        loss_and_score(tr, les)
    neighbours(tr, o)


# ---- paused tools -------------------------------------------------------------------


def tsne_tool(tr, o) -> None:
    perp = st.slider("Perplexity", 2, 50, 10, key="train_perplexity")
    if st.button("Run t-SNE", key="train_tsne"):
        n = o["n_proj"]
        X = live.pick_matrix(tr.W_in_[:n], tr.W_out_[:n], o["matrix"])
        try:
            PAGE.put("tsne", live.tsne_frame(X, PAGE.get("tsne") or PAGE.get("frame"), perp,
                                             tr.config.seed))  # fmt: skip
        except W2VError as e:
            st.error(md(e))
        st.rerun()
    if PAGE.get("tsne") is not None and st.button("Back to PCA", key="train_pca"):
        PAGE.put("tsne", None)
        st.rerun()


def replay(tr, les, o) -> None:
    snaps = tr.history_.snapshots
    if len(snaps) < 2:
        st.info("Train a little: snapshots are taken after each tick.")
        return
    n = min(o["n_proj"], snaps[0].W_in.shape[0])
    frames, prev = [], None
    for sn in snaps:
        prev = live.pca_frame(live.pick_matrix(sn.W_in[:n], sn.W_out[:n], o["matrix"]), prev)
        frames.append((f"{sn.examples_seen:,}", prev.points))
    groups = (
        [les.categories.get(w, "other") for w in tr.words_[:n]]
        if les.categories
        else ["words"] * n
    )
    presenter.chart(timelapse_figure(frames, tr.words_[:n], groups, prev.ranges),
                    key="train_timelapse")  # fmt: skip
    st.caption(f"{len(snaps)} snapshots kept ({tr.history_.nbytes / 2**20:.1f} MB of history).")


def paused_tools(tr, les, o) -> None:
    c1, c2 = st.columns(2)
    with c1.expander("t-SNE of the current vectors"):
        tsne_tool(tr, o)
    with c2.expander("Time-lapse replay"):
        replay(tr, les, o)


# ---- the page -----------------------------------------------------------------------


def intro() -> None:
    st.title("Live training")
    if presenter.is_on():
        return
    st.write(
        "Press **Start** and watch the two weight matrices learn. Every tick trains a slice of "
        "examples with SGD and outlines the rows that slice changed. At the *Lecture* pace the "
        "first ticks train single examples, then the pace grows so the run ends in about a "
        "minute. Words that share contexts drift together in the projection while the loss "
        "falls. Pause to step through single examples, run t-SNE, or replay the training."
    )
    st.caption(
        "Questions to watch for: why does one example outline a single row of W_in but several "
        "rows of W_out? Which words find each other first? Does the loss keep falling after the "
        "neighbours stop changing?"
    )


def render() -> None:
    intro()
    s, les = ses.current()
    tr = ses.page_trainer(s, les, key="train_apply_settings", on_reset=PAGE.clear)
    if tr is None:
        return
    PAGE.follow(ses.model_serial())  # a new model (corpus, settings, reset): fresh views
    controls(tr, s, les)
    o = options(tr, les)
    if PAGE.get("error"):
        st.error(PAGE.get("error"))
    show_step(tr)
    running = lc.running(PAGE)
    lc.ticker(tr, PAGE, "train_pace", lambda: views(tr, les, o))
    if not running:
        paused_tools(tr, les, o)


render()
