"""Per-user state and the shared sidebar: the only Streamlit glue outside app_pages/.

* The sidebar's widgets have keys ``w_*``; the settings actually in use are a
  frozen ``Settings`` under ``STATE`` (a different key, as Streamlit requires).
* A bad corpus or setting shows a message and keeps the previous good settings.
* ``lesson()`` is cached with ``st.cache_resource`` on the immutable inputs that
  define a corpus; the ``Lesson`` is frozen and its arrays are read-only, so
  sharing it between users is safe. Trainers are per user, in session state.
"""

import streamlit as st

from lab.lesson import (
    MAX_GENERATED_TOKENS,
    MAX_TEXT_BYTES,
    SOURCES,
    Lesson,
    Settings,
    build_lesson,
    lesson_warnings,
)
from w2v_core.corpora import PRESETS
from w2v_core.errors import W2VError
from w2v_core.tokenize import decode_text
from w2v_core.trainer import Trainer

STATE = "lesson_settings"  # the Settings in use (never a widget key)
TRAINER = "lesson_trainer"  # (key, Trainer) of this user
MAX_PASTE_CHARS = MAX_TEXT_BYTES // 2  # the text box stops accepting input here
D = Settings()  # the sidebar starts at these defaults


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
    """Settings in use and their lesson, for pages."""
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


def _corpus_inputs(cur: Settings) -> dict:
    st.header("Corpus")
    source = st.radio(
        "Source", list(SOURCES), format_func=SOURCES.get, key="w_source",
        help="Where the text comes from. Every page uses this corpus.",
    )  # fmt: skip
    out: dict = {"source": source}
    if source == "preset":
        out["preset"] = st.selectbox(
            "Example", list(PRESETS), format_func=lambda k: PRESETS[k].title, key="w_preset",
            index=list(PRESETS).index(D.preset), help="Small corpora where structure shows fast.",
        )  # fmt: skip
    elif source == "generated":
        out["generated_tokens"] = st.number_input(
            "Tokens", 1_000, MAX_GENERATED_TOKENS, D.generated_tokens, step=5_000,
            key="w_gen_tokens",
            help="Sentences built from templates with known word categories and analogies.",
        )  # fmt: skip
    elif source == "paste":
        text = st.text_area(
            "Your text", key="w_paste", max_chars=MAX_PASTE_CHARS, height=150,
            placeholder="One sentence per line, or ordinary prose.",
            help=f"Up to {MAX_PASTE_CHARS:,} characters. Press Ctrl+Enter to apply.",
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


def _hyperparameters() -> dict:
    st.header("Hyperparameters")
    c = {}
    c["window"] = st.slider(
        "Window",
        1,
        10,
        D.window,
        key="w_window",
        help="Context words taken on each side of the target.",
    )
    c["dim"] = st.slider(
        "Dimensions d",
        2,
        100,
        D.dim,
        key="w_dim",
        help="Length of each word vector: the columns of W_in (= E) and W_out.",
    )
    c["negative"] = st.slider(
        "Negatives k",
        1,
        20,
        D.negative,
        key="w_negative",
        help="Noise words drawn per example for negative sampling.",
    )
    c["noise_alpha"] = st.slider(
        "Noise exponent",
        0.0,
        1.0,
        D.noise_alpha,
        0.05,
        key="w_noise_alpha",
        help="Negatives are drawn with probability ∝ count^exponent.",
    )
    c["min_count"] = st.number_input(
        "min_count",
        1,
        1000,
        D.min_count,
        key="w_min_count",
        help="Words seen fewer times are dropped.",
    )
    c["sample"] = st.select_slider(
        "Subsampling threshold",
        [0.0, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1],
        D.sample,
        key="w_sample",
        help="Frequent words are randomly skipped; 0 keeps every token.",
    )
    c["model"] = st.radio(
        "Model",
        ["skipgram", "cbow"],
        key="w_model",
        horizontal=True,
        help="Skip-gram predicts each context word from the target; CBOW "
        "predicts the target from the mean of its context.",
    )
    c["loss"] = st.radio(
        "Output layer",
        ["negative", "softmax"],
        key="w_loss",
        horizontal=True,
        format_func={"negative": "negative sampling", "softmax": "full softmax"}.get,
        help="Softmax scores all V words per example; negative sampling k + 1.",
    )
    c["alpha"] = st.number_input(
        "Learning rate",
        1e-4,
        100.0,
        D.alpha,
        format="%.4f",
        key="w_alpha",
        help="Step size of SGD (decays linearly to ~0 over the epochs).",
    )
    c["epochs"] = st.number_input(
        "Epochs", 1, 1000, D.epochs, key="w_epochs", help="Passes over the corpus."
    )
    c["seed"] = st.number_input(
        "Seed",
        0,
        2**31 - 1,
        D.seed,
        key="w_seed",
        help="Fixes the initial weights, the windows and the negatives.",
    )
    return c  # fmt: skip


def sidebar() -> Settings:
    """Draw the shared sidebar and return the settings in use."""
    cur = st.session_state.get(STATE, Settings())
    with st.sidebar:
        try:
            corpus = _corpus_inputs(cur)
        except W2VError as e:
            st.error(f"{e} The previous corpus is kept.")
            corpus = {}
        hyper = _hyperparameters()
    candidate = cur.replace(**corpus, **hyper)
    try:
        les = lesson(candidate)
    except W2VError as e:
        st.sidebar.error(f"{e} The previous corpus and settings are kept.")
        return cur
    st.session_state[STATE] = candidate
    for w in lesson_warnings(les, candidate):
        st.sidebar.warning(w)
    return candidate
