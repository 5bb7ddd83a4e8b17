"""Page 3: where the (target, context) training pairs come from (Mikolov et al. 2013a).

Thin page: each section below draws one idea and reads what it needs itself (settings,
lesson, this page's widgets in session state); the numbers come from lab.pairs_view.
"""

from dataclasses import dataclass

import numpy as np
import streamlit as st

from lab import exercise_view, presenter, tour
from lab import pairs_view as pv
from lab import session as ses
from lab.escape import md
from lab.figures.pairs import radius_figure, window_counts_figure
from lab.lesson import limit
from lab.tour import Section
from lab.widgets import app_range
from w2v_core.errors import W2VError

MAX_SENTENCES = 300  # sentences offered in the picker
WINDOWS = list(range(app_range("window")[0], app_range("window")[1] + 1))  # the count chart
PLAY_SECONDS = 1.2  # time between two steps while playing
SAMPLES = [x for x in limit("sample").choices if x > 0]  # page-level subsampling thresholds

POS = "pairs_pos"  # slider: target position in the sentence
SENTENCE = "pairs_sentence"  # selectbox: sentence index
SUBSAMPLE = "pairs_subsample"  # toggle: subsampling on this page
SAMPLE = "pairs_sample"  # select_slider: this page's subsampling threshold
PLAYING = "pairs_playing"  # plain state: the window advances by itself
DRAW = "pairs_draw"  # plain state: bumps the seed of dynamic-window / subsampling draws
TABLE_HEIGHT = 560  # px, the tallest a pair table grows


@dataclass(frozen=True)
class Options:
    """What this page adds to the plain static window (read from the sidebar and widgets)."""

    dynamic: bool  # the sidebar's dynamic window (the trainer's setting)
    subsample: bool  # subsampling switched on on this page
    sample: float  # this page's subsampling threshold s
    draw: int  # bumped by "Draw again"

    @property
    def on(self) -> bool:
        return self.dynamic or self.subsample


def options(settings, lesson) -> Options:
    start = pv.default_sample(settings.sample, len(lesson.corpus), SAMPLES)
    return Options(
        dynamic=bool(settings.dynamic_window),
        subsample=bool(st.session_state.get(SUBSAMPLE, settings.sample > 0)),
        sample=float(st.session_state.get(SAMPLE, start)),
        draw=int(st.session_state.get(DRAW, 0)),
    )


def chosen_sentence(lesson) -> int:
    choices, _ = pv.sentence_choices(lesson.corpus, len(lesson.sentences), MAX_SENTENCES)
    s = st.session_state.get(SENTENCE)
    return s if s in choices else choices[0]


def sentence_pairs(settings, lesson, opt: Options) -> tuple[int, pv.SentencePairs]:
    """The chosen sentence and its pairs with the options (raises W2VError on bad input)."""
    s = chosen_sentence(lesson)
    keep = lesson.vocab.keep_probs(opt.sample) if opt.subsample else None
    sp = pv.sentence_pairs(lesson.corpus, lesson.vocab, s, settings.window, dynamic=opt.dynamic,
                           keep_probs=keep, seed=[settings.seed, s, opt.draw])  # fmt: skip
    return s, sp


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


def _style_rows(df, pos: int):
    def colour(row):
        css = "background-color: rgba(230, 159, 0, 0.25)" if row["t"] == pos else ""
        if row.get("status") == pv.STATUS_TEXT[pv.DROPPED]:
            css += "; color: #888888"
        return [css] * len(row)

    return df.style.apply(colour, axis=1)


def idea() -> None:
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
    st.latex(r"\text{CBOW: } \max \sum_t \log P\big(w_t \mid \bar v_t\big)")
    st.latex(
        r"\bar v_t = \tfrac{1}{|C_t|} \textstyle\sum_{j \in C_t} v_{w_{t+j}},"
        r" \quad C_t = \{-W, \dots, W\} \setminus \{0\}"
    )


def naming() -> None:
    st.markdown("##### Two namings of the same pair")
    st.markdown(
        "Here, as in the skip-gram papers, the **target** is the centre word, the model's "
        "*input*, and the **context** words are *predicted*. Andrew Ng's course names them "
        "the other way round: its *context* c is the input (vector e_c), and its *target* t "
        "is the word being predicted, with output vector θ_t. So our (target, context) pair "
        "is Ng's (c, t): our target's vector v_c is his e_c (row c of W_in; Ng's E is W_inᵀ, "
        "so e_c is a column of it), and our context word's vector u_o is his θ_t (a row of "
        "W_out)."
    )
    st.caption(
        "word2vec.c and gensim run skip-gram's inner loop the other way: for each context "
        "word they feed its W_in row and predict the centre word. A static window holds "
        "(a, b) exactly when it holds (b, a), so a pass trains on the same pairs either way."
    )


def window_note(settings) -> str:
    if settings.dynamic_window:
        return (
            f"Window **W = {settings.window}, dynamic**: each centre word draws its radius b "
            f"uniformly from 1..{settings.window}, as word2vec.c and gensim do (sidebar › More)."
        )
    return (
        f"Window **W = {settings.window}, static**: every centre word uses all W words on each "
        "side. The trainer uses the same window (sidebar; the dynamic window is under More)."
    )


def sentence_picker(settings, lesson) -> None:
    corpus = lesson.corpus
    choices, n_nonempty = pv.sentence_choices(corpus, len(lesson.sentences), MAX_SENTENCES)
    if st.session_state.get(SENTENCE) not in choices:
        st.session_state[SENTENCE] = choices[0]
    st.selectbox("Sentence", choices, key=SENTENCE, on_change=_new_sentence,
                 format_func=lambda i: pv.sentence_label(corpus, lesson.vocab, i))  # fmt: skip
    if n_nonempty > len(choices):
        st.caption(f"The first {len(choices):,} of {n_nonempty:,} sentences are offered.")
    opt = options(settings, lesson)
    st.toggle("Subsampling", value=opt.subsample, key=SUBSAMPLE,
              help="Frequent words are removed at random before the window slides, with "
              "keep probability (√(f/(sT)) + 1)·sT/f for a word seen f times in T tokens "
              "(word2vec.c's formula).")  # fmt: skip
    row = st.container(horizontal=True, gap="small", vertical_alignment="bottom")
    with row:
        st.select_slider(
            "Threshold s", SAMPLES, value=opt.sample, key=SAMPLE, width=200,
            disabled=not st.session_state.get(SUBSAMPLE), format_func=lambda v: f"{v:g}",
            help="Smaller s removes more of the frequent words. Only this page uses it; the "
            "trainer uses the sidebar's subsampling threshold.",
        )  # fmt: skip
        st.button("Draw again", icon=":material/casino:", key="pairs_redraw", on_click=_redraw,
                  disabled=not options(settings, lesson).on,
                  help="New random radii / a new subsampling draw.")  # fmt: skip


def window() -> None:
    settings, lesson = ses.current()
    st.subheader("The sliding window")
    st.info(
        f"**{md(lesson.title)}**: {len(lesson.corpus):,} tokens, V = {len(lesson.vocab):,} "
        f"words. {window_note(settings)}"
    )
    sentence_picker(settings, lesson)
    opt = options(settings, lesson)
    try:
        _, sp = sentence_pairs(settings, lesson, opt)
    except W2VError as e:
        st.error(md(e))
        return
    pos_last = len(sp.words) - 1
    if pos_last == 0:
        st.markdown(f"#### :orange-background[**{md(sp.words[0])}**]")
        st.warning("This sentence has a single word: no context, so no training pair.")
        return
    playing = bool(st.session_state.get(PLAYING, False))
    fox = settings.source == "preset" and settings.preset == "fox"
    view = st.fragment(window_view, run_every=PLAY_SECONDS if playing else None)
    view(sp, pos_last, opt, playing, fox, settings.window)


def step_buttons(pos: int, pos_last: int, playing: bool) -> None:
    row = st.container(horizontal=True, gap="small")
    row.button(
        "Pause" if playing else "Play", key="pairs_play", type="primary",
        icon=":material/pause:" if playing else ":material/play_arrow:",
        on_click=_toggle_play, args=(pos_last,),
        help="Move the window one word about every second.",
    )  # fmt: skip
    row.button("Start", icon=":material/first_page:", key="pairs_first", on_click=_to,
               args=(0,), disabled=playing or pos == 0, help="Back to the first word.")  # fmt: skip
    row.button("Back", icon=":material/chevron_left:", key="pairs_back", on_click=_step,
               args=(-1, pos_last), disabled=playing or pos == 0)  # fmt: skip
    row.button("Step", icon=":material/chevron_right:", key="pairs_next", on_click=_step,
               args=(1, pos_last), disabled=playing or pos == pos_last)  # fmt: skip
    st.slider("Target position t (0 = first word)", 0, pos_last, key=POS, disabled=playing)


def window_view(sp, pos_last: int, opt: Options, playing: bool, fox: bool, W: int) -> None:
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
    step_buttons(pos, pos_last, playing)
    st.markdown(pv.highlight(sp, pos))
    legend = (
        ":orange-background[**target**] = input word (skip-gram) · "
        ":blue-background[context] = words it is paired with"
    )
    if opt.on:
        legend += (
            " · :gray[~~word~~] removed by subsampling · "
            ":blue[~~word~~] inside the static window but not used this time"
        )
    st.caption(legend)
    st.markdown(pv.step_text(sp, pos, opt.dynamic))
    sg, cbow = pv.skipgram_frame(sp, pos, opt.on), pv.cbow_frame(sp, pos)
    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"**Skip-gram pairs so far: {pv.produced_so_far(sp, pos)}** (one per row)")
        st.dataframe(_style_rows(sg, pos), hide_index=True, key="pairs_sg_table",
                     height=min(38 + 35 * max(len(sg), 1), TABLE_HEIGHT))  # fmt: skip
        if fox:
            st.caption(fox_note(W))
    with right:
        st.markdown(f"**CBOW examples so far: {len(cbow)}** (one per position)")
        st.dataframe(_style_rows(cbow, pos), hide_index=True, key="pairs_cbow_table",
                     height=min(38 + 35 * max(len(cbow), 1), TABLE_HEIGHT))  # fmt: skip


def fox_note(W: int) -> str:
    if W == 1:
        return (
            "The list often quoted for this sentence at window 1, (quick, the), (quick, "
            "brown), (brown, quick), (brown, fox), …, starts at the second row: tutorials "
            "usually skip the first 'the', which has no left neighbour."
        )
    return (
        "Tutorials quote this sentence's pairs with W = 1 (set it in the sidebar): (quick, "
        f"the), (quick, brown), (brown, quick), (brown, fox), …. This table is for W = {W}."
    )


def radius() -> None:
    settings, lesson = ses.current()
    st.subheader("The radius of each centre word")
    if not settings.dynamic_window:
        st.markdown(
            f"The window is **static**: every centre word uses b = W = {settings.window}. "
            "word2vec.c and gensim draw b from 1..W for each centre word instead (a dynamic "
            "window), which uses near words more often than far ones: switch on *Dynamic "
            "window* in the sidebar (under More) to see the draws here."
        )
        return
    opt = options(settings, lesson)
    try:
        s, sp = sentence_pairs(settings, lesson, opt)
    except W2VError as e:
        st.error(md(e))
        return
    pos = int(np.clip(st.session_state.get(POS, 0), 0, len(sp.words) - 1))
    title = f"Radius b of each word of sentence {s + 1} (one draw)"
    presenter.chart(radius_figure(sp.words, sp.radius, settings.window, pos, title),
                    key="pairs_radius_chart")  # fmt: skip
    st.caption(
        f"Each centre word draws b uniformly from 1..{settings.window} with the engine's own "
        "sampler (w2v_core.pairs.draw_radii) and uses the b words on each side: a word at "
        f"distance o is used with probability (W − o + 1)/W. Orange: the target at t = {pos}. "
        "*Draw again* (above) draws new radii; the trainer draws new ones every epoch."
        + (" A radius of 0 marks a word removed by subsampling." if opt.subsample else "")
    )


def options_effect() -> None:
    settings, lesson = ses.current()
    opt = options(settings, lesson)
    if not opt.on:
        return
    try:
        s, sp = sentence_pairs(settings, lesson, opt)
    except W2VError as e:
        st.error(md(e))
        return
    n = sp.counts()
    st.markdown("**This sentence: your options against the plain static window**")
    row = st.container(horizontal=True, gap="small")
    row.metric("static", f"{sp.static_count:,}", help="Pairs of the static window.")
    row.metric("kept", f"{n[pv.KEPT]:,}", help="Pairs of the static window still used.")
    row.metric("dropped", f"{n[pv.DROPPED]:,}", help="Outside the drawn radius, or a word "
               "of the pair was subsampled away.")  # fmt: skip
    row.metric("new", f"{n[pv.NEW]:,}", help="Subsampling removed a word in between, so "
               "the window reaches further than in the plain text.")  # fmt: skip
    if opt.subsample:
        keep = lesson.vocab.keep_probs(opt.sample)
        st.caption(f"Keep probability of each word of this sentence at s = {opt.sample:g}: "
                   f"{pv.keep_text(lesson.corpus, lesson.vocab, s, keep)}.")  # fmt: skip


def counts() -> None:
    settings, lesson = ses.current()
    corpus, W, opt = lesson.corpus, settings.window, options(settings, lesson)
    st.subheader("How many pairs does one pass make?")
    keep = lesson.vocab.keep_probs(opt.sample) if opt.subsample else None
    kept = pv.kept_tokens(corpus, keep, [settings.seed, opt.draw]) if opt.subsample else None
    pc = pv.pass_counts(corpus, WINDOWS, W, opt.dynamic, kept)
    row = st.container(horizontal=True, gap="small")
    row.metric("Skip-gram pairs", f"{pc.static:,}",
               help=f"Skip-gram pairs in one pass at W = {W}, static window.")  # fmt: skip
    if opt.on:
        row.metric("With your options", f"{pc.ours:,.0f}", delta=f"{pc.ours - pc.static:,.0f}",
                   delta_color="off", help=f"At W = {W}, with the dynamic window "
                   "(expected) and/or this page's subsampling (one draw).")  # fmt: skip
    row.metric("CBOW examples", f"{pc.cbow:,}",
               help="CBOW examples in one pass: one per token that has at least one context "
               "word, so the window does not change it.")  # fmt: skip
    presenter.chart(window_counts_figure(WINDOWS, pc.series, current=W, cbow=pc.cbow),
                    key="pairs_counts_chart")  # fmt: skip
    st.caption(
        "Each step of W adds up to two pairs per token (one on each side) until the window "
        f"reaches the sentence ends; here the longest sentence has {corpus.longest_sentence} "
        "words, so the bars stop growing there. A dynamic window uses offset o with "
        "probability (W − o + 1)/W, so it makes fewer pairs, mostly with near words."
    )


def models() -> None:
    settings, lesson = ses.current()
    W = settings.window
    pc = pv.pass_counts(lesson.corpus, WINDOWS, W, False, None)
    with st.expander("Why two models? Skip-gram or CBOW"):
        st.markdown(
            "CBOW averages the context vectors and makes one prediction per position: few, "
            "smooth updates, so it trains fast and does well on frequent words. Skip-gram "
            "turns every (target, context) pair into its own example: more work per pass, "
            "but a rare word gets a full update each time it appears as input, which gives "
            "rare words better vectors, and it tends to do better on small corpora.\n\n"
            f"On this corpus at W = {W}, skip-gram does {pc.static:,} examples per pass "
            f"and CBOW {pc.cbow:,}: {pc.ratio:.1f}× more work for skip-gram."
        )


def exercises() -> None:
    settings, lesson = ses.current()
    exercise_view.show(pv.exercises(lesson.corpus, lesson.vocab, settings.window, settings.seed))


def render() -> None:
    st.title("3. Training pairs")
    tour.draw(
        "pairs.py",
        [
            Section("idea", idea),
            Section("naming", naming),
            Section("window", window),
            Section("radius", radius),
            Section("options", options_effect),
            Section("counts", counts),
            Section("models", models),
            Section("exercises", exercises),
        ],
    )


render()
