"""The explore-compare-share pages used in a real browser, as a new user would.

Each test acts (trains, compares, opens the hierarchical-softmax view) and saves
a screenshot of the result (the README's pictures come from these).
"""

import os

import pytest
from conftest import DOCS_SCREENSHOTS, expect

pytestmark = pytest.mark.browser


def _no_exception(app) -> None:
    shown = app.exceptions()
    assert not shown, "exception box on the page:\n" + "\n---\n".join(shown)


def test_explore_trains_and_answers(new_app, artifacts):
    app = new_app("/explore?preset=royalty&seed=0")
    app.rerun(app.main().get_by_role("button", name="Train for 20 epochs").click, 120_000)
    _no_exception(app)
    expect(app.main().locator('[data-testid="stDataFrame"]').first).to_be_visible()  # neighbours
    app.settle()
    app.wait_until(  # the PCA's axis title carries the % of variance
        """() => [...document.querySelectorAll('.js-plotly-plot')].some(g =>
               g.layout && g.layout.xaxis && g.layout.xaxis.title &&
               String(g.layout.xaxis.title.text).startsWith('PC 1 ('))""",
        what="a PCA whose axis title gives the variance",
    )
    app.full_screenshot(artifacts / "screenshots" / "explore_projection.png")
    _no_exception(app)


def test_compare_runs_side_by_side(new_app, artifacts):
    app = new_app("/compare?preset=royalty&epochs=5")
    app.rerun(app.main().get_by_role("button", name="Run both").click, 120_000)
    _no_exception(app)
    app.settle()
    # Plotly draws after the script has finished: wait for a figure with A and B in it
    app.wait_until(
        "() => [...document.querySelectorAll('.js-plotly-plot')].some(g => g.data.length >= 2)",
        what="a figure that shows runs A and B together",
    )
    app.full_screenshot(artifacts / "screenshots" / "compare_a_vs_b.png")


def test_model_page_draws_the_huffman_path(new_app, artifacts):
    app = new_app("/model?preset=royalty&loss=hs")
    _no_exception(app)
    tree = app.main().locator('[data-testid="stPlotlyChart"]').filter(has_text="Huffman tree")
    tree.first.scroll_into_view_if_needed()
    app.wait_until(
        """() => [...document.querySelectorAll('.js-plotly-plot')].some(g =>
               g.layout && g.layout.title && String(g.layout.title.text).includes('Huffman'))""",
        what="the Huffman tree's figure",
    )
    app.settle()
    path = artifacts / "screenshots" / "huffman_path.png"
    tree.first.screenshot(path=str(path), animations="disabled")
    assert path.stat().st_size > 10_000
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS"):
        tree.first.screenshot(path=str(DOCS_SCREENSHOTS / "huffman_path.jpg"), type="jpeg")
    _no_exception(app)
