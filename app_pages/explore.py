"""Explore and share: ask the vectors questions, project them, download or upload them."""

import pandas as pd
import streamlit as st

from lab import explore_view as ev
from lab import jobs
from lab import session as ses
from lab.escape import md
from lab.figures.explore import analogy_figure, projection_figure, similarity_figure
from lab.live import MATRICES
from w2v_core.analysis import MUL_EPS
from w2v_core.errors import W2VError

K = "xp_"  # prefix of this page's own session-state keys (widgets use "explore_")
IMPORTED = ses.IMPORTED  # the imported ev.Vectors (never a widget key)
SOURCE = "explore_source"  # the radio that picks the vectors
MAX_HEAT_WORDS = 40  # words in the similarity heatmap at most
SOURCES = {"live": "Your model", "imported": "Imported vectors"}
METHODS = {"pca": "PCA", "tsne": "t-SNE"}
TSNE_ITERATIONS = [250, 500, 1000, 2000]


def md_name(name: str) -> str:
    """A file name for Markdown: escaped, and clipped to 80 characters."""
    return md(name, 80)


def state(name, default=None):
    return st.session_state.get(K + name, default)


def put(name, value) -> None:
    st.session_state[K + name] = value


# ---- imports (callbacks run before the page, so they may switch the source radio) -----


def _keep_import(vec: ev.Vectors) -> None:
    st.session_state[IMPORTED] = vec
    st.session_state[SOURCE] = "imported"
    put("import_error", None)


def _import_failed(name: str, e: W2VError) -> None:
    msg = str(e).rstrip()
    msg += "" if msg.endswith((".", "?", "!")) else "."
    had = IMPORTED in st.session_state
    kept = "The vectors you imported before are kept." if had else "Nothing was changed."
    put("import_error", md(f"Could not import {name[:80]}: {msg} {kept}", 1_000))


def _held() -> int:
    """Bytes of this session's live model: an import must fit next to it."""
    tr = ses.held_trainer()
    return tr.nbytes if tr is not None else 0


def _on_upload() -> None:
    up = st.session_state.get("explore_upload")
    if up is None:  # the file was removed from the box: keep what was imported
        put("import_error", None)
        return
    try:
        _keep_import(ev.import_vectors(up.getvalue(), up.name, held=_held()))
    except W2VError as e:
        _import_failed(up.name, e)


def _on_projector_upload() -> None:
    vf = st.session_state.get("explore_upload_tsv")
    mf = st.session_state.get("explore_upload_meta")
    if vf is None or mf is None:
        return
    try:
        _keep_import(
            ev.import_projector(vf.getvalue(), vf.name, mf.getvalue(), mf.name, held=_held())
        )
    except W2VError as e:
        _import_failed(f"{vf.name} + {mf.name}", e)


# ---- the live model ------------------------------------------------------------------


TRAIN_JOB = K + "train_job"  # the running lab.jobs.Job that trains the live model


def train_offer(tr) -> None:
    """Say how far the model is trained and offer to train it to the end (a bounded job:
    progress, Stop, and a time limit; it stops when the tab closes)."""
    job = jobs.running(TRAIN_JOB)
    if job is not None and job.owner is not tr:  # the model was replaced meanwhile
        job.stop()
    epochs = tr.config.epochs
    if ev.needs_training(tr):
        st.info(
            "Your model has not been trained yet: its vectors are still the random starting "
            "values, so there is nothing to explore. Train it here, watch it learn on the "
            "Live training page, or upload vectors in the Upload tab."
        )
        label = f"Train for {epochs} epochs"
    else:
        st.info(
            f"Your model has finished {tr.epoch_} of {epochs} epochs "
            f"({tr.examples_seen_:,} examples)."
        )
        label = "Finish training"
    clicked = st.button(
        label,
        key="explore_train",
        type="primary",
        icon=":material/model_training:",
        disabled=jobs.running(TRAIN_JOB) is not None,
        help="Trains the remaining epochs with the sidebar's settings on the NumPy engine, "
        f"for at most {jobs.BUDGET_SECONDS:.0f} s of work at a time.",
    )
    if clicked:
        put("train_note", None)
        jobs.start(TRAIN_JOB, ev.train_steps(tr), label="Training...", owner=tr)
        st.rerun()  # redraw with the button disabled and the job's progress bar
    ended = jobs.panel(TRAIN_JOB)
    if ended is not None and ended.owner is tr:
        if ended.status == "done":
            st.rerun()  # the trained vectors replace the offer
        done = f"{tr.epoch_} of {epochs} epochs ({tr.examples_seen_:,} examples) are trained"
        put("train_note", (ended.status, f"{ended.message} {done}; press the button to go on."))
    note = state("train_note")
    if note is not None:
        (st.error if note[0] == "failed" else st.warning)(md(note[1], 1_000))


# ---- the four questions --------------------------------------------------------------


def fit_inputs(vec: ev.Vectors, categories, known) -> None:
    """Start the word boxes at words of these vectors; when the vectors change, replace
    the words they do not know (the widgets take their values from here, not defaults)."""
    vocab_id = (vec.name, vec.V, vec.words[:20])
    changed = state("vocab") != vocab_id
    put("vocab", vocab_id)
    a, b, c = ev.default_analogy(vec.words, known)
    defaults = {
        "explore_query": ev.default_query(vec.words, categories),
        "explore_a": a,
        "explore_b": b,
        "explore_c": c,
    }
    for key, value in defaults.items():
        cur = st.session_state.get(key)
        if cur is None or (changed and ev.resolve(vec.words, cur) is None):
            st.session_state[key] = value
    options = set(vec.words[: ev.MAX_CHOICES])
    cur = st.session_state.get("explore_heat_words")
    if cur is None or (changed and not set(cur) <= options):
        heat = ev.default_heatmap_words(vec.words, categories)
        st.session_state["explore_heat_words"] = [w for w in heat if w in options]


def neighbours(vec: ev.Vectors) -> None:
    st.markdown(
        "The words whose vectors point the same way: cosine similarity "
        "cos(u, v) = u·v / (‖u‖ ‖v‖), from −1 (opposite) through 0 (unrelated) to 1."
    )
    c1, c2 = st.columns([1, 2])
    typed = c1.text_input("Word", key="explore_query", max_chars=ev.MAX_TYPED)
    kmax = min(50, vec.V - 1)
    k = 1
    if kmax > 1:
        k = c1.slider("k neighbours", 1, kmax, min(10, kmax), key="explore_k")
    word = ev.resolve(vec.words, typed)
    if word is None:
        c2.warning(md(ev.unknown_message([typed.strip()], vec.words), 1_000))
        return
    table = pd.DataFrame(ev.neighbour_rows(vec, word, k))
    fmt = {"cosine": st.column_config.NumberColumn(format="%.3f")}
    c2.dataframe(table, hide_index=True, column_config=fmt, key="explore_nb_table")
    c2.caption(f"The {k} nearest of {vec.V - 1:,} other words to '{md(word, 100)}'.")


def analogies(vec: ev.Vectors) -> None:
    st.markdown("*a* is to *b* as *c* is to **?** Two ways to score a candidate x:")
    st.latex(
        r"\text{3CosAdd: } \arg\max_x \cos(x,\, b - a + c) \qquad"
        r"\text{3CosMul: } \arg\max_x \frac{\cos'(x, b)\,\cos'(x, c)}"
        rf"{{\cos'(x, a) + {MUL_EPS:g}}}"
    )
    st.caption(
        "a, b and c themselves are never answers. cos' = (cos + 1) / 2 shifts cosines into "
        "[0, 1] (Levy & Goldberg 2014). 3CosAdd is the vector offset of Mikolov et al. (2013)."
    )
    c = st.columns(3)
    typed = [
        c[i].text_input(n, key=f"explore_{n}", max_chars=ev.MAX_TYPED) for i, n in enumerate("abc")
    ]
    found = [ev.resolve(vec.words, t) for t in typed]
    unknown = [t.strip() for t, w in zip(typed, found, strict=True) if w is None]
    if unknown:
        st.warning(md(ev.unknown_message(unknown, vec.words), 1_000))
        return
    a, b, c_ = found
    try:
        view = ev.explain_analogy(vec, a, b, c_, k=5)
    except W2VError as e:
        st.warning(md(e, 1_000))
        return
    a_, b_, c__, add, mul = (md(w, 100) for w in (a, b, c_, view.add[0][0], view.mul[0][0]))
    st.markdown(f"**{a_} : {b_} :: {c__} : {add}** by 3CosAdd, **{mul}** by 3CosMul.")
    left, right = st.columns([2, 3])
    fmt = {
        "cos(x, b − a + c)": st.column_config.NumberColumn(format="%.3f"),
        "3CosMul score": st.column_config.NumberColumn(format="%.3f"),
    }
    left.dataframe(
        pd.DataFrame(ev.analogy_rows(view)),
        hide_index=True,
        column_config=fmt,
        key="explore_an_table",
    )
    right.plotly_chart(
        analogy_figure(view.labels, view.rows, view.cos_answer),
        key="explore_analogy_chart",
        width="stretch",
    )
    right.caption(
        f"The {vec.d} components of the unit vectors of a, b and c, the target b − a + c "
        f"built from them, and the 3CosAdd answer '{md(view.add[0][0], 100)}'. Its cosine with the "
        f"target, {view.cos_answer:.3f}, is its 3CosAdd score."
    )


def heatmap(vec: ev.Vectors) -> None:
    options = list(vec.words[: ev.MAX_CHOICES])
    chosen = st.multiselect(
        "Words to compare", options, key="explore_heat_words",
        max_selections=MAX_HEAT_WORDS,
        help=f"Up to {MAX_HEAT_WORDS} of the {len(options):,} most frequent words.",
    )  # fmt: skip
    if len(chosen) < 2:
        st.info("Choose at least two words.")
        return
    S = ev.similarity(vec, chosen)
    st.plotly_chart(
        similarity_figure(chosen, S, f"Cosine similarity of {len(chosen)} words"),
        key="explore_heatmap",
        width="stretch",
    )
    st.caption("Red: similar directions; blue: opposite; white: unrelated (cosine near 0).")


# ---- the projection ------------------------------------------------------------------


def projection(vec: ev.Vectors, categories, seed: int) -> None:
    c = st.columns([1.2, 0.8, 2, 2])
    method = c[0].radio(
        "Method", list(METHODS), format_func=METHODS.get, key="explore_method", horizontal=True
    )
    dims = 3 if c[1].toggle("3-D", key="explore_3d") else 2
    cap = min(vec.V, ev.MAX_POINTS)
    if cap > 4:
        n = c[2].slider(
            "Words projected", 4, cap, min(cap, 300), key="explore_n_points",
            help=f"The first rows (the most frequent words when the rows are in frequency "
            f"order). At most {ev.MAX_POINTS:,}.",
        )  # fmt: skip
    else:
        n = cap
    text = c[3].text_input(
        "Highlight words", key="explore_search", placeholder="king, queen, pri*",
        help="Words separated by commas or spaces; a final * matches every word that "
        "starts with what comes before it.",
    )  # fmt: skip
    X, words = vec.W[:n], vec.words[:n]  # (n, d)
    if method == "pca":
        key = ev.projection_key(X, "pca", dims)
        proj = state("pca")
        if proj is None or proj.key != key:
            try:
                proj = ev.pca_projection(X, words, dims)
            except W2VError as e:
                st.warning(md(e, 1_000))
                return
            put("pca", proj)
    else:
        t = st.columns([2, 2, 1])
        perplexity = t[0].slider(
            "Perplexity", 2, 100, 15, key="explore_perplexity",
            help="About how many neighbours each point keeps close. It must be below the "
            "number of points; a larger value is lowered.",
        )  # fmt: skip
        iterations = t[1].select_slider(
            "Iterations", TSNE_ITERATIONS, 500, key="explore_iterations"
        )
        key = ev.projection_key(X, "tsne", dims, perplexity, iterations, seed)
        if t[2].button("Run t-SNE", key="explore_tsne", type="primary"):
            try:
                with st.spinner("Running t-SNE..."):
                    put("tsne", ev.tsne_projection(X, words, dims, perplexity, iterations, seed))
            except W2VError as e:
                st.warning(md(e, 1_000))
        proj = state("tsne")
        if proj is None or proj.key != key:
            st.info(
                "Press **Run t-SNE** to lay out these words."
                if proj is None
                else "The vectors or settings changed since the last t-SNE: press **Run t-SNE**."
            )
            return
    if proj.note:
        st.info(md(proj.note))
    found = ev.search_words(text, proj.words, vec.words)
    groups = ev.groups_for(proj.words, categories)
    st.plotly_chart(
        projection_figure(proj.points, proj.words, groups, proj.axis_titles, found.shown),
        key="explore_projection",
        width="stretch",
    )
    if found.not_shown:
        st.caption(
            f"Found but not among the {n:,} words projected: "
            f"{md(', '.join(found.not_shown[:20]), 1_000)}. Raise *Words projected* to see them."
        )
    if found.unknown:
        st.warning(f"Not in the vocabulary: {md(', '.join(found.unknown), 1_000)}.")
    where = f"The first {n:,} of {vec.V:,} words (at most {ev.MAX_POINTS:,} are projected)."
    if proj.explained is not None:
        st.caption(
            f"{where} PCA keeps {proj.explained.sum():.1%} of the variance of the "
            f"{vec.d}-dimensional vectors in these {dims} axes."
        )
    else:
        st.caption(
            f"{where} t-SNE keeps neighbourhoods, not distances: the gaps between clusters "
            "and their sizes mean little."
        )


# ---- files ---------------------------------------------------------------------------


def downloads(vec: ev.Vectors, tr) -> None:
    st.markdown(
        f"**{md_name(vec.name)}**: {vec.V:,} words × {vec.d} dimensions ({md(vec.origin, 500)})."
    )
    c = st.columns(4)
    w2v_problem = ev.export_problem(vec.words, "word2vec")
    c[0].download_button(
        "word2vec text (.txt)", lambda: ev.word2vec_bytes(vec), "vectors.txt", "text/plain",
        key="explore_dl_w2v", disabled=w2v_problem is not None, on_click="ignore",
        icon=":material/download:",
        help=w2v_problem or "Header 'V d', then one line 'word v1 ... vd' per word. Opens in "
        "gensim with KeyedVectors.load_word2vec_format.",
    )  # fmt: skip
    tsv_problem = ev.export_problem(vec.words, "projector")
    tsv_help = tsv_problem or "Load both files at projector.tensorflow.org."
    c[1].download_button(
        "vectors.tsv", lambda: ev.projector_bytes(vec)[0], "vectors.tsv",
        "text/tab-separated-values", key="explore_dl_tsv", disabled=tsv_problem is not None,
        on_click="ignore", icon=":material/download:", help=tsv_help,
    )  # fmt: skip
    c[2].download_button(
        "metadata.tsv", lambda: ev.projector_bytes(vec)[1], "metadata.tsv",
        "text/tab-separated-values", key="explore_dl_meta", disabled=tsv_problem is not None,
        on_click="ignore", icon=":material/download:", help=tsv_help,
    )  # fmt: skip
    if tr is not None:
        c[3].download_button(
            "Whole model (.npz)", lambda: ev.model_npz_bytes(tr), "word2vec_lab_model.npz",
            "application/octet-stream", key="explore_dl_npz", on_click="ignore",
            icon=":material/download:",
            help="W_in, W_out, the words, their counts and the settings; opens again here "
            "(and with numpy.load, no pickle).",
        )  # fmt: skip
    st.caption(
        "The text files hold the vectors chosen above"
        + (", the .npz the whole model." if tr is not None else ".")
    )
    if w2v_problem or tsv_problem:
        st.warning(md(f"Some formats are not available: {w2v_problem or tsv_problem}.", 1_000))


def uploads() -> None:
    st.markdown(
        f"Explore vectors trained elsewhere (gensim, word2vec, another session of this app). "
        f"At most **{ev.MAX_UPLOAD_MB} MB** per file; binary word2vec files are not read: "
        "save them as text first."
    )
    st.file_uploader(
        "word2vec text (.txt, .vec) or a model saved here (.npz)", type=["txt", "vec", "npz"],
        key="explore_upload", max_upload_size=ev.MAX_UPLOAD_MB, on_change=_on_upload,
        help=f"Text: a header line 'V d', then 'word v1 ... vd' per line. At most "
        f"{ev.MAX_UPLOAD_MB} MB.",
    )  # fmt: skip
    with st.expander("Or a TensorFlow Projector pair"):
        c = st.columns(2)
        c[0].file_uploader(
            "vectors.tsv", type=["tsv", "txt"], key="explore_upload_tsv",
            max_upload_size=ev.MAX_UPLOAD_MB, on_change=_on_projector_upload,
        )  # fmt: skip
        c[1].file_uploader(
            "metadata.tsv", type=["tsv", "txt"], key="explore_upload_meta",
            max_upload_size=ev.MAX_UPLOAD_MB, on_change=_on_projector_upload,
        )  # fmt: skip
    if state("import_error"):
        st.error(state("import_error"))  # escaped when it was made
    imported = st.session_state.get(IMPORTED)
    if imported is not None:
        st.success(
            f"Imported **{md_name(imported.name)}**: {imported.V:,} words × {imported.d} "
            f"dimensions ({md(imported.origin, 500)})."
        )


# ---- the page ------------------------------------------------------------------------


def render() -> None:
    st.title("Explore and share")
    st.write(
        "Ask trained vectors questions: which words are closest, which word completes an "
        "analogy, how a group of words relate, and what the whole space looks like in two "
        "or three dimensions. Use your own model or vectors from a file, and download "
        "yours to open them in gensim or the TensorFlow Embedding Projector."
    )
    s, les = ses.current()
    imported = st.session_state.get(IMPORTED)
    options = ["live"] + (["imported"] if imported is not None else [])
    if st.session_state.get(SOURCE) not in options:
        st.session_state[SOURCE] = "live"
    c = st.columns([2, 3])
    source = c[0].radio(
        "Vectors", options, key=SOURCE, horizontal=True,
        format_func=lambda o: SOURCES[o] if o == "live" else f"Imported: {md_name(imported.name)}",
    )  # fmt: skip
    vec, tr, categories, known = None, None, {}, ()
    if source == "live":
        tr = ses.page_trainer(s, les, key="explore_new_model")
        rows = ev.word_matrices(tr.config.loss) if tr is not None else list(MATRICES)
        if st.session_state.get("explore_matrix") not in rows:
            st.session_state["explore_matrix"] = rows[0]
        which = c[1].radio(
            "Rows of", rows, format_func=MATRICES.get, key="explore_matrix",
            horizontal=True,
            help="W_in (= E) is the usual embedding; W_out holds the context vectors; "
            "their sum sometimes works better.",
        )  # fmt: skip
        if len(rows) < len(MATRICES):
            c[1].caption(ev.HS_ROWS)
        if tr is not None:
            if not tr.done:
                train_offer(tr)
            else:
                jobs.panel(TRAIN_JOB)  # forgets a job that trained the model to the end
            if not ev.needs_training(tr):
                vec = ev.live_vectors(tr, which)
                categories, known = les.categories, les.analogies
    elif source == "imported":
        vec = imported
    if vec is not None:
        st.caption(f"{vec.V:,} words × d = {vec.d}: {md(vec.origin, 500)}.")
        fit_inputs(vec, categories, known)
    tabs = st.tabs(["Neighbours", "Analogies", "Similarity", "Projection", "Download", "Upload"])
    sections = (
        lambda: neighbours(vec),
        lambda: analogies(vec),
        lambda: heatmap(vec),
        lambda: projection(vec, categories, s.seed if s is not None else 0),
        lambda: downloads(vec, tr),
    )
    for tab, section in zip(tabs[:5], sections, strict=True):
        with tab:
            if vec is None:
                st.info("Train your model or upload vectors first.")
            else:
                section()
    with tabs[5]:
        uploads()


render()
