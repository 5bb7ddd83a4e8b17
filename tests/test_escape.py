"""User text is shown as text: the escapes, every figure builder, and the pages.

``lab.escape.md`` must make Streamlit's Markdown show a string exactly as written
(no link, emphasis, maths, colour, icon, emoji, heading, list or autolink), and
``lab.escape.html`` must make Plotly show it exactly (no tag, entity or hover
template). The figure test builds every figure that draws words with hostile
words and looks for the raw markup anywhere in the figure's JSON; the page tests
feed hostile words, file names and link values through AppTest.
"""

import json
import re
import string

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from lab import explore_view as ev
from lab.escape import html, md, quoted, visible
from lab.figures import Escaped, label, labels, scatter_words
from lab.figures.cooc import cooc_heatmap, row_pair_figure, svd_scatter
from lab.figures.count import pmi_scatter
from lab.figures.explore import analogy_figure, projection_figure, similarity_figure
from lab.figures.noise import draws_figure, noise_distribution_figure
from lab.figures.train import matrix_heatmap, timelapse_figure
from lab.figures.vocab import one_hot_figure, similarity_heatmap, zipf_figure
from tests.apptest import plain
from tests.conftest import ROOT

HOSTILE = [
    "[click](https://evil.example/x)",
    "**bold**",
    "$x^2$",
    ":red[big]",
    ":material/home:",
    ":smile:",
    "<a href='https://evil.example'>a</a>",
    '<span style="font-size:90px">big</span>',
    "%{y}",
    "https://evil.example",
    "www.evil.example",
    "# heading",
    "1. list",
    "- item",
    "> quote",
    "`code`",
    "a\nb\r\nc",
    "\u202eevil\u202c",
    "&lt;&amp;",
    "\\*",
    "~~strike~~",
    "a|b",
    "_x_",
]
MARKUP = re.compile(r"<[a-z/]|%\{|\$[^$]+\$|&[a-z#0-9]+;.*&[a-z#0-9]+;")


# ---- the helpers -----------------------------------------------------------------------


def unescape_md(s: str) -> str:
    return re.sub(r"\\(.)", r"\1", s).replace("\u2060", "")


@pytest.mark.parametrize("word", HOSTILE)
def test_md_escapes_every_markdown_mark_and_reads_back(word):
    out = md(word)
    # every ASCII punctuation mark is escaped, and nothing else changes but line breaks
    assert not set(re.sub(r"\\.", "", out)) & set(string.punctuation)
    assert unescape_md(out) == visible(word)
    assert "\n" not in out and "\r" not in out


def test_md_and_visible_clip_and_show_control_characters():
    assert visible("\u202eab\x00") == "⟨U+202E⟩ab⟨U+0000⟩"
    long = "x" * 100_000
    assert len(md(long, 40)) < 80 and "100,000" not in md(long, 40)
    assert visible(long, 40).startswith("x" * 40 + "…")
    assert quoted("a*b") == "'a\\*b'"
    # bare addresses that remark-gfm would link after parsing get an invisible joiner
    assert "\u2060" in md("https://x.org") and "\u2060" in md("WWW.x.org")
    assert "\u2060" in md("me@x.org") and "\u2060" not in md("plain words")


@pytest.mark.parametrize("word", HOSTILE)
def test_html_leaves_no_tag_entity_or_template(word):
    out = html(word)
    assert "<" not in out and ">" not in out and "%{" not in out and "$" not in out
    entities = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&#34;": '"', "&#39;": "'",
                "&#36;": "$", "&#37;": "%"}  # fmt: skip
    back = re.sub(r"&(amp|lt|gt|#\d+);", lambda m: entities[m.group(0)], out)
    assert back == visible(word)


def test_labels_are_unique_after_clipping():
    words = ["a" * 50 + "1", "a" * 50 + "2", "<b>"]
    out = labels(words)
    assert len(set(out)) == 3 and out[2] == "&lt;b&gt;"
    assert Escaped(words)[2] == label("<b>") and len(Escaped(words)) == 3


# ---- every figure that draws words ------------------------------------------------------


def figures(words: list[str]) -> dict:
    n = len(words)
    rng = np.random.default_rng(0)
    P = rng.normal(size=(n, 2))
    S = np.eye(n)
    groups = ["<b>g</b>"] * n
    return {
        "scatter_words": scatter_words(P, words, groups, highlight=words[:2]),
        "projection_2d": projection_figure(P, words, groups, ("a", "b"), words[:2]),
        "projection_3d": projection_figure(
            rng.normal(size=(n, 3)), words, None, ("a", "b", "c"), words[:2]
        ),
        "similarity": similarity_figure(words, S),
        "analogy": analogy_figure([f"a: {w}" for w in words[:5]], rng.normal(size=(5, 4)), 0.5),
        "matrix_heatmap": matrix_heatmap(rng.normal(size=(n, 3)), words),
        "timelapse": timelapse_figure([("1", P), ("2", P)], words, groups, ([-3, 3], [-3, 3])),
        "cooc_heatmap": cooc_heatmap(S, words),
        "row_pair": row_pair_figure(words[0], words[1], words, S[:2], S[:2]),
        "svd_scatter": svd_scatter(P, words, None, [0.5, 0.2]),
        "pmi_scatter": pmi_scatter(P[:, 0], P[:, 1], words, np.ones(n), (-3, 3), 5),
        "noise": noise_distribution_figure(words, {"P": np.ones(n) / n}),
        "draws": draws_figure(words, np.ones(n) / n, np.ones(n) / n, 100),
        "zipf": zipf_figure(words, np.arange(n, 0, -1), np.ones(n, bool)),
        "one_hot": one_hot_figure(np.eye(n), words, np.arange(n), words),
        "similarity_heatmap": similarity_heatmap(S, words),
    }


def strings(node):
    """Every string in a figure's JSON."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from strings(v)


PLOTLY_HOSTILE = [  # what Plotly itself would read as markup
    "<a href='https://evil.example'>a</a>",
    '<span style="font-size:90px">big</span>',
    "<b>bold</b>",
    "a<br>b",
    "$x^2$",
    "&lt;&amp;",
    "%{customdata}z",
    "x" * 300,  # clipped: a megabyte word must not become a megabyte label
]


@pytest.mark.parametrize("name", list(figures(HOSTILE)))
def test_no_figure_lets_a_word_become_markup(name):
    words = PLOTLY_HOSTILE + HOSTILE
    spec = json.loads(figures(words).get(name).to_json())
    found = [s for s in strings(spec) if any(w in s for w in PLOTLY_HOSTILE)]
    assert not found, found[:5]  # no word reaches the figure as it was written
    texts = " ".join(strings(spec))
    assert "<a href" not in texts and "<span style" not in texts and "<b>bold" not in texts
    if name != "analogy":  # (draws five labels of its own)
        assert "&lt;a href=" in texts  # the words are there, escaped


# ---- the pages ---------------------------------------------------------------------------


def explore_with(words: list[str]) -> AppTest:
    """The Explore page on imported vectors whose words are ``words``."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("app_pages/explore.py").run()
    rng = np.random.default_rng(1)
    vec = ev.Vectors(tuple(words), rng.normal(size=(len(words), 4)), "[x](y).txt", "file [x](y)")
    at.session_state["xp_imported"] = vec
    at.run()
    at.radio(key="explore_source").set_value("imported").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def rendered(at) -> list[str]:
    """The Markdown source of every text element on the page."""
    out = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "subheader"):
        out += [e.value for e in at.get(kind)]
    out += [str(o) for r in at.radio for o in r.options]
    return out


def assert_escaped(texts: list[str], words: list[str]) -> None:
    """No word appears unescaped in Markdown; each one that appears reads back as itself."""
    for t in texts:
        for w in words:
            if len(w) > 3 and any(ch in w for ch in "[]*$:<>`#_~|"):
                assert w not in t, (w, t)


def test_explore_shows_imported_words_as_plain_text():
    words = list(
        dict.fromkeys(w.replace("\n", " ").replace("\r", " ") for w in HOSTILE + PLOTLY_HOSTILE[:7])
    )
    at = explore_with(words)
    a, b, c = words[:3]
    at.text_input(key="explore_a").set_value(a).run()
    at.text_input(key="explore_b").set_value(b).run()
    at.text_input(key="explore_c").set_value(c).run()
    at.text_input(key="explore_query").set_value(words[6]).run()
    at.text_input(key="explore_search").set_value("zz[q](r) " + words[3]).run()
    assert not at.exception
    texts = rendered(at)
    assert_escaped(texts, words)
    headline = next(t for t in texts if "by 3CosAdd" in t)
    assert plain(headline).startswith(f"**{a} : {b} :: {c} : ")  # reads as the words
    assert any("zz[q](r)" in plain(t) and "zz[q](r)" not in t for t in texts)  # typed, escaped
    at.multiselect(key="explore_heat_words").set_value(PLOTLY_HOSTILE[:4]).run()
    specs = [json.loads(ch.proto.spec) for ch in at.get("plotly_chart")]
    assert len(specs) == 3  # analogy, similarity, projection
    for spec in specs:
        assert not [s for s in strings(spec) if any(w in s for w in PLOTLY_HOSTILE)]


def test_a_hostile_link_shows_its_names_and_values_as_text():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["[phish](https://evil.example)"] = "1"
    at.query_params["window"] = "$\\href{https://evil.example}{x}$" + "9" * 200
    at.query_params["k" * 100_000] = "x"
    at.run()
    assert not at.exception
    notes = [w.value for w in at.warning]
    assert notes and all(len(n) < 1_000 for n in notes)
    assert_escaped(notes, ["[phish](https://evil.example)", "$\\href"])
    assert any("[phish](https://evil.example)" in plain(n) for n in notes)
