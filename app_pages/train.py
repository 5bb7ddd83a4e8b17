"""Live training: watch W_in (= E) and W_out learn, tick by tick."""

import time

import numpy as np
import streamlit as st

from lab import live
from lab import session as ses
from lab.budget import MAX_SESSION_BYTES, size_text
from lab.escape import md
from lab.figures.train import (
    loss_figure,
    matrix_heatmap,
    projection_figure,
    series_figure,
    timelapse_figure,
)
from w2v_core.errors import W2VError

TICK_SECONDS = live.TICK_SECONDS
K = "live_"  # prefix of this page's own session-state keys (widgets use "train_")


def state(name, default=None):
    return st.session_state.get(K + name, default)


def put(name, value) -> None:
    st.session_state[K + name] = value


def clear_views() -> None:
    for name in ("frame", "tsne", "last", "scores", "zmax", "pending", "error"):
        st.session_state.pop(K + name, None)


def set_running(on: bool) -> None:
    put("running", on)


def advance(tr, n=None, epochs=None) -> None:
    """Train and remember; a divergence stops the run and keeps the last good model."""
    alpha = state("alpha_override")
    try:
        if epochs is not None:
            rep = tr.advance(epochs=epochs, alpha=alpha)
            rows, wps = (rep.rows_in, rep.rows_out), rep.words_per_sec
        else:
            # train at least as long as the last redraw took: the UI costs at most half
            budget = max(TICK_SECONDS, state("draw_seconds", 0.0))
            tick = live.train_tick(tr, n, budget=budget, alpha=alpha)
            rows, wps = (tick.rows_in, tick.rows_out), tick.words_per_sec
    except W2VError as e:
        put("error", md(e))
        set_running(False)
        return
    put("error", None)
    put("last", rows)
    put("pending", None)
    put("rate", wps)
    if tr.done:
        set_running(False)


def controls(tr, s, les) -> None:
    running = state("running", False)
    c = st.columns([1.2, 1, 1, 1, 1, 1.2, 1])
    if c[0].button(
        "Pause" if running else "Start",
        icon=":material/pause:" if running else ":material/play_arrow:",
        key="train_start",
        type="primary",
        disabled=tr.done,
        width="stretch",
    ):
        set_running(not running)
        st.rerun()
    if c[1].button(
        "Step",
        key="train_step",
        disabled=running or tr.done,
        width="stretch",
        help="First press: show the forward pass of the next example. Second: apply it.",
    ):
        if state("pending") is None:
            put("pending", tr.explain_next(state("alpha_override")))
        else:
            st_ = tr.step(state("alpha_override"))
            put("last", (st_.rows_in, st_.rows_out))
            put("pending", None)
    for col, n in zip(c[2:5], (20, 100, 500), strict=True):
        if col.button(
            f"Run {n}", key=f"train_run_{n}", disabled=running or tr.done, width="stretch"
        ):
            advance(tr, n)
    if c[5].button(
        "Run 1 epoch", key="train_run_epoch", disabled=running or tr.done, width="stretch"
    ):
        advance(tr, epochs=1)
    if c[6].button(
        "Reset",
        key="train_reset",
        width="stretch",
        help="Start again from the seeded initial weights.",
    ):
        ses.reset_trainer(s, les)
        clear_views()
        set_running(False)
        st.rerun()


def options(tr, les) -> dict:
    o = {}
    c = st.columns(4)
    speed = c[0].select_slider(
        "Examples per tick",
        [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, "max"],
        2000,
        key="train_speed",
        help=f"Trained every {TICK_SECONDS} s while running; 'max' trains for at least "
        f"{TICK_SECONDS} s per tick (and as long as drawing takes), as fast as the engine goes.",
    )
    o["speed"] = None if speed == "max" else int(speed)
    V = len(tr.vocab_)
    if V > 2:
        o["top"] = c[1].slider(
            "Words in heatmaps",
            2,
            min(V, 60),
            min(V, 25),
            key="train_top",
            help="The most frequent words (ids 0..N-1); at most 60 rows stay legible.",
        )
    else:  # nothing to choose
        o["top"] = V
        c[1].caption(f"Words in heatmaps: both of the {V} words.")
    hs = tr.config.loss == "hs"  # W_out's rows are tree nodes, not words: only W_in projects
    o["matrix"] = c[2].radio(
        "Project",
        ["W_in"] if hs else list(live.MATRICES),
        format_func=live.MATRICES.get,
        key="train_matrix",
        horizontal=True,
        help="Under hierarchical softmax the rows of W_out belong to the Huffman tree's inner "
        "nodes, not to words, so only W_in (= E) can be drawn as words."
        if hs
        else "Which vectors stand for each word in the projection.",
    )
    with c[3]:
        fixed = st.toggle(
            "Fixed learning rate",
            key="train_fix_lr",
            help="Override the linear decay; takes effect at the next tick.",
        )
        lr = st.number_input(
            "learning rate",
            1e-5,
            1000.0,
            float(tr.config.alpha),
            format="%.4f",
            key="train_lr",
            disabled=not fixed,
            label_visibility="collapsed",
        )
        put("alpha_override", float(lr) if fixed else None)
    default_watch = [
        w for w in ("king", "queen", "apple", "dog", "car", "france") if w in les.vocab
    ][:3]
    o["watch"] = st.multiselect(
        "Watch the neighbours of",
        tr.words_[:2000],
        default=default_watch or tr.words_[:2],
        key="train_watch",
    )
    o["n_proj"] = min(V, 300)
    return o


def show_pending() -> None:
    p = state("pending")
    if p is None:
        return
    with st.container(border=True):
        st.markdown("**Next example (not applied yet)** — press *Step* again to apply it.")
        st.write(
            f"loss now {p.loss:.4f} → after the update {p.loss_after:.4f}; "
            f"rows of W_in to change: {len(p.rows_in)}, rows of W_out: {len(p.rows_out)}; "
            f"‖dJ/dh‖ = {np.linalg.norm(p.grad_h):.4g}"
        )


def views(tr, les, o) -> None:
    words = tr.words_
    V = len(words)
    c = st.columns(5)
    c[0].metric("Epoch", f"{min(tr.epoch_ + 1, tr.config.epochs)} / {tr.config.epochs}")
    c[1].metric("Examples seen", f"{tr.examples_seen_:,}")
    c[2].metric("Progress", f"{tr.progress:.0%}")
    last_loss = tr.history_.loss[-1][1] if tr.history_.loss else float("nan")
    c[3].metric("Loss per example", "–" if np.isnan(last_loss) else f"{last_loss:.3f}")
    rate = state("rate")
    c[4].metric("Words/s (last tick)", f"{rate:,.0f}" if rate else "–")
    st.caption(
        f"This model holds {size_text(tr.nbytes)} (weights, this epoch's examples, "
        f"replay history); each session may hold up to {MAX_SESSION_BYTES // 2**20} MB."
    )

    top = o["top"]
    rows_in, rows_out = state("last", (np.array([], int), np.array([], int)))
    # under hierarchical softmax W_out's rows are the tree's inner nodes, not words: show
    # the nodes nearest the root (the most often updated), labelled "node n"
    hs = tr.config.loss == "hs"
    out_ids = tr.tree_.top_nodes(top) if hs else np.arange(top)  # rows of W_out drawn
    out_labels = [f"node {n}" for n in out_ids] if hs else words[:top]
    zmax = max(
        state("zmax", 0.0),
        float(np.abs(tr.W_in_[:top]).max()),
        float(np.abs(tr.W_out_[out_ids]).max()),
        1e-6,
    )
    put("zmax", zmax)  # the colour scale only grows, so colours stay comparable
    h1, h2 = st.columns(2)
    h1.plotly_chart(
        matrix_heatmap(
            tr.W_in_[:top],
            words[:top],
            [r for r in rows_in if r < top],
            f"W_in = E  ({V} × {tr.config.dim}), top {top} rows",
            zmax,
        ),
        key="train_heat_in",
        width="stretch",
    )
    h2.plotly_chart(
        matrix_heatmap(
            tr.W_out_[out_ids],
            out_labels,
            np.flatnonzero(np.isin(out_ids, rows_out)).tolist(),
            f"W_out  ({V} × {tr.config.dim}), the {len(out_ids)} inner nodes nearest the root"
            if hs
            else f"W_out  ({V} × {tr.config.dim}), top {top} rows",
            zmax,
        ),
        key="train_heat_out",
        width="stretch",
    )
    st.caption(
        f"Outlined rows changed in the last update ({len(rows_in)} rows of W_in and "
        f"{len(rows_out)} of W_out in all, including rows below the top {top})."
        + (
            " Hierarchical softmax: W_out's rows are the Huffman tree's inner nodes (row n "
            f"is u_n of node n, row {V - 1} unused), so they carry node ids, not words."
            if hs
            else ""
        )
    )

    n = o["n_proj"]
    X = live.pick_matrix(tr.W_in_[:n], tr.W_out_[:n], o["matrix"])
    groups = [les.categories.get(w, "other") for w in words[:n]] if les.categories else None
    left, right = st.columns([3, 2])
    with left:
        tsne = state("tsne")
        if tsne is not None and not state("running", False):
            frame, title = tsne, ("t-SNE 1", "t-SNE 2")
        else:
            frame = live.pca_frame(X, state("frame"))
            put("frame", frame)
            put("tsne", None)
            title = (f"PC 1 ({frame.explained[0]:.0%})", f"PC 2 ({frame.explained[1]:.0%})")
        st.plotly_chart(
            projection_figure(frame.points, words[:n], groups, frame.ranges, title, o["watch"]),
            key="train_projection",
            width="stretch",
        )
        st.caption(
            f"{live.MATRICES[o['matrix']]} of the {n} most frequent words. PCA is aligned to "
            f"the previous frame (RMS move {frame.residual_aligned:.4f} aligned vs "
            f"{frame.residual_raw:.4f} raw), so points move instead of jumping."
        )
    with right:
        pts = tr.history_.loss
        if pts:
            st.plotly_chart(
                loss_figure(pts, live.smooth([p[1] for p in pts]), tr.history_.epoch_loss),
                key="train_loss",
                width="stretch",
            )
        score = live.ground_truth(tr.W_in_, words, les.categories) if les.categories else None
        if score is not None:
            scores = state("scores", [])
            if not scores or scores[-1][0] != tr.examples_seen_:
                scores = [*scores, (tr.examples_seen_, score)][-500:]
                put("scores", scores)
            st.plotly_chart(
                series_figure(scores, "neighbours in same category"),
                key="train_score",
                width="stretch",
            )
            st.caption(
                f"Ground truth now: {score:.0%} of each categorised word's "
                f"{live.score_k(words, les.categories)} nearest categorised neighbours "
                "share its category."
            )
    nb = live.neighbour_table(live.pick_matrix(tr.W_in_, tr.W_out_, o["matrix"]), words, o["watch"])
    if nb:
        st.dataframe({w: v for w, v in nb.items()}, width="stretch")


def paused_tools(tr, les, o) -> None:
    c1, c2 = st.columns(2)
    with c1.expander("t-SNE of the current vectors"):
        perp = st.slider("Perplexity", 2, 50, 10, key="train_perplexity")
        if st.button("Run t-SNE", key="train_tsne"):
            n = o["n_proj"]
            X = live.pick_matrix(tr.W_in_[:n], tr.W_out_[:n], o["matrix"])
            try:
                put(
                    "tsne",
                    live.tsne_frame(X, state("tsne") or state("frame"), perp, tr.config.seed),
                )
            except W2VError as e:
                st.error(md(e))
            st.rerun()
        if state("tsne") is not None and st.button("Back to PCA", key="train_pca"):
            put("tsne", None)
            st.rerun()
    with c2.expander("Time-lapse replay"):
        snaps = tr.history_.snapshots
        if len(snaps) < 2:
            st.info("Train a little: snapshots are taken after each tick.")
        else:
            n = min(o["n_proj"], snaps[0].W_in.shape[0])
            frames, prev = [], None
            for sn in snaps:
                prev = live.pca_frame(
                    live.pick_matrix(sn.W_in[:n], sn.W_out[:n], o["matrix"]), prev
                )
                frames.append((f"{sn.examples_seen:,}", prev.points))
            groups = (
                [les.categories.get(w, "other") for w in tr.words_[:n]]
                if les.categories
                else ["words"] * n
            )
            st.plotly_chart(
                timelapse_figure(frames, tr.words_[:n], groups, prev.ranges),
                key="train_timelapse",
                width="stretch",
            )
            st.caption(
                f"{len(snaps)} snapshots kept ({tr.history_.nbytes / 2**20:.1f} MB of history)."
            )


def _reset_views() -> None:
    clear_views()
    set_running(False)


def render() -> None:
    st.title("Live training")
    st.write(
        "Press **Start** and watch the two weight matrices learn. Every tick trains a slice of "
        "examples with SGD; rows that the update touched are outlined. Words that share "
        "contexts drift together in the projection while the loss falls. Pause to step "
        "through single examples, run t-SNE, or replay the training as an animation."
    )
    s, les = ses.current()
    tr = ses.page_trainer(s, les, key="train_apply_settings", on_reset=_reset_views)
    if tr is None:
        return
    controls(tr, s, les)
    o = options(tr, les)
    if state("error"):
        st.error(state("error"))
    show_pending()
    running = state("running", False)

    @st.fragment(run_every=TICK_SECONDS if running else None)
    def live_view():
        if state("running", False):
            advance(tr, o["speed"])
            if not state("running", False):
                st.rerun()  # finished or diverged: a full rerun stops the ticking
        t0 = time.perf_counter()
        views(tr, les, o)
        put("draw_seconds", time.perf_counter() - t0)

    live_view()
    if not running:
        paused_tools(tr, les, o)


render()
