"""The controls of a page that trains while you watch: Start/Pause, the pace, and the ticks.

Live training and Count vs predict both train the user's model tick by tick. A
tick is a short fragment run (``st.fragment(run_every=...)`` while running): it
trains a slice of examples at the chosen pace (``lab.live.tick_examples``), then
redraws the page's views. A divergence stops the run with a message and keeps
the last good model; reaching the last epoch stops it too.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import streamlit as st

from lab import live
from lab.escape import md
from lab.page_state import PageState
from w2v_core.errors import W2VError

TICK_SECONDS = live.TICK_SECONDS


def running(page: PageState) -> bool:
    return bool(page.get("running", False))


def advance(tr, page: PageState, n: int | None = None, epochs: int | None = None) -> None:
    """Train (n examples, n=None: for the tick's time budget, or whole epochs) and remember
    what changed; a divergence stops the run and keeps the last good model."""
    alpha = page.get("alpha_override")
    try:
        if epochs is not None:
            rep = tr.advance(epochs=epochs, alpha=alpha)
            rows, wps, done = (rep.rows_in, rep.rows_out), rep.words_per_sec, rep.examples
        else:
            # "fast": train at least as long as the last redraw took, so that drawing costs
            # at most half of the time
            budget = max(TICK_SECONDS, page.get("draw_seconds", 0.0))
            tick = live.train_tick(tr, n, budget=budget, alpha=alpha)
            rows, wps, done = (tick.rows_in, tick.rows_out), tick.words_per_sec, tick.examples
    except W2VError as e:
        page.put("error", md(e))
        page.put("running", False)
        return
    page.put("error", None)
    page.put("last", rows)
    page.put("last_examples", done)
    page.put("pending", None)
    page.put("rate", wps)
    if tr.done:
        page.put("running", False)


def start_pause(where, tr, page: PageState, key: str) -> None:
    """The Start/Pause button (a full rerun switches the ticking on or off)."""
    on = running(page)
    if where.button(
        "Pause" if on else "Start",
        icon=":material/pause:" if on else ":material/play_arrow:",
        key=key,
        type="primary",
        disabled=tr.done,
    ):
        page.put("running", not on)
        st.rerun()


def pace(where, key: str) -> None:
    """The pace of the ticks: Slow, Lecture (the default) or Fast (a radio: its options
    wrap on a narrow screen, where a segmented control's buttons are cut)."""
    where.radio("Pace", list(live.PACES), format_func=live.PACES.get, index=1, key=key,
                horizontal=True, help=live.PACE_HELP)  # fmt: skip


def per_epoch(tr, page: PageState) -> int:
    """Examples in an epoch of this model (drawn once per model)."""
    if page.get("per_epoch") is None:
        page.put("per_epoch", max(1, len(tr.examples)))
    return page.get("per_epoch")


def ticker(tr, page: PageState, pace_key: str, draw: Callable[[], None]) -> None:
    """Draw the views; while running, train one tick before each redraw (every second)."""

    @st.fragment(run_every=TICK_SECONDS if running(page) else None)
    def tick():
        if running(page):
            total = per_epoch(tr, page) * tr.config.epochs
            chosen = st.session_state.get(pace_key) or "lecture"
            advance(tr, page, live.tick_examples(chosen, tr.examples_seen_, total))
            if not running(page):
                st.rerun()  # finished or diverged: a full rerun stops the ticking
        t0 = time.perf_counter()
        draw()
        page.put("draw_seconds", time.perf_counter() - t0)

    tick()


def smoothed_loss(tr, page: PageState) -> float:
    """The loss per example over the last examples (nan before any training)."""
    pts = tr.history_.loss
    return float(live.smooth_loss(pts, per_epoch(tr, page))[-1]) if pts else float("nan")


NO_ROWS = (np.array([], int), np.array([], int))


@dataclass
class LiveSections:
    """A page's live sections: ``tour.draw`` adds the ones it shows (``section(fn)``), in
    place; ``run`` then draws them all in ONE ticking fragment at the first one's place,
    so a tick trains once however many live sections are on screen."""

    slot: object = None  # the container the ticks draw in (made at the first live section)
    parts: list = field(default_factory=list)  # the section functions, in order

    def section(self, fn: Callable[[], None]) -> Callable[[], None]:
        def add():
            if self.slot is None:
                self.slot = st.container()
            self.parts.append(fn)

        return add

    def run(self, tr, page: PageState, pace_key: str, layout=None) -> None:
        """Tick; each tick draws the parts in order, or through ``layout(parts)``."""
        draw = (lambda: layout(self.parts)) if layout else (lambda: [p() for p in self.parts])
        with self.slot if self.slot is not None else st.container():
            ticker(tr, page, pace_key, draw)
