"""Helpers shared by the AppTest page tests: open a page, read metrics, charts and the model."""

import base64
import re
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def open_page(page: str, **state) -> AppTest:
    """The app on ``page`` ("app_pages/x.py"), with session state (e.g. sidebar widget keys)
    set before the first run; fails on an exception."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def plain(markdown: str) -> str:
    """What an escaped Markdown string reads as on the page: backslash escapes and the
    invisible word joiners of ``lab.escape.md`` removed."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def finish_jobs(at: AppTest, max_runs: int = 500) -> AppTest:
    """Rerun until no long job (``lab.jobs``) runs: each run is one tick of the browser."""
    from lab.jobs import Job

    for _ in range(max_runs):
        if not any(isinstance(v, Job) and not v.ended for v in at.session_state.values()):
            return at
        at.run()
    raise AssertionError("a job is still running")


def metric(at: AppTest, label: str) -> str:
    """The value of the st.metric with this label (or, failing that, the first that starts so)."""
    ms = list(at.metric)
    hit = next((m for m in ms if m.label == label), None)
    return (hit or next(m for m in ms if m.label.startswith(label))).value


def trainer(at: AppTest):
    """This session's live model."""
    return at.session_state["lesson_trainer"].trainer


def values(v) -> np.ndarray:
    """A trace's data from a chart spec (plotly 6+ sends numeric arrays as base64)."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
    return np.asarray(v if v is not None else [])
