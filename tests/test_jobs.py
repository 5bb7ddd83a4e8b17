"""Long jobs run in bounded slices, stop on request and at their time limit.

The unit tests drive ``lab.jobs.Job`` with a fake clock; the AppTests drive the two
pages that run long jobs (Explore's training, Compare's runs): each script run does
one slice, the Stop button ends the job, the time limit ends it with a message, and
a job whose session stops asking (a closed tab) does no more work.
"""

import itertools

import numpy as np
from streamlit.testing.v1 import AppTest

from lab import jobs
from lab.jobs import Job
from tests.apptest import finish_jobs, plain
from tests.conftest import ROOT
from w2v_core.errors import W2VError


class Clock:
    """A fake clock: every reading moves time on by ``tick`` seconds."""

    def __init__(self, tick: float):
        self.t, self.tick = 0.0, tick

    def __call__(self) -> float:
        self.t += self.tick
        return self.t


def counter(n: int, log: list):
    for i in range(n):
        log.append(i)
        yield (i + 1) / n, f"step {i + 1}"
    return "result"


def test_a_slice_does_a_bounded_amount_of_work():
    log: list = []
    job = Job(counter(100, log), budget=1_000)
    job.run_slice(seconds=0.5, clock=Clock(0.1))  # each step "takes" 0.1 s
    assert 3 <= len(log) <= 6 and job.status == "running"
    assert job.text == f"step {len(log)}" and job.fraction == len(log) / 100
    while not job.ended:
        job.run_slice(seconds=0.5, clock=Clock(0.1))
    assert job.status == "done" and job.result == "result" and log == list(range(100))


def test_the_time_budget_stops_a_job_for_good():
    log: list = []
    job = Job(counter(10_000, log), budget=3.0)
    for _ in range(100):
        job.run_slice(seconds=0.5, clock=Clock(0.1))
    assert job.status == "timed out" and "time limit of 3 s" in job.message
    assert len(log) < 40 and job.worked < 4.0  # no work after the budget
    n = len(log)
    job.run_slice(clock=Clock(0.1))
    assert len(log) == n


def test_stop_and_errors_end_the_job_and_close_the_generator():
    closed = []

    def work():
        try:
            yield from ((i / 10, "x") for i in range(10))
        finally:
            closed.append(True)

    job = Job(work())
    job.run_slice(seconds=0.0, clock=Clock(0.1))
    job.stop("Stopped by you.")
    assert job.status == "stopped" and job.message == "Stopped by you." and closed

    def failing():
        yield 0.5, "half"
        raise W2VError("diverged")

    job = Job(failing())
    while not job.ended:
        job.run_slice(clock=Clock(0.1))
    assert job.status == "failed" and job.message == "diverged"


def test_a_job_that_is_not_asked_does_nothing():
    """No thread, no timer: work happens only inside run_slice (a session's script run)."""
    steps = itertools.count()
    job = Job((0.0, str(next(steps))) for _ in itertools.repeat(None))
    job.run_slice(seconds=0.0, clock=Clock(0.1))
    seen = next(steps)
    assert next(steps) == seen + 1  # nobody advanced it meanwhile


# ---- the pages ---------------------------------------------------------------------------


def explore(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update(query)
    at.run()
    at.switch_page("app_pages/explore.py").run()
    assert not at.exception
    return at


def test_explore_training_is_a_job_with_progress_stop_and_a_limit(monkeypatch):
    # a corpus big enough not to finish in one slice: the generated corpus, many epochs
    monkeypatch.setattr(jobs, "SLICE_SECONDS", 0.05)
    at = explore(source="generated", tokens="200000", epochs="200")
    at.button(key="explore_train").click().run()
    assert not at.exception
    job = jobs.running("xp_train_job") or at.session_state["xp_train_job"]
    tr = at.session_state["lesson_trainer"].trainer
    assert job.status == "running" and 0 < tr.progress < 1
    assert at.button(key="xp_train_job_stop") and at.get("progress")
    assert at.button(key="explore_train").disabled
    seen = tr.examples_seen_
    at.run()  # one more tick: one more slice
    assert tr.examples_seen_ > seen
    at.button(key="xp_train_job_stop").click().run()
    assert not at.exception
    assert "xp_train_job" not in at.session_state
    assert any("Stopped" in plain(w.value) for w in at.warning)
    stopped_at = tr.examples_seen_
    at.run()
    assert tr.examples_seen_ == stopped_at  # nothing runs after Stop
    assert not at.button(key="explore_train").disabled  # and it can go on


def test_explore_training_stops_at_the_time_limit(monkeypatch):
    monkeypatch.setattr(jobs, "SLICE_SECONDS", 0.05)
    monkeypatch.setattr(jobs, "BUDGET_SECONDS", 0.2)
    at = explore(source="generated", tokens="200000", epochs="200")
    at.button(key="explore_train").click().run()
    for _ in range(20):
        if "xp_train_job" not in at.session_state:
            break
        at.run()
    assert not at.exception
    assert any("time limit" in plain(w.value) for w in at.warning), [w.value for w in at.warning]
    tr = at.session_state["lesson_trainer"].trainer
    assert 0 < tr.progress < 1 and np.isfinite(tr.W_in_).all()


def test_compare_runs_are_a_job_that_can_be_stopped(monkeypatch):
    monkeypatch.setattr(jobs, "SLICE_SECONDS", 0.001)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update(epochs="200")
    at.run()
    at.switch_page("app_pages/compare.py").run()
    at.button(key="compare_run").click().run()
    assert not at.exception
    assert at.button(key="cmp_pair_job_stop") and at.get("progress")
    at.button(key="cmp_pair_job_stop").click().run()
    assert not at.exception and at.session_state.get("cmp_pair") is None  # no results
    assert any("Stopped" in plain(w.value) for w in at.warning)
    # run again to the end: the results appear
    monkeypatch.setattr(jobs, "SLICE_SECONDS", 0.5)
    at.button(key="compare_run").click().run()
    finish_jobs(at)
    assert not at.exception and at.session_state.get("cmp_pair") is not None
    assert not any("Stopped" in plain(w.value) for w in at.warning)
