"""Live training: watch W_in (= E) and W_out learn, tick by tick.

Each section below draws one idea and reads what it needs itself (the model from
``lab.session``, the view options from the widgets' state through ``view()``), so a
guided tour can show any of them alone. The live sections are drawn together in one
ticking fragment (``lab.live_controls.ticker``), which trains one slice per tick.
"""

from dataclasses import dataclass

import numpy as np
import streamlit as st

from lab import exercise_view, live, presenter, tour, widgets
from lab import live_controls as lc
from lab import session as ses
from lab import train_view as tv
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
from lab.tour import Section
from w2v_core.errors import W2VError

PAGE = PageState("live_")  # this page's own state; its widgets have "train_" keys
RUN_EXAMPLES = 100  # the "Run 100" button
N_PROJ = 300  # words in the projection (the most frequent)
COLOURS = {True: "By category", False: "One colour"}  # the projection's colouring
RATES = {False: "Linear decay", True: "Fixed"}  # the learning rate of the next ticks
# (radios, not toggles: a toggle's visually hidden input measures as a cut label)
LOSS_LATEX = {
    "negative": [
        r"J = -\log\sigma(u_o^\top h)",
        r"\qquad - \sum_{i=1}^{k}\log\sigma(-u_{n_i}^\top h)",
    ],
    "softmax": [r"J = -\log \frac{\exp(u_o^\top h)}{\sum_{w=1}^{V}\exp(u_w^\top h)}"],
    "hs": [r"J = -\sum_{j=1}^{L}\log\sigma(s_j\,u_{n_j}^\top h)"],
}  # the loss of one example, by output layer (split so each line fits a projector column)


@dataclass(frozen=True)
class View:
    """The view options, read from the widgets' state (defaults when not drawn)."""

    matrix: str  # "W_in", "W_out" or "sum"
    method: str  # "pca", "tsne" or "umap"
    perplexity: float
    colour: bool
    top: int  # rows in the heatmaps
    watch: list


def model():
    """This user's model and lesson (the page made sure there is one)."""
    return ses.held_trainer(), ses.current()[1]


def view() -> View:
    tr, les = model()
    V, ss = len(tr.vocab_), st.session_state
    matrix = ss.get("train_matrix") or "W_in"
    top = min(V, ss.get("train_top") or (15 if presenter.is_on() else 25))
    return View("W_in" if tr.config.loss == "hs" else matrix, ss.get("train_proj") or "pca",
                float(ss.get("train_perplexity") or live.PERPLEXITY),
                bool(les.categories) and ss.get("train_colour", True), top,
                live.watch_default(tr.words_[:2000], ss.get("train_watch")))  # fmt: skip


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


# ---- sections -----------------------------------------------------------------------


def intro() -> None:
    st.title("Live training")
    if presenter.is_on():
        return
    st.write(
        "Press **Start** and watch the two weight matrices learn. Every tick trains a slice of "
        "examples with SGD and outlines the rows that slice changed. At the *Lecture* pace the "
        "first ticks train single examples, then the pace grows so the run ends in about a "
        "minute. Words that share contexts drift together in the projection (PCA, or t-SNE "
        "that keeps moving with the model) while the loss falls. Pause to step through single "
        "examples or replay the training."
    )
    st.caption(
        "Questions to watch for: why does one example outline a single row of W_in but several "
        "rows of W_out? Which words find each other first? Does the loss keep falling after the "
        "neighbours stop changing?"
    )


def controls() -> None:
    tr, les = model()
    busy = lc.running(PAGE) or tr.done
    row = st.container(horizontal=True, gap="small", vertical_alignment="bottom")
    lc.start_pause(row, tr, PAGE, key="train_start")
    if row.button("Step", key="train_step", disabled=busy,
                  help="First press: show the next example and the rows it will change. "
                  "Second: apply it."):  # fmt: skip
        step(tr)
    if row.button(f"Run {RUN_EXAMPLES}", key=f"train_run_{RUN_EXAMPLES}", disabled=busy,
                  help=f"Train the next {RUN_EXAMPLES} examples."):  # fmt: skip
        lc.advance(tr, PAGE, RUN_EXAMPLES)
    if row.button("1 epoch", key="train_run_epoch", disabled=busy,
                  help="Train to the end of the next epoch."):  # fmt: skip
        lc.advance(tr, PAGE, epochs=1)
    if row.button("Reset", key="train_reset", help="Start again from the seeded initial weights."):
        ses.reset_trainer(ses.current()[0], les)
        PAGE.clear()
        st.rerun()
    lc.pace(st, key="train_pace")
    if PAGE.get("error"):
        st.error(PAGE.get("error"))
    show_step(tr)


def show_step(tr) -> None:
    """The example a Step is about to apply (or has just applied), named word by word."""
    pending, applied = PAGE.get("pending"), PAGE.get("applied")
    s = pending if pending is not None else applied
    if s is None:
        return
    with st.container(border=True):
        if pending is not None:
            st.markdown("**Next example, not applied yet.** Press *Step* again to apply it.")
        else:
            st.markdown("**The example the last Step applied.**")
        st.dataframe(live.step_table(s, tr.words_, tr.config.loss), hide_index=True,
                     width="stretch")  # fmt: skip
        st.write(
            f"Loss of this example: {s.loss:.4f} before the update, {s.loss_after:.4f} after "
            f"(learning rate {s.alpha:.4g}). The heatmaps outline the {len(s.rows_in)} row(s) "
            f"of W_in and the {len(s.rows_out)} row(s) of W_out it "
            + ("will change." if pending is not None else "changed.")
        )


def options() -> None:
    tr, les = model()
    V, hs = len(tr.vocab_), tr.config.loss == "hs"
    row = st.container(horizontal=True, gap="medium", vertical_alignment="top")
    row.radio(
        "Projection", list(live.PROJECTIONS), format_func=live.projection_label, index=0,
        key="train_proj", horizontal=True, help="PCA: the two directions of largest variance. "
        "t-SNE: keeps neighbours together, continuing its layout each tick. UMAP: needs "
        "the optional package umap-learn.",
    )  # fmt: skip
    row.radio(
        "Rows of", ["W_in"] if hs else list(live.MATRICES), format_func=live.MATRIX_SHORT.get,
        index=0, key="train_matrix", horizontal=True,
        help="Under hierarchical softmax the rows of W_out belong to the Huffman tree's inner "
        "nodes, so only W_in (= E) can be drawn as words." if hs else
        "Which vectors stand for each word: W_in (= E), W_out, or their sum.",
    )  # fmt: skip
    if les.categories:
        row.radio("Colours", [True, False], format_func=COLOURS.get, key="train_colour",
                  horizontal=True)  # fmt: skip
    if st.session_state.get("train_proj") == "tsne":
        st.slider("Perplexity", 2, 50, int(live.PERPLEXITY), key="train_perplexity",
                  help="About how many neighbours each word keeps close (lowered when "
                  "there are few words).")  # fmt: skip
    st.session_state["train_watch"] = view().watch  # before the widget: values must be options
    st.multiselect("Watch the neighbours of", tr.words_[:2000], key="train_watch")
    with st.expander("More options: heatmap rows, a fixed learning rate"):
        if V > 2:
            st.slider("Words in heatmaps", 2, min(V, 60), min(V, view().top), key="train_top",
                      help="The most frequent words; at most 60 rows stay legible.")  # fmt: skip
        fixed = st.radio("Rate schedule", [False, True], format_func=RATES.get,
                         key="train_fix_lr", horizontal=True)  # fmt: skip
        lr = widgets.setting("alpha", float(tr.config.alpha), key="train_lr", disabled=not fixed,
                             help="A constant learning rate instead of the linear decay, "
                             "from the next tick on.")  # fmt: skip
        PAGE.put("alpha_override", float(lr) if fixed else None)


# ---- the live sections (drawn in the ticking fragment) --------------------------------


def metrics() -> None:
    tr, _ = model()
    loss = lc.smoothed_loss(tr, PAGE)
    rate = PAGE.get("rate")
    row = st.container(horizontal=True, gap="small")
    row.metric("Epoch", f"{min(tr.epoch_ + 1, tr.config.epochs)} / {tr.config.epochs}")
    row.metric("Examples seen", f"{tr.examples_seen_:,}")
    row.metric("Progress", f"{tr.progress:.0%}")
    row.metric(
        "Loss",
        "–" if np.isnan(loss) else f"{loss:.3f}",
        help="Mean loss per example over the last examples (the bold curve's end).",
    )
    row.metric("Words/s", f"{rate:,.0f}" if rate else "–", help="Corpus words/s, last tick.")
    if not presenter.is_on():
        st.caption(
            f"This model holds {size_text(tr.nbytes)} (weights, this epoch's examples, "
            f"replay history); a session may hold {MAX_SESSION_BYTES // 2**20} MB."
        )


def heatmaps() -> None:
    tr, _ = model()
    words, V, top = tr.words_, len(tr.vocab_), view().top
    rows_in, rows_out = PAGE.get("last", lc.NO_ROWS)
    hs = tr.config.loss == "hs"  # W_out's rows are the tree's inner nodes: the top ones
    out_ids, out_labels, out_changed = live.out_rows(tr, top, rows_out)
    zmax = live.heat_scale(PAGE.get("zmax", 0.0), tr.W_in_[:top], tr.W_out_[out_ids])
    PAGE.put("zmax", zmax)
    height = 330 if presenter.is_on() else None
    h1, h2 = st.columns(2)
    with h1:
        presenter.chart(matrix_heatmap(tr.W_in_[:top], words[:top], [r for r in rows_in if r < top],
                        f"W_in = E  ({V} × {tr.config.dim}), top {top} rows", zmax, height=height),
                        key="train_heat_in")  # fmt: skip
    with h2:
        title = (f"W_out ({V} × {tr.config.dim}), {len(out_ids)} inner nodes nearest the root" if hs
                 else f"W_out  ({V} × {tr.config.dim}), top {top} rows")  # fmt: skip
        presenter.chart(matrix_heatmap(tr.W_out_[out_ids], out_labels,
                        out_changed, title, zmax,
                        height=height), key="train_heat_out")  # fmt: skip
    n_ex = PAGE.get("last_examples", 0)
    what = ("the example Step will apply" if PAGE.get("pending") is not None
            else f"the last update ({n_ex:,} example{'s' if n_ex != 1 else ''})" if n_ex
            else "nothing yet")  # fmt: skip
    st.caption(
        f"Outlined: rows changed by {what}: {len(rows_in)} of W_in's {V} rows and "
        f"{len(rows_out)} of W_out's, counting rows below the top {top}. "
        + (f"Under hierarchical softmax W_out's rows are the Huffman tree's inner nodes "
           f"(row {V - 1} unused). " if hs
           else "One skip-gram example changes one row of W_in and k + 1 rows of W_out. ")
        + "Colour: blue = positive, white = 0, red = negative."
    )  # fmt: skip


def projection() -> None:
    tr, les = model()
    o = view()
    n, words = min(len(tr.vocab_), N_PROJ), tr.words_
    X = live.pick_matrix(tr.W_in_[:n], tr.W_out_[:n], o.matrix)  # (n, d)
    frame = PAGE.get("frame")
    if frame is None or PAGE.get("frame_at") != (tr.examples_seen_, o) or frame.method != o.method:
        frame = live.live_frame(X, frame, o.method, o.perplexity, tr.config.seed)
        PAGE.put("frame", frame)
        PAGE.put("frame_at", (tr.examples_seen_, o))
        PAGE.put("track", live.record(PAGE.get("track", ()), tr.examples_seen_, frame))
    title = ((f"PC 1 ({frame.explained[0]:.0%})", f"PC 2 ({frame.explained[1]:.0%})")
             if frame.method == "pca" else tuple(f"{live.PROJECTIONS[frame.method]} {i}"
                                                 for i in (1, 2)))  # fmt: skip
    fig = projection_figure(frame.points, words[:n], live.groups(words[:n], les.categories,
                            o.colour), frame.ranges, title, o.watch, prefer=PAGE.get("labels"),
                            height=380 if presenter.is_on() else 520)  # fmt: skip
    PAGE.put("labels", label_positions(fig))  # keep labels where they are next frame
    presenter.chart(fig, key="train_projection")
    if frame.note:
        st.info(md(frame.note))
    moved = "–" if np.isnan(frame.movement) else f"{frame.movement:.3f}"
    st.metric("Movement", moved, help="Mean distance a point moved since the last frame, in "
              "units of the layout's radius: near 0 once the layout has settled.")  # fmt: skip
    if not presenter.is_on():
        hidden = fig.layout.meta["hidden_labels"]
        st.caption(
            f"{live.MATRICES[o.matrix]} of the {n} most frequent words, "
            f"{live.PROJECTIONS[frame.method]}. Each frame is aligned to the previous one (RMS "
            f"move {frame.residual_aligned:.4f} aligned vs {frame.residual_raw:.4f} raw), so "
            "points move instead of jumping."
            + (f" {hidden} labels that would overlap are shown on hover." if hidden else "")
        )


def loss_curve() -> None:
    tr, les = model()
    pts = tr.history_.loss
    if pts:
        presenter.chart(loss_figure(pts, live.smooth_loss(pts, lc.per_epoch(tr, PAGE)),
                        live.epoch_markers(tr.history_.epoch_end, tr.history_.epoch_loss),
                        height=260 if presenter.is_on() else 300), key="train_loss")  # fmt: skip
    if presenter.is_on() or not les.categories:
        return
    words = tr.words_
    score = live.ground_truth(tr.W_in_, words, les.categories)
    if score is None:
        return
    scores = live.add_score(PAGE.get("scores", []), tr.examples_seen_, score)
    PAGE.put("scores", scores)
    presenter.chart(series_figure(scores, "neighbours in same category"), key="train_score")
    st.caption(
        f"Ground truth now: {score:.0%} of each categorised word's "
        f"{live.score_k(words, les.categories)} nearest categorised neighbours share its category."
    )


def neighbours() -> None:
    tr, _ = model()
    o = view()
    nb = live.neighbour_table(live.pick_matrix(tr.W_in_, tr.W_out_, o.matrix), tr.words_,
                              o.watch)  # fmt: skip
    if nb:
        st.dataframe(dict(nb.items()), width="stretch")


# ---- sections drawn outside the ticks ---------------------------------------------------


def objective() -> None:
    """What the loss curve plots: the training objective, per example."""
    cfg = model()[0].config
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
                "CBOW maximises the average log probability of each target word given "
                "the mean of its context (Mikolov et al. 2013a), over the T tokens:"
            )
            st.latex(r"\frac{1}{T}\sum_{t=1}^{T}\log p(w_t \mid w_{t-c},\dots,w_{t+c})")
        st.markdown(
            "The curve plots, tick by tick, the mean over the examples trained of the "
            "loss of one (input, word to predict) example:"
        )
        for line in LOSS_LATEX[cfg.loss]:
            st.latex(line)
        st.caption(
            "With negative sampling this is not −log p of the softmax: it is the loss of k + 1 "
            "yes/no questions (is o a real context word? is each noise word one?), which is why "
            f"it starts at (k + 1)·log 2 = {live.start_loss(cfg.negative):.3f} while W_out is "
            "zero." if cfg.loss == "negative"
            else "The bold curve averages the last examples; the dots are the epochs' means."
        )  # fmt: skip


def replay() -> None:
    if lc.running(PAGE):
        return
    tr, les = model()
    o = view()
    with st.expander("Time-lapse replay"):
        track = PAGE.get("track", ())
        n = len(track[-1][2]) if track else 0
        groups = live.groups(tr.words_[:n], les.categories) or ["words"] * n
        if len(track) < 2:
            st.info("Train a little with the projection on screen: each new frame is recorded.")
            return
        frames = [(f"{seen:,}", P) for seen, _, P in track]
        presenter.chart(timelapse_figure(frames, tr.words_[:n], groups, live.track_ranges(track)),
                        key="train_timelapse")  # fmt: skip
        st.caption(f"{len(track)} frames of {live.PROJECTIONS[track[-1][1]]} recorded while "
                   f"training ({live.MATRICES[o.matrix]}); a new projection starts a new "
                   "recording.")  # fmt: skip


def exercises() -> None:
    tr, les = model()
    exercise_view.show(tv.exercises(tr, ses.current()[0].seed, les.categories))


# ---- the page -----------------------------------------------------------------------


def live_layout(parts) -> None:
    """Draw the live sections shown, the projection and the loss side by side when both
    are (so heatmaps, projection and loss fit one screen in presenter mode)."""
    for fn in parts:
        if fn is loss_curve and projection in parts:
            continue  # drawn beside the projection
        if fn is projection and loss_curve in parts:
            left, right = st.columns([3, 2])
            with left:
                projection()
            with right:
                loss_curve()
        else:
            fn()


def render() -> None:
    s, les = ses.current()
    head = st.container()  # the title above the new-settings warning
    tr = ses.page_trainer(s, les, key="train_apply_settings", on_reset=PAGE.clear)
    if tr is None:
        with head:
            intro()
        return
    PAGE.follow(ses.model_serial())  # a new model (corpus, settings, reset): fresh views
    ticks = lc.LiveSections()  # the live sections, drawn together by the ticks
    live_views = [Section("metrics", metrics), Section("heatmaps", heatmaps),
                  Section("projection", projection), Section("loss", loss_curve),
                  Section("neighbours", neighbours)]  # fmt: skip

    def title():
        with head:
            intro()

    tour.draw("train.py", [
        Section("intro", title), Section("controls", controls), Section("options", options),
        *(Section(x.name, ticks.section(x.draw)) for x in live_views),
        Section("objective", objective), Section("replay", replay),
        Section("exercises", exercises),
    ])  # fmt: skip
    ticks.run(tr, PAGE, "train_pace", layout=live_layout)


render()
