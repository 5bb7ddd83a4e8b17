"""Per-user state and the shared sidebar: with ``lab.jobs``, the only Streamlit glue
outside app_pages/.

* The sidebar's widgets have keys ``w_*``; the settings actually in use are a
  frozen ``Settings`` under ``STATE`` (a different key, as Streamlit requires).
* A bad corpus or setting shows a message and keeps the previous good settings.
* ``lesson()`` is cached with ``st.cache_resource`` on the immutable inputs that
  define a corpus; the ``Lesson`` is frozen and its arrays are read-only, so
  sharing it between users is safe. Trainers are per user, in session state.
* The lesson link (address bar and the sidebar's share box) describes what is on
  screen: ``share()`` runs after the page, and a page that shows a model trained
  with other settings than the sidebar's (``page_trainer``) makes the link carry
  the model's settings and says so.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

from lab import presenter, tour, widgets
from lab.budget import budget_error, import_bytes
from lab.escape import md
from lab.lesson import (
    MAX_TEXT_BYTES,
    MAX_VOCAB,
    SOURCES,
    Lesson,
    Settings,
    build_lesson,
    lesson_warnings,
)
from lab.links import LINK_SOURCES, params_to_settings, settings_to_params
from w2v_core.corpora import PRESETS
from w2v_core.errors import W2VError
from w2v_core.tokenize import decode_text
from w2v_core.trainer import Trainer

STATE = "lesson_settings"  # the Settings in use (never a widget key)
TRAINER = "lesson_trainer"  # the Model of this user
SERIAL = "lesson_model_serial"  # how many models this session has made
ON_SCREEN = "lesson_on_screen"  # settings of what the page shows, when not the sidebar's
LINK_READ = "lesson_link"  # (settings the URL asked for, notices about it)
IMPORTED = "xp_imported"  # vectors imported on Explore (their bytes count against the cap)
SHARE_OPEN = "w_share_open"  # the "Share this lesson" box is open (it draws its link only then)
# The paste box has no max_chars: the browser silently drops a paste over it (and the box
# then reads as empty); the 2 MB cap is checked on the text with a message instead.
MAX_PASTE_CHARS = MAX_TEXT_BYTES


# the Settings fields that define a corpus (the seed only shapes generated text)
CORPUS_FIELDS = (
    "source", "preset", "generated_tokens", "generated_difficulty", "text", "text_name",
    "min_count", "seed",
)  # fmt: skip


@st.cache_resource(max_entries=64, show_spinner="Reading the corpus...")
def _lesson(key: tuple) -> Lesson:
    return build_lesson(Settings(**dict(zip(CORPUS_FIELDS, key, strict=True))))


def lesson_key(s: Settings) -> tuple:
    """The values of CORPUS_FIELDS: equal keys make the same lesson."""
    key = {f: getattr(s, f) for f in CORPUS_FIELDS}
    if s.source != "generated":
        key["seed"] = 0
    return tuple(key.values())


def lesson(s: Settings) -> Lesson:
    """The (shared, read-only) lesson for these settings; raises W2VError on bad input."""
    return _lesson(lesson_key(s))


def current() -> tuple[Settings, Lesson]:
    """Settings in use and their lesson, for pages.

    Does not raise: the sidebar stores only settings whose lesson it has built.
    """
    s = st.session_state.get(STATE, Settings())
    return s, lesson(s)


@dataclass(frozen=True)
class Model:
    """This user's model: the trainer, the settings it was made from, and its identity."""

    key: tuple  # (lesson key, engine config): equal keys train the same model
    trainer: Trainer
    settings: Settings  # the sidebar's settings when the model was made
    serial: int  # 1, 2, ... per session: views of an older model are forgotten


def _trainer_key(s: Settings, **overrides) -> tuple:
    return (lesson_key(s), s.config(**overrides))


def held_model() -> Model | None:
    return st.session_state.get(TRAINER)


def held_trainer() -> Trainer | None:
    """This user's trainer as it is, whatever the settings say now."""
    held = held_model()
    return None if held is None else held.trainer


def model_serial() -> int:
    """Identity of this user's current model (0 before the first)."""
    held = held_model()
    return 0 if held is None else held.serial


def trainer_is_current(s: Settings, les: Lesson, **overrides) -> bool:
    held = held_model()
    return held is not None and held.key == _trainer_key(s, **overrides)


def reset_trainer(s: Settings, les: Lesson, **overrides) -> Trainer:
    """A fresh trainer from the seed for these settings (replaces this user's model)."""
    cfg = s.config(**overrides)
    if (cfg.min_count, cfg.max_vocab) == (s.min_count, MAX_VOCAB):  # the lesson's own counts
        tr = Trainer(cfg).prepare_encoded(les.vocab, les.corpus)
    else:
        tr = Trainer(cfg).prepare(les.sentences)
    serial = st.session_state.get(SERIAL, 0) + 1
    st.session_state[SERIAL] = serial
    st.session_state[TRAINER] = Model(_trainer_key(s, **overrides), tr, s, serial)
    return tr


def imported_vectors():
    """The vectors this user imported on Explore and share (or None)."""
    return st.session_state.get(IMPORTED)


def forget_trainer() -> None:
    """Drop this user's model (the next page that needs one makes a fresh one)."""
    st.session_state.pop(TRAINER, None)


def trainer(s: Settings, les: Lesson, **overrides) -> Trainer:
    """This user's trainer for the current corpus and settings (a new one when they change)."""
    if not trainer_is_current(s, les, **overrides):
        return reset_trainer(s, les, **overrides)
    return held_trainer()


def shown_trainer() -> Trainer | None:
    """The live model a page shows, drawing nothing: the trained model kept after a
    settings change, else the current settings' model (None when it cannot be built; the
    page's first section shows why)."""
    s, les = current()
    held = held_trainer()
    if held is not None and held.examples_seen_ > 0 and not trainer_is_current(s, les):
        return held
    try:
        return trainer(s, les)
    except W2VError:
        return None


def page_trainer(s: Settings, les: Lesson, key: str, on_reset=None) -> Trainer | None:
    """This user's trainer for a page that shows the model.

    When the settings changed after the model was trained, the trained model stays on
    show, with a warning and a button (widget ``key``) that starts a new one (then
    ``on_reset()`` clears what the page kept). Shows the error and returns None when
    the settings cannot build a trainer.
    """
    held = held_trainer()
    if held is not None and held.examples_seen_ > 0 and not trainer_is_current(s, les):
        st.session_state[ON_SCREEN] = held_model().settings  # the link describes this model
        st.warning(
            "The corpus or hyperparameters changed since your model was trained: this page "
            "shows the trained model (and the lesson link describes it)."
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
        out["generated_tokens"] = widgets.setting(
            "generated_tokens", cur.generated_tokens, key="w_gen_tokens"
        )
        out["generated_difficulty"] = widgets.setting(
            "generated_difficulty", cur.generated_difficulty, key="w_gen_difficulty"
        )
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


SIDEBAR_FIELDS = ("window", "dim", "negative", "model", "loss", "alpha", "epochs", "seed")
MORE_FIELDS = ("noise_alpha", "min_count", "sample", "batch_size", "dynamic_window")


def _hyperparameters(cur: Settings) -> dict:
    st.header("Hyperparameters")
    out = {f: widgets.setting(f, getattr(cur, f), key=f"w_{f}") for f in SIDEBAR_FIELDS}
    with st.expander("More: noise, min_count, subsampling, batch, dynamic window"):
        out |= {f: widgets.setting(f, getattr(cur, f), key=f"w_{f}") for f in MORE_FIELDS}
    return out


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


def _notices(s: Settings) -> None:
    link_settings, notices = st.session_state[LINK_READ]
    for n in notices:
        if s == link_settings:  # shown until the user changes something
            st.warning(md(n))


def _differences(a: Settings, b: Settings) -> str:
    """'window 3 (sidebar 2), seed 1 (sidebar 0)': link values of a that b does not share."""
    pa, pb = settings_to_params(a), settings_to_params(b)
    return ", ".join(
        f"{k} {pa.get(k, '–')} (sidebar {pb.get(k, '–')})"
        for k in dict.fromkeys([*pa, *pb])
        if pa.get(k) != pb.get(k)
    )


def share() -> None:
    """The lesson link of what the page showed: written to the address bar and to the
    sidebar's share box. Call after the page has run."""
    sidebar_settings = st.session_state.get(STATE, Settings())
    shown = st.session_state.pop(ON_SCREEN, None) or sidebar_settings
    params = settings_to_params(shown) | presenter.link_params() | tour.link_params()
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    box = st.sidebar.expander(
        "Share this lesson", icon=":material/link:", key=SHARE_OPEN, on_change="rerun"
    )
    if not box.open:  # drawn when opened: st.code's highlighter costs a browser ~1 s a page
        return
    with box:
        base = (st.context.url or "").split("?")[0]
        st.code(f"{base}?{urlencode(params)}", language=None, wrap_lines=True)
        note = (
            "This link opens the current page with the same corpus, settings and seed, "
            "so the same run."
        )
        if shown != sidebar_settings:
            note = (
                "This link opens the model on screen, trained with other settings than the "
                f"sidebar's: {_differences(shown, sidebar_settings)}."
            )
        if shown.source not in LINK_SOURCES:
            note += " Pasted or uploaded text is not part of it."
        st.caption(note)


def sidebar() -> Settings:
    """Draw the shared sidebar and return the settings in use (the share box comes later,
    from ``share()``, once the page has said what it shows)."""
    _read_link()
    st.session_state.pop(ON_SCREEN, None)  # each run's page says anew what it shows
    cur = st.session_state.get(STATE, Settings())
    # Widgets start from the settings in use (from the link on the first run). Passing the
    # value, rather than only setting the widget's state, also covers a rerun that arrives
    # before the browser has drawn the sidebar: it then sends the widgets' initial values.
    shown = cur if STATE in st.session_state else st.session_state[LINK_READ][0]
    with st.sidebar:
        presenter.toggle()
        tour.switch()
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
    with st.sidebar:
        for w in lesson_warnings(les, candidate):
            st.warning(md(w))
        _notices(candidate)
    return candidate
