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
