"""Per-user state and the shared sidebar: with ``lab.jobs``, the only Streamlit glue
outside app_pages/.

* The sidebar's widgets have keys ``w_*``; the settings actually in use are a
  frozen ``Settings`` under ``STATE`` (a different key, as Streamlit requires).
* A bad corpus or setting shows a message and keeps the previous good settings.
* ``lesson()`` is cached with ``st.cache_resource`` on the immutable inputs that
  define a corpus; the ``Lesson`` is frozen and its arrays are read-only, so
  sharing it between users is safe. Trainers are per user, in session state.
"""

from urllib.parse import urlencode

import streamlit as st

from lab.budget import budget_error, import_bytes
from lab.escape import md
from lab.lesson import (
    MAX_SOFTMAX_VOCAB,
    MAX_TEXT_BYTES,
    SOURCES,
    Lesson,
    Settings,
    build_lesson,
    lesson_warnings,
)
from lab.links import (
    LIMITS,
    LINK_SOURCES,
    LOSSES,
    MODELS,
    SAMPLES,
    params_to_settings,
    settings_to_params,
)
from w2v_core.corpora import PRESETS
from w2v_core.errors import W2VError
from w2v_core.tokenize import decode_text
from w2v_core.trainer import Trainer

STATE = "lesson_settings"  # the Settings in use (never a widget key)
TRAINER = "lesson_trainer"  # (key, Trainer) of this user
LINK_READ = "lesson_link"  # (settings the URL asked for, notices about it)
IMPORTED = "xp_imported"  # vectors imported on Explore (their bytes count against the cap)
# The paste box has no max_chars: the browser silently drops a paste over it (and the box
# then reads as empty); the 2 MB cap is checked on the text with a message instead.
MAX_PASTE_CHARS = MAX_TEXT_BYTES
LOSS_LABELS = {
    "negative": "negative sampling",
    "softmax": "full softmax",
    "hs": "hierarchical softmax",
}


@st.cache_resource(max_entries=64, show_spinner="Reading the corpus...")
def _lesson(source, preset, generated_tokens, text, text_name, min_count, seed) -> Lesson:
    s = Settings(source=source, preset=preset, generated_tokens=generated_tokens, text=text,
                 text_name=text_name, min_count=min_count, seed=seed)  # fmt: skip
    return build_lesson(s)


def lesson_key(s: Settings) -> tuple:
    """The settings that define the corpus (the seed only shapes generated text)."""
    seed = s.seed if s.source == "generated" else 0
    return (s.source, s.preset, s.generated_tokens, s.text, s.text_name, s.min_count, seed)


def lesson(s: Settings) -> Lesson:
    """The (shared, read-only) lesson for these settings; raises W2VError on bad input."""
    return _lesson(*lesson_key(s))


def current() -> tuple[Settings, Lesson]:
    """Settings in use and their lesson, for pages.

    Does not raise: the sidebar stores only settings whose lesson it has built.
    """
    s = st.session_state.get(STATE, Settings())
    return s, lesson(s)


def _trainer_key(s: Settings, les: Lesson, **overrides) -> tuple:
    return (lesson_key(s), s.config(**overrides))


def held_trainer() -> Trainer | None:
    """This user's trainer as it is, whatever the settings say now."""
    held = st.session_state.get(TRAINER)
    return None if held is None else held[1]


def trainer_is_current(s: Settings, les: Lesson, **overrides) -> bool:
    held = st.session_state.get(TRAINER)
    return held is not None and held[0] == _trainer_key(s, les, **overrides)


def reset_trainer(s: Settings, les: Lesson, **overrides) -> Trainer:
    """A fresh trainer from the seed for these settings (replaces this user's model)."""
    tr = Trainer(s.config(**overrides)).prepare(les.sentences)
    st.session_state[TRAINER] = (_trainer_key(s, les, **overrides), tr)
    return tr


def trainer(s: Settings, les: Lesson, **overrides) -> Trainer:
    """This user's trainer for the current corpus and settings (a new one when they change)."""
    if not trainer_is_current(s, les, **overrides):
        return reset_trainer(s, les, **overrides)
    return held_trainer()


def page_trainer(s: Settings, les: Lesson, key: str, on_reset=None) -> Trainer | None:
    """This user's trainer for a page that shows the model.

    When the settings changed after the model was trained, the trained model stays on
    show, with a warning and a button (widget ``key``) that starts a new one (then
    ``on_reset()`` clears what the page kept). Shows the error and returns None when
    the settings cannot build a trainer.
    """
    held = held_trainer()
    if held is not None and held.examples_seen_ > 0 and not trainer_is_current(s, les):
        st.warning(
            "The corpus or hyperparameters changed since your model was trained: this page "
            "shows the trained model."
        )
        a, b = st.columns(2)
        if a.button("Start a new model with the new settings", key=key):
            reset_trainer(s, les)
            if on_reset is not None:
                on_reset()
            st.rerun()
        b.caption("Nothing is lost until you start a new model.")
        return held
    try:
        return trainer(s, les)
    except W2VError as e:
        st.error(md(e))
        return None


def _limits(name: str) -> tuple:
    lim = LIMITS[name]
    return lim.kind(lim.lo), lim.kind(lim.hi)


def _corpus_inputs(cur: Settings) -> dict:
    st.header("Corpus")
    source = st.radio(
        "Source", list(SOURCES), list(SOURCES).index(cur.source), format_func=SOURCES.get,
        key="w_source",
        help="Where the text comes from. Every page uses this corpus.",
    )  # fmt: skip
    out: dict = {"source": source}
    if source == "preset":
        out["preset"] = st.selectbox(
            "Example", list(PRESETS), list(PRESETS).index(cur.preset),
            format_func=lambda k: PRESETS[k].title, key="w_preset",
            help="Small corpora where structure shows fast.",
        )  # fmt: skip
    elif source == "generated":
        out["generated_tokens"] = st.number_input(
            "Tokens", *_limits("tokens"), cur.generated_tokens, step=5_000, key="w_gen_tokens",
            help="Sentences built from templates with known word categories and analogies.",
        )  # fmt: skip
    elif source == "paste":
        text = st.text_area(
            "Your text", key="w_paste", height=150,
            placeholder="One sentence per line, or ordinary prose.",
            help=f"Up to {MAX_TEXT_BYTES // 2**20} MB of text. Press Ctrl+Enter to apply.",
        )  # fmt: skip
        out.update(text=text, text_name="Your text")
    else:
        up = st.file_uploader(
            "Text file", type=["txt"], key="w_upload", max_upload_size=MAX_TEXT_BYTES // 2**20,
            help=f"Plain UTF-8 text, at most {MAX_TEXT_BYTES // 2**20} MB.",
        )  # fmt: skip
        if up is None:
            out.update(text=cur.text if cur.source == "upload" else "", text_name=cur.text_name)
        else:
            out.update(text=decode_text(up.getvalue()), text_name=up.name)
    return out


def _hyperparameters(cur: Settings) -> dict:
    st.header("Hyperparameters")
    c = {}
    c["window"] = st.slider(
        "Window", *_limits("window"), cur.window, key="w_window",
        help="Context words taken on each side of the target.",
    )  # fmt: skip
    c["dim"] = st.slider(
        "Dimensions d", *_limits("dim"), cur.dim, key="w_dim",
        help="Length of each word vector: the columns of W_in (= E) and W_out.",
    )  # fmt: skip
    c["negative"] = st.slider(
        "Negatives k", *_limits("negative"), cur.negative, key="w_negative",
        help="Noise words drawn per example for negative sampling.",
    )  # fmt: skip
    c["noise_alpha"] = st.slider(
        "Noise exponent", *_limits("noise"), cur.noise_alpha, step=0.05, key="w_noise_alpha",
        help="Negatives are drawn with probability ∝ count^exponent.",
    )  # fmt: skip
    c["min_count"] = st.number_input(
        "min_count", *_limits("min_count"), cur.min_count, key="w_min_count",
        help="Words seen fewer times are dropped.",
    )  # fmt: skip
    c["sample"] = st.select_slider(
        "Subsampling threshold", SAMPLES, cur.sample, key="w_sample",
        help="Frequent words are randomly skipped; 0 keeps every token.",
    )  # fmt: skip
    c["model"] = st.radio(
        "Model", MODELS, MODELS.index(cur.model), key="w_model", horizontal=True,
        help="Skip-gram predicts each context word from the target; CBOW "
        "predicts the target from the mean of its context.",
    )  # fmt: skip
    c["loss"] = st.radio(
        "Output layer", LOSSES, LOSSES.index(cur.loss), key="w_loss", horizontal=True,
        format_func=LOSS_LABELS.get,
        help="Full softmax scores all V words per example (so it is limited to "
        f"{MAX_SOFTMAX_VOCAB:,} words); negative sampling k + 1 words; "
        "hierarchical softmax the ~log2(V) inner nodes on the target's path in a Huffman tree.",
    )  # fmt: skip
    c["alpha"] = st.number_input(
        "Learning rate", *_limits("alpha"), cur.alpha, format="%.4f", key="w_alpha",
        help="Step size of SGD (decays linearly to ~0 over the epochs).",
    )  # fmt: skip
    c["epochs"] = st.number_input(
        "Epochs", *_limits("epochs"), cur.epochs, key="w_epochs", help="Passes over the corpus."
    )
    c["seed"] = st.number_input(
        "Seed", *_limits("seed"), cur.seed, key="w_seed",
        help="Fixes the initial weights, the windows and the negatives.",
    )  # fmt: skip
    return c


def _read_link() -> None:
    """On a session's first run, read the settings in the URL (a lesson link)."""
    if LINK_READ not in st.session_state:
        s, notices = params_to_settings(st.query_params.to_dict(), Settings())
        try:  # a link whose settings leave no usable corpus falls back to the defaults
            problem = budget_error(lesson(s), s)
        except W2VError as e:
            problem = str(e)
        if problem and s != Settings():
            notices.append(f"The link's settings cannot be used: {problem} The defaults are used.")
            s = Settings()
        st.session_state[LINK_READ] = (s, tuple(notices))


def _write_link(s: Settings) -> dict[str, str]:
    """Keep the URL's query string equal to the settings in use; returns the parameters."""
    params = settings_to_params(s)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    return params


def _share(s: Settings, params: dict[str, str]) -> None:
    link_settings, notices = st.session_state[LINK_READ]
    for n in notices:
        if s == link_settings:  # shown until the user changes something
            st.warning(md(n))
    with st.expander("Share this lesson", icon=":material/link:"):
        base = (st.context.url or "").split("?")[0]
        st.code(f"{base}?{urlencode(params)}", language=None, wrap_lines=True)
        st.caption(
            "This link opens the current page with the same corpus, settings and seed, "
            "so the same run."
            + (
                " Pasted or uploaded text is not part of it."
                if s.source not in LINK_SOURCES
                else ""
            )
        )


def sidebar() -> Settings:
    """Draw the shared sidebar and return the settings in use."""
    _read_link()
    cur = st.session_state.get(STATE, Settings())
    # Widgets start from the settings in use (from the link on the first run). Passing the
    # value, rather than only setting the widget's state, also covers a rerun that arrives
    # before the browser has drawn the sidebar: it then sends the widgets' initial values.
    shown = cur if STATE in st.session_state else st.session_state[LINK_READ][0]
    with st.sidebar:
        try:
            corpus = _corpus_inputs(shown)
        except W2VError as e:
            st.error(f"{md(e)} The previous corpus is kept.")
            corpus = {}
        hyper = _hyperparameters(shown)
    candidate = cur.replace(**corpus, **hyper)
    try:
        les = lesson(candidate)
    except W2VError as e:
        st.sidebar.error(f"{md(e)} The previous corpus and settings are kept.")
        return cur
    imported = st.session_state.get(IMPORTED)
    held = import_bytes(*imported.W.shape) if imported is not None else 0
    too_big = budget_error(les, candidate, held=held)
    if too_big:
        st.sidebar.error(f"{md(too_big)} The previous settings are kept.")
        return cur
    st.session_state[STATE] = candidate
    params = _write_link(candidate)
    with st.sidebar:
        for w in lesson_warnings(les, candidate):
            st.warning(md(w))
        _share(candidate, params)
    return candidate
