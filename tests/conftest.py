"""Shared fixtures: small corpora and trained models, built once per session."""

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# CI (.ci/run sets CI) runs the property tests derandomized: the same examples on
# every run, so a red CI always means a change broke something. A developer's run
# draws new examples each time and keeps hunting for bugs.
settings.register_profile("ci", derandomize=True, database=None, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from w2v_core.tokenize import tokenize  # noqa: E402


def _scan_installed_components_once() -> None:
    """Every new AppTest's first run scans the metadata of every installed distribution for
    Streamlit components (streamlit 1.67's ``scan_component_manifests``): 16% of the CPU of
    the page tests, measured with py-spy, for an answer that cannot change during a test
    run. Scan once per process; each AppTest still registers what was found."""
    try:
        from streamlit.components.v2 import manifest_scanner
    except ImportError:  # another streamlit version: nothing to speed up
        return
    scan = manifest_scanner.scan_component_manifests
    if getattr(scan, "shared", False):
        return
    found: dict = {}

    def scan_once(max_workers=None):
        if max_workers not in found:
            found[max_workers] = tuple(scan(max_workers))
        return list(found[max_workers])

    scan_once.shared = True
    manifest_scanner.scan_component_manifests = scan_once


_scan_installed_components_once()


def _compile_each_page_once() -> None:
    """AppTest makes a new ScriptCache for every run, so every run parses app.py and the
    page's file again and rewrites them for Streamlit's magic: 16-20% of the CPU of the page
    tests (py-spy). A server keeps one cache for its whole life; do the same here, keyed by
    the file's path, size and modification time (a file that changes is compiled again)."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    compile_script = ScriptCache.get_bytecode
    if getattr(compile_script, "shared", False):
        return
    compiled: dict = {}

    def get_bytecode(self, script_path: str):
        path = os.path.abspath(script_path)
        stat = os.stat(path)
        key = (path, stat.st_size, stat.st_mtime_ns)
        if key not in compiled:
            compiled[key] = compile_script(self, script_path)
        return compiled[key]

    get_bytecode.shared = True
    ScriptCache.get_bytecode = get_bytecode


_compile_each_page_once()

TOY = """the king rules the castle with the queen
the queen rules the castle with the king
a man walks the dog in the park
a woman walks the dog in the park
the prince and the princess live in the castle
the boy and the girl play in the park
"""


@pytest.fixture(scope="session")
def toy_sentences():
    return tokenize(TOY * 20, split="line")


# Tests that start Streamlit servers and Chromium run in two scopes ("lanes"), each on one
# xdist worker with its own server and browser, of about equal length (measured: ~5 min
# each alone), so the browser tests no longer run end to end on one worker. The first lane
# holds the modules below, the second every other module in tests/browser/. Both nginx
# modules sit in the first lane, so that two nginx deployments never run at once.
FIRST_LANE = ("test_share_browser", "test_live_browser", "test_deploy_browser", "test_deploy")
LANE = "servers-"  # the lanes' scope names: servers-1, servers-2


def _scope(nodeid: str) -> str:
    """A server lane for tests that start servers and a browser; others their own scope."""
    module = nodeid.split("::")[0].rsplit("/", 1)[-1].removesuffix(".py")
    if module in FIRST_LANE:
        return LANE + "1"
    return LANE + "2" if nodeid.startswith("tests/browser/") else nodeid


def pytest_xdist_auto_num_workers(config):
    """``-n auto``: one worker per core plus one. The two server lanes mostly wait on a
    browser (together about one core), so the extra worker keeps the cores busy with the
    other tests meanwhile, at a lower priority (``_yield_to_the_lanes``); once the lanes
    are done, every worker runs the other tests."""
    return (os.cpu_count() or 1) + 1


_niced = False


@pytest.fixture(autouse=True)
def _yield_to_the_lanes(request):
    """Under xdist, a worker's first test outside the server lanes lowers that worker's
    CPU priority (nice 10), so the browser lanes (whose Streamlit and Chromium processes
    keep the default priority) are not slowed down by the unit tests around them. A lane
    worker only gets here once its lane is done: the lanes are the first scopes handed
    out (``pytest_xdist_make_scheduler``)."""
    global _niced
    if (
        not _niced
        and "PYTEST_XDIST_WORKER" in os.environ
        and not _scope(request.node.nodeid).startswith(LANE)
    ):
        _niced = True
        os.nice(10)
    yield


def pytest_xdist_make_scheduler(config, log):
    """Under pytest-xdist (``-n auto --dist loadgroup``) the tests that start servers and a
    browser run one after another within their lane (``_scope``), and the two
    lanes are the first scopes handed out, one per worker. Every browser wait is on
    Streamlit's own signals, bounded, so a lane sharing the cores does not turn timings
    into failures. (xdist's own ``xdist_group`` marks rename node ids, which pytest 9.2
    no longer allows, so the grouping is done here, in the scheduler.)"""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ServersOnOneWorker(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _scope(nodeid)

    return ServersOnOneWorker(config, log)


# numba compiles its kernels on first use and caches them on disk (w2v_core/__pycache__). On
# a fresh clone every xdist worker, and the browser tests' Streamlit server, would compile
# them again (about 10 s of CPU each, measured). The controller starts one process that
# compiles them while the workers start up and run the browser lanes and the first unit
# tests; later processes load them from the cache. A process that needs them before they are
# cached compiles them itself, as without this, so nothing depends on the timing.
WARM_NUMBA = """
from w2v_core.config import W2VConfig
from w2v_core.fast import available
from w2v_core.trainer import Trainer
if available():
    text = [("a b c d e f g h " * 40).split()] * 3
    for dtype in ("float32", "float64"):
        for model in ("skipgram", "cbow"):
            cfg = W2VConfig(model=model, dtype=dtype, backend="numba", dim=4, epochs=1,
                            min_count=1, seed=0)
            Trainer(cfg).fit(text)
"""


def pytest_configure(config):
    if os.environ.get("PYTEST_XDIST_WORKER") or not config.getoption("numprocesses", None):
        return
    import subprocess

    config._warm_numba = subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", WARM_NUMBA], cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def pytest_unconfigure(config):
    proc = getattr(config, "_warm_numba", None)
    if proc is not None:
        proc.kill()  # nothing happens if it has finished
        proc.wait()
