"""Fixtures for the real-browser tests: a Streamlit server and Debian's Chromium.

* ``streamlit_server`` (session) runs ``streamlit run app.py`` on a free port in
  its own process group, waits for ``/_stcore/health`` to answer ``ok`` and kills
  the group at teardown. Its output goes to ``tests/artifacts/streamlit-server[-gwN].log``.
* ``browser`` (session) launches /usr/bin/chromium through Playwright. Without it
  (or without the playwright package) the tests are skipped, unless ``CI`` is set:
  CI must run them (``.ci/run`` installs chromium), so there they fail instead.
* ``new_app`` opens the app in a fresh browser context (a new Streamlit session)
  and returns an ``App``, whose ``rerun(action)`` performs a user action and waits
  for the script run it causes to finish: the server's ``script_finished`` message,
  then Streamlit's DOM signals (stApp's ``data-test-script-state="notRunning"``,
  connected, no stale elements), then for the page to be drawn (no loading
  skeletons left, every visible Plotly chart drawn).

Every assertion waits, bounded, for what it asserts: ``expect`` (Playwright's,
with the run timeout) for elements, ``App.wait_until`` for anything read with
JavaScript. A script run ending is not the page being drawn: dataframes, Markdown
and charts load lazily and show ``stSkeleton`` placeholders for a while after.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

try:  # the module must import without playwright: the fixtures skip (or fail under CI)
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover
    expect, PlaywrightTimeout = None, TimeoutError

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"  # written only with UPDATE_DOCS_SCREENSHOTS=1
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1400, "height": 900}
SERVER_START_TIMEOUT = 60.0  # s, from spawning streamlit to /_stcore/health == "ok"
RUN_TIMEOUT_MS = 60_000  # one script run (a page on the default corpus takes < 1 s; the
# bound is for a loaded 2-core machine, and it costs nothing while tests pass)
QUIET_MS = 150  # a run counts as drawn once the DOM has been still this long
DRAW_TIMEOUT_MS = 60_000  # from a finished run to no skeletons and every chart drawn
MAX_SCREENSHOT_HEIGHT = 12_000  # px: a runaway page must not make a giant PNG


# ---------------------------------------------------------------- the router


@dataclass(frozen=True)
class PageEntry:
    number: int  # 1-based position in the navigation
    path: str  # e.g. "app_pages/text.py"
    title: str  # the navigation label, e.g. "1. Text and vocabulary"

    @property
    def slug(self) -> str:
        words = re.sub(r"^\s*\d+\s*[.)]\s*", "", self.title)  # drop a leading "1. "
        return re.sub(r"[^a-z0-9]+", "_", words.lower()).strip("_") or "page"

    @property
    def screenshot(self) -> Path:
        return SCREENSHOTS / f"{self.number}_{self.slug}.png"


def router_pages() -> list[PageEntry]:
    """The pages of the router (lab.routes), in navigation order."""
    from lab.routes import ROUTES

    return [PageEntry(i, r.path, r.title) for i, r in enumerate(ROUTES, 1)]


def pytest_generate_tests(metafunc):
    """Tests taking ``page_entry`` run once per page of the router."""
    if "page_entry" in metafunc.fixturenames:
        pages = router_pages()
        metafunc.parametrize("page_entry", pages, ids=[p.slug for p in pages])


@pytest.fixture(scope="session")
def pages() -> list[PageEntry]:
    return router_pages()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# ---------------------------------------------------------------- skip or fail


def _unavailable(reason: str):
    """Skip locally; fail under CI, which must run the browser tests."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: the browser tests must run here; see .ci/run)")
    pytest.skip(reason)


# ---------------------------------------------------------------- server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200 and r.read().strip() == b"ok"
    except OSError:
        return False


def _log_tail(path: Path, n: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)  # the server and anything it started
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="session")
def streamlit_server():
    """Base URL of the app, served by a fresh ``streamlit run app.py``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",  # no watcher thread: less CPU, no reruns on save
    ]  # fmt: skip
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # one log per worker's server
    log_path = ARTIFACTS / f"streamlit-server{'-' * bool(worker)}{worker}.log"
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed as a whole
            env=os.environ | {"PYTHONUNBUFFERED": "1"},
        )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _healthy(f"{base}/_stcore/health"):
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited with {proc.returncode}:\n{_log_tail(log_path)}")
            if time.monotonic() > deadline:
                pytest.fail(
                    f"streamlit not healthy after {SERVER_START_TIMEOUT:.0f} s:\n"
                    f"{_log_tail(log_path)}"
                )
            time.sleep(0.1)  # poll interval of the bounded wait above
        yield base
    finally:
        _stop(proc)


# ---------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} not found (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (requirements-dev.txt)")
    pw = sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    except Exception as e:  # a broken chromium is a real failure, not a skip
        pw.stop()
        pytest.fail(f"could not launch {CHROMIUM}: {e}")
    try:
        yield b
    finally:
        b.close()
        pw.stop()


# ---------------------------------------------------------------- the app in a tab

# Installed before the app loads. Counts the script runs the server reports as
# finished: ForwardMsgs on the websocket whose top-level field 6 (script_finished)
# is set, except FINISHED_EARLY_FOR_RERUN (2); the page's own attribute
# data-test-script-state alone can miss a fast run (React may never commit
# "running"). Also notes the time of the last DOM change, to let the page settle.
RUN_COUNTER = """
(() => {
  window.__stFinished = 0;
  window.__stLastMutation = performance.now();
  const varint = (b, i) => {
    let v = 0, s = 0, x;
    do { x = b[i++]; v += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80 && i < b.length);
    return [v, i];
  };
  const finishedRun = (b) => {  // walk the top-level protobuf fields of a ForwardMsg
    let i = 0, tag, v;
    while (i < b.length) {
      [tag, i] = varint(b, i);
      const field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) { [v, i] = varint(b, i); if (field === 6) return v !== 2; }
      else if (wire === 2) { [v, i] = varint(b, i); i += v; }
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else return false;
    }
    return false;
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (ev) => {
        if (ev.data instanceof ArrayBuffer && finishedRun(new Uint8Array(ev.data))) {
          window.__stFinished += 1;
        }
      });
    }
  };
  const watch = () => new MutationObserver(() => { window.__stLastMutation = performance.now(); })
    .observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                        characterData: true});
  if (document.documentElement) watch(); else addEventListener('DOMContentLoaded', watch);
})();
"""

# True once a run newer than `since` has finished and the page shows it: connected,
# not running, and no stale (left-over) elements.
RUN_FINISHED = """
(since) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || (window.__stFinished || 0) <= since) return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  return !document.querySelector('[data-stale="true"]');
}
"""

# True when the DOM has not changed for `ms` milliseconds.
DOM_QUIET = "(ms) => performance.now() - (window.__stLastMutation || 0) > ms"

# True when every visible Plotly chart has been drawn (Plotly draws after the run ends).
CHARTS_DRAWN = """
() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
        .filter(c => c.getClientRects().length > 0)
        .every(c => c.querySelector('.main-svg'))
"""

# True when the page shows what the last run sent: no lazy element still loading (its
# stSkeleton placeholder is gone) and every visible Plotly chart drawn.
PAGE_DRAWN = (
    """
() => ![...document.querySelectorAll('[data-testid="stSkeleton"],'
                                     + '[data-testid="stSkeletonElement"]')]
        .some(e => e.getClientRects().length > 0)
      && ("""
    + CHARTS_DRAWN
    + """)()
"""
)


class App:
    """One browser tab on the app (one Streamlit session)."""

    def __init__(self, page, base_url: str, viewport: dict | None = None):
        self.page = page
        self.base_url = base_url
        self.viewport = dict(viewport or VIEWPORT)  # the tab's screen size

    # -- waiting
    def runs(self) -> int:
        """Script runs finished so far in this tab."""
        return self.page.evaluate("window.__stFinished || 0")

    def state(self) -> dict:
        """Streamlit's run signals as the page shows them now (for messages)."""
        return self.page.evaluate(
            """() => { const a = document.querySelector('[data-testid="stApp"]');
                       return {runs: window.__stFinished,
                               script: a && a.getAttribute('data-test-script-state'),
                               connection: a && a.getAttribute('data-test-connection-state'),
                               stale: document.querySelectorAll('[data-stale="true"]').length}; }"""
        )

    def wait_until(self, js: str, arg=None, what: str = "", timeout_ms: int = RUN_TIMEOUT_MS):
        """Wait (bounded) until the JavaScript function ``js(arg)`` returns something truthy;
        return it. On timeout the test fails, saying ``what`` it waited for."""
        try:
            handle = self.page.wait_for_function(js, arg=arg, timeout=timeout_ms, polling=50)
        except PlaywrightTimeout:
            pytest.fail(f"waited {timeout_ms / 1000:.0f} s for {what or js!r}: {self.state()}")
        return handle.json_value()

    def wait_drawn(self, timeout_ms: int = DRAW_TIMEOUT_MS) -> None:
        """Wait until no skeleton is left and every visible chart is drawn."""
        self.wait_until(PAGE_DRAWN, what="the page to be drawn (skeletons, charts)",
                        timeout_ms=timeout_ms)  # fmt: skip

    def wait_for_run_after(self, since: int, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
        try:
            self.page.wait_for_function(RUN_FINISHED, arg=since, timeout=timeout_ms, polling=50)
        except PlaywrightTimeout:
            pytest.fail(
                f"no finished script run after {timeout_ms / 1000:.0f} s "
                f"(runs before the action: {since}; now: {self.state()})"
            )
        self.wait_drawn()
        try:  # let React draw the last messages (bounded; animations may never be quiet)
            self.page.wait_for_function(DOM_QUIET, arg=QUIET_MS, timeout=5_000, polling=50)
        except PlaywrightTimeout:
            pass

    def rerun(self, action, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
        """Do ``action()`` (a click, a key press) and wait until the run it starts has ended."""
        since = self.runs()
        action()
        self.wait_for_run_after(since, timeout_ms)

    def settle(self, timeout_ms: int = DRAW_TIMEOUT_MS) -> None:
        """Wait (bounded; the test fails on timeout) for the page to be drawn, then for two
        frames to be painted."""
        self.wait_drawn(timeout_ms)
        self.page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )

    def open(self, path: str = "/") -> "App":
        """Load ``path`` (a page and query string, e.g. a lesson link) and wait for its run."""
        self.rerun(lambda: self.page.goto(self.base_url + path), timeout_ms=60_000)
        return self

    # -- finding things
    def nav_link(self, title: str):
        """The sidebar navigation link named ``title`` (its icon is aria-hidden)."""
        nav = self.page.locator('[data-testid="stSidebarNav"]')
        return nav.get_by_role("link", name=title, exact=True)

    def nav_titles(self) -> list[str]:
        """Labels of the sidebar navigation links, in order, without their icons."""
        return self.page.eval_on_selector_all(
            '[data-testid="stSidebarNavLink"]',
            """links => links.map(a => {
                   const c = a.cloneNode(true);
                   c.querySelectorAll('[aria-hidden="true"]').forEach(e => e.remove());
                   return c.textContent.trim(); })""",
        )

    def go_to(self, title: str) -> None:
        """Click the sidebar link with this title, like a user, and wait for the page.

        If that page is already shown, another page is visited first, so that every
        page is reached by a real navigation.
        """
        link = self.nav_link(title)
        if link.get_attribute("aria-current") == "page":
            other = self.page.locator('[data-testid="stSidebarNavLink"]:not([aria-current])')
            self.rerun(lambda: other.first.click())
        self.rerun(lambda: link.click())

    def main(self):
        return self.page.locator('[data-testid="stMain"]')

    def metric(self, label: str) -> str:
        """The value shown by the main area's st.metric with this label."""
        box = self.main().locator('[data-testid="stMetric"]').filter(has_text=label).first
        return box.locator('[data-testid="stMetricValue"]').inner_text().strip()

    def wait_metric_change(self, label: str, old: str, timeout_ms: int = RUN_TIMEOUT_MS) -> str:
        """Wait until the metric ``label`` shows something other than ``old``; return it."""
        self.page.wait_for_function(
            """([label, old]) => {
                const m = [...document.querySelectorAll('[data-testid="stMetric"]')]
                    .find(e => e.innerText.includes(label));
                const v = m && m.querySelector('[data-testid="stMetricValue"]');
                return v && v.innerText.trim() !== old; }""",
            arg=[label, old],
            timeout=timeout_ms,
            polling=100,
        )
        return self.metric(label)

    def sidebar(self):
        return self.page.locator('[data-testid="stSidebar"]')

    def exceptions(self) -> list[str]:
        return self.page.locator('[data-testid="stException"]').all_inner_texts()

    def errors(self) -> list[str]:
        """Text of st.error boxes (not failures by themselves: bad input shows them)."""
        return self.page.locator('[data-testid="stAlertContentError"]').all_inner_texts()

    # -- pictures
    def full_screenshot(self, path: Path) -> None:
        """The whole page: Streamlit scrolls inside stMain/the sidebar, not the document,
        so the viewport is stretched to the content's height for the picture."""
        path.parent.mkdir(parents=True, exist_ok=True)
        height = self.page.evaluate(
            """() => Math.max(...['stMain', 'stSidebarContent'].map(id => {
                   const e = document.querySelector(`[data-testid="${id}"]`);
                   return e ? e.scrollHeight : 0; }))"""
        )
        height = int(min(max(height, self.viewport["height"]), MAX_SCREENSHOT_HEIGHT))
        self.page.set_viewport_size({"width": self.viewport["width"], "height": height})
        try:
            self.settle()
            self.page.screenshot(path=str(path), full_page=True, animations="disabled")
        finally:
            self.page.set_viewport_size(self.viewport)
        if os.environ.get("UPDATE_DOCS_SCREENSHOTS"):  # the README's pictures: the first screen
            DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            self.settle()
            self.page.screenshot(
                path=str(DOCS_SCREENSHOTS / f"{path.stem}.jpg"), type="jpeg", quality=80,
                animations="disabled",
            )  # fmt: skip


def _new_tab(browser, base_url: str, viewport: dict | None = None) -> tuple:
    if expect is not None:
        expect.set_options(timeout=RUN_TIMEOUT_MS)  # every expect(...) waits this long
    ctx = browser.new_context(viewport=viewport or VIEWPORT)
    ctx.add_init_script(RUN_COUNTER)
    page = ctx.new_page()
    page.set_default_timeout(RUN_TIMEOUT_MS)
    return ctx, App(page, base_url, viewport)


@pytest.fixture
def new_app(browser, streamlit_server, request):
    """Factory: ``new_app(path)`` opens the app in a fresh context and waits for its first run."""
    made = []

    def make(path: str = "/") -> App:
        ctx, app = _new_tab(browser, streamlit_server)
        made.append((ctx, app))
        return app.open(path)

    yield make
    for i, (ctx, app) in enumerate(made):
        if getattr(request.node, "browser_failed", False):
            _failure_screenshot(app, f"{request.node.name}-{i}")
        ctx.close()


@pytest.fixture(scope="module")
def shared_app(browser, streamlit_server):
    """One tab shared by a module's tests (a user walking through the lesson)."""
    ctx, app = _new_tab(browser, streamlit_server)
    try:
        yield app.open()
    finally:
        ctx.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_failed = report.failed
    return report


def _failure_screenshot(app: App, name: str) -> None:
    path = ARTIFACTS / "failures" / (re.sub(r"[^A-Za-z0-9_.-]+", "_", name) + ".png")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        app.page.screenshot(path=str(path))
    except Exception as e:  # the tab may be gone; the test has failed anyway
        print(f"no failure screenshot {path.name}: {e}")


@pytest.fixture(autouse=True)
def _screenshot_shared_app_on_failure(request):
    """A failed test on the shared tab leaves what it showed in tests/artifacts/failures/."""
    yield
    if getattr(request.node, "browser_failed", False) and "shared_app" in request.fixturenames:
        _failure_screenshot(request.getfixturevalue("shared_app"), request.node.name)
