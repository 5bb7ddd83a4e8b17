"""Hostile input, by category, through the real app (AppTest).

The sidebar refuses a bad corpus or setting before any page runs, so a refusal is
tested once, plus ONE test that every page renders after a refusal. A strange but
usable corpus or setting reaches every page, so one session visits them all. Then
the categories the pages handle themselves: lesson links, uploaded corpus files,
imported vectors in every format, degenerate vectors, markup in user text, long
jobs, divergence and hierarchical softmax. Every case must end in a clear message
or a working page: no exception, nothing rendered as HTML, nothing the user had
lost. The unit tests of each guard live next to it (test_numeric_guards,
test_escape, test_jobs, test_io, test_diagnose).
"""

import io
import json
import tracemalloc
import zipfile

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from lab import explore_view as ev
from lab.lesson import MAX_TEXT_BYTES, MAX_VOCAB, Settings, build_lesson
from lab.routes import ROOT, ROUTES
from lab.session import STATE
from tests.apptest import finish_jobs, plain
from w2v_core.errors import CorpusError, VectorsFormatError
from w2v_core.io import save_model_npz
from w2v_core.tokenize import MAX_SENTENCE_TOKENS, MAX_TOKEN_CHARS, tokenize_line

PAGES = [r.path for r in ROUTES]
FIRST = PAGES[0]
GOOD = "the quick brown fox jumped over the lazy dog\nthe lazy dog slept"
ONE_WORD_1M = "a " * 1_000_000  # 2,000,000 bytes: under the 2 MB cap
TWO_WORDS_1M = "a b " * 500_000  # one line of 1,000,000 tokens and 2 distinct words
DISTINCT_100K = "\n".join(
    " ".join(f"w{i}" for i in range(j, j + 10)) for j in range(0, 100_000, 10)
)
HTML = "<script>alert('x')</script> <b>bold</b> words <img src=x onerror=alert(1)> and more words"
TICKS = 2  # live-training ticks in the extreme-setting cases


def open_app(page: str = FIRST, query: dict | None = None, **state) -> AppTest:
    """The app on ``page``, with a link's query and session state set before the first run."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if query:
        at.query_params.update(query)
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(page)
    return at.run()


def pasted(page: str, text: str) -> AppTest:
    return open_app(page, w_source="paste", w_paste=text)


def settings(at) -> Settings:
    return at.session_state[STATE]


def walk(node):
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from walk(child)


def assert_healthy(at) -> None:
    """No exception, the page drew its title, and nothing is rendered as raw HTML."""
    assert not at.exception, [e.message for e in at.exception]
    assert at.title, "the page stopped before its title"
    for md in at.markdown:  # tags in user text are dropped as punctuation, not passed on
        assert "<script" not in md.value and "<img" not in md.value, md.value
    for node in walk(at._tree):
        assert getattr(node, "type", None) != "html", "st.html renders raw HTML"
        proto = getattr(node, "proto", None)
        assert not getattr(proto, "allow_html", False), f"HTML allowed in {node!r}"


def messages(elements) -> list[str]:
    """What the page reads for these elements (Markdown escapes removed)."""
    return [plain(e.value) for e in elements]


def every_page(at, check=lambda at, page: None) -> None:
    """Visit every page in this session; each must be healthy (and pass ``check``)."""
    for page in PAGES:
        at.switch_page(page).run()
        assert_healthy(at)
        check(at, page)


# ==== 1. corpus text (the sidebar refuses or accepts it before any page) ==================

BAD = {
    "empty": ("", "empty"),
    "whitespace_only": (" \t\n  \u3000\r\n\u2028 ", "empty"),
    "emoji_only": ("🙂🎉 👩\u200d💻\n🚀🔥 ❤️ 🇫🇷", "No words"),
    "control_chars_and_nul": ("\x00\x01\x02\x1b\x7f\x08\x00\x1f", "No words"),
    "html_punctuation_only": ("<><//> <!-- --> </> <? ?> <!>", "No words"),
    "combining_marks_only": ("\u0301\u0301 \u0308\u20dd", "No words"),
    "zero_width_only": ("\u200b\u200c\u200d\ufeff \u2060", "No words"),
    "one_word_repeated": ("hello " * 5_000, "one distinct word"),
    "one_giant_word": ("x" * 500_000, "one distinct word"),
    "a_million_words_of_one_kind": (ONE_WORD_1M, "one distinct word"),
    "over_2_MB": ("ab " * (MAX_TEXT_BYTES // 3 + 10), "MB limit"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_corpus_is_refused_and_the_good_one_kept(case):
    text, fragment = BAD[case]
    at = pasted(FIRST, GOOD)
    assert_healthy(at)
    assert settings(at).text == GOOD
    at.text_area(key="w_paste").input(text).run()
    assert_healthy(at)
    errors = messages(at.error)
    assert any(fragment in m and "kept" in m for m in errors), errors
    assert all(len(m) < 400 for m in errors)  # a message, never the text itself
    assert settings(at).text == GOOD  # nothing the user had is lost


def test_every_page_renders_after_a_refusal():
    at = pasted(FIRST, GOOD)
    at.text_area(key="w_paste").input("🙂 🎉").run()
    assert any("No words" in m for m in messages(at.error))

    def still_good(at, page):
        assert settings(at).text == GOOD
        assert any("kept" in m for m in messages(at.error)), page

    every_page(at, still_good)


def test_a_paste_of_more_than_a_million_characters_is_read_not_dropped():
    """The box used to stop at 1,048,576 characters: the browser dropped a longer paste
    and the page said "The text is empty". Now the 2 MB cap is a message."""
    text = "a b " * 300_000  # 1,200,000 characters, 2 words
    at = pasted(FIRST, GOOD)
    assert at.text_area(key="w_paste").proto.max_chars == 0  # no cap in the browser
    at.text_area(key="w_paste").input(text).run()
    assert_healthy(at)
    assert settings(at).text == text and not at.error
    at.text_area(key="w_paste").input("a b " * 600_000).run()  # 2.4 MB
    assert any("2 MB limit" in m and "kept" in m for m in messages(at.error))
    assert not any("empty" in m for m in messages(at.error))
    assert settings(at).text == text


def test_a_million_words_as_an_upload():
    with pytest.raises(CorpusError, match="one distinct word"):
        build_lesson(Settings(source="upload", text=ONE_WORD_1M))
    with pytest.raises(CorpusError, match="MB limit"):
        build_lesson(Settings(source="upload", text=ONE_WORD_1M * 2))
    les = build_lesson(Settings(source="upload", text=TWO_WORDS_1M))
    assert les.n_tokens == 1_000_000 and les.vocab.words == ("a", "b")
    # one line without a break is cut into sentences of at most MAX_SENTENCE_TOKENS
    assert les.longest_sentence == MAX_SENTENCE_TOKENS
    assert len(les.sentences) == 1_000_000 // MAX_SENTENCE_TOKENS


LONG_LINE = " ".join(f"word{(i * 7919) % 3000}" for i in range(30_000))  # 30k tokens, no break
ACCEPTED = {
    "emoji_mixed_with_words": "I 🙂 love 🎉 word2vec 🚀 and 👩\u200d💻 vectors 🔥\nvectors 🙂 love",
    "right_to_left": "مَرْحَبًا بالعالم مرحبا بكم في العالم\nשָׁלוֹם עולם שלום לכם בעולם\nمرحبا שלום",
    "bidi_overrides": "the \u202ecat\u202c sat\nthe \u2067dog\u2069 sat",
    "control_chars_mixed_with_words": "the\x00cat\x1bsat\x07 on\x7fthe mat\r\nthe dog\x0bsat",
    "html_and_script_tags": HTML,
    "markdown_and_latex": "**bold** [click](https://evil.example) $x^2$ :red[big] the end\n# a b",
    "numbers_as_words": "1 2 3 2024 1 2\n3 2 1 0.5",
    "very_long_single_line": LONG_LINE,
    "mixed_scripts": "东京 Tokyo Москва Moscow हिन्दी भाषा Ελληνικά 🙂\n"
    "tokyo 东京 moscow москва भाषा हिन्दी\nCafe\u0301 café naïve NAI\u0308VE",
    "chinese_without_spaces": "我喜欢深度学习。我喜欢自然语言处理。\n你喜欢深度学习吗？我们学习。",
    "two_words": "yes no\nno yes",
    "giant_words_among_words": "y" * 300_000 + " the cat\n" + "z" * 200_000 + "é the dog",
    "long_words_that_start_alike": "a" * 120 + "x b\n" + "a" * 120 + "y c b",
    "distinct_100k_words": DISTINCT_100K,
}
EXPECT_WORDS = {  # words the lesson must hold, to check the text was read as meant
    "emoji_mixed_with_words": {"love", "word2vec", "vectors"},
    "right_to_left": {"مَرْحَبًا", "بالعالم", "שָׁלוֹם", "שלום"},
    "control_chars_mixed_with_words": {"the", "cat", "sat", "mat", "dog"},
    "html_and_script_tags": {"script", "alert", "bold", "words"},
    "markdown_and_latex": {"bold", "click", "https", "red", "big"},
    "numbers_as_words": {"1", "2", "2024"},
    "mixed_scripts": {"东京", "москва", "हिन्दी", "café", "naïve"},
}
EXPECT_WARNING = {  # a notice the sidebar must give
    "distinct_100k_words": "most frequent words",
    "chinese_without_spaces": "no spaces between words",
    "long_words_that_start_alike": "cut there",
}


@pytest.mark.parametrize("case", list(ACCEPTED))
def test_strange_but_usable_corpus_reaches_every_page(case):
    text = ACCEPTED[case]
    at = pasted(FIRST, text)
    assert_healthy(at)
    assert settings(at).text == text  # accepted, not refused
    les = build_lesson(settings(at))  # the lesson every page uses
    assert set(les.vocab.words) >= EXPECT_WORDS.get(case, set())
    assert all(tokenize_line(w) == [w] for w in les.vocab.words)  # clean words, nothing else
    assert all(len(w) <= MAX_TOKEN_CHARS for w in les.vocab.words)
    if case in EXPECT_WARNING:
        assert any(EXPECT_WARNING[case] in m for m in messages(at.warning)), messages(at.warning)
    if case == "distinct_100k_words":
        assert len(les.vocab) == MAX_VOCAB
    if case == "very_long_single_line":
        assert les.longest_sentence <= MAX_SENTENCE_TOKENS
    every_page(at)


def test_a_million_token_upload_reaches_every_page():
    """An uploaded file is kept in the settings: put it there, as after an upload."""
    s = Settings(source="upload", text=TWO_WORDS_1M, text_name="huge.txt")
    at = open_app(FIRST, w_source="upload", **{STATE: s})
    assert_healthy(at)
    every_page(at, lambda at, page: None if not at.error else pytest.fail(messages(at.error)))
    assert settings(at).text == TWO_WORDS_1M


HOSTILE_NAMES = [
    "[click](javascript:alert(1)).txt",
    "<script>x</script>.txt",
    "**$x$**.txt",
    ":red[big] :material/home:.txt",
    "__init__.txt",
    "\u202eevil\u202c.txt",
    "\x00",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_an_uploaded_file_name_is_shown_as_plain_words(name):
    title = build_lesson(Settings(source="upload", text=GOOD, text_name=name)).title
    assert title and len(title) <= 60
    assert not set(title) & set("[]<>*$:_`#|!\\\u202e\u202c\x00~")


def test_upload_name_on_the_pages_that_show_it():
    s = Settings(source="upload", text=GOOD, text_name="[click](javascript:alert(1)).txt")
    at = open_app(FIRST, w_source="upload", **{STATE: s})

    def no_link(at, page):
        shown = [e.value for e in [*at.markdown, *at.info, *at.caption] if "click" in e.value]
        assert not any("](" in m for m in shown), (page, shown)

    every_page(at, no_link)


def test_lone_surrogates_are_a_message_or_a_lesson_never_a_crash():
    les = build_lesson(Settings(source="paste", text="one two \ud800 three one"))
    assert les.vocab.words[0] == "one"
    with pytest.raises(CorpusError, match="No words"):
        build_lesson(Settings(source="paste", text="\udfff \ud800"))


def test_no_page_can_render_raw_html():
    """Only presenter mode's fixed style sheet (a constant, no user text) goes in as HTML."""
    sources = [ROOT / "app.py", *(ROOT / "lab").rglob("*.py"), *(ROOT / "app_pages").glob("*.py")]
    for path in sources:
        code = path.read_text(encoding="utf-8")
        if path.name == "presenter.py":
            assert code.count("st.html(") == 1 and "st.html(CSS)" in code
            assert 'CSS = """\n<style>' in code and "{" not in code.split("CSS = ")[1][:3]
            code = code.replace("st.html(CSS)", "")
        for pattern in ("unsafe_allow_html", "st.html(", "components.html", "components.v1"):
            assert pattern not in code, f"{path.relative_to(ROOT)} uses {pattern}"


# ==== 2. extreme and contradictory hyperparameters ========================================

TWO_WORD_SENTENCES = "a b\nc d\ne f\na c\nb d"
THREE_WORDS = "red green blue"
# case: (corpus or None for the default preset, {widget key: value}, expected message or None)
REFUSED = {
    "min_count_1000_leaves_nothing": (None, {"w_min_count": 1000}, "min_count"),
    "softmax_with_a_huge_vocabulary": (DISTINCT_100K, {"w_loss": "softmax"}, "Full softmax"),
}
HYPER = {
    "window_10_with_2_word_sentences": (TWO_WORD_SENTENCES, {"w_window": 10}, "past every"),
    "dim_100_with_3_words": (THREE_WORDS, {"w_dim": 100}, None),
    "learning_rate_100": (None, {"w_alpha": 100.0}, None),
    "epochs_1000": (None, {"w_epochs": 1000}, None),
    "negatives_20_with_3_words": (THREE_WORDS, {"w_negative": 20}, None),
    "subsampling_leaves_few_tokens": ("a " * 40 + "b c", {"w_sample": 0.01}, "Subsampling"),
    "nlp_cbow_softmax_window_10_dim_2": (
        None,
        {"w_preset": "nlp", "w_model": "cbow", "w_loss": "softmax", "w_window": 10, "w_dim": 2},
        None,
    ),
    "hierarchical_softmax_with_3_words": (THREE_WORDS, {"w_loss": "hs", "w_model": "cbow"}, None),
    "hierarchical_softmax_huge_vocabulary": (DISTINCT_100K, {"w_loss": "hs", "w_window": 10}, None),
}


def set_widget(at, key: str, value) -> None:
    for kind in ("slider", "number_input", "radio", "select_slider", "selectbox"):
        widgets = [w for w in at.get(kind) if w.key == key]
        if widgets:
            widgets[0].set_value(value)
            return
    raise AssertionError(f"no widget with key {key!r}")


def with_settings(text, widgets) -> tuple[AppTest, Settings]:
    at = open_app(FIRST) if text is None else pasted(FIRST, text)
    assert_healthy(at)
    before = settings(at) if STATE in at.session_state else Settings()
    for key, value in widgets.items():
        set_widget(at, key, value)
    at.run()
    assert_healthy(at)
    return at, before


@pytest.mark.parametrize("case", list(REFUSED))
def test_settings_that_cannot_work_are_refused(case):
    text, widgets, fragment = REFUSED[case]
    at, before = with_settings(text, widgets)
    assert any(fragment in m and "kept" in m for m in messages(at.error)), messages(at.error)
    assert settings(at) == before  # the previous good settings are kept


@pytest.mark.parametrize("case", list(HYPER))
def test_extreme_settings_reach_every_page(case):
    text, widgets, fragment = HYPER[case]
    at, before = with_settings(text, widgets)
    if fragment is not None:
        shown = messages(at.error) + messages(at.warning)
        assert any(fragment in m for m in shown), shown
    assert settings(at) != before  # the new settings are in use

    def train_a_little(at, page):
        if page != "app_pages/train.py":
            return
        at.radio(key="train_pace").set_value("fast").run()  # ticks of many examples
        at.button(key="train_start").click().run()
        for _ in range(TICKS):
            at.run()
            assert_healthy(at)
        tr = at.session_state["lesson_trainer"].trainer
        diverged = any("diverged" in m and "rolled back" in m for m in messages(at.error))
        assert tr.examples_seen_ > 0 or diverged, messages(at.error)
        if case == "learning_rate_100":
            assert diverged, messages(at.error)  # said so, and the last good model is kept
        assert np.isfinite(tr.W_in_).all() and np.isfinite(tr.W_out_).all()
        if at.session_state["live_running"]:
            at.button(key="train_start").click().run()  # pause before the next page

    every_page(at, train_a_little)


# ==== 3. lesson links ======================================================================

# case: (query, settings the session must use, fragment of the notice or None)
LINKS = {
    "unknown_key_of_100_kB": ({"k" * 100_000: "1"}, Settings(), "not a lesson setting"),
    "five_hundred_unknown_keys": ({f"x{i}": "1" for i in range(500)}, Settings(), "495 more"),
    "markup_key": ({"[phish](https://evil.example)": "1"}, Settings(), "[phish]"),
    "latex_value": ({"window": "$\\href{https://evil.example}{x}$"}, Settings(), "window="),
    "nan_value": ({"alpha": "nan"}, Settings(), "not a finite number"),
    "inf_value": ({"alpha": "-inf"}, Settings(), "not a finite number"),
    "overflowing_value": ({"seed": "1e309"}, Settings(), "not a finite number"),
    "value_of_5000_digits": ({"epochs": "9" * 5_000}, Settings(), "not a finite number"),
    "negative_window": ({"window": "-3"}, Settings(), "lies outside"),
    "fraction_for_a_count": ({"window": "2.5"}, Settings(), "not a whole number"),
    "hex_value": ({"dim": "0x10"}, Settings(), "not a number"),
    "fullwidth_digits": ({"window": "５"}, Settings(window=5), None),
    "spaces_around": ({"window": " 3 "}, Settings(window=3), None),
    "nul_in_value": ({"window": "3\x00"}, Settings(), "not a number"),
    "unknown_preset": ({"preset": "<b>x</b>"}, Settings(), "must be one of"),
    "pasted_text_source": ({"source": "paste"}, Settings(), "cannot travel"),
    "min_count_1000": ({"min_count": "1000"}, Settings(), "defaults are used"),
    "over_the_memory_cap": (
        {"source": "generated", "tokens": "1000000", "window": "10", "dim": "100"},
        Settings(),
        "256 MB",
    ),
    "a_good_link": ({"preset": "fruit", "window": "3"}, Settings(preset="fruit", window=3), None),
}


@pytest.mark.parametrize("case", list(LINKS))
def test_a_hostile_link_gives_a_short_notice_and_usable_settings(case):
    query, expected, fragment = LINKS[case]
    at = open_app(FIRST, query=query)
    assert_healthy(at)
    notes = messages(at.warning)
    if fragment is None:
        assert not notes
    else:
        assert any(fragment in n for n in notes), notes
    assert all(len(n) < 1_000 for n in notes)  # a notice, never the link
    assert settings(at) == expected  # what the session uses...
    assert at.slider(key="w_window").value == expected.window  # ...is what the sidebar shows
    assert at.number_input(key="w_min_count").value == expected.min_count


# ==== 4. uploaded corpus files (the sidebar) ===============================================

TEXT_FILES = {
    "utf16": ("\ufefftwo words".encode("utf-16"), "UTF-16"),
    "binary_with_nul": (b"two\x00words\x00\x01\x02", "binary"),
    "latin1": ("café crème".encode("latin-1"), "not UTF-8"),
    "gzip_renamed": (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", "binary"),
    "empty": (b"", "empty"),
    "bom_only": (b"\xef\xbb\xbf", "empty"),
}


@pytest.mark.parametrize("case", list(TEXT_FILES))
def test_an_unreadable_corpus_file_is_a_message(case):
    data, fragment = TEXT_FILES[case]
    at = open_app(FIRST)
    at.radio(key="w_source").set_value("upload").run()
    at.file_uploader(key="w_upload").set_value(("x.txt", data, "text/plain")).run()
    assert_healthy(at)
    assert any(fragment in m and "kept" in m for m in messages(at.error)), messages(at.error)
    assert settings(at).source == "preset"  # the previous corpus is kept


def test_a_corpus_file_with_crlf_and_a_bom_is_read():
    at = open_app(FIRST)
    at.radio(key="w_source").set_value("upload").run()
    data = "\ufeffthe cat sat\r\nthe dog sat\r\n".encode()
    at.file_uploader(key="w_upload").set_value(("c.txt", data, "text/plain")).run()
    assert_healthy(at)
    assert build_lesson(settings(at)).vocab.words[0] == "the" and not at.error


# ==== 5. imported vectors (Explore's upload) ===============================================


def npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def npz_announcing(shape, dtype="<f4", name="W_in") -> bytes:
    """A zip whose member ``name`` has a .npy header announcing ``shape`` but no data;
    the other member (words or W_in) is small and real."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": dtype, "fortran_order": False, "shape": tuple(shape)}
    )
    other = io.BytesIO()
    if name == "W_in":
        np.save(other, np.array([f"w{i}" for i in range(4)]))
    else:
        np.save(other, np.zeros((4, 2), np.float32))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{name}.npy", header.getvalue() + b"\x00" * 64)
        zf.writestr("words.npy" if name == "W_in" else "W_in.npy", other.getvalue())
    return out.getvalue()


def model_file(words, W, meta=None) -> bytes:
    buffer = io.BytesIO()
    save_model_npz(buffer, {"words": list(words), "W_in": W}, meta or {})
    return buffer.getvalue()


GOOD_ROWS = b"".join(f"w{i} {i % 3} {i % 5} {i % 7}\n".encode() for i in range(12))
# case: (file name, bytes, fragment of the error, or None: imported)
VECTOR_FILES = {
    "npz_4_words_x_8M_dims": ("m.npz", npz_announcing((4, 8_000_000)), "dimensions per word"),
    "npz_2_words_x_1e12_dims": ("m.npz", npz_announcing((2, 10**12)), "dimensions per word"),
    "npz_words_of_1M_chars": (
        "m.npz",
        npz_announcing((500_000,), "<U1000000", "words"),
        "per array",
    ),
    "npz_3d_W_in": ("m.npz", npz_announcing((2, 3, 4)), "expected (V, d)"),
    "npz_complex_W_in": ("m.npz", npz_announcing((3, 4), "<c16"), "expected (V, d)"),
    "npz_pickled_objects": (
        "m.npz",
        npz(words=np.array(["a", "b"]), W_in=np.array([[{}], [{}]], dtype=object)),
        "pickled",
    ),
    "npz_nan_values": ("m.npz", model_file(["a", "b"], np.array([[np.nan], [1.0]])), "NaN"),
    "npz_words_not_text": ("m.npz", npz(words=np.arange(3), W_in=np.zeros((3, 2))), "list of text"),
    "npz_truncated": ("m.npz", model_file(["a", "b", "c"], np.zeros((3, 2)))[:-30], "model file"),
    "npz_without_W_in": ("m.npz", npz(words=np.array(["a", "b"])), "no 'W_in'"),
    "npz_nested_json_meta": (
        "m.npz",
        npz(words=np.array(["a", "b"]), W_in=np.eye(2), __meta__=np.array("[" * 100_000)),
        "not valid JSON",
    ),
    "empty_zip": ("m.npz", b"PK\x05\x06" + b"\x00" * 18, "no 'words' or 'W_in'"),
    "text_header_1e9_x_1e9": ("v.txt", b"1000000000 1000000000\nw 1\n", "dimensions per word"),
    "text_header_of_5000_digits": ("v.txt", b"9" * 5000 + b" 3\nw 1 2 3\n", "too large"),
    "text_3M_dimensions": ("v.txt", b"1 3000000\nw " + b"0 " * 3_000_000 + b"\n", "dimensions"),
    "text_2M_words": ("v.txt", b"2000000 1\n" + b"a 1\n" * 10, "words"),
    "text_headerless_glove": ("g.txt", GOOD_ROWS, None),
    "text_fasttext_bad_utf8": ("f.vec", b"12 3\n" + GOOD_ROWS.replace(b"w3 ", b"w\xff3 "), None),
    "text_binary_word2vec": ("b.vec", b"2 2\nab \x00\x00\x80?\x00\x00\x00@\ncd \x00\x00", "binary"),
    "text_utf16": ("u.txt", "2 1\na 1\nb 2\n".encode("utf-16"), "binary"),
    "text_inf_value": ("v.txt", b"2 2\na 1 2\nb inf 2\n", "NaN"),
    "text_1e39_value": ("v.txt", b"2 2\na 1 2\nb 1e39 2\n", "too large"),
    "text_duplicate_word": ("v.txt", b"2 1\na 1\na 2\n", "duplicate"),
    "text_one_word": ("v.txt", b"1 1\na 1\n", "at least 2"),
    "text_zero_dims": ("v.txt", b"2 0\na\nb\n", "0 dimensions"),
    "text_empty": ("v.txt", b"", "empty"),
    "text_word_of_200_kB": ("v.txt", b"2 1\n" + b"x" * 200_000 + b" 1\nb 2\n", None),
    "text_crlf_bom_markup_words": ("v.txt", "\ufeff2 1\r\n**a** 1\r\n[b](c) 2\r\n".encode(), None),
}


def import_file(name: str, data: bytes) -> AppTest:
    at = open_app("app_pages/explore.py")
    at.file_uploader(key="explore_upload").set_value((name, data, "text/plain")).run()
    assert_healthy(at)
    return at


@pytest.mark.parametrize("case", list(VECTOR_FILES))
def test_every_vectors_file_is_imported_or_refused_with_a_message(case):
    name, data, fragment = VECTOR_FILES[case]
    at = import_file(name, data)
    errors = messages(at.error)
    if fragment is None:
        assert not errors, errors
        vec = at.session_state["xp_imported"]
        assert vec.V >= 2 and np.isfinite(vec.W).all()
        if case == "text_fasttext_bad_utf8":
            assert "w\ufffd3" in vec.words and "replaced" in vec.origin
        if case == "text_headerless_glove":
            assert vec.V == 12 and "no 'V d' header" in vec.origin
        assert at.session_state["explore_source"] == "imported"  # the page works on them:
        assert any("cosine" in d.value.columns for d in at.dataframe)  # neighbours
        assert at.get("plotly_chart")  # similarity and projection
    else:
        assert any(fragment in e for e in errors), errors
        assert all(len(e) < 1_200 for e in errors)  # a message, not the file
        assert "xp_imported" not in at.session_state


def test_a_huge_announced_npz_is_refused_before_it_is_allocated():
    """Before the cap: a 0.75 MB npz of 4 words x 8M dimensions took the server to
    4.1 GB. Now the .npy header is read first; the import stays under a few MB."""
    data = npz_announcing((4, 8_000_000))
    tracemalloc.start()
    with pytest.raises(VectorsFormatError, match="8,000,000 dimensions"):
        ev.import_vectors(data, "m.npz")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5 * 2**20, peak


def test_an_import_counts_against_the_session_cap():
    """A live model that holds most of the session's memory leaves room for less."""
    rows = 20_000
    data = b"".join(f"w{i} {' '.join(['0.5'] * 300)}\n".encode() for i in range(rows))
    data = f"{rows} 300\n".encode() + data
    assert ev.import_vectors(data, "v.txt").V == rows  # 24 MB fits next to nothing
    with pytest.raises(VectorsFormatError, match="live model holds"):
        ev.import_vectors(data, "v.txt", held=240 * 2**20)


# ==== 6. degenerate vectors (projections) ==================================================
# t-SNE of identical rows crashed the process: tests/test_numeric_guards.py runs those
# cases in a child process. Here the pages draw PCA of degenerate imports.

DEGENERATE = {
    "identical_rows": np.ones((6, 3)),
    "zero_rows": np.zeros((5, 4)),
    "one_column": np.arange(6.0)[:, None],
    "two_distinct_rows": np.vstack([np.ones((5, 3)), np.zeros((1, 3))]),
    "float32_extremes": np.array([[3.4e38, -3.4e38], [-3.4e38, 3.4e38], [1.0, 1.0]]),
}


@pytest.mark.parametrize("case", list(DEGENERATE))
def test_degenerate_imports_draw_their_projection(case):
    W = DEGENERATE[case]
    words = [f"w{i}" for i in range(len(W))]
    at = import_file("d.npz", model_file(words, W))
    assert not at.error
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    proj = [c for c in charts if "PC 1" in json.dumps(c["layout"].get("xaxis", {}))]
    assert proj, "no PCA chart"
    at.toggle(key="explore_3d").set_value(True).run()
    assert_healthy(at)


# ==== 7. divergence and hierarchical softmax ===============================================


def test_a_tiny_vocabulary_divergence_is_blamed_on_the_minibatch():
    """3 words, k = 20, rate 0.05: per-example SGD stays finite, our minibatch of 64 piles
    ~450 updates on one row. The message says so and what to change."""
    at = pasted("app_pages/explore.py", "a b c " * 30)
    set_widget(at, "w_negative", 20)
    at.run()
    at.button(key="explore_train").click().run()
    finish_jobs(at)
    assert_healthy(at)
    errors = messages(at.error)
    assert any("minibatch of 64" in e and "Lower the learning rate" in e for e in errors), errors
    tr = at.session_state["lesson_trainer"].trainer
    assert np.isfinite(tr.W_in_).all()


def test_hierarchical_softmax_offers_only_word_rows_on_explore():
    at = open_app("app_pages/explore.py", query={"loss": "hs"}, explore_matrix="W_out")
    assert_healthy(at)
    assert at.radio(key="explore_matrix").options == ["W_in (= E)"]
    at.button(key="explore_train").click().run()
    finish_jobs(at)
    assert_healthy(at)
    assert any("inner nodes" in m for m in messages(at.caption))
    tr = at.session_state["lesson_trainer"].trainer
    with pytest.raises(Exception, match="inner nodes"):
        ev.live_vectors(tr, "W_out")
    assert ev.live_vectors(tr, "W_in").words == tuple(tr.words_)
