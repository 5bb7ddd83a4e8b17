"""A real browser through deploy/run_local.sh: pinned to a replica, and moved when it dies.

Needs nginx (`apt-get install nginx`) and skips without it, also under CI: .ci/run does not
install nginx.
"""

import pytest
from conftest import RUN_TIMEOUT_MS, VIEWPORT

from tests.test_deploy import NGINX, run_local

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - the browser fixture skips (or fails under CI)
    expect = None

pytestmark = pytest.mark.browser

LINK = "/train?source=preset&preset=royalty&seed=1&epochs=500"

# Notes every connection state the page goes through (Streamlit's stApp attribute).
STATES = """
(() => {
  window.__states = [];
  new MutationObserver(() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const s = app && app.getAttribute('data-test-connection-state');
    if (s && window.__states[window.__states.length - 1] !== s) window.__states.push(s);
  }).observe(document, {subtree: true, attributes: true, childList: true});
})();
"""


def examples_seen(page) -> int:
    metric = page.get_by_test_id("stMetric").filter(has_text="Examples seen")
    return int(metric.get_by_test_id("stMetricValue").inner_text().replace(",", ""))


@pytest.fixture
def deployment(tmp_path):
    with run_local(tmp_path) as d:
        yield d


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed")
def test_a_browser_is_pinned_and_reconnects_to_another_replica_when_its_own_dies(
    browser, deployment
):
    ctx = browser.new_context(viewport=VIEWPORT)
    try:
        page = ctx.new_page()
        page.add_init_script(STATES)
        page.goto(deployment["proxy"] + LINK, timeout=RUN_TIMEOUT_MS)
        start = page.get_by_role("button", name="Start")
        expect(start).to_be_visible(timeout=RUN_TIMEOUT_MS)
        cookie = {c["name"]: c["value"] for c in ctx.cookies()}["w2v_replica"]
        assert cookie in ("r1", "r2")
        start.click()
        expect(page.get_by_role("button", name="Pause")).to_be_visible(timeout=RUN_TIMEOUT_MS)
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=stMetric]')].some(m => "
            "m.innerText.includes('Examples seen') && !/\\n0$/.test(m.innerText.trim()))",
            timeout=RUN_TIMEOUT_MS,
        )
        assert examples_seen(page) > 0

        page.evaluate("window.__states = []")
        deployment["kill"](int(cookie[1:]))

        # the page notices, reconnects through nginx to the other replica, and is a new session
        other = "r2" if cookie == "r1" else "r1"
        page.wait_for_function(
            "() => { const s = window.__states; "
            "return s.some(x => x !== 'CONNECTED') && s[s.length - 1] === 'CONNECTED'; }",
            timeout=RUN_TIMEOUT_MS,
        )
        # the page showed it was reconnecting (Streamlit's status: CONNECTING), then connected
        assert "CONNECTING" in page.evaluate("window.__states")
        assert {c["name"]: c["value"] for c in ctx.cookies()}["w2v_replica"] == other
        expect(page.get_by_role("button", name="Start")).to_be_visible(timeout=RUN_TIMEOUT_MS)
        seen = page.get_by_test_id("stMetric").filter(has_text="Examples seen")
        expect(seen.get_by_test_id("stMetricValue")).to_have_text("0", timeout=RUN_TIMEOUT_MS)
        assert page.get_by_test_id("stException").count() == 0
    finally:
        ctx.close()
