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


SERVERS = "servers"  # the scope of every test that starts servers and a browser


def _scope(nodeid: str) -> str:
    """Tests that start Streamlit servers and Chromium share one scope; others their own."""
    return SERVERS if nodeid.startswith("tests/browser/") or "test_deploy" in nodeid else nodeid


def pytest_xdist_make_scheduler(config, log):
    """Under pytest-xdist (``-n auto --dist loadgroup``) the tests that start servers and a
    browser run one after another on one worker while the others run the rest: two
    Chromium sessions at once on a 2-core machine would make their timings a lottery.
    (xdist's own ``xdist_group`` marks rename node ids, which pytest 9.2 no longer allows,
    so the grouping is done here, in the scheduler.)"""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ServersOnOneWorker(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _scope(nodeid)

    return ServersOnOneWorker(config, log)
