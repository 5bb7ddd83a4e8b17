"""Page 2: count which words appear near which, and see that the rows already carry meaning.

Co-occurrence counts, PPMI and the SVD of PPMI (Levy, Goldberg & Dagan 2015), and the
link to skip-gram: with a static window, C[i, j] is the number of (i, j) training
pairs, and SGNS implicitly factorises a shifted PMI (Levy & Goldberg 2014).
"""

import pandas as pd
import streamlit as st

from lab import cooc_view as cv
from lab import exercise_view, presenter
from lab.budget import size_text
from lab.escape import md
from lab.figures.cooc import cooc_heatmap, growth_figure, row_pair_figure, svd_scatter
from lab.lesson import Settings
from lab.session import CORPUS_FIELDS, current, lesson, lesson_key
from lab.tour import Section, draw
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
EXAMPLE_NAMES = {"cs224n": "I like deep learning…", "article": "I love NLP and I like dogs"}


def _lesson_of(key: tuple):
    return lesson(Settings(**dict(zip(KEY_FIELDS, key, strict=True))))


@st.cache_data(max_entries=32, show_spinner="Counting co-occurrences...")
def _matrices(key: tuple, window: int):
    les = _lesson_of(key)
    return cv.counts_and_ppmi(les.corpus, len(les.vocab), window)


@st.cache_data(max_entries=32, show_spinner=False)
def _growth(key: tuple, window: int) -> list[dict]:
    les = _lesson_of(key)
    return cv.growth_table(les.corpus, window, len(les.sentences))


@st.cache_data(max_entries=32, show_spinner="SVD of the PPMI matrix...")
def _vectors(key: tuple, window: int, dim: int):
    C, _ = _matrices(key, window)
    E = cv.count_vectors(C, dim, MAX_SVD_WORDS)  # (m, k)
    return E, pca(E, 2)


@st.cache_data(max_entries=64, show_spinner=False)
def _cell_pairs(key: tuple, window: int, i: int, j: int) -> int:
    return cv.pairs_in_cell(_lesson_of(key).corpus, window, i, j)


@st.cache_data(max_entries=32, show_spinner=False)
def _ranked(key: tuple, window: int, n: int) -> list[tuple]:
    """The 10 most similar pairs of rows among the top n words (PPMI cosine, then counts)."""
    C, P = _matrices(key, window)
    top = list(range(n))
    return cv.similar_pairs(cv.row_cosines(P, top), 10, cv.row_cosines(C, top),
                            tiebreak=cv.shared_contexts(C, top))  # fmt: skip


def window() -> int:
    """This page's window: the sidebar's until the page's slider moves it."""
    settings, _ = current()
    ss = st.session_state
    if "cooc_window" not in ss or ss.get("cooc_sidebar_window") != settings.window:
        ss["cooc_window"] = settings.window  # follow the sidebar when it moves
        ss["cooc_sidebar_window"] = settings.window
    return int(ss["cooc_window"])


def heatmap_n() -> tuple[int, int]:
    """(words in the heatmap, most it may hold): the slider's value, else up to 30."""
    _, les = current()
    cap = min(len(les.vocab), MAX_HEATMAP)
    held = st.session_state.get("cooc_top_n", min(cap, 30))
    return (min(max(int(held), 2), cap) if cap > 2 else cap), cap


def matrices():
    """(C, PPMI) of the lesson at this page's window; shows the error and returns None."""
    settings, _ = current()
    try:
        return _matrices(lesson_key(settings), window())
    except W2VError as e:
        st.error(md(e))
        return None


def pair() -> tuple[str, str, int, int]:
    """The two words whose rows are compared: the most similar pair until one picks."""
    settings, les = current()
    vocab, words = les.vocab, les.vocab.words
    key, seen = lesson_key(settings), "cooc_corpus_seen"
    fresh = st.session_state.get(seen) != key  # a new corpus: its top pair
    st.session_state[seen] = key
    ranked = _ranked(key, window(), heatmap_n()[0]) if matrices() is not None else []
    a0, b0 = (ranked[0][0], ranked[0][1]) if ranked else (0, 1)
    for k, default in (("cooc_word_a", words[a0]), ("cooc_word_b", words[b0])):
        held = st.session_state.get(k)
        if fresh or held not in vocab.index or vocab.id(held) >= min(len(words), MAX_PICK):
            st.session_state[k] = default  # set through the state: the browser follows
    a, b = st.session_state["cooc_word_a"], st.session_state["cooc_word_b"]
    return a, b, vocab.id(a), vocab.id(b)


def intro() -> None:
    st.title("2. Co-occurrence matrix")
    st.write(
        "*You shall know a word by the company it keeps* (J. R. Firth). Before any "
        "network, we can simply **count**: for every pair of words, how often does one "
        "appear within a few words of the other? The counts fill a V × V table, the "
        "co-occurrence matrix C. Words used in the same way get rows that look alike."
    )
    st.latex(
        r"\begin{aligned}C[i, j] = \#\{(t, o) :\ & w_t = i,\ w_{t+o} = j,\\"
        r"& 1 \le |o| \le m,\ \text{same sentence}\}\end{aligned}\;"  # \; room for the last glyph
    )


def matrix() -> None:
    _, les = current()
    window()
    c = st.columns([2, 2, 3])
    m = c[0].slider(
        "Window m (this page)", *app_range("window"), key="cooc_window",
        help="Words counted on each side of a word. Starts at the sidebar's window.",
    )  # fmt: skip
    measure = c[1].radio(
        "Show", ["counts", "ppmi"], horizontal=True, key="cooc_measure",
        format_func={"counts": "counts C", "ppmi": "PPMI"}.get,
        help="Raw counts, or positive pointwise mutual information (below).",
    )  # fmt: skip
    n, cap = heatmap_n()
    if cap > 2:
        n = c[2].slider(
            "Words in the heatmap", 2, cap, n, key="cooc_top_n",
            help=f"The most frequent words first; at most {MAX_HEATMAP}, beyond that the "
            "labels cannot be read.",
        )  # fmt: skip
    if (CP := matrices()) is None:
        return
    C, P = CP
    sparsity_metrics(C)
    words, V = les.vocab.words, len(les.vocab)
    _, _, ia, ib = pair()
    Z = cv.top_block(C if measure == "counts" else P, n)  # (n, n)
    presenter.chart(cooc_heatmap(Z, words[:n], measure, [r for r in (ia, ib) if r < n],
                                 uirevision=f"cooc-{n}"), key="cooc_heatmap")  # fmt: skip
    st.caption(
        (f"The {n} most frequent of {V:,} words. " if n < V else f"All {V} words. ")
        + f"Window m = {m}: a row i lists how often each word j appeared within "
        f"{m} word{'s' if m > 1 else ''} of i. C is symmetric (C[i, j] = C[j, i]). "
        + ("Black frames: the two rows compared below." if ia < n or ib < n else "")
    )
    with st.expander("PPMI: which neighbours are surprising?", expanded=measure == "ppmi"):
        st.latex(
            r"\begin{aligned}\mathrm{PPMI}(i, j) &= \max\!\left(0,\ \log \frac{P(i, j)}"
            r"{P(i)\,P(j)}\right)\\ P(i, j) &= \frac{C[i, j]}{\sum C},\quad "
            r"P(i) = \frac{\sum_j C[i, j]}{\sum C}\end{aligned}\;"
        )
        st.write(
            "Raw counts are dominated by frequent words: everything co-occurs with *the*. "
            "PMI compares a count with what chance alone would give if the two words were "
            "independent. It is positive when they meet more often than chance; negative "
            "values, and pairs that never met, become 0. Frequent-but-boring neighbours "
            "fade, telling neighbours stand out."
        )


def sparsity_metrics(C) -> None:
    """V, the V² cells, how many are non-zero and empty, and ΣC."""
    sp = cv.sparsity(C)
    row = st.container(horizontal=True, gap="small")
    row.metric("V", f"{sp['V']:,}", help="Words in the vocabulary: C has V rows and V columns.")
    row.metric("Cells V²", f"{sp['cells']:,}")
    row.metric("Non-zero", f"{sp['nonzero']:,}", help="Cells > 0: pairs of words that met.")
    row.metric("Empty", f"{sp['zero_share']:.1%}", help="Share of the V² cells that are 0.")
    row.metric("ΣC", f"{float(C.sum()):,.0f}", help="Total co-occurrences: the sum of all cells.")


def rows() -> None:
    _, les = current()
    vocab, words = les.vocab, les.vocab.words
    st.header("Rows that look alike")
    st.write(
        "Read a row of C as a description of a word: the list of its neighbours. Two words "
        "used in the same places get similar rows, so the cosine of their rows is high, "
        "even if the two words never appear together."
    )
    if (CP := matrices()) is None:
        return
    C, P = CP
    pair()
    pick_words = list(words[: min(len(words), MAX_PICK)])
    s1, s2 = st.columns(2)
    a = s1.selectbox("Word a", pick_words, key="cooc_word_a")
    b = s2.selectbox("Word b", pick_words, key="cooc_word_b")
    ia, ib = vocab.id(a), vocab.id(b)
    if ia == ib:
        st.warning("Pick two different words to compare their rows.")
        return
    rp = cv.row_pair(C, P, ia, ib)
    k = st.container(horizontal=True, gap="small")
    k.metric("cos counts", f"{rp['cos_counts']:.3f}",
             help=f"Cosine of the count rows of '{md(a)}' and '{md(b)}'.")  # fmt: skip
    k.metric("cos PPMI", f"{rp['cos_ppmi']:.3f}",
             help=f"Cosine of the PPMI rows of '{md(a)}' and '{md(b)}'.")  # fmt: skip
    k.metric("Shared neighbours", f"{rp['shared']} of {rp['columns_total']}",
             help="Context words j with C[a, j] > 0 and C[b, j] > 0, of those either "
             "has.")  # fmt: skip
    if len(rp["columns"]):
        presenter.chart(row_pair_figure(a, b, [words[j] for j in rp["columns"]], rp["counts"],
                                        rp["ppmi"]), key="cooc_row_pair")  # fmt: skip
        if len(rp["columns"]) < rp["columns_total"]:
            st.caption(f"The {len(rp['columns'])} context words with the largest counts of "
                       f"{rp['columns_total']}; the cosines use the whole rows.")  # fmt: skip
    else:
        st.info(f"'{md(a)}' and '{md(b)}' have no neighbours within {window()} words.")
    st.latex(r"\cos(a, b) = \frac{C[a,:] \cdot C[b,:]}{\lVert C[a,:]\rVert\,\lVert C[b,:]\rVert}")


def similar() -> None:
    settings, les = current()
    words = les.vocab.words
    st.subheader("The most similar rows")
    if matrices() is None:
        return
    n = heatmap_n()[0]
    ranked = _ranked(lesson_key(settings), window(), n)
    if not ranked:
        st.info("Too few words to rank pairs.")
        return
    st.dataframe(
        pd.DataFrame([{"word a": words[i], "word b": words[j], "cos PPMI rows": s,
                       "cos count rows": t} for i, j, s, t in ranked]),
        hide_index=True, key="cooc_similar_table",
        column_config={
            "cos PPMI rows": st.column_config.ProgressColumn(
                format="%.3f", min_value=0.0, max_value=1.0),
            "cos count rows": st.column_config.NumberColumn(format="%.3f"),
        },
    )  # fmt: skip
    st.caption(f"Pairs among the {n} words of the heatmap, ranked by the cosine of their PPMI "
               "rows. The pickers above start on the top pair.")  # fmt: skip


def examples() -> None:
    st.header("Two classic small matrices")
    st.write(
        "Textbooks show C for a sentence or three. Our tokenizer lower-cases the text and "
        "drops punctuation, so *I* becomes *i* and the full stops vanish. The well-known "
        "table from Stanford's CS224n also counts the full stop `.` as a word: switch on *Keep "
        "punctuation* to reproduce it (window 1)."
    )
    which = st.radio("Example", list(cv.EXAMPLES), format_func=EXAMPLE_NAMES.get,
                     horizontal=True, key="cooc_example")  # fmt: skip
    c = st.columns([1, 2])
    keep = c[0].toggle(
        "Keep punctuation",
        False,
        key="cooc_example_punct",
        help="Count each punctuation mark as a word, as textbooks do.",
    )
    m = c[1].slider("Window m (example)", *app_range("window"), 1, key="cooc_example_window")
    text, (a, b) = cv.EXAMPLES[which]
    words, C = cv.small_matrix(cv.example_sentences(text, keep), m)
    st.caption(f"Text: *{md(text)}* Words in reading order; {len(words)} × {len(words)}.")
    presenter.chart(cooc_heatmap(C, words, "counts", uirevision=f"cooc-ex-{which}"),
                    key="cooc_example_heatmap")  # fmt: skip
    story = cv.row_story(words, C, a, b)
    shared = ", ".join(f"*{md(w)}*" for w in story["shared"]) or "no word"
    only = [", ".join(f"*{md(w)}*" for w in story[k]) or "nothing else" for k in
            ("only_a", "only_b")]  # fmt: skip
    t = story["together"]
    met = (
        "they are never within the window of each other"
        if t == 0
        else f"they are within the window of each other {t:.0f} time{'s' if t != 1 else ''}"
    )
    st.info(
        f"Rows *{a}* and *{b}* (m = {m}): both have {shared} as "
        f"neighbour{'s' if len(story['shared']) > 1 else ''}; *{a}* also has "
        f"{only[0]}, *{b}* also has {only[1]}. Their cosine is {story['cos']:.3f}"
        + (", although " if t == 0 else "; ") + f"{met}. "
        + ("The seed article reads the two rows as 'after *I*, before a noun': a verb. With "
           "one sentence they share only what is listed above; with more text, words used "
           "in the same places share more columns and their rows grow alike."
           if which == "article" else
           "Both come right after *I*: even one tiny corpus shows that much.")
    )  # fmt: skip


def growth() -> None:
    settings, _ = current()
    st.header("The catch: V × V grows fast")
    rows_ = _growth(lesson_key(settings), window())
    last = rows_[-1]
    st.write(
        "Each row is V numbers long, and V keeps growing as more text comes in. Below, C is "
        "rebuilt from the first 10%, 20%, … of the sentences of this corpus (same window). "
        f"The dense matrix needs V² cells; here {1 - last['filled']:.1%} of them are 0, and "
        "a sparse matrix stores only the non-zero ones, but every row is still V long."
    )
    presenter.chart(growth_figure(rows_), key="cooc_growth")
    st.dataframe(
        pd.DataFrame([{"corpus": f"{r['share']:.0%}", "tokens": r["tokens"], "V": r["V"],
                       "non-zero": r["nonzero"], "filled": 100 * r["filled"],
                       "dense": size_text(r["dense_bytes"]),
                       "sparse": size_text(r["sparse_bytes"])} for r in rows_]),
        hide_index=True, key="cooc_growth_table",
        column_config={"filled": st.column_config.NumberColumn("filled %", format="%.2f")},
    )  # fmt: skip
    big = [10_000, 100_000, 1_000_000]
    st.caption(
        "Dense float64 storage for larger vocabularies: "
        + ", ".join(f"V = {v:,}: {size_text(cv.memory(v, 0)['dense'])}" for v in big)
        + f". Word2vec instead keeps two V × d matrices (here 2 × {last['V']:,} × "
        f"{settings.dim} = {2 * last['V'] * settings.dim:,} numbers)."
    )


def svd() -> None:
    settings, les = current()
    words, V = les.vocab.words, len(les.vocab)
    st.header("Count-based vectors: compress PPMI with an SVD")
    try:
        E, proj = _vectors(lesson_key(settings), window(), settings.dim)
    except W2VError as e:
        st.error(md(e))
        return
    mw, k = E.shape
    st.write(
        f"Keep the {k} strongest directions of the PPMI matrix (d = {settings.dim} in the "
        "sidebar" + (f", at most {k} here" if k < settings.dim else "") + "). Each word gets "
        "a short, dense vector instead of a V-long sparse row: a count-based word embedding. "
        "It is the same idea as Latent Semantic Analysis, which factorises a term–document "
        "matrix (words × documents) instead of this word–context matrix."
    )
    st.latex(r"\mathrm{PPMI} \approx U_d\,\Sigma_d\,V_d^\top\;")
    st.latex(r"\text{vector of word } i = \big(U_d\,\Sigma_d^{1/2}\big)[i, :]")
    cats = les.categories
    only_known = bool(cats) and st.toggle(
        "Known categories only", True, key="cooc_scatter_known",
        help="The corpus marks some words with a category (the colours); hide the rest.",
    )  # fmt: skip
    pool = len(cv.scatter_ids(words, mw, mw, cats, only_known))
    n_sc = pool
    if min(pool, MAX_SCATTER) > 2:
        n_sc = st.slider(
            "Words in the scatter",
            2,
            min(pool, MAX_SCATTER),
            min(pool, 60),
            key="cooc_scatter_n",
            help="The most frequent words first.",
        )
    sc = cv.scatter_ids(words, mw, n_sc, cats, only_known)
    groups = [cats.get(words[i], "other") for i in sc] if cats else None
    a, b, ia, ib = pair()
    presenter.chart(svd_scatter(proj.points[sc], [words[i] for i in sc], groups, proj.explained,
                                highlight=[a, b] if ia != ib else []),
                    key="cooc_svd_scatter")  # fmt: skip
    svd_captions(E, sc, (a, b, ia, ib), mw < V, bool(groups))


def svd_captions(E, sc, picked, top_only: bool, coloured: bool) -> None:
    settings, les = current()
    words, V = les.vocab.words, len(les.vocab)
    a, b, ia, ib = picked
    mw, k = E.shape
    if same := cv.same_point_groups(E, sc):
        st.caption(
            f"Same point: these words got equal {k}-dimensional vectors, because their "
            "rows are identical or differ only in directions the SVD dropped: "
            + "; ".join(" = ".join(md(words[i]) for i in g) for g in same[:8])
            + (" …" if len(same) > 8 else "")
            + ". A larger window or a larger d (sidebar) can pull them apart."
        )
    cos_svd = ""
    if ia != ib and max(ia, ib) < mw:
        cos = float(cv.row_cosines(E, [ia, ib])[0, 1])
        cos_svd = f" In this space cos({md(a)}, {md(b)}) = {cos:.3f} (d = {k})."
    st.caption(
        f"SVD vectors of the {mw:,} most frequent words" + (f" (of {V:,})" if top_only else "")
        + f", window {window()}, drawn in 2-D with PCA; {len(sc)} shown"
        + ("; colours are the corpus's word categories." if coloured else ".") + cos_svd
        + " Word2vec reaches similar vectors by prediction instead of counting: "
        "Levy & Goldberg (2014) showed that skip-gram with negative sampling implicitly "
        "factorises a shifted PMI matrix (PMI − log k)."
    )  # fmt: skip


def link() -> None:
    settings, les = current()
    words = les.vocab.words
    st.header("Counting is what skip-gram sees")
    if (CP := matrices()) is None:
        return
    C, m, total = CP[0], window(), float(CP[0].sum())
    n_pairs = pair_count(les.corpus, m)
    f = st.container(horizontal=True, gap="small")
    f.metric("ΣC (this page)", f"{total:,.0f}")
    f.metric("Skip-gram pairs", f"{n_pairs:,}", help=f"Listed on page 3 with W = {m}.")
    f.metric("Equal?", "yes" if int(round(total)) == n_pairs else "no")
    msg = (
        f"With a static window of {m}, every cell C[i, j] is exactly the number of "
        f"(target i, context j) training pairs that page 3 lists with W = {m}, so the "
        f"whole matrix adds up to the {n_pairs:,} pairs of one pass over the corpus."
    )
    a, _, ia, _ = pair()
    top_cell = cv.strongest_neighbour(C, ia)
    if top_cell is not None and n_pairs <= MAX_CELL_CHECK:
        j, cij = top_cell
        listed = _cell_pairs(lesson_key(settings), m, ia, j)
        msg += (f" For example C[{md(a)}, {md(words[j])}] = {cij:.0f}, and the pair list holds "
                f"{listed} pairs with target '{md(a)}' and context '{md(words[j])}'.")  # fmt: skip
    st.info(msg)
    if settings.dynamic_window:
        st.caption("The dynamic window is on in the sidebar: training draws a window from "
                   f"1..{settings.window} per word, so a pair k words apart is trained "
                   f"(W − k + 1)/W of the times it is counted here.")  # fmt: skip
    if settings.sample > 0:
        st.caption(
            "Subsampling is on in the sidebar: training will skip some frequent tokens, "
            "so the pairs actually trained on are a thinned version of these counts."
        )
    st.write(
        "Skip-gram never builds this V × V table. It streams through the same pairs and "
        "learns two small V × d matrices whose dot products come to reflect these "
        "statistics (a shifted PMI, for negative sampling)."
    )
    st.page_link("app_pages/pairs.py", label="Next: the training pairs (page 3)",
                 icon=":material/swap_horiz:")  # fmt: skip


def exercises() -> None:
    settings, les = current()
    try:
        C, _ = _matrices(lesson_key(settings), settings.window)
    except W2VError as e:
        st.error(md(e))
        return
    exercise_view.show(cv.exercises(les, settings, C))


def render() -> None:
    draw("cooccurrence.py", [
        Section("intro", intro),
        Section("matrix", matrix),
        Section("rows", rows),
        Section("similar", similar),
        Section("examples", examples),
        Section("growth", growth),
        Section("svd", svd),
        Section("link", link),
        Section("exercises", exercises),
    ])  # fmt: skip


render()
