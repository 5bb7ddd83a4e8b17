"""Every page on a 1024x768 projector with the sidebar open: nothing cut, nothing too wide.

A teacher's projector is 1024x768. With the sidebar open, on every page:

* no button label is cut (its text fits inside the button, on one line), and no label of a
  metric or a widget ends in an ellipsis;
* no formula is wider than the column it sits in;
* nothing scrolls sideways (the main area and the document are not wider than the screen).

What was measured is written to tests/artifacts/projector-pages.json, and each page is
saved as tests/artifacts/screenshots/projector_<n>_<slug>.png.
"""

import json

import pytest
from conftest import expect

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1024, "height": 768}

# Per page: labels of buttons whose text does not fit, formulas wider than their box,
# and the sideways overflow of the main area and of the document (px).
MEASURE = """
() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const visible = e => e.getClientRects().length > 0;
  // a text is cut when some element inside it is narrower than its content (an ellipsis)
  // or when a one-line label wraps
  // a screen-reader-only wrapper (a 1 px clipped box, e.g. around a toggle's input) shows
  // nothing, so it cuts nothing
  const srOnly = e => getComputedStyle(e).position === 'absolute' && e.clientWidth <= 1;
  const clipped = root => [root, ...root.querySelectorAll('*')].some(
    e => visible(e) && !srOnly(e) && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1);
  const lines = root => {  // line boxes of the text nodes, counted by their distinct tops
    // (text only: a block <p> has a box of its own a pixel above its text, not a line)
    const tops = [], walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walk.nextNode()) {
      const r = document.createRange();
      r.selectNodeContents(walk.currentNode);
      for (const x of r.getClientRects()) tops.push(x.top);
    }
    tops.sort((a, b) => a - b);
    return tops.filter((t, i) => i === 0 || t > tops[i - 1] + 2).length;
  };
  const cut = [];
  for (const b of document.querySelectorAll('button')) {
    if (!visible(b) || !b.closest('[data-testid="stMain"], [data-testid="stSidebar"]')) continue;
    const label = b.querySelector('[data-testid="stMarkdownContainer"]');
    if (!label) continue;  // an icon-only button (the sidebar's collapse arrow)
    const text = label.innerText.trim();
    // Streamlit hides the text of an icon button that has no room for it
    const hidden = !visible(label) || label.clientWidth === 0;
    if (hidden || clipped(b) || lines(label) > 1) cut.push(text);
  }
  // labels of metrics and widgets are cut with an ellipsis too
  const labels = document.querySelectorAll(
    '[data-testid="stMain"] [data-testid="stMetricLabel"], '
    + '[data-testid="stMain"] [data-testid="stWidgetLabel"], '
    + '[data-testid="stMain"] [data-testid="stCheckbox"] label');
  for (const l of labels) if (visible(l) && clipped(l)) cut.push(l.innerText.trim());
  const wide = [];
  for (const k of document.querySelectorAll('.katex-display, [data-testid="stMain"] .katex')) {
    if (!visible(k)) continue;
    const box = k.closest('[data-testid="stElementContainer"]')
             || k.closest('[data-testid="stMarkdownContainer"]') || k.parentElement;
    const r = k.getBoundingClientRect(), p = box.getBoundingClientRect();
    const inner = k.querySelector('.katex') || k;
    if (r.right > p.right + 1 || inner.scrollWidth > k.clientWidth + 1 && k.clientWidth > 0)
      wide.push(k.innerText.slice(0, 60));
  }
  return {cut, wide: [...new Set(wide)],
          main_overflow: main ? main.scrollWidth - main.clientWidth : 0,
          doc_overflow: document.documentElement.scrollWidth - window.innerWidth};
}
"""


@pytest.fixture(scope="module")
def projector_app(browser, streamlit_server):
    from conftest import _new_tab

    ctx, app = _new_tab(browser, streamlit_server, viewport=PROJECTOR)
    try:
        yield app.open()
    finally:
        ctx.close()


def test_every_page_fits_a_projector(projector_app, pages, artifacts):
    app = projector_app
    expect(app.sidebar()).to_be_visible()  # the sidebar is open: the hardest case
    seen = {}
    for entry in pages:
        app.go_to(entry.title)
        app.settle()
        seen[entry.title] = app.page.evaluate(MEASURE)
        shot = f"projector_{entry.number}_{entry.slug}.png"
        app.full_screenshot(artifacts / "screenshots" / shot)
    (artifacts / "projector-pages.json").write_text(json.dumps(seen, indent=1), encoding="utf-8")
    problems = {
        t: m for t, m in seen.items()
        if m["cut"] or m["wide"] or m["main_overflow"] > 0 or m["doc_overflow"] > 0
    }  # fmt: skip
    total = sum(len(m["cut"]) + len(m["wide"]) for m in seen.values())
    assert not problems, f"{total} cut labels or wide formulas at 1024x768: " + json.dumps(
        problems, indent=1
    )
