"""Hostile text and uploads in a real browser: shown as text, never as markup.

* A crafted lesson link (a parameter named like a Markdown link, a value in LaTeX)
  shows its notice as plain text: no link to the crafted address, no typeset maths.
* Imported vectors whose words are Markdown, LaTeX, Streamlit colours and HTML
  show those words as typed: in the analogy headline, the captions and the Plotly
  labels, with no element made from them.
* A paste longer than 1,048,576 characters (the old cap of the box, where the
  browser dropped the paste and the page said the text was empty) is read.
"""

import urllib.parse

import pytest
from conftest import expect

pytestmark = pytest.mark.browser

EVIL = "evil.example"
MARKUP_FROM_EVIL = f"""() => {{
    const links = [...document.querySelectorAll('a')].filter(a =>
        (a.getAttribute('href') || '').includes('{EVIL}') ||
        (a.getAttribute('xlink:href') || '').includes('{EVIL}') ||
        a.textContent.includes('{EVIL}'));
    const svgLinks = [...document.querySelectorAll('svg a')].length;
    const maths = [...document.querySelectorAll('.katex, mjx-container')].filter(k =>
        k.textContent.includes('evil') || k.textContent.includes('href')).length;
    const styled = [...document.querySelectorAll('span[style]')].filter(
        s => s.textContent.includes('big')).length;
    const bold = [...document.querySelectorAll('strong, b')].filter(
        s => s.textContent.trim() === 'bold').length;
    return {{links: links.length, svgLinks, maths, styled, bold}}; }}"""
NOTHING = {"links": 0, "svgLinks": 0, "maths": 0, "styled": 0, "bold": 0}


def shown(locator) -> list[str]:
    """The text of these elements as a reader sees it (without invisible word joiners,
    which lab.escape puts into addresses so that they are not made links)."""
    return [t.replace("\u2060", "") for t in locator.all_inner_texts()]


def test_a_crafted_link_shows_as_plain_text(new_app):
    query = urllib.parse.urlencode(
        {
            f"[phish](https://{EVIL}/login)": "1",
            "window": f"$\\href{{https://{EVIL}}}{{x}}$",
            "preset": f"<a href='https://{EVIL}'>x</a>",
        }
    )
    app = new_app(f"/?{query}")
    assert not app.exceptions()
    app.settle()
    notices = shown(app.sidebar().locator('[data-testid="stAlertContentWarning"]'))
    assert any(f"[phish](https://{EVIL}/login)" in n for n in notices), notices
    assert any("\\href" in n for n in notices), notices
    assert app.page.evaluate(MARKUP_FROM_EVIL) == NOTHING


WORDS = [
    "**bold**",
    f"[click](https://{EVIL})",
    "$x^2$",
    ":red[big]",
    f"<a href='https://{EVIL}'>a</a>",
    f"www.{EVIL}",
    "plain",
    "other",
]


def vectors_file() -> bytes:
    rows = [f"{w.replace(' ', '_')} {i % 3} {i % 5} {(i * 7) % 4}" for i, w in enumerate(WORDS)]
    return (f"{len(WORDS)} 3\n" + "\n".join(rows) + "\n").encode()


def test_imported_words_show_as_typed(new_app):
    app = new_app("/explore")
    uploader = app.main().locator('[data-testid="stFileUploader"]').first
    app.rerun(
        lambda: uploader.locator('input[type="file"]').set_input_files(
            files=[{"name": "**x**.txt", "mimeType": "text/plain", "buffer": vectors_file()}]
        ),
        60_000,
    )
    assert not app.exceptions()
    expect(app.main().get_by_text("Imported: **x**.txt", exact=False)).to_be_visible()
    # the analogy headline: a, b, c are the first words of the file
    headline = app.main().locator('[data-testid="stMarkdown"]').filter(has_text="by 3CosAdd")
    expect(headline).to_be_visible()
    assert f"**bold** : [click](https://{EVIL}) :: $x^2$" in shown(headline)[0]
    app.settle()
    labels = app.wait_until(
        """() => { const g = [...document.querySelectorAll('.js-plotly-plot')].find(g =>
                       g.layout && g.layout.xaxis && g.layout.xaxis.title &&
                       String(g.layout.xaxis.title.text || '').startsWith('PC 1'));
                   const t = g ? [...g.querySelectorAll('.textpoint text')] : [];
                   return t.length ? t.map(e => e.textContent) : null; }""",
        what="the projection's point labels",
    )
    assert "$x^2$" in labels and f"<a_href='https://{EVIL}'>a</a>" in labels  # as typed
    assert app.page.evaluate(MARKUP_FROM_EVIL) == NOTHING


def test_a_paste_of_more_than_a_million_characters_is_read(new_app):
    app = new_app("/")
    app.rerun(lambda: app.sidebar().get_by_text("Paste text").click())
    box = app.sidebar().locator("textarea").first
    text = "a b " * 300_000  # 1,200,000 characters
    box.fill(text)
    app.rerun(lambda: box.press("Control+Enter"), 120_000)
    assert not app.exceptions()
    assert not [e for e in app.errors() if "empty" in e]
    assert app.metric("Tokens") == "600,000"  # the whole paste became the corpus
