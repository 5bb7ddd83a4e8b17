"""Page 4: negative sampling, the cheap replacement for the full softmax (Mikolov et al. 2013b).

Thin page: each section below draws one idea and reads what it needs itself (settings,
lesson, this page's widgets in session state); the numbers come from lab.noise_view.
"""

import streamlit as st

from lab import exercise_view, presenter, tour
from lab import noise_view as nv
from lab import session as ses
from lab.escape import MdWords, md
from lab.figures.noise import cost_figure, draws_figure, noise_distribution_figure
from lab.tour import Section
from w2v_core.errors import W2VError

MAX_TOP_N = 60  # words drawn in a bar chart at most
MAX_TARGETS = 2_000  # words offered as targets (the most frequent)
N_DRAWS = [1_000, 10_000, 100_000]

ALPHA = "neg_alpha"  # slider: this page's noise exponent
TOP_N = "neg_top_n"  # slider: words shown in the charts
TARGET = "neg_target"  # selectbox: the input word c
CONTEXT = "neg_context"  # selectbox: the true context o
DRAW = "neg_draw"  # plain state: bumps the seed of the draws
COLOUR = {nv.NOISE: "red", nv.TRUE_CONTEXT: "violet", nv.SAME: "gray"}


@st.cache_resource(max_entries=16, show_spinner=False)
def _sampler(_vocab, key: tuple, alpha: float):
    """Alias tables take O(V) Python steps: build each (corpus, α) once (key: the lesson)."""
    return nv.sampler(_vocab, alpha)


def alpha(settings) -> float:
    return float(st.session_state.get(ALPHA, settings.noise_alpha))


def top_n(V: int) -> int:
    return min(int(st.session_state.get(TOP_N, 25)), V, MAX_TOP_N)


def sampler(settings, lesson):
    return _sampler(lesson.vocab, ses.lesson_key(settings), alpha(settings))


def _redraw() -> None:
    st.session_state[DRAW] = st.session_state.get(DRAW, 0) + 1


def _chip(word: str, colour: str, prefix: str = "") -> str:
    return f":{colour}-background[{prefix}**{md(word)}**]"


def idea() -> None:
    settings, lesson = ses.current()
    st.info(
        f"**{md(lesson.title)}**: V = {len(lesson.vocab):,} words, {len(lesson.corpus):,} "
        f"tokens. Sidebar: k = {settings.negative} negatives, window W = {settings.window}, "
        f"noise exponent α = {settings.noise_alpha:g}."
    )
    st.markdown(
        "With a full softmax, every training example scores **all V words** of the vocabulary "
        "to turn the true context word's score into a probability. Negative sampling asks an "
        "easier question instead: *is this word a real context of the target, or noise?* The "
        "true context word should answer yes; **k** words drawn at random from a noise "
        "distribution P_n should answer no. That is k + 1 small yes/no questions instead of "
        "one V-way choice."
    )
    st.latex(r"P_n(w) = \frac{\mathrm{count}(w)^{\alpha}}{\sum_{w'} \mathrm{count}(w')^{\alpha}}")
    st.latex(
        r"J = -\log \sigma\big(u_o^{\top} v_c\big)"
        r" - \sum_{i=1}^{k} \log \sigma\big(-u_{w_i}^{\top} v_c\big)"
    )
    st.latex(r"w_i \sim P_n \quad (i = 1, \dots, k)")
    st.caption(
        "c: the centre word, page 3's target, the input; v_c is its row of W_in (the "
        "embedding E). o: the true context word, the word to predict; u_o is its row of W_out. "
        "w_1 … w_k: the k noise words; u_w is a noise word's row of W_out. "
        "σ(x) = 1 / (1 + e^(−x)). In CBOW the average of the context vectors takes the place "
        "of v_c and the centre word is o."
    )


def nce() -> None:
    st.markdown("##### Negative sampling is not NCE")
    st.markdown(
        "Negative sampling simplifies **noise-contrastive estimation** (NCE; Gutmann & "
        "Hyvärinen 2010, used for language models by Mnih & Teh 2012, and behind "
        "TensorFlow's `nce_loss`). Both train a classifier to tell the true word from k noise "
        "words. NCE scores a word w with σ(s − log(k·P_n(w))): the correction by k·P_n(w) "
        "makes the scores s converge to the log of the softmax's probabilities, so NCE "
        "estimates the same distribution as the softmax. Negative sampling drops that "
        "correction and uses σ(u_w·v_c) directly. It is simpler, and Mikolov et al. (2013b) "
        "found it slightly better than NCE for word vectors, but its scores no longer "
        "estimate P(o | c): Levy & Goldberg (2014) show that at its optimum u_o·v_c = "
        "PMI(c, o) − log k, a *shifted PMI* (PMI_α with the count^α noise; see Count vs "
        "predict). "
        "So it is NCE, not negative sampling, that approaches the softmax in the limit."
    )


def noise() -> None:
    settings, lesson = ses.current()
    vocab, V = lesson.vocab, len(lesson.vocab)
    st.subheader("1. The noise distribution P_n")
    row = st.container(horizontal=True, gap="medium")
    with row:
        st.slider("Exponent α", 0.0, 1.0, alpha(settings), 0.05, key=ALPHA,
                  help="On this page only. α = 1: the unigram (raw frequencies). α = 0: "
                  "uniform. word2vec uses 0.75. The trainer uses the sidebar's value.")  # fmt: skip
        if V > 2:
            st.slider("Words shown", 2, min(V, MAX_TOP_N), top_n(V), key=TOP_N,
                      help=f"The most frequent words; at most {MAX_TOP_N}.")  # fmt: skip
    try:
        view = nv.noise_view(vocab, alpha(settings), top_n(V))
    except W2VError as e:
        st.error(md(e))
        return
    shown = {name: v for name, (v, _) in view.shown().items()}
    title = f"P_n(w) for the {view.top_n} most frequent of {V:,} words"
    presenter.chart(noise_distribution_figure(vocab.words[: view.top_n], shown, y_max=view.y_max,
                    highlight=view.name, title=title), key="neg_noise_chart")  # fmt: skip
    if view.top_n < V:
        st.caption(f"The other {V - view.top_n:,} words are not drawn in the chart; together "
                   f"they get: {view.rest_text()}.")  # fmt: skip
    mw, r = MdWords(vocab.words), view.ratios()
    row = st.container(horizontal=True, gap="small")
    row.metric("Most frequent", f"{view.p[0]:.1%}", delta_color="off",
               delta=f"{r['top_change_points']:+.1f} points vs unigram",
               help="P_n of the most frequent word, named below.")  # fmt: skip
    row.metric("Rarest", f"{view.p[V - 1]:.2%}", delta=f"×{r['rare_factor']:.2f} vs unigram",
               delta_color="off", help="P_n of the rarest word, named below.")  # fmt: skip
    row.metric("Ratio", f"{r['top_over_rare']:,.1f}",
               help=f"Most frequent / rarest: {r['top_over_rare_unigram']:,.1f} for the unigram; "
               "1 for uniform.")  # fmt: skip
    st.markdown(
        f"Most frequent word: '{mw[0]}'; rarest: '{mw[V - 1]}'. An exponent below 1 flattens "
        f"the counts: frequent words like '{mw[0]}' are drawn less often than their raw share, "
        "rare words more often. With α = 1 almost every negative would be one of a few very "
        "common words; with α = 0 rare words would be drawn as often as common ones. Mikolov "
        "et al. (2013b) found α = 3/4 clearly better than both."
    )


def pair_pickers(settings, lesson) -> tuple[int, int] | None:
    vocab, W = lesson.vocab, settings.window
    words, V = vocab.words, len(vocab)
    targets = list(range(min(V, MAX_TARGETS)))
    if st.session_state.get(TARGET) not in targets:
        st.session_state[TARGET] = nv.default_target(lesson.corpus, vocab, lesson.categories,
                                                     MAX_TARGETS)  # fmt: skip
    c1, c2 = st.columns(2)
    target = c1.selectbox("Target c (input word)", targets, format_func=lambda i: words[i],
                          key=TARGET, help=f"The {len(targets):,} most frequent words."
                          if V > MAX_TARGETS else None)  # fmt: skip
    ctx_ids, ctx_counts = nv.true_contexts(lesson.corpus, target, W)
    if len(ctx_ids) == 0:
        st.warning(f"'{md(words[target])}' never has a neighbour within W = {W}: it forms no "
                   "training pair. Pick another target.")  # fmt: skip
        return None
    seen = dict(zip(ctx_ids.tolist(), ctx_counts.tolist(), strict=True))
    if st.session_state.get(CONTEXT) not in seen:
        st.session_state[CONTEXT] = int(ctx_ids[0])
    context = c2.selectbox(
        "True context o (to predict)",
        list(seen),
        key=CONTEXT,
        format_func=lambda i: f"{words[i]}  ({seen[i]}× within W = {W})",
    )
    return target, context


def draw_negatives() -> None:
    settings, lesson = ses.current()
    k, W, words = settings.negative, settings.window, lesson.vocab.words
    st.subheader(f"2. Draw k = {k} negatives for one training pair")
    picked = pair_pickers(settings, lesson)
    if picked is None:
        return
    target, context = picked
    st.container(horizontal=True).button(
        "Draw again", icon=":material/casino:", key="neg_redraw", on_click=_redraw,
        help="New random negatives and a new batch of many draws.")  # fmt: skip
    seed = [settings.seed, st.session_state.get(DRAW, 0), target, context]
    ex = nv.negative_example(lesson.corpus, target, context, W, k, sampler(settings, lesson), seed)
    chips = " ".join(_chip(words[n], COLOUR[lab]) for n, lab in zip(ex.negs, ex.labels,
                                                                   strict=True))  # fmt: skip
    st.markdown(
        f"#### {_chip(words[target], 'orange', 'c = ')} → "
        f"{_chip(words[context], 'blue', 'o = ')} ✓ &nbsp; versus &nbsp; {chips} ✗"
    )
    st.caption(
        ":orange-background[target c] and :blue-background[true context o]: push σ(u_o·v_c) "
        "up. :red-background[negatives] w: push σ(u_w·v_c) down. "
        ":violet-background[violet]: also a true context of c, in another pair. "
        ":gray-background[grey]: the word to predict itself."
    )
    fmt = {"P_n(w_i)": st.column_config.NumberColumn(format="%.4f")}
    st.dataframe(ex.table(words, sampler(settings, lesson).probs), hide_index=True,
                 key="neg_table", column_config=fmt)  # fmt: skip
    true_words = ex.true_among(words)
    mw = MdWords(words)
    if true_words:
        n_true = ex.labels.count(nv.TRUE_CONTEXT)
        st.warning(
            f"{n_true} of these {k} draws ({md(', '.join(true_words))}) are words that really "
            f"appear within W = {W} of '{mw[target]}' in the corpus: here the model is told "
            "that a true neighbour does not belong. Negative sampling does not check (neither "
            "word2vec.c nor gensim does); on a large vocabulary this is rare and averages out."
        )
    st.markdown(
        f"Here a single draw lands on another true context of '{mw[target]}' with probability "
        f"{ex.p_true:.1%} ({ex.n_other} other context words), and on '{mw[context]}' itself "
        f"with probability {ex.p_same:.1%}. A draw equal to the word to predict is skipped by "
        "the trainer, as in word2vec.c and gensim: the same word cannot be the right answer "
        "and a wrong one in one example."
    )
    if nv.SAME in ex.labels:
        st.info(f"'{mw[context]}' was drawn: that draw is skipped, so this example trains on "
                f"{ex.used} negatives.")  # fmt: skip


def many() -> None:
    settings, lesson = ses.current()
    st.subheader("3. Many draws against P_n")
    n = st.select_slider("Number of draws", N_DRAWS, value=10_000, key="neg_n_draws",
                         format_func=lambda v: f"{v:,}")  # fmt: skip
    seed = [settings.seed, st.session_state.get(DRAW, 0), 7]
    V = len(lesson.vocab)
    md_ = nv.many_draws(sampler(settings, lesson), n, seed, lesson.vocab.words, top_n(V))
    title = f"{n:,} draws with α = {alpha(settings):.2f}"
    presenter.chart(draws_figure(md_.labels, md_.observed, md_.expected, n, title=title),
                    key="neg_draws_chart")  # fmt: skip
    check = md_.check
    row = st.container(horizontal=True, gap="small")
    row.metric("TV distance", f"{check.tv:.4f}",
               help="Total variation distance: half the sum over all words of |share of "
               "draws − P_n(w)|. 0 is a perfect match; it shrinks like 1/√n as draws are "
               "added.")  # fmt: skip
    row.metric("χ²", f"{check.chi2:,.1f}",
               help=f"Pearson's statistic with {check.dof} degrees of freedom, over the words "
               "expected at least 5 times; the rarer words share one bin.")  # fmt: skip
    row.metric("p-value", f"{check.p_value:.3f}",
               help="Chance of a χ² this large if the draws follow P_n exactly. Only a tiny "
               "value (say < 0.001) would point at a faulty sampler.")  # fmt: skip
    st.caption(
        "The bars should sit inside the error bars (± 2 standard deviations of a share of "
        f"{n:,} draws) about 95% of the time. Draws use Walker's alias method: one uniform "
        "number per draw, whatever V (word2vec.c looks draws up in a table of 10⁸ entries, "
        "gensim by binary search in a cumulative table)."
    )


def cost() -> None:
    settings, lesson = ses.current()
    V, k = len(lesson.vocab), settings.negative
    c = nv.cost(lesson.corpus, V, settings.dim, k, settings.window)
    st.subheader("4. What it saves")
    st.caption("Dot products u·v_c per training example, in the output layer:")
    row = st.container(horizontal=True, gap="small")
    row.metric("Softmax", f"{c.softmax:,}", help="Dot products per example with the full "
               "softmax: one score u_w·v_c for every word w of the vocabulary.")  # fmt: skip
    row.metric("Negative sampling", f"{c.negative:,}", help="Dot products per example with "
               "negative sampling: the true context and k noise words, k + 1 scores.")  # fmt: skip
    row.metric("Saving", f"{c.ratio:,.1f}×", help="Softmax / negative sampling.")
    st.markdown(
        f"One pass of skip-gram over this corpus at W = {settings.window} is {c.pairs:,} "
        f"pairs: {c.pass_softmax:,} dot products of length d = {c.d} with the softmax, "
        f"{c.pass_negative:,} with negative sampling. The softmax also updates all "
        f"{V:,} rows of W_out per example, negative sampling at most {c.negative}. The gap grows "
        f"with V: at 100,000 words it is about {c.gap_at_100k:,}× for k = {k}."
    )
    presenter.chart(cost_figure(V, k), key="neg_cost_chart")


def exercises() -> None:
    settings, lesson = ses.current()
    exs = nv.exercises(lesson.vocab, settings.negative, settings.noise_alpha, settings.seed)
    exercise_view.show(exs)


def render() -> None:
    st.title("4. Negative sampling")
    tour.draw(
        "negatives.py",
        [
            Section("idea", idea),
            Section("nce", nce),
            Section("noise", noise),
            Section("draw", draw_negatives),
            Section("many", many),
            Section("cost", cost),
            Section("exercises", exercises),
        ],
    )


render()
