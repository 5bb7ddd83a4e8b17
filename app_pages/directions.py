"""Meaning as directions: hand-made features next to learned vectors, and axes from word pairs."""

import pandas as pd
import streamlit as st

from lab import directions_view as dv
from lab import explore_view as ev
from lab import presenter
from lab import session as ses
from lab.figures.directions import plane_figure, ranking_figure
from lab.figures.explore import similarity_figure
from w2v_core.directions import feature_agreement, plane, project
from w2v_core.errors import W2VError

SOURCES = {"live": "Your model (W_in = E)", "imported": "Imported vectors"}


def intro() -> None:
    st.title("Meaning as directions")
    st.write(
        "Before any learning, you could describe words by hand: is it female, royal, grown "
        "up? A table of such numbers is already a word vector, and its cosines say which "
        "words are alike. Word2vec learns vectors without being told any feature: no learned "
        "dimension means *gender*. Yet the differences between related words point the same "
        "way, so each meaning lives in the space as a **direction**. This page puts your "
        "features next to the learned vectors, and lets you define directions from word pairs."
    )


def vectors(s, les) -> ev.Vectors | None:
    """The vectors to study: the live model's W_in, or the ones imported on Explore."""
    imported = ses.imported_vectors()
    options = ["live"] + (["imported"] if imported is not None else [])
    source = st.radio("Vectors", options, format_func=SOURCES.get, horizontal=True,
                      key="dir_source")  # fmt: skip
    if source == "imported":
        return imported
    tr = ses.page_trainer(s, les, key="dir_new_model")
    if tr is None:
        return None
    if tr.examples_seen_ == 0 or not tr.done:
        st.info(
            f"Your model has trained {tr.examples_seen_:,} examples "
            f"({min(tr.epoch_, tr.config.epochs)} of {tr.config.epochs} epochs). The learned "
            "side of this page shows what it knows now: finish training on **Live training** "
            "or **Explore and share** to see the directions form."
        )
    return ev.live_vectors(tr, "W_in")


def handmade(vec: ev.Vectors) -> pd.DataFrame:
    st.header("1. Features you choose")
    st.write(
        "Each row is a word, each column a feature you score by hand (edit any cell, add a "
        "column or a word of the corpus). The row is that word's hand-made vector."
    )
    table = st.data_editor(dv.feature_table(vec.words), key="dir_features", num_rows="dynamic",
                           width="stretch")  # fmt: skip
    table = table.apply(pd.to_numeric, errors="coerce").fillna(0.0)
    table = table[[w in set(vec.words) for w in table.index.astype(str)]]
    table.index = table.index.astype(str)
    if len(table) < 2 or table.shape[1] < 1:
        st.info("Keep at least two words of the corpus and one feature.")
        return table
    c1, c2 = st.columns(2)
    with c1:
        presenter.chart(similarity_figure(list(table.index), dv.cosines(table.to_numpy()),
                                          "cosine of the hand-made vectors"),
                        key="dir_hand_cos")  # fmt: skip
    with c2:
        words = list(table.index)
        trio = [w for w in ("king", "man", "woman") if w in words]
        a, b, c = trio if len(trio) == 3 else (words + words)[:3]
        ans = dv.table_analogy(table, a, b, c)
        st.metric(f"{ans.question} =", ans.answer,
                  help="3CosAdd on the hand-made vectors, the three input words excluded.")
        st.caption("Cosine in both heatmaps: blue = alike (+1), white = unrelated, red = "
                   "opposite (−1).")  # fmt: skip
    return table


def learned(vec: ev.Vectors, table: pd.DataFrame) -> None:
    st.header("2. The same words in the learned vectors")
    words = [w for w in table.index if w in set(vec.words)]
    if len(words) < 3:
        st.info("The learned side needs at least three words of the table.")
        return
    index = {w: i for i, w in enumerate(vec.words)}
    W = vec.W[[index[w] for w in words]]  # (n, d)
    c1, c2 = st.columns(2)
    with c1:
        presenter.chart(similarity_figure(words, dv.cosines(W), f"cosine of the learned "
                                          f"vectors (d = {vec.d})"), key="dir_learned_cos")
    rows = []
    F = table.loc[words].to_numpy(dtype=float)  # (n, f) the hand-made vectors
    for col, f in enumerate(table.columns):
        try:
            a = feature_agreement(W, F, col, str(f))
        except W2VError as e:  # too few pairs: say so in its row
            rows.append({"feature": str(f), "pairs": 0, "recovered": None, "parallel": None,
                         "best single dimension": None, "note": str(e)})  # fmt: skip
            continue
        rows.append({
            "feature": a.feature, "pairs": len(a.pairs),
            "recovered": f"{a.held_out:.0%}", "parallel": round(a.parallel, 2),
            "best single dimension": f"dim {a.best_dimension}: {a.best_dimension_share:.0%}",
            "note": ", ".join(f"{words[i]}→{words[j]}" for i, j in a.pairs[:4])
            + (" …" if len(a.pairs) > 4 else ""),
        })  # fmt: skip
    with c2:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="dir_agreement")
        st.caption(
            "For each feature, the pairs of words that differ in it alone (king→queen for "
            "gender). *Recovered*: the pairs whose learned difference points along the "
            "average difference of the **other** pairs (leave one out). *Parallel*: their "
            "mean cosine with it (1 = a perfect parallelogram, as in an analogy). *Best single "
            "dimension*: the most pairs one learned coordinate moves the same way. Learned "
            "dimensions are not labelled, but directions carry the meaning."
        )


def axes(vec: ev.Vectors, les) -> None:
    st.header("3. Directions you define")
    st.write(
        "Type pairs that differ in one meaning, from the first meaning to the second. Their "
        "average difference is a direction; every word is placed by the cosine of its vector "
        "with it. The arrows are the pairs of the first axis: if they are parallel and of one "
        "length, the analogy a − b + c works."
    )
    offered = dv.default_axes(vec.words)
    names = list(offered) + ["your own"]
    c1, c2 = st.columns(2)
    x_text = _axis_input(c1, "Horizontal axis", names, offered, 0, "dir_x")
    y_text = _axis_input(c2, "Vertical axis", names, offered, 1, "dir_y")
    dx, why_x = dv.axis(vec.W, vec.words, x_text)
    dy, why_y = dv.axis(vec.W, vec.words, y_text)
    if dx is None or dy is None:
        st.info(why_x or why_y)
        return
    try:
        pl = plane(vec.W, dx, dy)
    except W2VError as e:
        st.info(str(e))
        return
    n = min(vec.V, 150)
    index = {w: i for i, w in enumerate(vec.words)}
    arrows = [(index[a], index[b]) for a, b in dx.pairs if index[a] < n and index[b] < n]
    groups = [les.categories.get(w, "other") for w in vec.words[:n]] if les.categories else None
    presenter.chart(plane_figure(pl.points[:n], vec.words[:n], groups, arrows,
                                 ("→ " + _short(x_text), "→ " + _short(y_text))),
                    key="dir_plane")  # fmt: skip
    st.caption(
        f"The pairs of the horizontal axis agree with their average direction at a mean cosine "
        f"of {dx.agreement:.2f}; the two axes' directions have cosine {pl.cos_xy:+.2f} (the "
        "vertical one is drawn at right angles to the horizontal)."
        + (f" Pairs left out (a word not in the vocabulary): {len(dx.missing)}."
           if dx.missing else "")  # fmt: skip
    )
    values = project(vec.W, dx)[:n]
    presenter.chart(ranking_figure(list(vec.words[:n]), values, "cosine with " + _short(x_text)),
                    key="dir_ranking")  # fmt: skip


def _axis_input(col, label, names, offered, default, key) -> str:
    name = col.selectbox(label, names, index=min(default, len(names) - 1), key=key + "_name")
    start = offered.get(name, "")
    return col.text_area("Pairs (a b, c d, ...)", start, key=f"{key}_{name}", height=80)


def _short(text: str) -> str:
    pairs, _ = dv.parse_pairs(text)
    return f"{pairs[0][0]} → {pairs[0][1]}" + (" …" if len(pairs) > 1 else "") if pairs else ""


def render() -> None:
    intro()
    s, les = ses.current()
    vec = vectors(s, les)
    if vec is None:
        return
    table = handmade(vec)
    learned(vec, table)
    axes(vec, les)
    st.caption(f"Vectors: {vec.origin}.")


render()
