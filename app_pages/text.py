"""Page 1: from raw text to tokens, a vocabulary of ids, and one-hot vectors.

The tokenizer and the vocabulary follow word2vec.c and gensim (Mikolov et al. 2013a):
ids by descending count after ``min_count``; a word enters the network as a one-hot
vector x_w, and x_wᵀ W_in is row id(w) of W_in, the word's vector v_w.
"""

import numpy as np
import pandas as pd
import streamlit as st

from lab import exercise_view, presenter
from lab import vocab_view as vv
from lab.escape import md
from lab.figures.vocab import (
    COSINE_COLOURS,
    one_hot_figure,
    similarity_heatmap,
    vocab_size_figure,
    zipf_figure,
)
from lab.session import current, lesson_key
from lab.tour import Section, draw
from w2v_core.tokenize import tokenize_line

MAX_SENTENCES = 200  # rows of the sentence table
MAX_VOCAB_ROWS = 300  # rows of the vocabulary table
MAX_PICK = 2_000  # words offered in the one-hot picker
MAX_ONE_HOT = 8  # words drawn as one-hot vectors


def fresh(tag: str) -> bool:
    """Whether this section sees a new corpus since it was last drawn (its choices restart)."""
    settings, _ = current()
    key, seen = lesson_key(settings), f"text_corpus_seen_{tag}"
    new = st.session_state.get(seen) != key
    st.session_state[seen] = key
    return new


def intro() -> None:
    st.title("1. Text and vocabulary")
    st.write(
        "A network cannot read letters. Before word2vec learns anything, the text is cut "
        "into **tokens**, every distinct word gets a number, its **id**, and that id is "
        "turned into a vector the network can multiply: a **one-hot vector**."
    )
    settings, lesson = current()
    V, S, N = len(lesson.vocab), len(lesson.sentences), lesson.n_tokens
    c = st.columns(4)
    c[0].metric("Sentences", f"{S:,}")
    c[1].metric("Tokens", f"{N:,}", help="Words of the text, counted with repeats.")
    c[2].metric("Vocabulary V", f"{V:,}", help="Distinct words kept (each gets an id).")
    c[3].metric("W_in shape", f"{V:,} × {settings.dim}",
                help="One row per word, d columns (sidebar).")  # fmt: skip
    name = lesson.title if settings.source in ("preset", "generated") else "your own text"
    st.caption(f"Corpus: **{md(name)}**. Change it in the sidebar; every page follows.")


def tokens() -> None:
    _, lesson = current()
    vocab, S = lesson.vocab, len(lesson.sentences)
    new = fresh("tokens")
    st.header("Tokens: the text cut into words")
    st.write(
        "The tokenizer lower-cases the text and keeps runs of letters and digits "
        "(an apostrophe may sit inside a word, as in *don't*). Everything else, punctuation "
        "included, only separates words and is dropped. A sentence is a line, or, in prose, "
        "a piece ending in `.`, `!` or `?`. Windows never cross from one sentence into the next."
    )
    n_show = min(S, 8)
    if S > 1:
        n_show = st.slider(
            "Sentences to list", 1, min(S, MAX_SENTENCES), n_show, key="text_n_sentences",
            help=f"The table lists at most the first {MAX_SENTENCES} sentences.",
        )  # fmt: skip
    st.dataframe(
        pd.DataFrame(vv.sentence_rows(lesson.sentences, vocab, n_show)),
        hide_index=True,
        column_config={
            "sentence": st.column_config.NumberColumn("#", width="small"),
            "tokens": st.column_config.TextColumn("tokens", width="large"),
            "ids": st.column_config.TextColumn("ids (· = dropped by min_count)"),
            "length": st.column_config.NumberColumn("tokens in it", width="small"),
        },
        key="text_sentences_table",
    )
    if S > n_show:
        st.caption(f"Showing the first {n_show:,} of {S:,} sentences.")
    pick = 0
    if S > 1:
        if new or not 0 <= st.session_state.get("text_sentence_pick", -1) < S:
            st.session_state["text_sentence_pick"] = 0  # set through the state: the browser follows
        pick = st.number_input(
            "Look closely at sentence #", 0, S - 1, key="text_sentence_pick",
            help="Each token with its id written small after it.",
        )  # fmt: skip
    st.markdown(vv.sentence_chips(lesson.sentences[int(pick)], vocab))
    with st.expander("Try the tokenizer on your own words"):
        probe = st.text_input(
            "A sentence", "Don't panic: the King's 2 dogs ran!", key="text_probe", max_chars=500
        )
        toks = tokenize_line(probe)
        st.write(f"{len(toks)} tokens:", toks)
        unknown = [w for w in toks if w not in vocab]
        if unknown:
            st.caption(f"Not in this corpus's vocabulary: {md(', '.join(unknown), 500)}.")


def vocabulary() -> None:
    settings, lesson = current()
    vocab = lesson.vocab
    V = len(vocab)
    st.header("The vocabulary: one id per word")
    st.write(
        f"Words are numbered by how often they occur: id 0 is **{md(vocab.words[0])}** "
        f"({int(vocab.counts[0]):,} times), id {V - 1} is **{md(vocab.words[-1])}** "
        f"({int(vocab.counts[-1]):,} time{'s' if vocab.counts[-1] != 1 else ''}). "
        f"The id is also the **row of W_in** that will hold the word's vector, so W_in has "
        f"V = {V:,} rows."
    )
    left, right = st.columns([2, 3])
    with left:
        vocab_table(vocab)
        kind, msg = vv.find_word(
            vocab,
            st.text_input("Find a word", "", key="text_find", max_chars=60),
            settings.min_count,
        )
        if kind:
            {"found": st.success, "dropped": st.warning, "absent": st.info}[kind](msg)
    with right:
        words_all, counts_all, kept_all = vv.full_counts(vocab)
        shown = vv.rank_sample(len(counts_all), 2_000)
        presenter.chart(zipf_figure(words_all, counts_all, kept_all, shown, settings.min_count),
                        key="text_zipf")  # fmt: skip
        thin = len(shown) < len(counts_all)
        st.caption(
            "Zipf's law: the r-th most frequent word occurs roughly 1/r as often as the first. "
            "A few words are everywhere; most words are rare"
            + (f" (points thinned to {len(shown):,} of {len(counts_all):,})." if thin else ".")
        )


def vocab_table(vocab) -> None:
    """The first words of the vocabulary with their id, count and share of the tokens."""
    n_rows = min(len(vocab), MAX_VOCAB_ROWS)
    counts = vocab.counts[:n_rows]
    table = pd.DataFrame(
        {
            "id": np.arange(n_rows),
            "word": vocab.words[:n_rows],
            "count": counts,
            "share": 100 * counts / max(vocab.n_tokens, 1),
        }
    )
    st.dataframe(
        table, hide_index=True, height=420, key="text_vocab_table",
        column_config={
            "id": st.column_config.NumberColumn("id", width="small",
                                                help="The word's id = its row in W_in."),
            "count": st.column_config.ProgressColumn(
                "count", format="%d", min_value=0, max_value=int(vocab.counts[0])),
            "share": st.column_config.NumberColumn("% of tokens", format="%.2f"),
        },
    )  # fmt: skip
    if len(vocab) > n_rows:
        st.caption(f"The {n_rows} most frequent of {len(vocab):,} words.")


def min_count() -> None:
    settings, lesson = current()
    vocab = lesson.vocab
    dropped = vocab.dropped
    dropped_tokens = sum(c for _, c in dropped)
    st.header("What min_count removes")
    st.write(
        "A word seen only once or twice gives too little evidence to learn a vector from, "
        "and every kept word costs parameters: a row of W_in, and a row of W_out (with "
        "hierarchical softmax, one more inner node of the tree). "
        "`min_count` removes the words seen fewer times before anything is trained. "
        "Their tokens disappear from the sentences, so the words on each side of them "
        "become neighbours."
    )
    c = st.columns(3)
    c[0].metric("min_count", settings.min_count, help="Set in the sidebar.")
    c[1].metric("Words dropped", f"{len(dropped):,}")
    c[2].metric("Tokens dropped", f"{dropped_tokens:,}",
                help="Occurrences removed from the sentences.")  # fmt: skip
    if dropped:
        st.dataframe(
            pd.DataFrame(dropped[:MAX_VOCAB_ROWS], columns=["dropped word", "count"]),
            hide_index=True, height=220, key="text_dropped_table",
        )  # fmt: skip
        st.caption(
            f"{len(dropped):,} words, {dropped_tokens:,} tokens "
            f"({dropped_tokens / max(lesson.n_tokens, 1):.1%} of the text)"
            + (f"; the first {MAX_VOCAB_ROWS} listed." if len(dropped) > MAX_VOCAB_ROWS else ".")
        )
    else:
        st.info(
            f"min_count = {settings.min_count} keeps every word of this corpus. "
            "Raise it in the sidebar, or preview its effect below."
        )
    min_count_preview()


def min_count_preview() -> None:
    """A slider that previews another min_count, without changing the lesson."""
    settings, lesson = current()
    V = len(lesson.vocab)
    _, counts_all, _ = vv.full_counts(lesson.vocab)
    top = int(counts_all[0])
    if top <= 1:
        return
    preview = st.slider(
        "Preview: what if min_count were…", 1, min(top, 100),
        vv.preview_default(counts_all, settings.min_count, top),
        key="text_min_count_preview",
        help="Only a preview: the sidebar's min_count is what the lesson uses.",
    )  # fmt: skip
    eff = vv.min_count_effect(counts_all, preview)
    p1, p2 = st.columns([1, 2])
    p1.metric("V would be", f"{eff['words_kept']:,}", delta=eff["words_kept"] - V)
    p1.metric("Tokens removed", f"{eff['tokens_dropped']:,}",
              help=f"{eff['tokens_dropped_share']:.1%} of all tokens")  # fmt: skip
    p1.caption(f"That is {eff['tokens_dropped_share']:.1%} of the tokens.")
    m, sizes = vv.vocab_size_curve(counts_all, min(top, 100))
    with p2:
        presenter.chart(vocab_size_figure(m, sizes, settings.min_count, preview),
                        key="text_vocab_size")  # fmt: skip


def chosen_words() -> list[str]:
    """The words picked for the one-hot views (the lesson's first words until one picks)."""
    _, lesson = current()
    options = list(lesson.vocab.words[:MAX_PICK])
    held = st.session_state.get("text_one_hot_words")
    if fresh("one_hot") or held is None or not set(held) <= set(options):
        held = [w for w in vv.default_words(lesson.sentences, lesson.vocab) if w in options]
        st.session_state["text_one_hot_words"] = held
    return list(held)


def one_hot() -> None:
    _, lesson = current()
    vocab, V = lesson.vocab, len(lesson.vocab)
    st.header("One-hot vectors: an id is not a meaning")
    st.write(
        f"The network takes a word in as a vector x_w of length V = {V:,}: all zeros "
        "except a single 1 at the word's id."
    )
    st.latex(
        r"x_w \in \{0,1\}^{V},\qquad (x_w)_i = \begin{cases}1 & i = \mathrm{id}(w)\\"
        r"0 & \text{otherwise}\end{cases}"
    )
    options = list(vocab.words[:MAX_PICK])
    chosen_words()
    chosen = st.multiselect(
        "Words", options, max_selections=MAX_ONE_HOT, key="text_one_hot_words",
        help=f"Up to {MAX_ONE_HOT} words among the {len(options):,} most frequent.",
    )  # fmt: skip
    if not chosen:
        st.info("Pick at least one word to see its one-hot vector.")
        return
    X = vv.one_hot_rows(vocab, chosen)  # (n, V)
    cols = vv.one_hot_columns([vocab.id(w) for w in chosen], V)
    presenter.chart(one_hot_figure(X, chosen, cols, vocab.words), key="text_one_hot")
    if len(cols) < V:
        st.caption(
            f"Showing {len(cols)} of the {V:,} positions: the chosen ids and the first ids. "
            "Every hidden position holds 0."
        )
    one_hot_cosines(X, chosen)


def one_hot_cosines(X: np.ndarray, chosen: list[str]) -> None:
    """The cosines of the chosen one-hot vectors: 0 for every pair of different words."""
    sims = vv.cosine_rows(X)  # (n, n)
    off = vv.off_diagonal(sims)
    st.latex(
        r"\begin{aligned}\cos(x_a, x_b) &= \frac{x_a^\top x_b}"
        r"{\lVert x_a\rVert\,\lVert x_b\rVert}\\ &= \frac{0}{1 \cdot 1} = 0"
        r"\quad (a \ne b)\end{aligned}\;"  # \; room for the last glyph
    )
    st.write(
        "Two different one-hot vectors never have a 1 in the same place, so their "
        "dot product is 0. The heatmap is computed from the vectors, not typed: "
        + (
            f"all {off.size} off-diagonal cells are {float(np.abs(off).max()):.2f}. "
            if off.size else "pick a second word to compare. "
        )
        + "To a one-hot vector *king* is exactly as far from *queen* as from *the*. "
        "The id is a name tag, not a meaning. Meaning has to come from the "
        "company a word keeps (next page)."
    )  # fmt: skip
    presenter.chart(similarity_heatmap(sims, chosen, "cos(x_a, x_b) of one-hot vectors"),
                    key="text_one_hot_cosine")  # fmt: skip
    st.caption(f"Colours: {COSINE_COLOURS}.")


def lookup() -> None:
    settings, lesson = current()
    vocab, V, d = lesson.vocab, len(lesson.vocab), settings.dim
    words = chosen_words() or [vocab.words[0]]
    w0, i0 = words[0], vocab.id(words[0])
    st.subheader("Multiplying by x_w picks a row of W_in")
    st.latex(rf"x_{{\text{{{w0}}}}}^\top W_{{\text{{in}}}} = W_{{\text{{in}}}}[{i0}, :]")
    st.latex(rf"(1 \times {V}) \cdot ({V} \times {d}) = (1 \times {d})")
    demo = vv.lookup_demo(V, d, i0, seed=settings.seed)
    rows, k = demo["rows"], demo["W"].shape[1]
    dims = [f"dim {j}" for j in range(k)]
    a, b = st.columns([2, 5])  # the product goes below the two: readable on a projector
    a.dataframe(pd.DataFrame({"x_w": demo["x"].astype(int)},
                             index=[f"{r} {vocab.words[r]}" for r in rows]),
                key="text_lookup_x")  # fmt: skip
    b.dataframe(
        pd.DataFrame(demo["W"], index=[f"row {r}" for r in rows], columns=dims)
        .style.format("{:+.3f}")
        .apply(lambda r: ["background-color: #cfe2f3" if r.name == f"row {i0}" else ""
                          for _ in r], axis=1),
        key="text_lookup_W",
    )  # fmt: skip
    st.dataframe(pd.DataFrame([demo["product"]], index=[f"x_{w0}ᵀ W_in"], columns=dims)
                .style.format("{:+.3f}"), key="text_lookup_product")  # fmt: skip
    st.caption(
        f"A slice of a random W_in (values in [-1/d, 1/d), d = {d}, as before training): "
        f"rows {rows[0]}–{rows[-1]}"
        + (f" of {V:,}" if len(rows) < V else "")
        + (f", first {k} of {d} columns" if k < d else "")
        + f". Every row except row {i0} is multiplied by 0, so the product is row {i0}: "
        "no multiplication is needed, word2vec simply looks the row up. "
        "That row is the word's vector v_w, and training will move it."
    )
    st.page_link("app_pages/model.py", label="See the lookup inside the model: page 5",
                 icon=":material/psychology:")  # fmt: skip


def exercises() -> None:
    settings, lesson = current()
    exercise_view.show(vv.exercises(lesson, settings))


def render() -> None:
    draw("text.py", [
        Section("intro", intro),
        Section("tokens", tokens),
        Section("vocabulary", vocabulary),
        Section("min_count", min_count),
        Section("one_hot", one_hot),
        Section("lookup", lookup),
        Section("exercises", exercises),
    ])  # fmt: skip


render()
