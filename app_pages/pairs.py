"""Page 3: where the (target, context) training pairs come from."""

import numpy as np
import pandas as pd
import streamlit as st

from lab.escape import md
from lab.figures.pairs import window_counts_figure
from lab.lesson import limit
from lab.pairs_view import (
    DROPPED,
    KEPT,
    NEW,
    cbow_example_count,
    kept_tokens,
    sentence_lengths,
    sentence_pairs,
    sentence_span,
    window_pair_counts,
)
from lab.session import current
from lab.widgets import app_range
from w2v_core.errors import W2VError
from w2v_core.pairs import pair_count

MAX_SENTENCES = 300  # sentences offered in the picker
SHOW_TOKENS = 31  # tokens of a long sentence shown around the target
WINDOWS = list(range(app_range("window")[0], app_range("window")[1] + 1))  # the count chart
PLAY_SECONDS = 1.2  # time between two steps while playing
SAMPLES = [x for x in limit("sample").choices if x > 0]  # page-level subsampling thresholds

POS = "pairs_pos"  # slider: target position in the sentence
SENTENCE = "pairs_sentence"  # selectbox: sentence index
PLAYING = "pairs_playing"  # plain state: the window advances by itself
DRAW = "pairs_draw"  # plain state: bumps the seed of dynamic-window / subsampling draws

STATUS_TEXT = {KEPT: "kept", DROPPED: "✗ dropped", NEW: "+ new"}

st.title("3. Training pairs")
st.markdown(
    "Word2vec learns from a stream of small examples cut out of the text. A window slides "
    "along each sentence: the word in the middle is the **target**, the words up to **W** "
    "places to its left and right are its **context**."
)
st.markdown(
    "- **Skip-gram** uses the target as input and asks the model to predict each context "
    "word separately, so one position gives up to 2W pairs *(target, context)*.\n"
    "- **CBOW** (continuous bag of words) does the reverse: it averages the context words "
    "into one input and asks for the target, so one position gives one example "
    "*([context], target)*."
)
st.latex(
    r"\text{skip-gram: } \max \sum_t \sum_{\substack{-W \le j \le W \\ j \ne 0}}"
    r" \log P(w_{t+j} \mid w_t)"
)
st.latex(
    r"\text{CBOW: } \max \sum_t \log P\Big(w_t \;\Big|\; \tfrac{1}{|C_t|}"
    r" \sum_{j \in C_t} v_{w_{t+j}}\Big), \quad C_t = \{-W, \dots, W\} \setminus \{0\}"
)


def _step(delta: int, last: int) -> None:
    st.session_state[POS] = int(np.clip(st.session_state.get(POS, 0) + delta, 0, last))


def _to(pos: int) -> None:
    st.session_state[POS] = pos


def _toggle_play(last: int) -> None:
    playing = not st.session_state.get(PLAYING, False)
    if playing and st.session_state.get(POS, 0) >= last:
        st.session_state[POS] = 0  # play again from the start
    st.session_state[PLAYING] = playing


def _new_sentence() -> None:
    st.session_state[POS] = 0
    st.session_state[PLAYING] = False


def _redraw() -> None:
    st.session_state[DRAW] = st.session_state.get(DRAW, 0) + 1


def _highlight(words, pos, table, kept) -> str:
    """The sentence as markdown: target, its context, subsampled and unused static words."""
    rows = table[table["target_pos"] == pos]
    used = set(rows.loc[rows["status"] != DROPPED, "context_pos"])
    unused = set(rows.loc[rows["status"] == DROPPED, "context_pos"])
    lo = max(0, pos - SHOW_TOKENS // 2)
    hi = min(len(words), lo + SHOW_TOKENS)
    lo = max(0, hi - SHOW_TOKENS)
    out = ["…"] if lo > 0 else []
    for i in range(lo, hi):
        w = words[i]
        if i == pos:
            out.append(f":orange-background[**{md(w)}**]")
        elif not kept[i]:
            out.append(f":gray[~~{md(w)}~~]")
        elif i in used:
            out.append(f":blue-background[{md(w)}]")
        elif i in unused:
            out.append(f":blue[~~{md(w)}~~]")
        else:
            out.append(w)
    if hi < len(words):
        out.append("…")
    return "#### " + " ".join(out)


def _style_rows(df: pd.DataFrame, pos: int):
    def colour(row):
        if row["t"] == pos:
            css = "background-color: rgba(230, 159, 0, 0.25)"  # orange: the current target
        else:
            css = ""
        if row.get("status") == STATUS_TEXT[DROPPED]:
            css += "; color: #888888"
        return [css] * len(row)

    return df.style.apply(colour, axis=1)


def _window_view(sp, pos_last: int, options_on: bool, playing: bool, fox: bool) -> None:
    """Sentence, step buttons and the growing tables (a fragment: re-runs alone when playing)."""
    if bool(st.session_state.get(PLAYING, False)) != playing:
        st.rerun()  # Play/Pause was pressed: the whole page, to switch the timer on/off
    if playing:
        if st.session_state.get(POS, 0) >= pos_last:
            st.session_state[PLAYING] = False
            st.rerun()  # the whole page: switches the timer off
        st.session_state[POS] = st.session_state.get(POS, 0) + 1
    pos = int(np.clip(st.session_state.get(POS, 0), 0, pos_last))
    st.session_state[POS] = pos
    b0, b1, b2, b3, b4 = st.columns([1, 1, 1, 1, 5], vertical_alignment="bottom")
    b0.button(
        "Pause" if playing else "Play", key="pairs_play", type="primary",
        icon=":material/pause:" if playing else ":material/play_arrow:",
        on_click=_toggle_play, args=(pos_last,),
        help="Move the window one word about every second.",
    )  # fmt: skip
    b1.button(
        "Start",
        icon=":material/first_page:",
        key="pairs_first",
        on_click=_to,
        args=(0,),
        disabled=playing or pos == 0,
    )
    b2.button(
        "Back",
        icon=":material/chevron_left:",
        key="pairs_back",
        on_click=_step,
        args=(-1, pos_last),
        disabled=playing or pos == 0,
    )
    b3.button(
        "Step",
        icon=":material/chevron_right:",
        key="pairs_next",
        on_click=_step,
        args=(1, pos_last),
        disabled=playing or pos == pos_last,
    )
    if pos_last > 0:
        b4.slider("Target position t (0 = first word)", 0, pos_last, key=POS, disabled=playing)

    table, words = sp.table, sp.words
    st.markdown(_highlight(words, pos, table, sp.kept))
    legend = (
        ":orange-background[**target**] = input word (skip-gram) · "
        ":blue-background[context] = words it is paired with"
    )
    if options_on:
        legend += (
            " · :gray[~~word~~] removed by subsampling · "
            ":blue[~~word~~] inside the static window but not used this time"
        )
    st.caption(legend)

    now = table[(table["target_pos"] == pos) & (table["status"] != DROPPED)]
    target = md(words[pos])
    if len(now):
        pairs = ", ".join(f"({target}, {md(c)})" for c in now["context"])
        ctx = ", ".join(md(c) for c in now["context"])
        st.markdown(
            f"At t = {pos} the target is **{target}**. Skip-gram makes {len(now)} "
            f"pair{'s' if len(now) != 1 else ''}: {pairs}. CBOW makes one example: "
            f"([{ctx}], {target})."
        )
    elif not sp.kept[pos]:
        st.markdown(f"At t = {pos}, **{target}** was removed by subsampling: no example.")
    else:
        st.markdown(f"At t = {pos}, **{target}** has no context word left: no example.")

    so_far = table[table["target_pos"] <= pos]
    produced = so_far[so_far["status"] != DROPPED]
    sg = pd.DataFrame(
        {
            "t": so_far["target_pos"].to_numpy(),
            "input (target)": so_far["target"].to_numpy(),
            "predict (context)": so_far["context"].to_numpy(),
            "offset": so_far["offset"].to_numpy(),
        }
    )
    if options_on:
        sg["status"] = [STATUS_TEXT[s] for s in so_far["status"]]
    cb = sp.cbow[sp.cbow["target_pos"] <= pos]
    cbow = pd.DataFrame(
        {
            "t": cb["target_pos"].to_numpy(),
            "input ([context], averaged)": ["[" + c + "]" for c in cb["context"]],
            "predict (target)": cb["target"].to_numpy(),
        }
    )
    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"**Skip-gram pairs so far: {len(produced)}** (one row per pair)")
        st.dataframe(_style_rows(sg, pos), hide_index=True, key="pairs_sg_table",
                     height=min(38 + 35 * max(len(sg), 1), 560))  # fmt: skip
        if fox:
            st.caption(
                "The list often quoted for this sentence, (quick, the), (quick, brown), "
                "(brown, quick), (brown, fox), …, starts at the second row: tutorials "
                "usually skip the first 'the', which has no left neighbour."
            )
    with right:
        st.markdown(f"**CBOW examples so far: {len(cbow)}** (one row per position)")
        st.dataframe(_style_rows(cbow, pos), hide_index=True, key="pairs_cbow_table",
                     height=min(38 + 35 * max(len(cbow), 1), 560))  # fmt: skip


def render() -> None:
    settings, lesson = current()
    corpus, vocab = lesson.corpus, lesson.vocab
    W = settings.window
    lengths = sentence_lengths(corpus, len(lesson.sentences))
    choices = [int(i) for i in np.flatnonzero(lengths > 0)[:MAX_SENTENCES]]
    n_nonempty = int((lengths > 0).sum())

    st.info(
        f"**{md(lesson.title)}**: {len(corpus):,} tokens in {n_nonempty:,} sentences, "
        f"V = {len(vocab):,} words. Window **W = {W}** (change it in the sidebar)."
    )

    st.subheader("The sliding window")
    c1, c2, c3 = st.columns([3, 2, 2])
    if st.session_state.get(SENTENCE) not in choices:
        st.session_state[SENTENCE] = choices[0]

    def label(i: int) -> str:
        lo, _ = sentence_span(corpus, i)
        ids = corpus.ids[lo : lo + min(int(lengths[i]), 10)]
        more = " …" if lengths[i] > 10 else ""
        return f"{i + 1}. " + " ".join(vocab.words[j] for j in ids) + more  # a selectbox option

    s = c1.selectbox("Sentence", choices, format_func=label, key=SENTENCE,
                     on_change=_new_sentence)  # fmt: skip
    if n_nonempty > len(choices):
        c1.caption(f"The first {len(choices):,} of {n_nonempty:,} sentences are offered.")
    dynamic = c2.toggle(
        "Dynamic window", value=settings.dynamic_window, key="pairs_dynamic",
        help="As word2vec.c does: for each target, the radius b is drawn from 1..W, so "
        "near words are used more often than far ones.",
    )  # fmt: skip
    subsample_on = c2.toggle(
        "Subsampling", value=settings.sample > 0, key="pairs_subsample",
        help="Frequent words are removed at random before the window slides, with keep "
        "probability (√(f/(sT)) + 1)·sT/f for a word seen f times in T tokens.",
    )  # fmt: skip
    default_sample = settings.sample if settings.sample in SAMPLES else (
        1e-2 if len(corpus) < 10_000 else 1e-3
    )  # fmt: skip
    sample = c3.select_slider(
        "Subsampling threshold s", SAMPLES, value=default_sample, key="pairs_sample",
        disabled=not subsample_on, format_func=lambda v: f"{v:g}",
        help="Smaller s removes more of the frequent words. The sidebar's value is used by "
        "the trainer; this one only affects this page.",
    )  # fmt: skip
    options_on = dynamic or subsample_on
    c3.button(
        "Draw again",
        icon=":material/casino:",
        key="pairs_redraw",
        on_click=_redraw,
        disabled=not options_on,
        help="New random radii / a new subsampling draw.",
    )

    draw = st.session_state.get(DRAW, 0)
    keep = vocab.keep_probs(sample) if subsample_on else None
    try:
        sp = sentence_pairs(corpus, vocab, s, W, dynamic=dynamic, keep_probs=keep,
                            seed=[settings.seed, s, draw])  # fmt: skip
    except W2VError as e:
        st.error(md(e))
        return
    pos_last = len(sp.words) - 1
    if pos_last == 0:
        st.markdown(f"#### :orange-background[**{md(sp.words[0])}**]")
        st.warning("This sentence has a single word: no context, so no training pair.")
    else:
        playing = bool(st.session_state.get(PLAYING, False))
        fox = settings.source == "preset" and settings.preset == "fox"
        view = st.fragment(_window_view, run_every=PLAY_SECONDS if playing else None)
        view(sp, pos_last, options_on, playing, fox)

    if options_on:
        n = sp.counts()
        st.markdown("**This sentence: your options against the plain static window**")
        m = st.columns(4)
        m[0].metric("static window pairs", f"{n[KEPT] + n[DROPPED]:,}")
        m[1].metric("kept", f"{n[KEPT]:,}")
        m[2].metric("dropped", f"{n[DROPPED]:,}", help="Outside the drawn radius, or a word "
                    "of the pair was subsampled away.")  # fmt: skip
        m[3].metric("new", f"{n[NEW]:,}", help="Subsampling removed a word in between, so "
                    "the window reaches further than in the plain text.")  # fmt: skip
        if subsample_on:
            lo, hi = sentence_span(corpus, s)
            ids = corpus.ids[lo:hi]
            probs = ", ".join(
                f"{md(w)} {p:.2f}" for w, p in dict(zip(sp.words, keep[ids], strict=True)).items()
            )
            st.caption(
                f"Keep probability of each word of this sentence at s = {sample:g}: {probs}."
            )

    st.subheader("How many pairs does one pass make?")
    static = [pair_count(corpus, w) for w in WINDOWS]
    series = {"static window (exact)": static}
    kept = kept_tokens(corpus, keep, [settings.seed, draw]) if subsample_on else None
    if dynamic and subsample_on:
        series["dynamic + subsampled (one draw, expected radii)"] = window_pair_counts(
            corpus, WINDOWS, kept, dynamic=True
        )
    elif dynamic:
        series["dynamic window (expected)"] = window_pair_counts(corpus, WINDOWS, dynamic=True)
    elif subsample_on:
        series["subsampled (one draw)"] = window_pair_counts(corpus, WINDOWS, kept)
    n_cbow = cbow_example_count(corpus, kept)
    ours = list(series.values())[-1][W - 1]
    m1, m2, m3 = st.columns(3)
    m1.metric(f"skip-gram pairs per pass (W = {W})", f"{static[W - 1]:,}")
    if options_on:
        m2.metric(f"with your options (W = {W})", f"{ours:,.0f}",
                  delta=f"{ours - static[W - 1]:,.0f}", delta_color="off")  # fmt: skip
    m3.metric("CBOW examples per pass", f"{n_cbow:,}",
              help="One per token that has at least one context word: the window does not "
              "change it.")  # fmt: skip
    st.plotly_chart(
        window_counts_figure(WINDOWS, series, current=W, cbow=n_cbow),
        key="pairs_counts_chart",
    )
    st.caption(
        "Each step of W adds two pairs per token (one on each side) until the window "
        f"reaches the sentence ends; here the longest sentence has {corpus.longest_sentence} "
        "words, so the bars stop growing there. A dynamic window uses offset o with "
        "probability (W − o + 1)/W, so it makes fewer pairs, mostly with near words."
    )
    with st.expander("Why two models? Skip-gram or CBOW"):
        ratio = static[W - 1] / max(n_cbow, 1)
        st.markdown(
            "CBOW averages the context vectors and makes one prediction per position: few, "
            "smooth updates, so it trains fast and does well on frequent words. Skip-gram "
            "turns every (target, context) pair into its own example: more work per pass, "
            "but a rare word gets a full update each time it appears as input, which gives "
            "rare words better vectors, and it tends to do better on small corpora.\n\n"
            f"On this corpus at W = {W}, skip-gram does {static[W - 1]:,} examples per pass "
            f"and CBOW {n_cbow:,}: {ratio:.1f}× more work for skip-gram."
        )


render()
