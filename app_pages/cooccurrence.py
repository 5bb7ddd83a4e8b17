"""Page 2: count which words appear near which, and see that the rows already carry meaning."""

import pandas as pd
import streamlit as st

from lab.cooc_view import (
    count_vectors,
    counts_and_ppmi,
    growth_table,
    human_bytes,
    memory,
    pairs_in_cell,
    row_cosines,
    row_pair,
    same_point_groups,
    scatter_ids,
    shared_contexts,
    similar_pairs,
    sparsity,
    strongest_neighbour,
    top_block,
)
from lab.escape import md
from lab.figures.cooc import cooc_heatmap, growth_figure, row_pair_figure, svd_scatter
from lab.lesson import Settings
from lab.session import CORPUS_FIELDS, current, lesson, lesson_key
from lab.widgets import app_range
from w2v_core.errors import W2VError
from w2v_core.pairs import pair_count
from w2v_core.projection import pca

MAX_HEATMAP = 60  # words in the heatmap at most
MAX_PICK = 500  # words offered in the row pickers
MAX_SCATTER = 150  # words in the SVD scatter at most
MAX_SVD_WORDS = 500  # the SVD (dense in the engine up to 2,000 words) uses this top block
MAX_CELL_CHECK = 2_000_000  # list skip-gram pairs for the one-cell check up to this many
KEY_FIELDS = CORPUS_FIELDS  # the fields that make a lesson (lab.session)


def _lesson_of(key: tuple):
    return lesson(Settings(**dict(zip(KEY_FIELDS, key, strict=True))))


@st.cache_data(max_entries=32, show_spinner="Counting co-occurrences...")
def _matrices(key: tuple, window: int):
    les = _lesson_of(key)
    return counts_and_ppmi(les.corpus, len(les.vocab), window)


@st.cache_data(max_entries=32, show_spinner=False)
def _growth(key: tuple, window: int) -> list[dict]:
    les = _lesson_of(key)
    return growth_table(les.corpus, window, len(les.sentences))


@st.cache_data(max_entries=32, show_spinner="SVD of the PPMI matrix...")
def _vectors(key: tuple, window: int, dim: int):
    C, _ = _matrices(key, window)
    E = count_vectors(C, dim, MAX_SVD_WORDS)  # (m, k)
    return E, pca(E, 2)


@st.cache_data(max_entries=64, show_spinner=False)
def _cell_pairs(key: tuple, window: int, i: int, j: int) -> int:
    return pairs_in_cell(_lesson_of(key).corpus, window, i, j)


def render() -> None:
    st.title("2. Co-occurrence matrix")
    st.write(
        "*You shall know a word by the company it keeps* (J. R. Firth). Before any "
        "network, we can simply **count**: for every pair of words, how often does one "
        "appear within a few words of the other? The counts fill a V × V table, the "
        "co-occurrence matrix C. Words used in the same way get rows that look alike."
    )
    settings, les = current()
    key = lesson_key(settings)
    fresh = st.session_state.get("cooc_corpus_seen") != key  # a new corpus: its top pair
    st.session_state["cooc_corpus_seen"] = key
    vocab = les.vocab
    V = len(vocab)
    words = vocab.words

    st.latex(
        r"C[i, j] = \#\{(t, o) : w_t = i,\ w_{t+o} = j,\ 1 \le |o| \le m,"
        r"\ \text{same sentence}\}"
    )
    c = st.columns([2, 2, 3])
    if (
        "cooc_window" not in st.session_state
        or st.session_state.get("cooc_sidebar_window") != settings.window
    ):
        st.session_state["cooc_window"] = settings.window  # follow the sidebar when it moves
        st.session_state["cooc_sidebar_window"] = settings.window
    window = c[0].slider(
        "Window m (this page)", *app_range("window"), key="cooc_window",
        help="Words counted on each side of a word. Starts at the sidebar's window.",
    )  # fmt: skip
    measure = c[1].radio(
        "Show", ["counts", "ppmi"], horizontal=True, key="cooc_measure",
        format_func={"counts": "counts C", "ppmi": "PPMI"}.get,
        help="Raw counts, or positive pointwise mutual information (below).",
    )  # fmt: skip
    cap = min(V, MAX_HEATMAP)
    n = cap
    if cap > 2:
        n = c[2].slider(
            "Words in the heatmap (most frequent first)", 2, cap, min(cap, 30), key="cooc_top_n",
            help=f"At most {MAX_HEATMAP}: beyond that the labels cannot be read.",
        )  # fmt: skip
    try:
        C, P = _matrices(key, window)
    except W2VError as e:
        st.error(md(e))
        return

    sp = sparsity(C)
    total = float(C.sum())
    m = st.columns(5)
    m[0].metric("V", f"{V:,}", help="Words in the vocabulary: C has V rows and V columns.")
    m[1].metric("Cells V²", f"{sp['cells']:,}")
    m[2].metric("Non-zero cells", f"{sp['nonzero']:,}", help="Pairs of words that ever met.")
    m[3].metric("Empty cells", f"{sp['zero_share']:.1%}", help="Share of the V² cells that are 0.")
    m[4].metric("Total co-occurrences ΣC", f"{total:,.0f}", help="Sum of all cells.")

    # the pair of rows to compare (chosen below, highlighted in the heatmap)
    top = list(range(n))
    S_ppmi = row_cosines(P, top)  # (n, n) whole rows
    S_counts = row_cosines(C, top)
    ranked = similar_pairs(S_ppmi, 10, S_counts, tiebreak=shared_contexts(C, top))
    pick_words = list(words[: min(V, MAX_PICK)])
    a0, b0 = (ranked[0][0], ranked[0][1]) if ranked else (0, 1)
    for k, default in (("cooc_word_a", words[a0]), ("cooc_word_b", words[b0])):
        if (
            fresh
            or st.session_state.get(k) not in vocab.index
            or vocab.id(st.session_state[k]) >= len(pick_words)
        ):
            st.session_state[k] = default  # set through the state: the browser follows
    a, b = st.session_state["cooc_word_a"], st.session_state["cooc_word_b"]
    ia = vocab.index.get(a, a0)
    ib = vocab.index.get(b, b0)

    Z = top_block(C if measure == "counts" else P, n)
    st.plotly_chart(
        cooc_heatmap(Z, words[:n], measure, [r for r in (ia, ib) if r < n],
                     uirevision=f"cooc-{n}"),
        key="cooc_heatmap",
    )  # fmt: skip
    st.caption(
        (f"The {n} most frequent of {V:,} words. " if n < V else f"All {V} words. ")
        + f"Window m = {window}: a row i lists how often each word j appeared within "
        f"{window} word{'s' if window > 1 else ''} of i. C is symmetric (C[i, j] = C[j, i]). "
        + ("Black frames: the two rows compared below." if ia < n or ib < n else "")
    )
    with st.expander("PPMI: which neighbours are surprising?", expanded=measure == "ppmi"):
        st.latex(
            r"\mathrm{PPMI}(i, j) = \max\!\left(0,\ \log \frac{P(i, j)}{P(i)\,P(j)}\right),"
            r"\qquad P(i, j) = \frac{C[i, j]}{\sum C}"
        )
        st.write(
            "Raw counts are dominated by frequent words: everything co-occurs with *the*. "
            "PMI compares a count with what chance alone would give if the two words were "
            "independent. It is positive when they meet more often than chance, and "
            "negative values are clipped to 0. Frequent-but-boring neighbours fade, "
            "telling neighbours stand out."
        )

    # ---- rows that look alike --------------------------------------------------------
    st.header("Rows that look alike")
    st.write(
        "Read a row of C as a description of a word: the list of its neighbours. Two words "
        "used in the same places get similar rows, so the cosine of their rows is high, "
        "even if the two words never appear together."
    )
    s1, s2 = st.columns(2)
    a = s1.selectbox("Word a", pick_words, key="cooc_word_a")
    b = s2.selectbox("Word b", pick_words, key="cooc_word_b")
    ia, ib = vocab.id(a), vocab.id(b)
    if ia == ib:
        st.warning("Pick two different words to compare their rows.")
    else:
        rp = row_pair(C, P, ia, ib)
        k = st.columns(3)
        k[0].metric(f"cos of count rows ({md(a)}, {md(b)})", f"{rp['cos_counts']:.3f}")
        k[1].metric(f"cos of PPMI rows ({md(a)}, {md(b)})", f"{rp['cos_ppmi']:.3f}")
        k[2].metric(
            "Shared neighbours", f"{rp['shared']} of {rp['columns_total']}",
            help="Context words j with C[a, j] > 0 and C[b, j] > 0, of those either has.",
        )  # fmt: skip
        if len(rp["columns"]):
            st.plotly_chart(
                row_pair_figure(a, b, [words[j] for j in rp["columns"]], rp["counts"],
                                rp["ppmi"]),
                key="cooc_row_pair",
            )  # fmt: skip
            if len(rp["columns"]) < rp["columns_total"]:
                st.caption(
                    f"The {len(rp['columns'])} context words with the largest counts of "
                    f"{rp['columns_total']}; the cosines use the whole rows."
                )
        else:
            st.info(f"'{md(a)}' and '{md(b)}' have no neighbours within {window} words.")
    st.latex(r"\cos(a, b) = \frac{C[a,:] \cdot C[b,:]}{\lVert C[a,:]\rVert\,\lVert C[b,:]\rVert}")
    st.subheader("The most similar rows")
    if ranked:
        st.dataframe(
            pd.DataFrame(
                [{"word a": words[i], "word b": words[j], "cos PPMI rows": s, "cos count rows": t}
                 for i, j, s, t in ranked]
            ),
            hide_index=True,
            column_config={
                "cos PPMI rows": st.column_config.ProgressColumn(
                    format="%.3f", min_value=0.0, max_value=1.0),
                "cos count rows": st.column_config.NumberColumn(format="%.3f"),
            },
            key="cooc_similar_table",
        )  # fmt: skip
        st.caption(
            f"Pairs among the {n} words of the heatmap, ranked by the cosine of their PPMI "
            "rows. The pickers above start on the top pair."
        )

    # ---- size --------------------------------------------------------------------------
    st.header("The catch: V × V grows fast")
    st.write(
        "Each row is V numbers long, and V keeps growing as more text comes in. Below, C is "
        "rebuilt from the first 10%, 20%, … of the sentences of this corpus (same window). "
        "The dense matrix needs V² cells; most of them stay 0, so a sparse matrix stores "
        "only the non-zero ones, but the rows are still V long and mostly empty."
    )
    rows = _growth(key, window)
    g1, g2 = st.columns([1, 1])
    g1.plotly_chart(growth_figure(rows), key="cooc_growth")
    g2.dataframe(
        pd.DataFrame(
            [{"corpus": f"{r['share']:.0%}", "tokens": r["tokens"], "V": r["V"],
              "non-zero": r["nonzero"], "filled": 100 * r["filled"],
              "dense": human_bytes(r["dense_bytes"]), "sparse": human_bytes(r["sparse_bytes"])}
             for r in rows]
        ),
        hide_index=True,
        column_config={"filled": st.column_config.NumberColumn("filled %", format="%.2f")},
        key="cooc_growth_table",
    )  # fmt: skip
    big = [10_000, 100_000, 1_000_000]
    st.caption(
        "Dense float64 storage for larger vocabularies: "
        + ", ".join(f"V = {v:,}: {human_bytes(memory(v, 0)['dense'])}" for v in big)
        + ". Word2vec instead keeps two V × d matrices ("
        + f"here 2 × {V:,} × {settings.dim} = {2 * V * settings.dim:,} numbers)."
    )

    # ---- SVD -----------------------------------------------------------------------------
    st.header("Count-based vectors: compress PPMI with an SVD")
    st.write(
        f"Keep the d = {settings.dim} strongest directions of the PPMI matrix (d from the "
        "sidebar). Each word gets a short, dense vector instead of a V-long sparse row: "
        "a count-based word embedding (Latent Semantic Analysis works this way)."
    )
    st.latex(
        r"\mathrm{PPMI} \approx U_d\,\Sigma_d\,V_d^\top,\qquad "
        r"\text{vector of word } i = \big(U_d\,\Sigma_d^{1/2}\big)[i, :]"
    )
    try:
        E, proj = _vectors(key, window, settings.dim)
    except W2VError as e:
        st.error(md(e))
        return
    mw = E.shape[0]
    cats = les.categories
    only_known = False
    if cats:
        only_known = st.toggle(
            "Only words with a known category", True, key="cooc_scatter_known",
            help="The corpus marks some words with a category (the colours); hide the rest.",
        )  # fmt: skip
    pool = len(scatter_ids(words, mw, mw, cats, only_known))
    n_sc = pool
    if min(pool, MAX_SCATTER) > 2:
        n_sc = st.slider(
            "Words in the scatter (most frequent first)", 2, min(pool, MAX_SCATTER),
            min(pool, 60), key="cooc_scatter_n",
        )  # fmt: skip
    sc = scatter_ids(words, mw, n_sc, cats, only_known)
    groups = [cats.get(words[i], "other") for i in sc] if cats else None
    st.plotly_chart(
        svd_scatter(
            proj.points[sc], [words[i] for i in sc], groups, proj.explained,
            highlight=[a, b] if ia != ib else [],
        ),
        key="cooc_svd_scatter",
    )  # fmt: skip
    same = same_point_groups(E, sc)
    if same:
        st.caption(
            f"Same point: these words got equal {E.shape[1]}-dimensional vectors, because their "
            "rows are identical or differ only in directions the SVD dropped: "
            + "; ".join(" = ".join(md(words[i]) for i in g) for g in same[:8])
            + (" …" if len(same) > 8 else "")
            + ". A larger window or a larger d (sidebar) can pull them apart."
        )
    cos_svd = ""
    if ia != ib and max(ia, ib) < mw:
        cos_svd = (
            f" In this space cos({md(a)}, {md(b)}) = "
            f"{float(row_cosines(E, [ia, ib])[0, 1]):.3f} (d = {E.shape[1]})."
        )
    st.caption(
        f"SVD vectors of the {mw:,} most frequent words"
        + (f" (of {V:,})" if mw < V else "")
        + f", window {window}, drawn in 2-D with PCA; {len(sc)} shown"
        + ("; colours are the corpus's word categories." if groups else ".")
        + cos_svd
        + " Word2vec reaches similar vectors by prediction instead of counting: "
        "Levy & Goldberg (2014) showed that skip-gram with negative sampling implicitly "
        "factorises a shifted PMI matrix."
    )

    # ---- forward link ------------------------------------------------------------------
    st.header("Counting is what skip-gram sees")
    n_pairs = pair_count(les.corpus, window)
    f = st.columns(3)
    f[0].metric("ΣC (this page)", f"{total:,.0f}")
    f[1].metric("Skip-gram pairs (page 3)", f"{n_pairs:,}", help="w2v_core.pairs.pair_count")
    f[2].metric("Equal?", "yes" if int(round(total)) == n_pairs else "no")
    msg = (
        f"With a static window of {window}, every cell C[i, j] is exactly the number of "
        "(target i, context j) training pairs that the next page lists, so the whole "
        f"matrix adds up to the {n_pairs:,} pairs of one pass over the corpus."
    )
    top_cell = strongest_neighbour(C, ia)
    if top_cell is not None and n_pairs <= MAX_CELL_CHECK:
        j, cij = top_cell
        listed = _cell_pairs(key, window, ia, j)
        msg += (
            f" For example C[{md(a)}, {md(words[j])}] = {cij:.0f}, and the pair list holds "
            f"{listed} pairs with target '{md(a)}' and context '{md(words[j])}'."
        )
    st.info(msg)
    if settings.sample > 0:
        st.caption(
            "Subsampling is on in the sidebar: training will skip some frequent tokens, so "
            "the pairs actually trained on are a thinned version of these counts."
        )
    st.write(
        "Skip-gram never builds this V × V table. It streams through the same pairs one by "
        "one and learns two small V × d matrices whose products reproduce its statistics."
    )
    st.page_link(
        "app_pages/pairs.py",
        label="Next: the training pairs (page 3)",
        icon=":material/swap_horiz:",
    )


render()
