"""Page 5: the network behind word2vec, where E comes from, and one SGD step in full.

Each section draws one idea and reads what it needs itself (``_model``, ``_view``):
the step on show is a ``lab.model_view.StepView`` built by the engine from the
weights and example the student picked; this file only draws it.
"""

import numpy as np
import streamlit as st

from lab import exercise_view, presenter, tour
from lab import model_view as mv
from lab import session as ses
from lab.escape import md
from lab.figures.huffman import huffman_figure
from lab.figures.model import lookup_figure, network_figure, probs_figure, update_figure
from lab.lesson import MAX_SOFTMAX_VOCAB
from lab.page_state import PageState
from lab.tour import Section
from w2v_core.errors import W2VError
from w2v_core.gradcheck import EPS, MAX_CHECK_OUT_ROWS, TOLERANCE, check, check_example

PAGE = PageState("m5_")  # this page's own state (forgotten with the model); widgets: "model_"
TRAIN_CAP = 500_000  # the "train first" button trains at most this many examples per click
MAX_OPTIONS = 2_000  # word pickers offer the most frequent words only


# ---- what every section reads ----------------------------------------------------------


def _model():
    """(settings, lesson, trainer) of this session, or None (the error is shown by _error)."""
    settings, lesson = ses.current()
    try:
        tr = ses.trainer(settings, lesson)
    except W2VError as e:
        PAGE.put("error", str(e))
        return None
    PAGE.follow(ses.model_serial())
    return settings, lesson, tr


def _error() -> None:
    settings, lesson = ses.current()
    try:
        ses.trainer(settings, lesson)
    except W2VError as e:
        st.error(md(e))


def _warm(tr, lesson) -> mv.Warm | None:
    """The briefly trained copy of this model, made once per model."""
    if PAGE.get("warm") is None:
        try:
            with st.spinner(f"Training a copy on {mv.WARM_EXAMPLES} examples..."):
                PAGE.put("warm", mv.warm_start(tr.config, lesson.sentences))
        except W2VError as e:
            PAGE.put("warm", str(e))
    warm = PAGE.get("warm")
    return warm if isinstance(warm, mv.Warm) else None


def _default_weights(tr) -> str:
    return "yours" if tr.examples_seen_ >= mv.WARM_EXAMPLES else "warm"


def _ids(tr, words) -> tuple:
    return tuple(tr.vocab_.index[w] for w in words if w in tr.vocab_.index)


def _choice(tr, lesson, noise: bool = True) -> mv.StepChoice:
    """The student's choices, read from the widgets' state (defaults when not drawn yet)."""
    get = st.session_state.get
    weights = get("model_weights", _default_weights(tr))
    picked = None
    if noise and get("model_noise_from") == "picked" and tr.config.loss == "negative":
        picked = _ids(tr, get("model_noise", []))
    if get("model_mode", "next") != "custom":
        return mv.StepChoice(weights, noise=picked)
    c, ctx, o = _custom_defaults(tr, lesson)
    ins = (
        [get("model_custom_c", c)]
        if tr.config.model == "skipgram"
        else get("model_custom_ctx", ctx)
    )
    return mv.StepChoice(weights, True, _ids(tr, ins), tr.vocab_.index[get("model_custom_o", o)],
                         int(get("model_custom_draw", 0)), picked)  # fmt: skip


def _custom_defaults(tr, lesson) -> tuple[str, list[str], str]:
    """(centre word, context words, word to predict) first offered for a chosen pair: the
    favourite word and, when the corpus has one, a real example around it."""
    words, fav = tr.words_, _favourite(tr, lesson)
    ex = tr.examples if not tr.done else None
    first = np.flatnonzero(np.asarray(ex.target) == fav) if ex is not None else []
    if tr.config.model == "skipgram":
        o = int(ex.context[first[0]]) if len(first) else min(1, len(words) - 1)
        return words[fav], [], words[min(o, MAX_OPTIONS - 1)]
    ctx = (
        [words[i] for i in ex.contexts[first[0]] if 0 <= i < MAX_OPTIONS]
        if len(first)
        else words[:2]
    )
    return words[fav], list(dict.fromkeys(ctx)), words[fav]


def _view(noise: bool = True):
    """(settings, lesson, trainer, StepView or None, why not)."""
    m = _model()
    if m is None:
        return None
    s, les, tr = m
    warm, choice = _warm(tr, les), _choice(tr, les, noise)
    key = (ses.model_serial(), tr.examples_seen_, tr.done, warm is None, choice)
    held = PAGE.get("view")  # (key, view, why): the sections of one run share one step
    if held is None or held[0] != key:
        try:
            held = (key, mv.step_view(tr, warm, choice), "")
        except W2VError as e:
            held = (key, None, str(e))
        PAGE.put("view", held)
    return s, les, tr, held[1], held[2]


def _favourite(tr, lesson) -> int:
    return next((i for i, w in enumerate(tr.words_[:MAX_OPTIONS]) if w in lesson.categories), 0)


# ---- sections ------------------------------------------------------------------------------


def intro() -> None:
    st.title("5. The model and one SGD step")
    st.markdown(
        "Word2vec is a tiny neural network with one hidden layer and **no non-linearity** "
        "before the output. Its first weight matrix **W_in** holds the word vectors (the "
        "embedding matrix): nobody fills it by hand, it starts random and backpropagation "
        "nudges it. This page shows the network with the current corpus and settings, then "
        "takes one step of stochastic gradient descent (SGD) and prints every number it computes."
    )


def network() -> None:
    st.header("The network and the shapes of its matrices")
    got = _view()
    if got is None:
        return _error()
    s, _, tr, view, _ = got
    cfg, words = tr.config, tr.words_
    V, d, k = len(words), cfg.dim, cfg.negative
    row = st.container(horizontal=True, gap="small")
    row.metric("Vocabulary V", f"{V:,}")
    row.metric("Dimensions d", d)
    row.metric("W_in", f"{V:,} × {d}", help="Row i is v_i, the input vector of word i.")
    row.metric("W_out", f"{V:,} × {d}", help="Row t is u_t, the output vector of word t.")
    row.metric("θ_t ∈", f"ℝ{mv.superscript(d)}", help="d × 1: one row of W_out as a column.")
    if view is not None:
        st_ = view.step
        presenter.chart(network_figure(V, d, words, cfg.model, cfg.loss, st_.inputs, st_.output,
                                       st_.negatives, path=st_.path, code=st_.code),
                        key="model_network_fig")  # fmt: skip
        h_def = "h = v_c, one row of W_in" if cfg.model == "skipgram" else "h = the mean of them"
        st.caption(
            f"Orange: {'the input word' if cfg.model == 'skipgram' else 'the context words'} "
            f"(their 1s in x) and the rows of W_in they select ({h_def}). Green: "
            f"{'its path in the tree' if cfg.loss == 'hs' else 'the word to predict'}. There is "
            "no activation function on h: the scores are plain dot products u_w·h."
        )
    rows_out = {"negative": f"the k + 1 = {k + 1} scored rows", "softmax": f"all {V:,} rows",
                "hs": "the rows of the inner nodes on the path of the word to predict"}  # fmt: skip
    st.markdown(
        f"- **Shapes.** W_in is V × d = {V:,} × {d}: one row of {d} numbers per word "
        f"({V * d:,} numbers). W_out has the same shape: one output vector per word"
        + (
            f" (under hierarchical softmax rows 0…{V - 2:,} belong to the tree's inner nodes "
            f"and row {V - 1:,} is unused)"
            if cfg.loss == "hs"
            else ""
        )  # fmt: skip
        + f".\n- **Where do the vectors come from?** At the start every entry of W_in is random "
        f"in [−1/d, 1/d) = [{-1 / d:.3f}, {1 / d:.3f}) and W_out is all zeros. Backpropagation "
        "then changes W_in by −α·∂J/∂h, only in the rows of each example's input words.\n"
        f"- **What does one update change?** One example touches "
        f"{'1 row' if cfg.model == 'skipgram' else 'the context words’ rows'} of W_in and "
        f"{rows_out[cfg.loss]} of W_out; every other number stays put."
    )
    if cfg.model == "cbow":
        st.markdown(
            "**CBOW:** the input is several one-hot vectors (the context words); h is "
            "the **mean** of their rows of W_in. The output side is as in skip-gram."
        )


def ng_shapes() -> None:
    st.header("The same network in Andrew Ng's notation")
    m = _model()
    if m is None:
        return
    _, _, tr = m
    V, d = len(tr.words_), tr.config.dim
    st.markdown(
        "Ng's course writes the embedding matrix **E** as **d × V**: one *column* per word. "
        "This app stores it the other way round, W_in as V × d with one *row* per word, as "
        "word2vec.c and gensim do. They are the same numbers:"
    )
    st.latex(rf"E = W_{{in}}^\top \in \mathbb{{R}}^{{{d} \times {V}}}")
    st.latex(r"e_c = E\, o_c = \text{column } c \text{ of } E")
    st.latex(r"e_c = (\text{row } c \text{ of } W_{in})^\top")
    st.latex(rf"e_c,\ \theta_t \in \mathbb{{R}}^{{{d} \times 1}}")
    st.latex(r"p(t \mid c) = \frac{\exp(\theta_t^\top e_c)}"
             r"{\sum_{j=1}^{V} \exp(\theta_j^\top e_c)}")  # fmt: skip
    st.markdown(
        f"o_c is the one-hot column of word c (V × 1 = {V:,} × 1). θ_t is the output vector of "
        f"the word t being predicted: row t of W_out stood up as a column, d × 1 = {d} × 1, as "
        "long as e_c because θ_tᵀ e_c is a dot product. Below, e_c is written v_c (or h) and "
        "θ_t is written u_t."
    )


def names() -> None:
    st.header("Target, context, c and t")
    m = _model()
    if m is None:
        return
    model = m[2].config.model
    st.markdown(
        "Page 3 names the pairs **(target, context)**: the *target* is the word at the centre "
        "of the window, the *context* a word around it. Ng names the words by their role in "
        "the prediction: **c** is the word the network reads and **t** the word it predicts "
        "(θ_t). So the same pair reads:"
    )
    st.markdown(
        "| model | reads (Ng's c, h) | predicts (Ng's t, θ_t) |\n|---|---|---|\n"
        "| skip-gram | page 3's target (centre word) | page 3's context word |\n"
        "| CBOW | page 3's context words (their mean) | page 3's target (centre word) |"
    )
    st.caption(f"In use now: {'skip-gram' if model == 'skipgram' else 'CBOW'}. Page 3's "
               "*target* is skip-gram's input, not the word t being predicted.")  # fmt: skip


def lookup() -> None:
    st.header("One-hot × W_in = one row of W_in")
    m = _model()
    if m is None:
        return
    _, lesson, tr = m
    words, V = tr.words_, len(tr.words_)
    st.markdown(
        "A word enters the network as a one-hot vector **x**: V numbers, all 0 except a 1 at "
        "the word's id. xᵀ W_in adds up the rows of W_in weighted by x, so every row but one "
        "is multiplied by 0: the product *is* that word's row. That is why an embedding "
        "layer is implemented as a table look-up."
    )
    c1, c2 = st.columns([2, 1])
    options = mv.option_words(words, MAX_OPTIONS)
    word = c1.selectbox("Word to look up", options, index=_favourite(tr, lesson),
                        key="model_lookup_word", help=f"The {min(V, MAX_OPTIONS):,} most frequent "
                        "words, in id order (most frequent first).")  # fmt: skip
    n_look = V
    if V > 5:
        n_look = c2.slider("Rows to draw", 2, min(V, mv.MAX_HEATMAP_ROWS), min(V, 15),
                           key="model_lookup_rows",
                           help=f"Heatmaps show at most {mv.MAX_HEATMAP_ROWS} rows.")  # fmt: skip
    wid = tr.vocab_.index.get(word, 0)
    st.latex(rf"x^\top = [0,\dots,0,\underset{{{wid}}}{{1}},0,\dots,0] \in \mathbb{{R}}^{{{V}}}")
    st.latex(rf"x^\top W_{{in}} = \text{{row }} {wid} = v_{{\text{{{_tex(word)}}}}} "
             rf"\in \mathbb{{R}}^{{{tr.config.dim}}}")  # fmt: skip
    presenter.chart(lookup_figure(tr.W_in_, words, wid, n_look), key="model_lookup_fig")
    if V > n_look:
        st.caption(f"Only {len(set(range(n_look)) | {wid})} of the {V:,} rows are drawn; the "
                   "other entries of x are 0 as well.")  # fmt: skip


def _tex(text: str) -> str:
    """A word made safe inside \\text{...} (KaTeX): only letters, digits and a few marks."""
    return "".join(ch if ch.isalnum() or ch in " -'" else "?" for ch in text)[:30]


def _cost():
    """(trainer, cost table, in-use loss) for the output-layer sections, or None."""
    got = _view()
    if got is None:
        return None
    _, _, tr, view, _ = got
    cfg = tr.config
    target = view.step.output if view is not None else None
    return tr, mv.cost_per_example(len(tr.words_), cfg.dim, cfg.negative, tr.tree_, target)


def _in_use(tr, loss: str) -> str:
    return " ← in use" if tr.config.loss == loss else ""


def outputs_intro() -> None:
    st.header("Three ways to score the word to predict")
    st.markdown(
        "The hidden layer h (d numbers) is the same in all three; what differs is how the word "
        "to predict is scored against the others, and so how many rows of W_out one example "
        "costs and moves. The sidebar chooses the one in use."
    )


def softmax() -> None:
    got = _cost()
    if got is None:
        return
    tr, cost = got
    V = len(tr.words_)
    st.subheader("Full softmax" + _in_use(tr, "softmax"))
    st.latex(r"p(o \mid h) = \frac{\exp(u_o^\top h)}{\sum_{w=1}^{V} \exp(u_w^\top h)}")
    st.latex(r"J = -u_o^\top h + \log \sum_{w=1}^{V} \exp(u_w^\top h)")
    st.metric(
        "Dot products per example",
        f"V = {cost['softmax_dots']:,}",
        help=f"{cost['softmax_madds']:,} multiply-adds with d = {tr.config.dim}.",
    )
    st.caption(f"Every one of the {V:,} output rows is scored and every one receives a gradient.")
    if V > MAX_SOFTMAX_VOCAB:
        st.info(
            f"V = {V:,} is above {MAX_SOFTMAX_VOCAB:,}, the app's cap for full softmax: each "
            f"example would cost {cost['softmax_madds']:,} multiply-adds, "
            f"{cost['softmax_dots'] // cost['negative_dots']:,}× negative sampling. The sidebar "
            "offers it on smaller corpora."
        )


def negative() -> None:
    got = _cost()
    if got is None:
        return
    tr, cost = got
    cfg = tr.config
    st.subheader("Negative sampling" + _in_use(tr, "negative"))
    st.latex(r"\sigma(s) = \frac{1}{1+e^{-s}}")
    st.latex(r"J = -\log \sigma(u_o^\top h) - \sum_{i=1}^{k} \log \sigma(-u_{n_i}^\top h)")
    st.metric(
        "Dot products per example",
        f"k + 1 = {cost['negative_dots']:,}",
        help=f"{cost['negative_madds']:,} multiply-adds with d = {cfg.dim}.",
    )
    st.caption(
        f"The word to predict against k = {cfg.negative} noise words n_i drawn from P_n(w) ∝ "
        f"count^{cfg.noise_alpha:g}: {cost['softmax_dots'] / cost['negative_dots']:,.1f}× fewer "
        "dot products than the softmax on this corpus."
    )


def hierarchical() -> None:
    got = _cost()
    if got is None:
        return
    tr, cost = got
    V = len(tr.words_)
    st.subheader("Hierarchical softmax" + _in_use(tr, "hs"))
    st.latex(r"p(o \mid h) = \prod_{j=1}^{L_o} \sigma(s_j\, u_{n_j}^\top h)")
    st.latex(r"J = -\sum_{j=1}^{L_o} \log \sigma(s_j\, u_{n_j}^\top h)")
    st.latex(r"s_j = 1 - 2c_j \in \{+1, -1\}")
    if "hs_dots" in cost:
        st.metric("Dot products per example", f"L = {cost['hs_dots']:,}",
                  help=f"The code length of the word to predict: {cost['hs_madds']:,} "
                  f"multiply-adds with d = {tr.config.dim}.")  # fmt: skip
    st.caption(
        "The words are the leaves of a binary Huffman tree; n_1…n_L are the inner nodes from "
        "the root to the word o and c_j ∈ {0, 1} the branch taken at each. Frequent words sit "
        f"near the root: on average over the corpus an example costs {cost['hs_mean_dots']:.2f} "
        f"dot products (log₂ V = {np.log2(max(V, 1)):.1f}; the longest code has "
        f"{cost['hs_max_dots']})."
    )


def gradients() -> None:
    st.subheader("One shape for all three gradients")
    st.markdown(
        "With δ_w = p_w − y_w (prediction minus target; for hierarchical softmax w runs over "
        "the path's nodes, p = σ(u_n·h) and y = 1 − c):"
    )
    st.latex(r"\frac{\partial J}{\partial h} = \sum_w \delta_w\, u_w \in \mathbb{R}^{d}")
    st.latex(r"\frac{\partial J}{\partial u_w} = \delta_w\, h")
    st.latex(r"u_w \leftarrow u_w - \alpha\, \delta_w h")
    st.latex(r"v_c \leftarrow v_c - \alpha \frac{\partial J}{\partial h}")


# ---- one SGD step ----------------------------------------------------------------------------


def step() -> None:
    st.header("One SGD step, every number")
    m = _model()
    if m is None:
        return _error()
    settings, lesson, tr = m
    warm, cfg = _warm(tr, lesson), tr.config
    options = list(mv.WEIGHTS) if warm is not None else ["yours"]
    if st.session_state.get("model_weights") not in (None, *options):
        st.session_state.pop("model_weights")
    labels = {
        "warm": f"after {warm.n_trained:,} examples" if warm else "",
        "init": "at initialisation",
        "yours": f"your model ({tr.examples_seen_:,} examples)",
    }
    weights = st.radio("Weights", options, index=options.index(_default_weights(tr))
                       if _default_weights(tr) in options else 0, key="model_weights",
                       horizontal=True, format_func=labels.get,
                       help="Where the weights of the step below come from.")  # fmt: skip
    if weights == "warm":
        st.markdown(
            f"A copy of your model (same seed) trained on its first **{warm.n_trained:,}** "
            f"examples, so W_out is no longer zero and the step moves W_in too. The copy is made "
            "once per model; your model is not changed. Switch to *at initialisation* to see the "
            "same example at the starting weights."
        )
    elif weights == "init":
        st.markdown(
            "The starting weights: W_in random, **W_out all zeros**. Every score u·h is then 0, "
            "so ∂J/∂h = Σ δ_w u_w = 0 and the step moves **only W_out**: W_in starts moving once "
            "the output rows an example meets are non-zero."
        )
    else:
        _actions(tr)
    got = _view()
    view = got[3] if got else None
    row = st.container(horizontal=True, gap="small")
    row.metric(
        "Examples trained",
        f"{view.trained if view else tr.examples_seen_:,}",
        help="Examples the weights before this step have been trained on.",
    )
    if weights == "yours":
        row.metric("Epoch", f"{min(tr.epoch_ + 1, cfg.epochs)} of {cfg.epochs}")
    if view is not None:
        row.metric("Learning rate α", f"{view.step.alpha:.5f}", help="Decays linearly over "
                   "all epochs.")  # fmt: skip
    st.caption(
        f"One step trains on one example (pure SGD, a batch of 1, as in the article's "
        f"step). Live training, *Train one epoch* and the briefly trained copy take "
        f"minibatches of batch_size = {cfg.batch_size} examples: all are scored at the same "
        "weights and their summed update is applied at once, so a word met twice in one batch "
        "gets two updates computed from the old weights. The sidebar's *More* expander sets the "
        "batch size; 1 is pure SGD."
    )


def _actions(tr) -> None:
    """Apply / Train one epoch / Start over, on the session's own model."""
    got = _view()
    view = got[3] if got else None
    notice = PAGE.get("notice")
    if notice and notice[0] == tr.examples_seen_:
        st.success(md(notice[1]))
    if tr.done:
        st.info("All epochs are trained. Press **Start over** for fresh weights.")
    row = st.container(horizontal=True, gap="small")
    apply = row.button("Apply this step", key="model_apply", type="primary",
                       disabled=view is None or not view.applicable,
                       help="Train your model on exactly this one example (the next one of "
                       "the corpus, with its own noise draw).")  # fmt: skip
    train = row.button("Train one epoch", key="model_train", disabled=tr.done,
                       help=f"Trains the rest of the current epoch (at most {TRAIN_CAP:,} "
                       "examples per click) in minibatches.")  # fmt: skip
    reset = row.button("Start over", key="model_reset", help="New random W_in, W_out zero.")
    try:
        if apply:
            s = tr.step()
            outs = mv.out_row_names(tr.config.loss, tr.words_)
            PAGE.put("notice", (tr.examples_seen_, (
                f"Applied example {tr.examples_seen_:,}: its loss went from {s.loss:.4f} to "
                f"{s.loss_after:.4f}. Rows of W_in updated: "
                f"{', '.join(tr.words_[i] for i in s.rows_in)}. Rows of W_out updated: "
                f"{', '.join(outs[i] for i in s.rows_out[:12])}"
                + (f" … ({len(s.rows_out):,} rows)" if len(s.rows_out) > 12 else "")
                + ". Every other row is unchanged.")))  # fmt: skip
        elif train:
            adv = tr.advance(n=mv.train_budget(len(tr.examples) - tr.cursor_, TRAIN_CAP))
            PAGE.put(
                "notice",
                (
                    tr.examples_seen_,
                    f"Trained {adv.examples:,} examples, mean loss {adv.loss:.3f}.",
                ),
            )
        elif reset:
            ses.forget_trainer()
        else:
            return
    except W2VError as e:
        st.error(md(e))
        return
    st.rerun()


def example() -> None:
    st.subheader("① The example")
    m = _model()
    if m is None:
        return
    _, lesson, tr = m
    mode = st.radio("Which example", ["next", "custom"], key="model_mode", horizontal=True,
                    format_func={"next": "the next one of the corpus",
                                 "custom": "a pair I choose"}.get,
                    help="A chosen pair is a preview: it is never applied.")  # fmt: skip
    if mode == "custom":
        _custom_pickers(tr, lesson)
    if tr.config.loss == "negative":
        _noise_picker(tr)
    got = _view()
    view, why = (got[3], got[4]) if got else (None, "")
    if view is None:
        st.info(md(why))
        return
    words, s = tr.words_, view.step
    if view.example.token >= 0:
        sent, marks = mv.sentence_marks(tr.corpus_, words, view.example)
        colour = {"centre": ":orange-background[**{}**]", "context": ":blue-background[{}]"}
        text = " ".join(colour.get(r, "{}").format(md(w)) for w, r in marks)
        role = (
            ":orange-background[centre word c] predicts :blue-background[context word o]"
            if tr.config.model == "skipgram"
            else ":blue-background[context words] predict :orange-background[centre word t]"
        )
        st.markdown(f"Sentence {sent + 1:,}: {text}  \n({role})")  # fmt: skip
    lines = [f"- Input{'s' if len(s.inputs) > 1 else ''}: "
             + ", ".join(f"**{md(words[i])}** ({i})" for i in s.inputs),
             f"- Word to predict: **{md(words[s.output])}** ({s.output})"]  # fmt: skip
    if s.loss_kind == "negative":
        noise = ", ".join(f"{md(words[i])} ({i})" for i in s.negatives) or "none"
        lines.append(
            f"- Noise words (k = {len(s.negatives)}"
            + (", picked by you" if view.noise_chosen else "")
            + f"): {noise}"
        )
        if s.dropped_negatives:
            lines.append(f"- {s.dropped_negatives} noise draw(s) equalled the word to predict "
                         "and were skipped, as word2vec does.")  # fmt: skip
    if s.loss_kind == "hs":
        lines.append(
            f"- Its Huffman code: **{''.join(map(str, s.code))}**, so the path visits "
            f"L = {len(s.path)} inner nodes (rows of W_out): "
            + ", ".join(f"node {n} (bit {c})" for n, c in zip(s.path, s.code, strict=True))
        )
    st.markdown("\n".join(lines))
    if mode == "custom":
        st.caption("A preview: no model is changed.")


def _custom_pickers(tr, lesson) -> None:
    options = mv.option_words(tr.words_, MAX_OPTIONS)
    c, ctx, o = _custom_defaults(tr, lesson)
    q1, q2, q3 = st.columns([2, 2, 1])
    if tr.config.model == "skipgram":
        q1.selectbox("Centre word c (input)", options, index=options.index(c),
                     key="model_custom_c")  # fmt: skip
        label = "Context word o (to predict)"
    else:
        q1.multiselect(
            "Context words (input)",
            options,
            default=ctx,
            key="model_custom_ctx",
            max_selections=20,
            help="h is the mean of their rows of W_in.",
        )
        label = "Centre word t (to predict)"
    q2.selectbox(label, options, index=options.index(o), key="model_custom_o")
    if tr.config.loss == "negative":
        q3.number_input("Noise draw", 0, 10_000, 0, key="model_custom_draw",
                        help="Change this number to draw other noise words.")  # fmt: skip


def _noise_picker(tr) -> None:
    source = st.radio("Noise words", ["drawn", "picked"], key="model_noise_from",
                      horizontal=True, format_func={"drawn": "drawn from P_n(w)",
                                                    "picked": "I pick them"}.get)  # fmt: skip
    if source != "picked":
        return
    got = _view(noise=False)
    drawn = got[3].step.negatives if got and got[3] is not None else []
    st.multiselect("Your noise words", mv.option_words(tr.words_, MAX_OPTIONS),
                   default=list(dict.fromkeys(tr.words_[i] for i in drawn if i < MAX_OPTIONS)),
                   key="model_noise", max_selections=20,
                   help="Start from the drawn ones; the article's example picks one, "
                   "'sheep', for the pair (quick → the).")  # fmt: skip
    st.caption("word2vec draws them from P_n(w) ∝ count^α; picking them shows what each one "
               "does to the loss and to the rows of W_out. None at all leaves only the word "
               "to predict, pulled towards h.")  # fmt: skip


def _shown():
    """(trainer, StepView) of the step on show, or None."""
    got = _view()
    return None if got is None or got[3] is None else (got[2], got[3])


def forward() -> None:
    got = _shown()
    if got is None:
        return
    tr, view = got
    st.subheader("② Forward: the hidden layer h")
    if tr.config.model == "skipgram":
        st.markdown("Skip-gram: h is the input word's row of W_in, h = v_c.")
    else:
        st.markdown(f"CBOW: h is the mean of the m = {len(view.step.inputs)} context rows, "
                    "h = (1/m) Σⱼ v_cⱼ.")  # fmt: skip
    st.dataframe(mv.hidden_table(view.step, view.W_in, tr.words_).style.format("{:.4f}"),
                 key="model_h_table")  # fmt: skip


def scores() -> None:
    got = _shown()
    if got is None:
        return
    tr, view = got
    s, words, V = view.step, tr.words_, len(tr.words_)
    st.subheader("③ Scores, probabilities and the loss")
    if s.loss_kind == "hs":
        _tree(tr, s)
    table = mv.score_table(s, words)
    fmt = {c: "{:.4f}" for c in table.columns if table[c].dtype.kind == "f"}
    st.dataframe(table.style.format(fmt), hide_index=True, key="model_scores")
    if s.loss_kind == "hs":
        st.caption(
            f"p(o | h) = Π P(branch taken) = {np.exp(-s.loss):.4g}, so J = −log p(o | h) "
            f"= {s.loss:.4f}. Each node's label y = 1 − c says which way the path goes."
        )
    if s.loss_kind == "softmax" and V > len(table):
        st.caption(f"All {V:,} words are scored; the table lists the word to predict and the "
                   f"{len(table) - 1} most probable others.")  # fmt: skip
    pos = mv.shown_score_rows(s)
    _, _, after = mv.after_step(s)
    presenter.chart(probs_figure(table.iloc[:, 0], table["label y"] == 1, s.probs[pos],
                                 after[pos], s.loss_kind), key="model_probs_fig")  # fmt: skip
    row = st.container(horizontal=True, gap="small")
    row.metric("Loss J before", f"{s.loss:.4f}")
    row.metric(
        "Loss J after",
        f"{s.loss_after:.4f}",
        delta=f"{s.loss_after - s.loss:+.4f}",
        delta_color="inverse",
        help="The same example, after the update.",
    )


def _tree(tr, s) -> None:
    words, V = tr.words_, len(tr.words_)
    st.markdown(
        f"Hierarchical softmax walks from the root of the Huffman tree to "
        f"**{md(words[s.output])}**. Each inner node n on the way is a small logistic "
        "regression: it sends h to its branch 0 with probability σ(u_n·h) and to branch 1 "
        "with σ(−u_n·h) = 1 − σ(u_n·h). p(o | h) is the product of the branches taken, so "
        "the probabilities of all V words add up to 1 without scoring any other word."
    )
    tv = mv.huffman_view(tr.tree_, s.output)
    presenter.chart(huffman_figure(tv, words, s.code, s.probs), key="model_tree_fig")
    st.caption(
        (f"The whole tree: {V:,} words, {V - 1:,} inner nodes." if tv.full else
         f"V = {V:,} is too many leaves to draw: only the top {tv.top_depth} levels and the "
         f"path to '{md(words[s.output])}' are drawn (at most {mv.MAX_TREE_LEAVES} words or "
         "groups); each grey triangle stands for a subtree that is not drawn.")
        + " Green: the path, with the bit taken at each node and σ(u_n·h) = P(branch 0). "
        "Hover over a node for its row of W_out."
    )  # fmt: skip


def backward() -> None:
    got = _shown()
    if got is None:
        return
    tr, view = got
    s, cfg = view.step, tr.config
    st.subheader("④ Backward: the gradients")
    st.dataframe(mv.vector_table([0], s.grad_h, ["∂J/∂h"]).style.format("{:.5f}"),
                 key="model_grad_h")  # fmt: skip
    if not np.any(s.grad_h):
        st.info(
            "∂J/∂h is exactly zero. W_out still holds its starting zeros in every row this "
            "example scores, so every score u·h is 0 and ∂J/∂h = Σ δ_w u_w = 0: this step moves "
            "only W_out. W_in starts moving once the output rows it meets are non-zero (see the "
            "step *after* a few hundred examples, or train your model)."
        )
    if cfg.model == "cbow":
        same = cfg.cbow_update == "word2vec"
        st.markdown(
            f"**CBOW update convention.** The exact gradient of the mean gives each context row "
            f"∂J/∂h / m (m = {len(s.inputs)}). word2vec.c and gensim instead add the whole "
            "−α·∂J/∂h to every context row. This lab "
            + ("does the same" if same else "uses the exact gradient")
            + f' (`cbow_update = "{cfg.cbow_update}"`), so each context row below moves by '
            + ("−α·∂J/∂h." if same else "−α·∂J/∂h / m.")
        )


def update() -> None:
    got = _shown()
    if got is None:
        return
    tr, view = got
    s, words, V = view.step, tr.words_, len(tr.words_)
    outs = mv.out_row_names(s.loss_kind, words)
    st.subheader("⑤ The update: which rows move")
    moved = (f"**{md(', '.join(outs[i] for i in s.rows_out))}** ({len(s.rows_out)} of "
             f"{V - 1 if s.loss_kind == 'hs' else V:,})." if len(s.rows_out) < V
             else f"all **{V:,}** (the softmax scores every word).")  # fmt: skip
    st.markdown(
        f"W_in rows updated: **{md(', '.join(words[i] for i in s.rows_in))}** "
        f"({len(s.rows_in)} of {V:,}). W_out rows updated: "
        + moved
        + (
            f" Under hierarchical softmax the rows of W_out are the tree's inner nodes: rows "
            f"0…{V - 2:,} hold u_n of inner node n, row {V - 1:,} is unused."
            if s.loss_kind == "hs"
            else ""
        )  # fmt: skip
    )
    st.markdown("ΔW_in = −α·∂J/∂W_in, the input rows:")
    st.dataframe(mv.vector_table(s.rows_in, s.delta_W_in, words).style.format("{:.2e}"),
                 key="model_delta_in")  # fmt: skip
    st.markdown("ΔW_out = −α·δ_w·h, the scored rows:")
    keep = min(len(s.rows_out), 30)
    st.dataframe(mv.vector_table(s.rows_out[:keep], s.delta_W_out[:keep], outs)
                 .style.format("{:.2e}"), key="model_delta_out")  # fmt: skip
    if keep < len(s.rows_out):
        st.caption(f"The first {keep} of {len(s.rows_out):,} updated rows (by id).")
    n_upd = V
    if V > 5:
        n_upd = st.slider("Rows per heatmap", 2, min(V, mv.MAX_HEATMAP_ROWS), min(V, 20),
                          key="model_update_rows", help="The first rows by id, plus every "
                          f"changed row (outlined), at most {mv.MAX_HEATMAP_ROWS}.")  # fmt: skip
    presenter.chart(update_figure(view.W_in, s.W_in, view.W_out, s.W_out, words, s.rows_in,
                                  s.rows_out[: mv.MAX_HEATMAP_ROWS], n_upd, outs),
                    key="model_update_fig")  # fmt: skip


def gradcheck() -> None:
    got = _shown()
    if got is None:
        return
    tr, view = got
    s, words = view.step, tr.words_
    outs = mv.out_row_names(s.loss_kind, words)
    st.subheader("⑥ Check the gradient")
    st.markdown(
        f"Are the formulas right? Nudge each weight by ±ε (ε = {EPS:g}), recompute the loss "
        "with the engine's own loss function, and compare the central difference "
        "(J(w+ε) − J(w−ε)) / 2ε with the analytic gradient from backpropagation. The error is "
        "CS224n's: the largest |a − n| / max(1, |a|, |n|) over the checked entries (absolute "
        f"for small gradients, relative for large ones), which must stay below {TOLERANCE:g}. "
        "The check runs in float64 on the weights before the step."
    )
    ident = (ses.model_serial(), view.weights, view.trained, tuple(s.inputs), s.output,
             tuple(s.negatives), s.loss_kind)  # fmt: skip
    if st.container(horizontal=True).button("Check the gradient", key="model_check"):
        with st.spinner("Central differences..."):
            PAGE.put("checked", (ident, check_example(s, view.W_in, view.W_out),
                                 check(s.model, s.loss_kind)))  # fmt: skip
    held = PAGE.get("checked")
    if held is None or held[0] != ident:
        return
    _, res, rand = held
    row = st.container(horizontal=True, gap="small")
    row.metric("Error, W_in", f"{res.err_in:.2e}", help="max |a − n| / max(1, |a|, |n|)")
    row.metric("Error, W_out", f"{res.err_out:.2e}", help="max |a − n| / max(1, |a|, |n|)")
    row.metric(
        "Random model",
        f"{rand.max_rel_error:.2e}",
        help="gradcheck.check: every entry of a small random model (V = 8, d = 5).",
    )
    ok = res.passed and rand.max_rel_error < TOLERANCE
    (st.success if ok else st.warning)(
        f"{'The gradients agree' if ok else 'The gradients disagree'}: {res.n_entries:,} "
        f"entries of this example were perturbed (W_in rows "
        f"{md(', '.join(mv.row_labels(res.rows_in, words)))}; W_out rows "
        f"{md(', '.join(mv.row_labels(res.rows_out, outs)))}"
        + ("" if res.out_rows_all else f", the {MAX_CHECK_OUT_ROWS} largest of all V")
        + ")."
    )
    first = words[int(res.rows_in[0])]
    labels = [f"analytic ∂J/∂v_{first}", f"numeric ∂J/∂v_{first}",
              f"analytic ∂J/∂u_{outs[res.sample_out_row]}",
              f"numeric ∂J/∂u_{outs[res.sample_out_row]}"]  # fmt: skip
    st.dataframe(
        mv.vector_table(
            [0, 1, 2, 3], np.vstack([res.sample_in, res.sample_out]), labels
        ).style.format("{:.3e}"),
        key="model_check_table",
    )
    if res.untouched_in >= 0:
        st.caption(
            f"Row {res.untouched_in} ('{md(words[res.untouched_in])}') is not in the example: its "
            f"numeric gradient is {res.untouched_in_max:.1e}, so backpropagation rightly leaves "
            "it alone."
            + (
                " For CBOW the check uses the exact gradient (∂J/∂h / m per context row)."
                if s.model == "cbow"
                else ""
            )  # fmt: skip
        )


def output_layer() -> None:
    st.header("After training, the output matrix is dropped")
    m = _model()
    if m is None:
        return
    _, lesson, tr = m
    st.markdown(
        "Training needs both matrices, but only one is kept: word2vec.c writes W_in (its "
        "`syn0`) to the vectors file and throws W_out away, and gensim's `model.wv` is W_in "
        "too. Some keep both and add them, as GloVe does with its two matrices; Levy, Goldberg "
        "& Dagan (2015) tried W_in + W_out for skip-gram. Compare the neighbours of a word in "
        "your model:"
    )
    if tr.config.loss == "hs":
        st.info("Under hierarchical softmax the rows of W_out belong to the tree's inner nodes, "
                "not to words: only W_in holds word vectors.")  # fmt: skip
        return
    if not np.any(tr.W_out_):
        st.info(
            "Your model has not trained yet: W_out is all zeros, so it has no neighbours. "
            "Train it (Live training, or *your model* → Train one epoch above)."
        )
        return
    c1, c2 = st.columns([1, 2])
    options = mv.option_words(tr.words_, MAX_OPTIONS)
    word = c1.selectbox("Word", options, index=_favourite(tr, lesson), key="model_nn_word")
    which = c2.radio("Vectors", list(mv.SPACES), format_func=mv.SPACES.get, horizontal=True,
                     key="model_space")  # fmt: skip
    hits = mv.nearest_in(tr.W_in_, tr.W_out_, tr.words_, word, which)
    base = {w for w, _ in mv.nearest_in(tr.W_in_, tr.W_out_, tr.words_, word, "W_in")}
    st.dataframe(mv.neighbours_frame(hits), hide_index=True, key="model_nn_table")
    st.metric(
        "Shared with W_in's list",
        f"{sum(w in base for w, _ in hits)} of {len(hits)}",
        help="How many of these neighbours W_in alone also lists.",
    )
    st.caption(
        f"Your model, trained on {tr.examples_seen_:,} examples. W_in is what word2vec keeps; "
        "W_out's rows are the same words as *things to predict* (u_w), trained to score high "
        "against the h of the words they appear next to."
    )


def exercises() -> None:
    got = _view()
    if got is None:
        return
    settings, _, tr, view, _ = got
    exercise_view.show(mv.exercises(settings.seed, tr.words_, tr.config.dim, view))


def render() -> None:
    tour.draw("model.py", [
        Section("intro", intro), Section("network", network), Section("ng_shapes", ng_shapes),
        Section("names", names), Section("lookup", lookup),
        Section("outputs", outputs_intro), Section("softmax", softmax),
        Section("negative", negative), Section("hierarchical", hierarchical),
        Section("gradients", gradients), Section("step", step), Section("example", example),
        Section("forward", forward), Section("scores", scores), Section("backward", backward),
        Section("update", update), Section("gradcheck", gradcheck),
        Section("output_layer", output_layer), Section("exercises", exercises),
    ])  # fmt: skip


render()
