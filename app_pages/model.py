"""Page 5: the network behind word2vec, where E comes from, and one SGD step in full."""

import numpy as np
import streamlit as st

from lab.escape import md
from lab.figures.huffman import huffman_figure
from lab.figures.model import lookup_figure, network_figure, probs_figure, update_figure
from lab.lesson import MAX_SOFTMAX_VOCAB
from lab.model_view import (
    MAX_CHECK_OUT_ROWS,
    MAX_HEATMAP_ROWS,
    MAX_TREE_LEAVES,
    after_step,
    check_example,
    cost_per_example,
    hidden_table,
    huffman_view,
    option_words,
    out_row_names,
    row_labels,
    score_table,
    sentence_around,
    shown_score_rows,
    superscript,
    train_budget,
    vector_table,
)
from lab.session import current, forget_trainer, trainer
from w2v_core.errors import W2VError
from w2v_core.gradcheck import check
from w2v_core.step import sgd_step

TRAIN_CAP = 500_000  # the "train first" button trains at most this many examples per click
MAX_OPTIONS = 2_000  # word pickers offer the most frequent words only
APPLIED = "model_applied"  # session state: summary of the last applied step (not a widget key)
CHECKED = "model_checked"  # session state: (step identity, results) of the last gradient check

st.title("5. The model and one SGD step")
st.markdown(
    "Word2vec is a tiny neural network with one hidden layer and **no non-linearity** "
    "before the output. Its first weight matrix **W_in** is the embedding matrix **E**: "
    "nobody fills it by hand, it starts random and backpropagation nudges it, one "
    "example at a time. This page shows the network with the current corpus and "
    "settings, then takes one step of stochastic gradient descent (SGD) and prints every "
    "number it computes."
)


def render() -> None:
    settings, lesson = current()
    try:
        tr = trainer(settings, lesson)
    except W2VError as e:
        st.error(md(e))
        return
    cfg = tr.config
    words = tr.words_
    V, d, k = len(words), cfg.dim, cfg.negative
    model, loss = cfg.model, cfg.loss
    tree = tr.tree_  # the Huffman tree of hierarchical softmax (its costs are shown always)
    out_names = out_row_names(loss, words)  # what W_out's rows stand for: words or inner nodes
    shown_options = option_words(words, MAX_OPTIONS)
    favourite = next((i for i, w in enumerate(shown_options) if w in lesson.categories), 0)
    top = st.container()  # filled at the end, once the example of this run is known

    # ---- 2. one-hot times W_in ----------------------------------------------------------
    st.header("One-hot × W_in = one row of E")
    st.markdown(
        "A word enters the network as a one-hot vector **x**: V numbers, all 0 except a 1 "
        "at the word's id. Multiplying xᵀ by W_in adds up the rows of W_in weighted by x, "
        "so every row but one is multiplied by 0: the product *is* that word's row. "
        "That is why an embedding layer is implemented as a table look-up."
    )
    c1, c2 = st.columns([2, 1])
    word = c1.selectbox(
        "Word to look up", shown_options, index=favourite, key="model_lookup_word",
        help=f"The {min(V, MAX_OPTIONS):,} most frequent words, id order (most frequent first).",
    )  # fmt: skip
    n_look = V
    if V > 5:
        n_look = c2.slider(
            "Rows of W_in to draw", 2, min(V, MAX_HEATMAP_ROWS), min(V, 15),
            key="model_lookup_rows", help=f"Heatmaps show at most {MAX_HEATMAP_ROWS} rows.",
        )  # fmt: skip
    wid = tr.vocab_.index.get(word, 0)
    st.latex(
        rf"x_{{\text{{{word}}}}}^\top = \underbrace{{[0,\dots,0,1,0,\dots,0]}}_{{V = {V}"
        rf"\text{{ numbers, the 1 at position }}{wid}}}, \qquad "
        rf"x_{{\text{{{word}}}}}^\top W_{{in}} = v_{{\text{{{word}}}}} = "
        rf"\text{{row }}{wid}\text{{ of }}E \in \mathbb{{R}}^{{{d}}}"
    )
    st.plotly_chart(
        lookup_figure(tr.W_in_, words, wid, n_look), key="model_lookup_fig", width="stretch"
    )
    if V > n_look:
        st.caption(
            f"Only {len(set(range(n_look)) | {wid})} of the {V:,} rows are drawn; the other "
            "rows of x are 0 as well."
        )

    # ---- 3. the three output layers (filled once the example is known) ---------------------
    objectives = st.container()

    # ---- 4. one SGD step -------------------------------------------------------------------------
    st.header("One SGD step, every number")
    mode = st.radio(
        "Which example", ["next", "custom"], key="model_mode", horizontal=True,
        format_func={"next": "the next example of the corpus", "custom": "a pair I choose"}.get,
        help="The next example can be applied to the model; a chosen pair is a preview only.",
    )  # fmt: skip
    b1, b2, b3 = st.columns(3)
    apply_clicked = b1.button(
        "Apply this step", key="model_apply", type="primary", disabled=mode != "next",
        help="Train on exactly this one example (the preview below becomes the model).",
    )  # fmt: skip
    train_clicked = b2.button(
        "Train one epoch first", key="model_train",
        help=f"Trains the rest of the current epoch (at most {TRAIN_CAP:,} examples per click) "
        "so that W_out is no longer zero and the numbers get interesting.",
    )  # fmt: skip
    reset_clicked = b3.button(
        "Start over", key="model_reset", help="New random W_in, W_out back to zero."
    )
    try:
        if reset_clicked:
            forget_trainer()
            st.session_state.pop(APPLIED, None)
            tr = trainer(settings, lesson)
        if train_clicked and not tr.done:
            n = train_budget(len(tr.examples) - tr.cursor_, TRAIN_CAP)
            adv = tr.advance(n=n)
            st.toast(f"Trained {adv.examples:,} examples, mean loss {adv.loss:.3f}.")
        if apply_clicked and mode == "next":
            s = tr.step()
            st.session_state[APPLIED] = dict(
                seen=tr.examples_seen_,
                rows_in=[words[i] for i in s.rows_in],
                rows_out=[out_names[i] for i in s.rows_out],
                loss=s.loss,
                loss_after=s.loss_after,
            )
    except W2VError as e:
        st.error(md(e))

    applied = st.session_state.get(APPLIED)
    if applied and applied["seen"] == tr.examples_seen_:
        more = "" if len(applied["rows_out"]) <= 12 else f" … ({len(applied['rows_out']):,} rows)"
        st.success(
            f"Applied example {applied['seen']:,}: its loss went from {applied['loss']:.4f} to "
            f"{applied['loss_after']:.4f}. Rows of W_in updated: "
            f"{md(', '.join(applied['rows_in']))}. Rows of W_out updated: "
            f"{md(', '.join(applied['rows_out'][:12]))}{more}. Every other row is unchanged."
        )
    step, why = None, ""
    try:
        pending = None if tr.done else tr.explain_next()
    except W2VError as e:
        pending, why = None, str(e)
    alpha = pending.alpha if pending is not None else cfg.min_alpha
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Epoch", f"{min(tr.epoch_ + 1, cfg.epochs)} of {cfg.epochs}")
    m2.metric("Examples trained", f"{tr.examples_seen_:,}")
    if not tr.done:
        m3.metric("Next example in this epoch", f"{tr.cursor_ + 1:,} of {len(tr.examples):,}")
    m4.metric("Learning rate α", f"{alpha:.5f}", help="Decays linearly over all epochs.")

    if mode == "next":
        if tr.done:
            st.info("All epochs are trained. Press **Start over** for fresh weights.")
        elif pending is None:
            st.error(md(why))
        else:
            step = pending
            ex = tr.examples
            tok = int(ex.token[tr.cursor_])
            ids, first, sent = sentence_around(tr.corpus_, tok)
            ctx_tok = (
                ex.context_token[tr.cursor_]
                if model == "skipgram"
                else ex.context_tokens[tr.cursor_]
            )
            ctx_set = set(np.atleast_1d(ctx_tok).tolist())
            marked = []
            for j, wj in enumerate(ids):
                w = md(words[int(wj)])
                if first + j == tok:
                    marked.append(f":orange-background[**{w}**]")
                elif first + j in ctx_set:
                    marked.append(f":blue-background[{w}]")
                else:
                    marked.append(w)
            role = (
                ":orange-background[centre word c] predicts :blue-background[context word o]"
                if model == "skipgram"
                else ":blue-background[context words] predict :orange-background[target word]"
            )
            st.markdown(f"Sentence {sent + 1:,}: " + " ".join(marked) + f"  \n({role})")
    else:
        q1, q2, q3 = st.columns([2, 2, 1])
        first_ex = (
            np.flatnonzero(np.asarray(tr.examples.target) == favourite) if not tr.done else []
        )
        if model == "skipgram":
            cw = q1.selectbox(
                "Centre word c (input)", shown_options, index=favourite, key="model_custom_c"
            )
            inputs = [tr.vocab_.index[cw]]
            o_default = int(tr.examples.context[first_ex[0]]) if len(first_ex) else min(1, V - 1)
            o_label = "Context word o (to predict)"
        else:
            ctx_default = (
                [words[i] for i in tr.examples.contexts[first_ex[0]] if 0 <= i < MAX_OPTIONS]
                if len(first_ex)
                else shown_options[:2]
            )
            chosen = q1.multiselect(
                "Context words (input)", shown_options, default=list(dict.fromkeys(ctx_default)),
                key="model_custom_ctx", max_selections=20,
                help="h is the mean of their rows of W_in; a word may appear once here.",
            )  # fmt: skip
            inputs = [tr.vocab_.index[w] for w in chosen]
            o_default = favourite
            o_label = "Target word (to predict)"
        ow = q2.selectbox(
            o_label, shown_options, index=min(o_default, len(shown_options) - 1),
            key="model_custom_o",
        )  # fmt: skip
        output = tr.vocab_.index[ow]
        negs = np.empty(0, np.int64)
        if loss == "negative":
            draw = q3.number_input(
                "Noise draw", 0, 10_000, 0, key="model_custom_draw",
                help="Change this number to draw other noise words.",
            )  # fmt: skip
            negs = tr.sampler_.draw(np.random.default_rng([cfg.seed, int(draw), output]), k)
        if not inputs:
            st.info("Choose at least one context word.")
        else:
            step = sgd_step(
                model, loss, inputs, output, negs, tr.W_in_, tr.W_out_, alpha, cfg.cbow_update,
                tree if loss == "hs" else None,
            )  # fmt: skip
            st.caption(
                "A preview: the model is not changed. Switch to the next example to apply steps."
            )

    with objectives:
        st.header("Three ways to score the word to predict")
        shown = step if step is not None else pending
        target = shown.output if shown is not None else None
        cost = cost_per_example(V, d, k, tree, target)
        s1, s2, s3 = st.columns(3)
        with s1:
            st.subheader("Full softmax" + (" ← in use" if loss == "softmax" else ""))
            st.latex(r"p(o \mid h) = \frac{\exp(u_o^\top h)}{\sum_{w=1}^{V} \exp(u_w^\top h)}")
            st.latex(r"J = -u_o^\top h + \log \sum_{w=1}^{V} \exp(u_w^\top h)")
            st.metric(
                "Dot products per example", f"V = {cost['softmax_dots']:,}",
                help=f"{cost['softmax_madds']:,} multiply-adds with d = {d}.",
            )  # fmt: skip
            st.caption(
                f"Every one of the {V:,} output rows is scored and every one receives a gradient."
            )
            if V > MAX_SOFTMAX_VOCAB:
                st.info(
                    f"V = {V:,} is above {MAX_SOFTMAX_VOCAB:,}, the app's cap for full softmax: "
                    f"each example would cost {cost['softmax_madds']:,} multiply-adds, "
                    f"{cost['softmax_dots'] // cost['negative_dots']:,}× negative sampling. "
                    "The sidebar offers it on smaller corpora."
                )
        with s2:
            st.subheader("Negative sampling" + (" ← in use" if loss == "negative" else ""))
            st.latex(r"\sigma(s) = \frac{1}{1+e^{-s}}")
            st.latex(
                r"J = -\log \sigma(u_o^\top h) "
                r"- \textstyle\sum_{i=1}^{k} \log \sigma(-u_{n_i}^\top h)"
            )
            st.metric(
                "Dot products per example", f"k + 1 = {cost['negative_dots']:,}",
                help=f"{cost['negative_madds']:,} multiply-adds with d = {d}.",
            )  # fmt: skip
            st.caption(
                f"The word to predict against k = {k} noise words n_i drawn from P_n(w) ∝ "
                f"count^{cfg.noise_alpha:g}: "
                f"{cost['softmax_dots'] / cost['negative_dots']:,.1f}× fewer dot products "
                "than the softmax on this corpus."
            )
        with s3:
            st.subheader("Hierarchical softmax" + (" ← in use" if loss == "hs" else ""))
            st.latex(r"p(o \mid h) = \prod_{j=1}^{L_o} \sigma(s_j\, u_{n_j}^\top h)")
            st.latex(r"J = -\sum_{j=1}^{L_o} \log \sigma(s_j\, u_{n_j}^\top h)")
            st.latex(r"s_j = 1 - 2c_j \in \{+1, -1\}")
            if "hs_dots" in cost:
                st.metric(
                    "Dot products per example", f"L = {cost['hs_dots']:,}",
                    help=f"The code length of '{md(words[target])}': {cost['hs_madds']:,} "
                    f"multiply-adds with d = {d}.",
                )  # fmt: skip
            st.caption(
                f"The words are the leaves of a binary Huffman tree; n_1…n_L are the inner "
                f"nodes from the root to the word o and c_j ∈ {{0, 1}} the branch taken at "
                f"each. Frequent words sit near the root: on average over the corpus an "
                f"example costs {cost['hs_mean_dots']:.2f} dot products (log₂ V = "
                f"{np.log2(V):.1f}; the longest code has {cost['hs_max_dots']})."
            )
        st.markdown(
            "In Andrew Ng's notation the same score is θ_tᵀ e_c: **e_c** is h (a row of E) and "
            "**θ_t** is u_t, the row of W_out of the word t being predicted. All three "
            "gradients have the same shape: with δ_w = p_w − y_w (prediction minus target; for "
            "hierarchical softmax w runs over the path's nodes, p = σ(u_n·h) and y = 1 − c),"
        )
        st.latex(
            r"\frac{\partial J}{\partial h} = \sum_w \delta_w\, u_w \in \mathbb{R}^{d}, \qquad "
            r"\frac{\partial J}{\partial u_w} = \delta_w\, h, \qquad "
            r"u_w \leftarrow u_w - \alpha\, \delta_w h, \qquad "
            r"v_c \leftarrow v_c - \alpha \frac{\partial J}{\partial h}"
        )

    with top:
        st.header("The network and the shapes of its matrices")
        t1, t2, t3, t4, t5 = st.columns(5)
        t1.metric("Vocabulary V", f"{V:,}")
        t2.metric("Dimensions d", d)
        t3.metric("E = W_in", f"{V:,} × {d}", help="Row i is v_i (e_i), the vector of word i.")
        t4.metric("W_out", f"{V:,} × {d}", help="Row t is u_t = θ_t, the output vector of t.")
        t5.metric(
            "θ_t ∈", f"ℝ{superscript(d)}", help="One row of W_out: d numbers, as long as e_c."
        )
        show = step if step is not None else pending
        rows_in_txt = "1 row" if model == "skipgram" else "the context words' rows"
        rows_out_txt = {
            "negative": f"the k + 1 = {k + 1} scored rows",
            "softmax": f"all {V:,} rows",
            "hs": "the rows of the inner nodes on the path of the word to predict "
            f"(here {len(show.path) if show is not None else '~log₂ V'})",
        }[loss]
        if show is not None:
            fig = network_figure(
                V, d, words, model, loss, show.inputs, show.output, show.negatives,
                path=show.path, code=show.code,
            )  # fmt: skip
            st.plotly_chart(fig, key="model_network_fig", width="stretch")
            h_def = (
                "h = v_c, one row of W_in"
                if model == "skipgram"
                else "h = the mean of the context rows"
            )
            out_def = {
                "negative": f"σ(u_w·h) for the word to predict and k = {k} noise words",
                "softmax": f"a softmax over all V = {V:,} scores",
                "hs": f"σ(u_n·h) at the {len(show.path)} inner nodes n on the Huffman path "
                f"of '{md(words[show.output])}' (hierarchical softmax: W_out's rows are the "
                f"V − 1 = {V - 1:,} inner nodes of the tree)",
            }[loss]
            st.caption(
                f"Orange: {'the input word' if model == 'skipgram' else 'the context words'} "
                f"(their 1s in x) and the rows of W_in they select ({h_def}). "
                f"Green: {'its path in the tree' if loss == 'hs' else 'the word to predict'}. "
                f"Output: {out_def}. There is no activation "
                "function on h: the scores are plain dot products u_w·h."
            )
        st.markdown(
            f"- **What is E, and what shape?** E is the input weight matrix W_in: "
            f"V × d = {V:,} × {d} here, one row of {d} numbers per word "
            f"({V * d:,} numbers in all).\n"
            f"- **What shape is θ_t?** θ_t ∈ ℝ{superscript(d)}, i.e. {d} numbers: the row "
            f"of W_out that belongs to the word t being predicted. It must be as long as e_c "
            f"because the score θ_tᵀ e_c is a dot product. W_out has {V:,} such rows"
            + (
                f" (under hierarchical softmax rows 0…{V - 2:,} belong to the inner nodes of "
                f"the tree instead, and row {V - 1:,} is unused).\n"
                if loss == "hs"
                else ".\n"
            )
            + f"- **Where does E come from?** At the start every entry of W_in is random in "
            f"[−1/d, 1/d) = [{-1 / d:.3f}, {1 / d:.3f}) and W_out is all zeros. Backpropagation "
            f"then changes W_in by −α·∂J/∂h, but only in the rows of the example's input words; "
            f"after training, the rows of W_in are the word vectors.\n"
            f"- **What does one update change?** One example touches {rows_in_txt} of W_in "
            f"and {rows_out_txt} of W_out; every other number stays put (see the step below)."
        )
        if model == "cbow":
            st.markdown(
                "**CBOW:** the input is several one-hot vectors (the context words); h is the "
                "**mean** of their rows of W_in. The output side is the same as in skip-gram."
            )

    if step is None:
        return

    # ---- the step itself ------------------------------------------------------------------------
    st.subheader("① The example")
    neg_words = ", ".join(f"{md(words[i])} ({i})" for i in step.negatives)
    in_words = ", ".join(f"**{md(words[i])}** ({i})" for i in step.inputs)
    lines = [
        f"- Input{'s' if len(step.inputs) > 1 else ''}: {in_words}",
        f"- Word to predict: **{md(words[step.output])}** ({step.output})",
    ]
    if loss == "negative":
        lines.append(f"- Noise words (k = {k}): {neg_words or 'none left'}")
        if step.dropped_negatives:
            lines.append(
                f"- {step.dropped_negatives} noise draw(s) equalled the word to predict and "
                "were skipped, as word2vec does."
            )
    if loss == "hs":
        lines.append(
            f"- Its Huffman code: **{''.join(map(str, step.code))}**, so the path visits "
            f"L = {len(step.path)} inner nodes (rows of W_out): "
            + ", ".join(f"node {n} (bit {c})" for n, c in zip(step.path, step.code, strict=True))
        )
    st.markdown("\n".join(lines))

    st.subheader("② Forward: the hidden layer h")
    if model == "skipgram":
        st.markdown("Skip-gram: h is the input word's row of W_in, h = v_c.")
    else:
        st.markdown(
            f"CBOW: h is the mean of the m = {len(step.inputs)} context rows, h = (1/m) Σⱼ v_cⱼ."
        )
    st.dataframe(hidden_table(step, tr.W_in_, words).style.format("{:.4f}"), key="model_h_table")

    st.subheader("③ Scores, probabilities and the loss")
    if loss == "hs":
        st.markdown(
            f"Hierarchical softmax walks from the root of the Huffman tree to "
            f"**{md(words[step.output])}**. Each inner node n on the way is a small logistic "
            "regression: it sends h to its branch 0 with probability σ(u_n·h) and to branch 1 "
            "with σ(−u_n·h) = 1 − σ(u_n·h). p(o | h) is the product of the branches taken, so "
            "the probabilities of all V words add up to 1 without scoring any other word."
        )
        view = huffman_view(tree, step.output)
        st.plotly_chart(
            huffman_figure(view, words, step.code, step.probs),
            key="model_tree_fig",
            width="stretch",
        )
        st.caption(
            (
                f"The whole tree: {V:,} words, {V - 1:,} inner nodes."
                if view.full
                else f"V = {V:,} is too many leaves to draw: only the top {view.top_depth} "
                f"levels and the path to '{md(words[step.output])}' are drawn (at most "
                f"{MAX_TREE_LEAVES} words or groups); each grey triangle stands for a "
                "subtree that is not drawn."
            )
            + " Green: the path, with the bit taken at each node and σ(u_n·h) = P(branch 0). "
            "Hover over a node for its row of W_out."
        )
    table = score_table(step, words)
    fmt = {c: "{:.4f}" for c in table.columns if table[c].dtype.kind == "f"}
    st.dataframe(table.style.format(fmt), hide_index=True, key="model_scores")
    if loss == "hs":
        st.caption(
            f"p(o | h) = Π P(branch taken) = {np.exp(-step.loss):.4g}, so J = −log p(o | h) = "
            f"{step.loss:.4f}. Each node's label y = 1 − c says which way the path goes."
        )
    if loss == "softmax" and V > len(table):
        st.caption(
            f"All {V:,} words are scored; the table lists the word to predict and the "
            f"{len(table) - 1} most probable others."
        )
    pos = shown_score_rows(step)
    _, _, probs_after = after_step(step)
    st.plotly_chart(
        probs_figure(
            table.iloc[:, 0], table["label y"] == 1, step.probs[pos], probs_after[pos], loss
        ),
        key="model_probs_fig",
        width="stretch",
    )
    l1, l2, l3 = st.columns(3)
    l1.metric("Loss J before", f"{step.loss:.4f}")
    l2.metric(
        "Loss J after (same example)", f"{step.loss_after:.4f}",
        delta=f"{step.loss_after - step.loss:+.4f}", delta_color="inverse",
    )  # fmt: skip
    l3.metric("Learning rate α", f"{step.alpha:.5f}")

    st.subheader("④ Backward: the gradients")
    st.dataframe(
        vector_table([0], step.grad_h, ["∂J/∂h"]).style.format("{:.5f}"), key="model_grad_h"
    )
    if not np.any(step.grad_h):
        st.info(
            "∂J/∂h is exactly zero. W_out still holds its starting zeros in every row this "
            "example scores, so every score u·h is 0 and ∂J/∂h = Σ δ_w u_w = 0: this step "
            "moves only W_out. W_in starts moving once the output rows it meets are non-zero "
            "(apply a few steps, or press **Train one epoch first**)."
        )
    if model == "cbow":
        same = cfg.cbow_update == "word2vec"
        st.markdown(
            f"**CBOW update convention.** The exact gradient of the mean gives each context "
            f"row ∂J/∂h / m (m = {len(step.inputs)}). word2vec.c and gensim instead add the "
            f"whole −α·∂J/∂h to every context row. This lab "
            + ("does the same" if same else "uses the exact gradient")
            + f' (`cbow_update = "{cfg.cbow_update}"`), so each context row below moves by '
            + ("−α·∂J/∂h." if same else "−α·∂J/∂h / m.")
        )

    st.subheader("⑤ The update: which rows move")
    st.markdown(
        f"W_in rows updated: **{md(', '.join(words[i] for i in step.rows_in))}** "
        f"({len(step.rows_in)} of {V:,}). W_out rows updated: "
        + (
            f"**{md(', '.join(out_names[i] for i in step.rows_out))}** "
            f"({len(step.rows_out)} of {V - 1 if loss == 'hs' else V:,})."
            if len(step.rows_out) < V
            else f"all **{V:,}** (the softmax scores every word)."
        )
        + (
            " Under hierarchical softmax the rows of W_out are the tree's inner nodes: "
            f"rows 0…{V - 2:,} hold u_n of inner node n, row {V - 1:,} is unused."
            if loss == "hs"
            else ""
        )
    )
    st.markdown("ΔW_in = −α·∂J/∂W_in, the input rows:")
    st.dataframe(
        vector_table(step.rows_in, step.delta_W_in, words).style.format("{:.2e}"),
        key="model_delta_in",
    )
    st.markdown("ΔW_out = −α·δ_w·h, the scored rows:")
    keep = min(len(step.rows_out), 30)
    st.dataframe(
        vector_table(step.rows_out[:keep], step.delta_W_out[:keep], out_names).style.format(
            "{:.2e}"
        ),
        key="model_delta_out",
    )
    if keep < len(step.rows_out):
        st.caption(f"The first {keep} of {len(step.rows_out):,} updated rows (by id).")
    n_upd = V
    if V > 5:
        n_upd = st.slider(
            "Rows per heatmap", 2, min(V, MAX_HEATMAP_ROWS), min(V, 20), key="model_update_rows",
            help="The first rows by id, plus every changed row (outlined), at most "
            f"{MAX_HEATMAP_ROWS}.",
        )  # fmt: skip
    st.plotly_chart(
        update_figure(
            tr.W_in_, step.W_in, tr.W_out_, step.W_out, words,
            step.rows_in, step.rows_out[:MAX_HEATMAP_ROWS], n_upd, out_names,
        ),
        key="model_update_fig", width="stretch",
    )  # fmt: skip

    st.subheader("⑥ Check the gradient")
    st.markdown(
        "Are the formulas right? Nudge each weight by ±ε (ε = 10⁻⁵), recompute the loss, "
        "and compare (J(w+ε) − J(w−ε)) / 2ε with the analytic gradient from backpropagation. "
        "The error ‖analytic − numeric‖ / max(1, ‖analytic‖ + ‖numeric‖) (CS224n's "
        "convention: relative for large gradients, absolute for tiny ones) should be below "
        "10⁻⁶. The check runs in float64 on the weights before the step."
    )
    ident = (id(tr), tr.examples_seen_, mode, tuple(step.inputs), step.output,
             tuple(step.negatives), model, loss)  # fmt: skip
    if st.button("Check the gradient", key="model_check"):
        with st.spinner("Central differences..."):
            st.session_state[CHECKED] = (ident, check_example(step, tr.W_in_, tr.W_out_),
                                         check(model, loss))  # fmt: skip
    held = st.session_state.get(CHECKED)
    if held is not None and held[0] == ident:
        _, res, rand = held
        g1, g2, g3 = st.columns(3)
        g1.metric("Relative error, W_in", f"{res.err_in:.2e}")
        g2.metric("Relative error, W_out", f"{res.err_out:.2e}")
        g3.metric("Random weights (V=8, d=5)", f"{rand.max_rel_error:.2e}",
                  help="gradcheck.check: every entry of a small random model.")  # fmt: skip
        ok = max(res.err_in, res.err_out, rand.max_rel_error) < 1e-6
        (st.success if ok else st.warning)(
            f"{'The gradients agree' if ok else 'The gradients disagree'}: "
            f"{res.n_entries:,} entries of this example were perturbed (W_in rows "
            f"{md(', '.join(row_labels(res.rows_in, words)))}; W_out rows "
            f"{md(', '.join(row_labels(res.rows_out, out_names)))}"
            + ("" if res.out_rows_all else f", the {MAX_CHECK_OUT_ROWS} largest of all V")
            + ")."
        )
        first_in = words[int(res.rows_in[0])]
        st.dataframe(
            vector_table(
                [0, 1, 2, 3],
                np.vstack([res.sample_in, res.sample_out]),
                [
                    f"analytic ∂J/∂v_{first_in}",
                    f"numeric ∂J/∂v_{first_in}",
                    f"analytic ∂J/∂u_{out_names[res.sample_out_row]}",
                    f"numeric ∂J/∂u_{out_names[res.sample_out_row]}",
                ],
            ).style.format("{:.3e}"),
            key="model_check_table",
        )
        if res.untouched_in >= 0:
            st.caption(
                f"Row {res.untouched_in} ('{md(words[res.untouched_in])}') is not in the example: "
                f"its numeric gradient is {res.untouched_in_max:.1e}, so backpropagation "
                "rightly leaves it alone."
                + (
                    " For CBOW the check uses the exact gradient (∂J/∂h / m per context row)."
                    if model == "cbow"
                    else ""
                )
            )


render()
