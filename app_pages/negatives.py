"""Page 4: negative sampling, the cheap replacement for the full softmax."""

import numpy as np
import pandas as pd
import streamlit as st

from lab.escape import MdWords, md
from lab.figures.noise import cost_figure, draws_figure, noise_distribution_figure
from lab.model_view import cost_per_example
from lab.noise_view import (
    NOISE,
    SAME,
    TRUE_CONTEXT,
    check_draws,
    label_negatives,
    top_and_rest,
    true_contexts,
)
from lab.session import current
from w2v_core.errors import W2VError
from w2v_core.pairs import pair_count
from w2v_core.sampler import NoiseSampler

MAX_TOP_N = 60  # words drawn in a bar chart at most
MAX_TARGETS = 2_000  # words offered as targets (the most frequent)
N_DRAWS = [1_000, 10_000, 100_000]

DRAW = "neg_draw"  # plain state: bumps the seed of the draws
NOTE = {
    SAME: "the word to predict itself: the trainer skips this draw",
    TRUE_CONTEXT: "also a true context of the target (in another pair)",
    NOISE: "",
}

st.title("4. Negative sampling")
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
    r"J = -\log \sigma\!\left(u_o^{\top} v_c\right)"
    r" - \sum_{k=1}^{K} \log \sigma\!\left(-u_k^{\top} v_c\right),"
    r"\qquad w_k \sim P_n"
)
st.caption(
    "v_c: input vector of the target c (its row of W_in, the embedding E). u_o: output "
    "vector of the true context word o (its row of W_out). u_k: output vectors of the K "
    "noise words. σ(x) = 1 / (1 + e^(−x)). In CBOW the average of the context vectors "
    "takes the place of v_c and the centre word is o."
)


@st.cache_resource(max_entries=16, show_spinner=False)
def _sampler(counts: np.ndarray, alpha: float) -> NoiseSampler:
    """Alias tables take O(V) Python steps: build each (corpus, α) once."""
    p = counts.astype(np.float64) ** alpha
    return NoiseSampler(p / p.sum())


def _redraw() -> None:
    st.session_state[DRAW] = st.session_state.get(DRAW, 0) + 1


def _default_target(lesson) -> int:
    """A word worth looking at: the first categorized word (king, apple...), else the
    first token that is not the most frequent word."""
    ids = np.asarray(lesson.corpus.ids[:5000])
    words = lesson.vocab.words
    for i in ids:
        if words[i] in lesson.categories and i < MAX_TARGETS:
            return int(i)
    rest = ids[(ids != 0) & (ids < MAX_TARGETS)]
    return int(rest[0]) if len(rest) else 0


def _chip(word: str, colour: str, prefix: str = "") -> str:
    return f":{colour}-background[{prefix}**{md(word)}**]"


def render() -> None:
    settings, lesson = current()
    vocab, corpus = lesson.vocab, lesson.corpus
    V, k, W = len(vocab), settings.negative, settings.window
    words = vocab.words
    mw = MdWords(words)  # words for Markdown: escaped
    st.info(
        f"**{md(lesson.title)}**: V = {V:,} words, {len(corpus):,} tokens. Sidebar: k = {k} "
        f"negatives, window W = {W}, noise exponent {settings.noise_alpha:g}."
    )

    # ---- 1. the noise distribution ------------------------------------------------
    st.subheader("1. The noise distribution P_n")
    c1, c2 = st.columns([3, 2])
    alpha = c1.slider(
        "Exponent α on this page", 0.0, 1.0, float(settings.noise_alpha), 0.05, key="neg_alpha",
        help="α = 1: the unigram (raw frequencies). α = 0: uniform. word2vec uses 0.75. "
        "The trainer uses the sidebar's value.",
    )  # fmt: skip
    if V > 2:
        top_n = c2.slider("Words shown", 2, min(V, MAX_TOP_N), min(V, 25), key="neg_top_n",
                          help=f"The most frequent words; at most {MAX_TOP_N}.")  # fmt: skip
    else:
        top_n = V
    try:
        p_uni, p_alpha, p_flat = (vocab.noise_probs(a) for a in (1.0, alpha, 0.0))
    except W2VError as e:
        st.error(md(e))
        return
    shown = {
        "unigram (α = 1)": top_and_rest(p_uni, top_n),
        f"P_n, α = {alpha:.2f}": top_and_rest(p_alpha, top_n),
        "uniform (α = 0)": top_and_rest(p_flat, top_n),
    }
    y_max = 1.15 * max(float(p_uni.max()), float(p_flat.max()))
    fig = noise_distribution_figure(
        words[:top_n], {name: v for name, (v, _) in shown.items()}, y_max=y_max,
        highlight=f"P_n, α = {alpha:.2f}",
        title=f"P_n(w) for the {top_n} most frequent of {V:,} words",
    )  # fmt: skip
    st.plotly_chart(fig, key="neg_noise_chart")
    if top_n < V:
        rest = ", ".join(f"{name.split(' (')[0]} {r:.1%}" for name, (_, r) in shown.items())
        st.caption(f"The other {V - top_n:,} words are not drawn in the chart; together they "
                   f"get: {rest}.")  # fmt: skip
    rare = V - 1
    m = st.columns(3)
    m[0].metric(
        f"most frequent word '{mw[0]}'",
        f"{p_alpha[0]:.1%}",
        delta=f"{100 * (p_alpha[0] - p_uni[0]):+.1f} points vs unigram",
        delta_color="off",
    )
    m[1].metric(f"rarest word '{mw[rare]}'", f"{p_alpha[rare]:.2%}",
                delta=f"×{p_alpha[rare] / p_uni[rare]:.2f} vs unigram",
                delta_color="off")  # fmt: skip
    m[2].metric("ratio most / rarest", f"{p_alpha[0] / p_alpha[rare]:,.1f}",
                help=f"{p_uni[0] / p_uni[rare]:,.1f} for the unigram; 1 for uniform.")  # fmt: skip
    st.markdown(
        "An exponent below 1 flattens the counts: frequent words like "
        f"'{mw[0]}' are drawn less often than their raw share, rare words more often. "
        "With α = 1 almost every negative would be one of a few very common words; with "
        "α = 0 rare words would be drawn as often as common ones. Mikolov et al. found "
        "α = 0.75 to work best."
    )

    # ---- 2. draw k negatives for one pair ----------------------------------------
    st.subheader(f"2. Draw k = {k} negatives for one training pair")
    targets = [i for i in range(min(V, MAX_TARGETS))]
    if st.session_state.get("neg_target") not in targets:
        st.session_state["neg_target"] = _default_target(lesson)
    c1, c2, c3 = st.columns([2, 2, 1])
    target = c1.selectbox(
        "Target c (input word)", targets, format_func=lambda i: words[i], key="neg_target",
        help=f"The {len(targets):,} most frequent words." if V > MAX_TARGETS else None,
    )  # fmt: skip
    ctx_ids, ctx_counts = true_contexts(corpus, target, W)
    if len(ctx_ids) == 0:
        st.warning(
            f"'{mw[target]}' never has a neighbour within W = {W}: it forms no training "
            "pair. Pick another target."
        )
        return
    seen = dict(zip(ctx_ids.tolist(), ctx_counts.tolist(), strict=True))
    if st.session_state.get("neg_context") not in seen:
        st.session_state["neg_context"] = int(ctx_ids[0])
    context = c2.selectbox(
        "True context o (word to predict)", list(seen),
        format_func=lambda i: f"{words[i]}  ({seen[i]}× within W = {W})", key="neg_context",
    )  # fmt: skip
    c3.button("Draw again", icon=":material/casino:", key="neg_redraw", on_click=_redraw,
              help="New random negatives and a new batch of many draws.")  # fmt: skip
    draw = st.session_state.get(DRAW, 0)
    sampler = _sampler(vocab.counts, float(alpha))
    rng = np.random.default_rng([settings.seed, draw, target, context])
    negs = sampler.draw(rng, k)
    labels = label_negatives(negs, context, ctx_ids)

    colour = {NOISE: "red", TRUE_CONTEXT: "violet", SAME: "gray"}
    chips = " ".join(_chip(words[n], colour[lab]) for n, lab in zip(negs, labels, strict=True))
    st.markdown(
        f"#### {_chip(words[target], 'orange', 'c = ')} → {_chip(words[context], 'blue', 'o = ')}"
        f" ✓ &nbsp; versus &nbsp; {chips} ✗"
    )
    st.caption(
        ":orange-background[target c] and :blue-background[true context o]: push σ(u_o·v_c) "
        "up. :red-background[negatives]: push σ(u_k·v_c) down. "
        ":violet-background[violet]: also a true context of c, in another pair. "
        ":gray-background[grey]: the word to predict itself."
    )
    table = pd.DataFrame(
        {
            "k": np.arange(1, k + 1),
            "negative w_k": [words[n] for n in negs],
            "id": negs.astype(int),
            "P_n(w_k)": p_alpha[negs],
            "note": [NOTE[lab] for lab in labels],
        }
    )
    fmt = {"P_n(w_k)": st.column_config.NumberColumn(format="%.4f")}
    st.dataframe(table, hide_index=True, key="neg_table", column_config=fmt)
    n_true = labels.count(TRUE_CONTEXT)
    p_true = float(p_alpha[ctx_ids[ctx_ids != context]].sum())
    if n_true:
        bad = ", ".join(sorted({mw[n] for n, lab in zip(negs, labels, strict=True)
                                if lab == TRUE_CONTEXT}))  # fmt: skip
        st.warning(
            f"{n_true} of these {k} draws ({bad}) are words that really appear within "
            f"W = {W} of '{mw[target]}' in the corpus: here the model is told that a true "
            "neighbour does not belong. "
            "Negative sampling does not check; on a large vocabulary this is rare and "
            "averages out."
        )
    st.markdown(
        f"Here a single draw lands on another true context of '{mw[target]}' with "
        f"probability {p_true:.1%} ({len(ctx_ids) - 1} other context words), "
        f"and on '{mw[context]}' itself with probability {p_alpha[context]:.1%}. "
        "A draw equal to the word to predict is skipped by the trainer: the same word "
        "cannot be the right answer and a wrong one in one example."
    )
    if SAME in labels:
        st.info(f"'{mw[context]}' was drawn: that draw is skipped, so this example trains "
                f"on {k - labels.count(SAME)} negatives.")  # fmt: skip

    # ---- 3. many draws -----------------------------------------------------------
    st.subheader("3. Many draws against P_n")
    n = st.select_slider("Number of draws", N_DRAWS, value=10_000, key="neg_n_draws",
                         format_func=lambda v: f"{v:,}")  # fmt: skip
    many = sampler.draw(np.random.default_rng([settings.seed, draw, 7]), n)
    check = check_draws(many, p_alpha)
    obs, obs_rest = top_and_rest(check.counts / n, top_n)
    exp, exp_rest = top_and_rest(p_alpha, top_n)
    labels_x = list(words[:top_n])
    if top_n < V:
        labels_x.append(f"other {V - top_n:,}")
        obs, exp = np.r_[obs, obs_rest], np.r_[exp, exp_rest]
    st.plotly_chart(
        draws_figure(labels_x, obs, exp, n, title=f"{n:,} draws with α = {alpha:.2f}"),
        key="neg_draws_chart",
    )
    m = st.columns(3)
    m[0].metric("total variation distance", f"{check.tv:.4f}",
                help="Half the sum over all words of |share of draws − P_n(w)|: 0 is a "
                "perfect match. It shrinks like 1/√n as draws are added.")  # fmt: skip
    m[1].metric(f"χ² ({check.dof} degrees of freedom)", f"{check.chi2:,.1f}",
                help="Pearson's statistic over the words expected at least 5 times; the "
                "rarer words share one bin.")  # fmt: skip
    m[2].metric("p-value", f"{check.p_value:.3f}",
                help="Chance of a χ² this large if the draws follow P_n exactly. Only a "
                "tiny value (say < 0.001) would point at a faulty sampler.")  # fmt: skip
    st.caption(
        "The bars should sit inside the error bars (± 2 standard deviations of a share of "
        f"{n:,} draws) about 95% of the time. Draws use Walker's alias method: one uniform "
        "number per draw, whatever V."
    )

    # ---- 4. the cost -------------------------------------------------------------
    st.subheader("4. What it saves")
    cost = cost_per_example(V, settings.dim, k)
    pairs = pair_count(corpus, W)
    m = st.columns(3)
    m[0].metric("full softmax: dot products per example", f"{cost['softmax_dots']:,}",
                help="One score u_w·v_c for every word w of the vocabulary.")  # fmt: skip
    m[1].metric("negative sampling: per example", f"{cost['negative_dots']:,}",
                help="The true context and k noise words: k + 1 scores.")  # fmt: skip
    m[2].metric(
        "softmax / negative sampling", f"{cost['softmax_dots'] / cost['negative_dots']:,.1f}×"
    )
    st.markdown(
        f"One pass of skip-gram over this corpus at W = {W} is {pairs:,} pairs: "
        f"{pairs * cost['softmax_dots']:,} dot products of length d = {settings.dim} with the "
        f"softmax, {pairs * cost['negative_dots']:,} with negative sampling. The softmax also "
        f"updates all {V:,} rows of W_out per example, negative sampling only {k + 1}. "
        "The gap grows with V: at 100,000 words it is about "
        f"{100_000 // (k + 1):,}× for k = {k}."
    )
    st.plotly_chart(cost_figure(V, k), key="neg_cost_chart")


render()
