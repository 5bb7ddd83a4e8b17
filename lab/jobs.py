"""Long work in bounded slices: a progress bar, a Stop button and a time budget.

A long job (training to the end, the runs of a comparison) is written as a
generator that does a small piece of work per ``next()`` and yields its progress
``(fraction in [0, 1], text)``; its return value is the result. ``Job`` runs it a
slice at a time (at most ``SLICE_SECONDS`` of work per script run) and stops it
for good once it has worked ``budget`` seconds in total, so no request can keep a
core busy for long and a class shares the server fairly.

``panel(key)`` is the Streamlit side: while a job runs, an ``st.fragment`` with
``run_every`` advances it one slice per tick and draws its progress bar and a
Stop button (as the live-training page ticks). Each slice is a short script run
triggered by the browser, so a job whose tab is closed simply stops: nothing runs
without a session asking for it. The page learns how the job ended from the
``Job`` that ``panel`` returns once (a result, or why it stopped).
"""

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import streamlit as st

from w2v_core.errors import W2VError

SLICE_SECONDS = 0.8  # work per script run (the fragment ticks every TICK_SECONDS)
TICK_SECONDS = 1.0
BUDGET_SECONDS = 120.0  # work one job may do in total

Progress = tuple[float, str]  # (fraction done in [0, 1], what is happening)


@dataclass(eq=False)
class Job:
    """A generator of ``Progress`` run a slice at a time within a total time budget.

    ``status``: "running", then "done" (``result`` holds the generator's return
    value), "stopped" (the Stop button), "timed out" (the budget) or "failed"
    (a W2VError: ``message`` holds it).
    """

    steps: Iterator[Progress]  # the work; its return value is the result
    budget: float = field(default_factory=lambda: BUDGET_SECONDS)  # seconds of work in total
    label: str = "Working"  # what the progress bar says before the first report
    owner: object = None  # what the job works on (a page may stop a job whose owner left)
    status: str = "running"
    fraction: float = 0.0
    text: str = ""
    worked: float = 0.0  # seconds of work so far
    result: object = None
    message: str | None = None
    reported: bool = field(default=False, repr=False)

    @property
    def ended(self) -> bool:
        return self.status != "running"

    def run_slice(
        self, seconds: float = SLICE_SECONDS, clock: Callable[[], float] = time.perf_counter
    ):
        """Advance the work for about ``seconds`` (at least one step), within the budget."""
        if self.ended:
            return
        t0 = clock()
        try:
            while True:
                self.fraction, self.text = next(self.steps)
                spent = clock() - t0
                if self.worked + spent >= self.budget:
                    self.worked += spent
                    self._end(
                        "timed out",
                        f"Stopped at the time limit of {self.budget:,.0f} s of work for one "
                        f"job, {self.fraction:.0%} of the way.",
                    )
                    return
                if spent >= seconds:
                    break
        except StopIteration as done:
            self.result = done.value
            self.fraction = 1.0
            self._end("done")
        except W2VError as e:
            self._end("failed", str(e))
        self.worked += clock() - t0

    def stop(self, message: str = "Stopped.") -> None:
        """End the job now (what it finished stays done)."""
        if not self.ended:
            self._end("stopped", message)

    def _end(self, status: str, message: str | None = None) -> None:
        self.status, self.message = status, message
        close = getattr(self.steps, "close", None)
        if close is not None:
            close()  # runs the generator's finally blocks


# ---- Streamlit ---------------------------------------------------------------------------


def start(key: str, steps: Iterator[Progress], **job) -> Job:
    """Start a job under session-state ``key`` (ending any job there) and return it."""
    old = st.session_state.get(key)
    if isinstance(old, Job):
        old.stop()
    st.session_state[key] = new = Job(steps, **job)
    return new


def running(key: str) -> Job | None:
    """The job under ``key`` while it runs, else None."""
    job = st.session_state.get(key)
    return job if isinstance(job, Job) and not job.ended else None


def panel(key: str, every: float | None = None, slice_seconds: float | None = None):
    """Run the job under ``key`` a slice per tick, with its progress bar and Stop button.

    Returns the job once, on the first script run after it ended (then forgets it), so
    the page can keep its result or show why it stopped; returns None otherwise.
    """
    job = st.session_state.get(key)
    if not isinstance(job, Job):
        return None
    if job.ended:
        del st.session_state[key]
        return job
    every = TICK_SECONDS if every is None else every
    slice_seconds = SLICE_SECONDS if slice_seconds is None else slice_seconds

    @st.fragment(run_every=every)
    def tick() -> None:
        j = st.session_state.get(key)
        if not isinstance(j, Job) or j.ended:
            st.rerun()  # the whole page shows how it ended
        c = st.columns([5, 1], vertical_alignment="bottom")
        stop = c[1].button("Stop", key=f"{key}_stop", icon=":material/stop:", width="stretch")
        if stop:
            j.stop(f"Stopped {j.fraction:.0%} of the way.")
        else:
            j.run_slice(slice_seconds)
        if j.ended:
            st.rerun()
        c[0].progress(min(max(j.fraction, 0.0), 1.0), text=j.text or j.label)
        c[0].caption(f"{j.worked:,.1f} s of work so far; at most {j.budget:,.0f} s.")

    tick()
    return None
