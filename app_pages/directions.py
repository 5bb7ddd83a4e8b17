"""Meaning as directions: hand-made features next to learned vectors, and axes from word pairs.

Sections (``lab.tour``): which vectors, features you choose, the learned vectors, a plane
of two directions, a ranking along one, an analogy drawn as vectors. The numbers come
from ``lab.directions_view`` and ``w2v_core.directions``.
"""

import pandas as pd
import streamlit as st

from lab import directions_view as dv
from lab import explore_view as ev
from lab import presenter, tour
from lab import session as ses
from lab.escape import md
from lab.figures.directions import plane_figure, ranking_figure
from lab.figures.explore import similarity_figure
from lab.figures.style import DIVERGING_WORDS
from lab.figures.train import matrix_heatmap
from lab.page_state import PageState
from lab.tour import Section
from w2v_core.directions import project
from w2v_core.errors import W2VError

PAGE = PageState("dirp_")  # this page's own state (widgets use "dir_" keys)
SOURCE = "dir_source"  # the radio that picks the vectors
SOURCES = {"live": "Your model (W_in = E)", "imported": "Imported vectors"}
REFERENCE_COLOUR, TEST_COLOUR = "#1f77b4", "#111111"  # the analogy's arrows
NONE_YET = "No vectors to study: the first section of this page says why."


# ---- what every section reads: the vectors on show -----------------------------------


def shown_vectors() -> tuple[ev.Vectors | None, dict]:
    """(vectors, word categories): the imported vectors or the live model's W_in (copied
    once per model state)."""
    imported = ses.imported_vectors()
    if st.session_state.get(SOURCE) == "imported" and imported is not None:
        return imported, {}
    tr = ses.shown_trainer()
    if tr is None:
        return None, {}
    key = (ses.model_serial(), tr.examples_seen_)
    kept = PAGE.get("vectors")
    if kept is None or kept[0] != key:
        kept = (key, ev.live_vectors(tr, "W_in"))
        PAGE.put("vectors", kept)
    return kept[1], ses.lesson(ses.held_model().settings).categories


def hand_table(vec: ev.Vectors) -> pd.DataFrame:
    """The feature table as last edited for these words (the starting table otherwise)."""
    kept = PAGE.get("table")
    if kept is not None and kept[0] == vec.words[:50]:
        return kept[1]
    return dv.clean_table(dv.feature_table(vec.words), vec.words)


# ---- sections ------------------------------------------------------------------------


def which_vectors() -> None:
    imported = ses.imported_vectors()
    options = ["live"] + (["imported"] if imported is not None else [])
    if st.session_state.get(SOURCE) not in options:
        st.session_state[SOURCE] = "live"
    source = st.radio("Vectors", options, format_func=SOURCES.get, horizontal=True, key=SOURCE)
    if source == "live":
        s, les = ses.current()
        tr = ses.page_trainer(s, les, key="dir_new_model")
        if tr is not None and not tr.done:
            st.info(
                f"Your model has trained {tr.examples_seen_:,} examples "
                f"({min(tr.epoch_, tr.config.epochs)} of {tr.config.epochs} epochs). The "
                "learned side of this page shows what it knows now: finish training on **Live "
                "training** or **Explore and share** to see the directions form."
            )
    vec, _ = shown_vectors()
    if vec is not None:
        st.caption(f"Vectors: {md(vec.origin, 500)}; {vec.V:,} words, d = {vec.d}. {dv.USUAL_D}")


def section_vectors() -> ev.Vectors | None:
    """The vectors a section studies, or None after saying there are none yet."""
    vec, _ = shown_vectors()
    if vec is None:
        st.info(NONE_YET)
    return vec


def handmade() -> None:
    st.header("1. Features you choose")
    vec = section_vectors()
    if vec is None:
        return
    st.write(
        "Each row is a word, each column a feature you score by hand (edit any cell, add a "
        "column or a word of the corpus). The row is that word's hand-made vector."
    )
    edited = st.data_editor(dv.feature_table(vec.words), key="dir_features", num_rows="dynamic",
                            width="stretch")  # fmt: skip
    table = dv.clean_table(edited, vec.words)
    PAGE.put("table", (vec.words[:50], table))
    if len(table) < 2 or table.shape[1] < 1:
        st.info("Keep at least two words of the corpus and one feature.")
        return
    c1, c2 = st.columns(2)
    with c1:
        presenter.chart(similarity_figure(list(table.index), dv.cosines(table.to_numpy()),
                                          "cosine of the hand-made vectors"),
                        key="dir_hand_cos")  # fmt: skip
    with c2:
        ans = dv.table_analogy(table, *dv.table_question(list(table.index)))
        st.metric(
            f"{ans.question} =",
            ans.answer,
            help="3CosAdd on the hand-made vectors, the three input words excluded.",
        )
        st.caption(f"Cosine in the heatmaps: {DIVERGING_WORDS} (+1 = alike, −1 = opposite).")


def learned() -> None:
    st.header("2. The same words in the learned vectors")
    vec = section_vectors()
    if vec is None:
        return
    table = hand_table(vec)
    if len(table) < 3:
        st.info("The learned side needs at least three words of the feature table.")
        return
    words = list(table.index)
    W = dv.rows_of(vec.W, vec.words, words)  # (n, d) the learned vectors of the table's words
    presenter.chart(matrix_heatmap(W, words, title=f"Their learned vectors: d = {vec.d} "
                                   "unnamed dimensions", height=120 + 22 * len(words)),
                    key="dir_learned_rows")  # fmt: skip
    st.caption(f"Each row is a word's learned vector ({DIVERGING_WORDS}). {dv.USUAL_D}")
    c1, c2 = st.columns(2)
    with c1:
        presenter.chart(similarity_figure(words, dv.cosines(W), "cosine of the learned vectors"),
                        key="dir_learned_cos")  # fmt: skip
    with c2:
        rows = pd.DataFrame(dv.nearest_rows(table.to_numpy(), W, words))
        st.dataframe(rows[["word", "by hand", "learned", "same"]],
                     hide_index=True, key="dir_nearest")  # fmt: skip
        st.caption("Each word's nearest other word of the table: by the features you chose "
                   "and by the learned vectors.")  # fmt: skip
    st.dataframe(pd.DataFrame(dv.agreement_rows(W, table)), hide_index=True, width="stretch",
                 key="dir_agreement")  # fmt: skip
    st.caption(
        "For each feature, the pairs of words that differ in it alone (king→queen for "
        "gender). *Recovered*: the pairs whose learned difference points along the "
        "average difference of the **other** pairs (leave one out). *Parallel*: their "
        "mean cosine with it (1 = a perfect parallelogram, as in an analogy). *Best single "
        "dimension*: the most pairs one learned coordinate moves the same way. Learned "
        "dimensions are not labelled, but directions carry the meaning."
    )


def axis_input(col, label: str, offered: dict, default: int, key: str) -> str:
    """A choice of offered axes (or your own) and the pairs that define it."""
    names = list(offered) + ["your own"]
    name = col.selectbox(label, names, index=min(default, len(names) - 1), key=key + "_name")
    start = offered.get(name, "")
    return col.text_area("Pairs (a b, c d, ...)", start, key=f"{key}_{name}", height=80)


def plane_section() -> None:
    st.header("3. Directions you define")
    vec, categories = shown_vectors()
    if vec is None:
        st.info(NONE_YET)
        return
    st.write(
        "Type pairs that differ in one meaning, from the first meaning to the second. Their "
        "average difference is a direction; every word is placed by the cosine of its vector "
        "with it. The arrows are the pairs of the horizontal axis: parallel arrows of one "
        "length are what an analogy looks like."
    )
    offered = dv.default_axes(vec.words)
    c1, c2 = st.columns(2)
    x_text = axis_input(c1, "Horizontal axis", offered, 0, "dir_x")
    y_text = axis_input(c2, "Vertical axis", offered, 1, "dir_y")
    dx, why_x = dv.axis(vec.W, vec.words, x_text)
    dy, why_y = dv.axis(vec.W, vec.words, y_text)
    if dx is None or dy is None:
        st.info(md(why_x or why_y, 1_000))
        return
    try:
        pv = dv.plane_view(vec.W, vec.words, dx, dy, categories)
    except W2VError as e:
        st.info(md(e, 1_000))
        return
    titles = ("→ " + dv.short(x_text), "→ " + dv.short(y_text))
    presenter.chart(plane_figure(pv.points, pv.words, pv.groups, pv.arrows, titles),
                    key="dir_plane")  # fmt: skip
    st.caption(
        f"The first {len(pv.words):,} words. The pairs of the horizontal axis agree with their "
        f"average direction at a mean cosine of {pv.agreement:.2f}; the two axes' directions "
        f"have cosine {pv.cos_xy:+.2f} (the vertical one is drawn at right angles to the "
        "horizontal)."
        + (f" Pairs left out (a word not in the vocabulary): {pv.missing}." if pv.missing else "")
    )


def ranking() -> None:
    st.header("4. One direction, one ranking")
    vec = section_vectors()
    if vec is None:
        return
    st.write(
        "The same idea on one axis: every word sorted by the cosine of its vector with the "
        "direction, as the Embedding Projector's custom axes and Touretzky's K-12 demo do."
    )
    text = axis_input(st, "Direction", dv.default_axes(vec.words), 0, "dir_rank")
    d, why = dv.axis(vec.W, vec.words, text)
    if d is None:
        st.info(md(why, 1_000))
        return
    n = min(vec.V, 60)
    values = project(vec.W, d)[:n]  # (n,) cosine of each word with the direction
    presenter.chart(ranking_figure(list(vec.words[:n]), values, "cosine with " + dv.short(text)),
                    key="dir_ranking")  # fmt: skip
    st.caption(f"The {n} most frequent words, from one end of the meaning to the other.")


def analogy() -> None:
    st.header("5. An analogy drawn as vectors")
    vec = section_vectors()
    if vec is None:
        return
    st.write(
        "man is to woman as king is to queen: the step from king to queen should point the "
        "same way as the step from man to woman. The reference pairs are averaged into one "
        "direction (horizontal); the vertical axis is how the test pair's start differs from "
        "theirs. Parallel arrows of one length: the analogy holds."
    )
    ref0, test0 = dv.analogy_defaults(vec.words)
    c1, c2 = st.columns([2, 1])
    ref = c1.text_input("Reference pairs (a b, c d, ...)", ref0, key="dir_an_ref")
    test = c2.text_input("Test pair (c d)", test0, key="dir_an_test")
    view, why = dv.analogy_view(vec.W, vec.words, ref, test)
    if view is None:
        st.info(md(why, 1_000))
        return
    c, d = view.words[-2:]
    arrow = f"{md(c, 60)} → {md(d, 60)}"
    m = st.container(horizontal=True, gap="small")
    m.metric("Step along", f"{view.along:+.3f}",
             help=f"The projection of v̂({md(d, 60)}) − v̂({md(c, 60)}) on the reference "
             "direction (positive: the same way). Unit vectors: cosine units.")  # fmt: skip
    m.metric(
        "Cosine",
        f"{view.cosine:+.2f}",
        help=f"cos(v̂({md(d, 60)}) − v̂({md(c, 60)}), reference direction): 1 = exactly parallel.",
    )
    m.metric(
        "Length ratio",
        f"{view.length_ratio:.2f}",
        help="‖v̂_d − v̂_c‖ over the mean length of the reference steps: 1 = the same.",
    )
    colours = [REFERENCE_COLOUR] * (len(view.arrows) - 1) + [TEST_COLOUR]
    titles = (dv.short(ref) + " (averaged)", "the test pair's start vs theirs")
    presenter.chart(plane_figure(view.points, view.words, None, view.arrows, titles,
                                 arrow_colours=colours), key="dir_analogy")  # fmt: skip
    st.caption(
        f"{arrow} (the black arrow) moves {view.along:+.3f} along the direction of the "
        f"{len(view.arrows) - 1} reference pair(s), at cosine {view.cosine:+.2f} with it. The "
        "figure is a flat view of d dimensions: the cosine, not the picture, says how "
        "parallel the steps are."
    )


# ---- the page ------------------------------------------------------------------------


def render() -> None:
    st.title("Meaning as directions")
    st.write(
        "Before any learning, you could describe words by hand: is it female, royal, grown "
        "up? A table of such numbers is already a word vector, and its cosines say which "
        "words are alike. Word2vec learns vectors without being told any feature: no learned "
        "dimension means *gender*. Yet the differences between related words point the same "
        "way, so each meaning lives in the space as a **direction**. This page puts your "
        "features next to the learned vectors, and lets you define directions from word pairs."
    )
    tour.draw("directions.py", [
        Section("vectors", which_vectors),
        Section("handmade", handmade),
        Section("learned", learned),
        Section("plane", plane_section),
        Section("ranking", ranking),
        Section("analogy", analogy),
    ])  # fmt: skip


render()
