"""Explore and share: ask the vectors questions, project them, download or upload them.

Sections (``lab.tour``): which vectors, neighbours, analogies, similarity, projection,
download, upload. Each reads the vectors itself (``shown_vectors``); the numbers come
from ``lab.explore_view`` and ``w2v_core.analysis``.
"""

import pandas as pd
import streamlit as st

from lab import explore_view as ev
from lab import jobs, presenter, tour
from lab import session as ses
from lab.escape import md
from lab.figures.explore import analogy_figure, projection_figure, similarity_figure
from lab.figures.style import DIVERGING_WORDS
from lab.live import MATRICES
from lab.page_state import PageState
from lab.tour import Section
from w2v_core.analysis import MUL_EPS
from w2v_core.errors import W2VError

PAGE = PageState("xp_")  # this page's own state (widgets use "explore_" keys)
IMPORTED = ses.IMPORTED  # the imported ev.Vectors (never a widget key; also "xp_" prefixed)
SOURCE = "explore_source"  # the radio that picks the vectors
MATRIX = "explore_matrix"  # the radio that picks W_in, W_out or their sum
TRAIN_JOB = PAGE.prefix + "train_job"  # the running lab.jobs.Job that trains the live model
MAX_HEAT_WORDS = 40  # words in the similarity heatmap at most
SOURCES = {"live": "Your model", "imported": "Imported vectors"}
METHODS = {"pca": "PCA", "tsne": "t-SNE"}
TSNE_ITERATIONS = [250, 500, 1000, 2000]
NONE_YET = "Shown once there are vectors: train your model above, or upload vectors below."


def md_name(name: str) -> str:
    """A file name for Markdown: escaped, and clipped to 80 characters."""
    return md(name, 80)


# ---- imports (callbacks run before the page, so they may switch the source radio) -----


def _keep_import(vec: ev.Vectors) -> None:
    st.session_state[IMPORTED] = vec
    st.session_state[SOURCE] = "imported"
    PAGE.put("import_error", None)


def _import_failed(name: str, e: W2VError) -> None:
    msg = str(e).rstrip()
    msg += "" if msg.endswith((".", "?", "!")) else "."
    had = IMPORTED in st.session_state
    kept = "The vectors you imported before are kept." if had else "Nothing was changed."
    PAGE.put("import_error", md(f"Could not import {name[:80]}: {msg} {kept}", 1_000))


def _held() -> int:
    """Bytes of this session's live model: an import must fit next to it."""
    tr = ses.held_trainer()
    return tr.nbytes if tr is not None else 0


def _on_upload() -> None:
    up = st.session_state.get("explore_upload")
    if up is None:  # the file was removed from the box: keep what was imported
        PAGE.put("import_error", None)
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


# ---- what every section reads: the vectors on show -----------------------------------


def source_options() -> list[str]:
    return ["live"] + (["imported"] if ses.imported_vectors() is not None else [])


def matrix_rows(tr) -> list[str]:
    return ev.word_matrices(tr.config.loss) if tr is not None else list(MATRICES)


def shown_vectors() -> tuple[ev.Vectors | None, dict, tuple]:
    """(vectors, word categories, suggested analogies) of what the page explores now.

    The live model's rows are copied once per model state (kept in the page's state)."""
    imported = ses.imported_vectors()
    if st.session_state.get(SOURCE) == "imported" and imported is not None:
        return imported, {}, ()
    tr = ses.shown_trainer()
    if tr is None or ev.needs_training(tr):
        return None, {}, ()
    rows = matrix_rows(tr)
    which = st.session_state.get(MATRIX) if st.session_state.get(MATRIX) in rows else rows[0]
    key = (ses.model_serial(), tr.examples_seen_, which)
    kept = PAGE.get("vectors")
    if kept is None or kept[0] != key:
        kept = (key, ev.live_vectors(tr, which))
        PAGE.put("vectors", kept)
    les = ses.lesson(ses.held_model().settings)  # the lesson the model was trained on
    return kept[1], les.categories, les.analogies


def fit(key: str, vec: ev.Vectors, default, known) -> None:
    """Start widget ``key`` at ``default``; when the vectors change, replace a value they
    do not know (``known(value)`` is False). Widgets take their values from here."""
    vocab_id = (vec.name, vec.V, vec.words[:20])
    cur = st.session_state.get(key)
    if cur is None or (PAGE.get("fit_" + key) != vocab_id and not known(cur)):
        st.session_state[key] = default
    PAGE.put("fit_" + key, vocab_id)


# ---- sections ------------------------------------------------------------------------


def which_vectors() -> None:
    st.header("Which vectors")
    options = source_options()
    if st.session_state.get(SOURCE) not in options:
        st.session_state[SOURCE] = "live"
    c = st.columns([2, 3])
    imported = ses.imported_vectors()
    source = c[0].radio(
        "Vectors", options, key=SOURCE, horizontal=True,
        format_func=lambda o: SOURCES[o] if o == "live" else f"Imported: {md_name(imported.name)}",
    )  # fmt: skip
    if source == "live":
        s, les = ses.current()
        tr = ses.page_trainer(s, les, key="explore_new_model")
        rows = matrix_rows(tr)
        if st.session_state.get(MATRIX) not in rows:
            st.session_state[MATRIX] = rows[0]
        c[1].radio(
            "Rows of", rows, format_func=MATRICES.get, key=MATRIX, horizontal=True,
            help="W_in (= E) is the usual embedding; W_out holds the context vectors; "
            "their sum sometimes works better.",
        )  # fmt: skip
        if len(rows) < len(MATRICES):
            c[1].caption(ev.HS_ROWS)
        if tr is not None and not tr.done:
            train_offer(tr)
        elif tr is not None:
            jobs.panel(TRAIN_JOB)  # forgets a job that trained the model to the end
    vec, _, _ = shown_vectors()
    if vec is not None:
        st.caption(f"{vec.V:,} words × d = {vec.d}: {md(vec.origin, 500)}. {ev.USUAL_D}")


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
            "Live training page, or upload vectors (last section of this page)."
        )
        label = f"Train for {epochs} epochs"
    else:
        st.info(
            f"Your model has finished {tr.epoch_} of {epochs} epochs "
            f"({tr.examples_seen_:,} examples)."
        )
        label = "Finish training"
    row = st.container(horizontal=True, gap="small")
    clicked = row.button(label, key="explore_train", type="primary",
                         disabled=jobs.running(TRAIN_JOB) is not None)  # fmt: skip
    row.caption(
        f"On the NumPy engine with the sidebar's settings, at most {jobs.BUDGET_SECONDS:.0f} s "
        "of work at a time."
    )
    if clicked:
        PAGE.put("train_note", None)
        jobs.start(TRAIN_JOB, ev.train_steps(tr), label="Training...", owner=tr)
        st.rerun()  # redraw with the button disabled and the job's progress bar
    ended = jobs.panel(TRAIN_JOB)
    if ended is not None and ended.owner is tr:
        if ended.status == "done":
            st.rerun()  # the trained vectors replace the offer
        done = f"{tr.epoch_} of {epochs} epochs ({tr.examples_seen_:,} examples) are trained"
        note = f"{ended.message} {done}; press the button to go on."
        PAGE.put("train_note", (ended.status, note))
    note = PAGE.get("train_note")
    if note is not None:
        (st.error if note[0] == "failed" else st.warning)(md(note[1], 1_000))


def neighbours() -> None:
    st.header("Nearest neighbours")
    vec, categories, _ = shown_vectors()
    if vec is None:
        st.caption(NONE_YET)
        return
    st.markdown(
        "The words whose vectors point the same way: cosine similarity "
        "cos(u, v) = u·v / (‖u‖ ‖v‖), from −1 (opposite) through 0 (unrelated) to 1."
    )
    fit("explore_query", vec, ev.default_query(vec.words, categories),
        lambda v: ev.resolve(vec.words, v) is not None)  # fmt: skip
    c1, c2 = st.columns([1, 2])
    typed = c1.text_input("Word", key="explore_query", max_chars=ev.MAX_TYPED)
    kmax, k = ev.k_max(vec), 1
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


def analogies() -> None:
    st.header("Analogies")
    vec, categories, known = shown_vectors()
    if vec is None:
        st.caption(NONE_YET)
        return
    if vec.V < 4:
        st.info(f"An analogy needs at least four words (three to ask, one to answer); these "
                f"vectors have {vec.V}.")  # fmt: skip
        return
    st.markdown("*a* is to *b* as *c* is to **?** Two ways to score a candidate x:")
    st.latex(r"\text{3CosAdd: } \arg\max_x \cos(x,\, b - a + c)")
    st.latex(
        r"\text{3CosMul: } \arg\max_x \frac{\cos'(x, b)\,\cos'(x, c)}"
        rf"{{\cos'(x, a) + {MUL_EPS:g}}}"
    )
    st.caption(
        "a, b and c themselves are never answers. cos' = (cos + 1) / 2 shifts cosines into "
        "[0, 1] (Levy & Goldberg 2014). 3CosAdd is the vector offset of Mikolov et al. (2013)."
    )
    sug = ev.suggested_analogy(vec.words, known, categories)
    for name, default in zip("abc", (sug.a, sug.b, sug.c), strict=True):
        fit(f"explore_{name}", vec, default, lambda v: ev.resolve(vec.words, v) is not None)
    c = st.columns(3)
    typed = [
        c[i].text_input(n, key=f"explore_{n}", max_chars=ev.MAX_TYPED) for i, n in enumerate("abc")
    ]
    st.caption(md(sug.why, 1_000))
    found = [ev.resolve(vec.words, t) for t in typed]
    unknown = [t.strip() for t, w in zip(typed, found, strict=True) if w is None]
    if unknown:
        st.warning(md(ev.unknown_message(unknown, vec.words), 1_000))
        return
    try:
        view = ev.explain_analogy(vec, *found, k=5)
    except W2VError as e:
        st.warning(md(e, 1_000))
        return
    analogy_answer(vec, view, ev.analogy_check(view, sug, categories))


def analogy_answer(vec: ev.Vectors, view: ev.AnalogyView, check: str) -> None:
    a_, b_, c_, add, mul = (md(w, 100) for w in (view.a, view.b, view.c, view.add[0][0],
                                                   view.mul[0][0]))  # fmt: skip
    st.markdown(f"**{a_} : {b_} :: {c_} : {add}** by 3CosAdd, **{mul}** by 3CosMul. "
                + md(check, 500))  # fmt: skip
    fmt = {
        "cos(x, b − a + c)": st.column_config.NumberColumn(format="%.3f"),
        "3CosMul score": st.column_config.NumberColumn(format="%.3f"),
    }
    st.dataframe(pd.DataFrame(ev.analogy_rows(view)), hide_index=True, column_config=fmt,
                 key="explore_an_table")  # fmt: skip
    presenter.chart(analogy_figure(view.labels, view.rows, view.cos_answer),
                    key="explore_analogy_chart")  # fmt: skip
    st.caption(
        f"The {vec.d} components of the unit vectors of a, b and c, the target b − a + c "
        f"built from them, and the 3CosAdd answer '{md(view.add[0][0], 100)}' "
        f"({DIVERGING_WORDS}). Its cosine with the target, {view.cos_answer:.3f}, is its "
        "3CosAdd score."
    )


def similarity() -> None:
    st.header("Similarity of a group of words")
    vec, categories, _ = shown_vectors()
    if vec is None:
        st.caption(NONE_YET)
        return
    options = list(vec.words[: ev.MAX_CHOICES])
    heat = [w for w in ev.default_heatmap_words(vec.words, categories) if w in set(options)]
    fit("explore_heat_words", vec, heat, lambda v: set(v) <= set(options))
    chosen = st.multiselect(
        "Words to compare", options, key="explore_heat_words",
        max_selections=MAX_HEAT_WORDS,
        help=f"Up to {MAX_HEAT_WORDS} of the {len(options):,} most frequent words.",
    )  # fmt: skip
    if len(chosen) < 2:
        st.info("Choose at least two words.")
        return
    S = ev.similarity(vec, chosen)
    presenter.chart(similarity_figure(chosen, S, f"Cosine similarity of {len(chosen)} words"),
                    key="explore_heatmap")  # fmt: skip
    st.caption(
        "Blue: similar directions (cosine near +1); white: unrelated (near 0); red: opposite "
        "(near −1)."
    )


def projection() -> None:
    st.header("The whole space in 2-D or 3-D")
    vec, categories, _ = shown_vectors()
    if vec is None:
        st.caption(NONE_YET)
        return
    top = st.columns([3, 2], vertical_alignment="bottom")
    method = top[0].radio("Method", list(METHODS), format_func=METHODS.get,
                          key="explore_method", horizontal=True)  # fmt: skip
    dims = 3 if top[1].toggle("3-D", key="explore_3d") else 2
    c = st.columns(2)
    cap = min(vec.V, ev.MAX_POINTS)
    n = cap
    if cap > 4:
        n = c[0].slider(
            "Words projected", 4, cap, min(cap, 300), key="explore_n_points",
            help=f"The first rows (the most frequent words when the rows are in frequency "
            f"order). At most {ev.MAX_POINTS:,}.",
        )  # fmt: skip
    text = c[1].text_input(
        "Highlight words", key="explore_search", placeholder="king, queen, pri*",
        help="Words separated by commas or spaces; a final * matches every word that "
        "starts with what comes before it.",
    )  # fmt: skip
    X, words = vec.W[:n], vec.words[:n]  # (n, d) the first n rows
    proj = pca_layout(X, words, dims) if method == "pca" else tsne_layout(X, words, dims)
    if proj is None:
        return
    if proj.note:
        st.info(md(proj.note))
    found = ev.search_words(text, proj.words, vec.words)
    groups = ev.groups_for(proj.words, categories)
    presenter.chart(projection_figure(proj.points, proj.words, groups, proj.axis_titles,
                                      found.shown), key="explore_projection")  # fmt: skip
    if found.not_shown:
        st.caption(
            f"Found but not among the {n:,} words projected: "
            f"{md(', '.join(found.not_shown[:20]), 1_000)}. Raise *Words projected* to see them."
        )
    if found.unknown:
        st.warning(f"Not in the vocabulary: {md(', '.join(found.unknown), 1_000)}.")
    st.caption(ev.projection_caption(proj, vec.V, vec.d))


def pca_layout(X, words, dims) -> ev.Projection | None:
    """The PCA of these rows, computed once while they stay the same."""
    key = ev.projection_key(X, "pca", dims)
    proj = PAGE.get("pca")
    if proj is None or proj.key != key:
        try:
            proj = ev.pca_projection(X, words, dims)
        except W2VError as e:
            st.warning(md(e, 1_000))
            return None
        PAGE.put("pca", proj)
    return proj


def tsne_layout(X, words, dims) -> ev.Projection | None:
    """The last t-SNE run if it matches these rows and settings; a button runs a new one."""
    t = st.columns([2, 2, 1])
    perplexity = t[0].slider(
        "Perplexity", 2, 100, 15, key="explore_perplexity",
        help="About how many neighbours each point keeps close. It must be below the "
        "number of points; a larger value is lowered.",
    )  # fmt: skip
    iterations = t[1].select_slider("Iterations", TSNE_ITERATIONS, 500, key="explore_iterations")
    seed = ses.current()[0].seed
    key = ev.projection_key(X, "tsne", dims, perplexity, iterations, seed)
    if t[2].button("Run t-SNE", key="explore_tsne", type="primary"):
        try:
            with st.spinner("Running t-SNE..."):
                PAGE.put("tsne", ev.tsne_projection(X, words, dims, perplexity, iterations, seed))
        except W2VError as e:
            st.warning(md(e, 1_000))
    proj = PAGE.get("tsne")
    if proj is None or proj.key != key:
        st.info(
            "Press **Run t-SNE** to lay out these words."
            if proj is None
            else "The vectors or settings changed since the last t-SNE: press **Run t-SNE**."
        )
        return None
    return proj


def downloads() -> None:
    st.header("Download")
    vec, _, _ = shown_vectors()
    if vec is None:
        st.caption(NONE_YET)
        return
    tr = ses.shown_trainer() if st.session_state.get(SOURCE, "live") == "live" else None
    st.markdown(
        f"**{md_name(vec.name)}**: {vec.V:,} words × {vec.d} dimensions ({md(vec.origin, 500)})."
    )
    w2v_problem = ev.export_problem(vec.words, "word2vec")
    tsv_problem = ev.export_problem(vec.words, "projector")
    tsv_help = tsv_problem or "Load both files at projector.tensorflow.org."
    row = st.container(horizontal=True, gap="small")
    row.download_button(
        "word2vec text (.txt)", lambda: ev.word2vec_bytes(vec), "vectors.txt", "text/plain",
        key="explore_dl_w2v", disabled=w2v_problem is not None, on_click="ignore",
        icon=":material/download:",
        help=w2v_problem or "Header 'V d', then one line 'word v1 ... vd' per word. Opens in "
        "gensim with KeyedVectors.load_word2vec_format.",
    )  # fmt: skip
    for name, i in (("vectors.tsv", 0), ("metadata.tsv", 1)):
        row.download_button(
            name, lambda i=i: ev.projector_bytes(vec)[i], name, "text/tab-separated-values",
            key="explore_dl_" + ("tsv" if i == 0 else "meta"), disabled=tsv_problem is not None,
            on_click="ignore", icon=":material/download:", help=tsv_help,
        )  # fmt: skip
    if tr is not None:
        row.download_button(
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
    st.header("Upload")
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
    if PAGE.get("import_error"):
        st.error(PAGE.get("import_error"))  # escaped when it was made
    imported = ses.imported_vectors()
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
    tour.draw("explore.py", [
        Section("vectors", which_vectors),
        Section("neighbours", neighbours),
        Section("analogies", analogies),
        Section("similarity", similarity),
        Section("projection", projection),
        Section("download", downloads),
        Section("upload", uploads),
    ])  # fmt: skip


render()
