"""A classroom on one server: N concurrent sessions, page latency and server memory.

Starts ``streamlit run app.py`` on a free loopback port and connects N clients at
once. Each client speaks Streamlit's own websocket protocol (the protobuf
messages its browser front end sends and receives), so the figures measure the
server, not 20 copies of a browser renderer sharing its 2 cores: in a classroom
every student's browser draws the charts on the student's own machine. Each
client opens a different lesson link (royalty, fruit, generated corpora with
their own seeds), as a class arriving within a few seconds:

1. open the link: the first script run (``open``);
2. go to Live training (``navigate``), press Start (``button``) and, like the
   browser does for a fragment with ``run_every``, ask for a tick every second
   for ``--watch`` seconds (``tick``: one bounded slice of SGD plus every
   figure of the page, computed and sent); press Pause;
3. visit two more pages (``navigate``), then disconnect.

A latency is the time from the client's message to the server's
``script_finished`` for that run: what a student waits for before the browser
starts drawing. The server's RSS is sampled every 0.25 s from /proc, and its
session count and session-state bytes from ``/_stcore/metrics`` (the server
runs with ``server.enableExpensiveMemoryStats`` so that state is measured in
bytes). After a wave the clients disconnect; 15 s later the sessions and their
state must be gone, and a second wave shows whether RSS grows again.

Usage: .venv/bin/python -m benchmarks.bench_load [--sessions 20] [--watch 20] [--no-doc]
"""

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from benchmarks.doc import ROOT, machine, write_section

TIMEOUT = 120.0  # s, one action of one client
LOG = ROOT / "benchmarks" / "out" / "load-server.log"
LINKS = (
    "source=preset&preset=royalty&seed={i}&epochs=500",
    "source=preset&preset=fruit&seed={i}&epochs=500",
    "source=generated&tokens=5000&seed={i}&epochs=50",
)


# ---------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server() -> tuple[subprocess.Popen, str]:
    port = free_port()
    LOG.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
           "--server.enableExpensiveMemoryStats", "true"]  # fmt: skip
    with open(LOG, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return proc, base
        except OSError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.1)  # poll interval of the bounded wait above
    stop_server(proc)
    raise SystemExit(f"streamlit did not start; see {LOG}")


def stop_server(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def server_metrics(base: str) -> dict[str, float]:
    """Active sessions and the bytes held in session state, from /_stcore/metrics.

    The server runs with ``server.enableExpensiveMemoryStats`` so that session state is
    measured in bytes (a walk of the objects), not counted in keys.
    """
    with urllib.request.urlopen(f"{base}/_stcore/metrics", timeout=30) as r:
        text = r.read().decode()
    out = {"sessions": 0.0, "state_bytes": 0.0}
    for line in text.splitlines():
        if line.startswith("active_sessions "):
            out["sessions"] = float(line.split()[-1])
        elif line.startswith("cache_memory_bytes{") and 'cache_type="st_session_state"' in line:
            out["state_bytes"] += float(line.split()[-1])
    return out


class RssSampler:
    """Samples the server's RSS every 0.25 s, and its session metrics every 2 s."""

    def __init__(self, pid: int, base: str):
        self.pid, self.base, self.samples, self.metrics, self._task = pid, base, [], [], None

    async def _run(self):
        loop, n = asyncio.get_running_loop(), 0
        while True:
            self.samples.append((time.monotonic(), rss_mb(self.pid)))
            if n % 8 == 0:
                try:
                    m = await loop.run_in_executor(None, server_metrics, self.base)
                    self.metrics.append((time.monotonic(), m))
                except OSError:
                    pass
            n += 1
            await asyncio.sleep(0.25)

    def peak_state_since(self, t0: float) -> tuple[float, float]:
        """(most sessions at once, session-state bytes then) since t0."""
        ms = [m for t, m in self.metrics if t >= t0]
        best = max(ms, key=lambda m: (m["sessions"], m["state_bytes"]), default=None)
        return (best["sessions"], best["state_bytes"]) if best else (0.0, float("nan"))

    def start(self):
        self._task = asyncio.get_running_loop().create_task(self._run())

    def peak_since(self, t0: float) -> float:
        return max((r for t, r in self.samples if t >= t0), default=float("nan"))


# ---------------------------------------------------------------- one student


class Client:
    """One Streamlit session driven over its websocket, as the browser front end would."""

    def __init__(self, ws, query: str):
        self.ws, self.query = ws, query
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.page_hash = ""
        self.buttons: dict[str, str] = {}  # label -> widget id (from the last runs)
        self.metrics: dict[str, str] = {}  # label -> value shown
        self.fragments: dict[str, float] = {}  # fragment id -> run_every interval (s)
        self.exceptions = 0
        self.session_id = ""  # the server's id of this session (new_session message)
        self.closed = asyncio.Event()  # set once the websocket is gone
        self._finished = asyncio.Event()
        # A full run starts with new_session; until ours has, a script_finished is an older
        # run's (one still going when a websocket was reopened to the same session).
        self._awaiting_start = False

    async def listen(self) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            await self._listen()
        except ConnectionClosed:
            pass  # the server went away (a killed replica): ``closed`` tells the runs waiting
        finally:
            self.closed.set()

    async def _listen(self) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        async for data in self.ws:
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self._awaiting_start = False
                if msg.new_session.initialize.session_id:
                    self.session_id = msg.new_session.initialize.session_id
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
                self.page_hash = msg.navigation.page_script_hash
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                el = msg.delta.new_element
                which = el.WhichOneof("type")
                if which == "button":
                    self.buttons[el.button.label] = el.button.id
                elif which == "metric":
                    self.metrics[el.metric.label] = el.metric.body
                elif which == "exception":
                    self.exceptions += 1
            elif kind == "auto_rerun":
                self.fragments[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
            elif kind == "stop_auto_rerun":
                for f in msg.stop_auto_rerun.fragment_ids:
                    self.fragments.pop(f, None)
            elif kind == "script_finished" and msg.script_finished != 2:  # 2: early, rerun
                if not self._awaiting_start:
                    self._finished.set()

    async def run(self, *, page: str | None = None, button: str | None = None,
                  fragment: str | None = None) -> float:  # fmt: skip
        """Send one rerun request and wait for its end; returns the seconds it took."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from websockets.exceptions import ConnectionClosed

        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        cs.page_script_hash = self.pages.get(page, self.page_hash) if page else self.page_hash
        if button is not None:
            label = next((k for k in self.buttons if button in k), None)
            if label is None:
                raise LookupError(
                    f"no button {button!r} on the page (buttons: {list(self.buttons)})"
                )
            w = cs.widget_states.widgets.add()
            w.id, w.trigger_value = self.buttons[label], True
        if fragment is not None:
            cs.fragment_id, cs.is_auto_rerun = fragment, True
        else:
            self.fragments.clear()  # a full run declares its fragments again
        self._finished.clear()
        self._awaiting_start = fragment is None
        t0 = time.monotonic()
        try:
            await self.ws.send(msg.SerializeToString())
        except ConnectionClosed as e:
            raise ConnectionError(f"the websocket is closed: {e}") from e
        finished = asyncio.ensure_future(self._finished.wait())
        closed = asyncio.ensure_future(self.closed.wait())
        try:
            await asyncio.wait({finished, closed}, timeout=TIMEOUT,
                               return_when=asyncio.FIRST_COMPLETED)  # fmt: skip
        finally:
            finished.cancel()
            closed.cancel()
        if not self._finished.is_set():
            if self.closed.is_set():
                code, why = (
                    getattr(self.ws, "close_code", None),
                    getattr(self.ws, "close_reason", ""),
                )
                raise ConnectionError(f"the websocket closed during the run (code {code} {why})")
            raise TimeoutError(f"no script_finished within {TIMEOUT:g} s")
        if page:
            self.page_hash = cs.page_script_hash
        return time.monotonic() - t0


async def session(base: str, i: int, watch: float, out: dict) -> None:
    import websockets

    lat = out.setdefault("latency", {})
    url = base.replace("http://", "ws://") + "/_stcore/stream"
    try:
        async with websockets.connect(
            url, subprotocols=["streamlit"], max_size=None, ping_interval=None
        ) as ws:
            c = Client(ws, LINKS[i % len(LINKS)].format(i=i))
            listener = asyncio.get_running_loop().create_task(c.listen())
            try:
                lat.setdefault("open", []).append(await c.run())
                lat.setdefault("navigate", []).append(await c.run(page="train"))
                lat.setdefault("button", []).append(await c.run(button="Start"))
                end = time.monotonic() + watch
                while time.monotonic() < end and c.fragments:
                    frag, every = next(iter(c.fragments.items()))
                    t = await c.run(fragment=frag)
                    lat.setdefault("tick", []).append(t)
                    await asyncio.sleep(max(0.0, every - t))  # the browser's timer
                seen = int(c.metrics.get("Examples seen", "0").replace(",", ""))
                out.setdefault("examples", []).append(seen)
                lat.setdefault("button", []).append(await c.run(button="Pause"))
                for page in ("cooccurrence", "explore"):
                    lat.setdefault("navigate", []).append(await c.run(page=page))
                out["exceptions"] = out.get("exceptions", 0) + c.exceptions
            finally:
                listener.cancel()
    except Exception as e:  # a stuck student is a result, not a crash of the benchmark
        out.setdefault("failed", []).append(f"session {i}: {type(e).__name__}: {str(e)[:200]}")


async def wave(base, n, watch, sampler, stagger) -> dict:
    out: dict = {}
    t0 = time.monotonic()

    async def late(i):
        await asyncio.sleep(i * stagger)  # a class arrives within a few seconds
        await session(base, i, watch, out)

    await asyncio.wait_for(asyncio.gather(*(late(i) for i in range(n))), timeout=900)
    out["seconds"] = time.monotonic() - t0
    out["peak_rss"] = sampler.peak_since(t0)
    out["peak_sessions"], out["peak_state_bytes"] = sampler.peak_state_since(t0)
    return out


async def settle_rss(pid: int, seconds: float) -> float:
    """RSS once the closed sessions are gone (sampled after ``seconds``)."""
    await asyncio.sleep(seconds)
    return rss_mb(pid)


async def run(n: int, watch: float, waves: int, stagger: float) -> dict:
    proc, base = start_server()
    try:
        sampler = RssSampler(proc.pid, base)
        sampler.start()
        # one warm-up session: imports and the first cached lessons are not per-student
        await wave(base, 1, 2.0, sampler, 0)
        result = {"baseline_rss": await settle_rss(proc.pid, 5), "waves": []}
        for _ in range(waves):
            w = await wave(base, n, watch, sampler, stagger)
            w["after_rss"] = await settle_rss(proc.pid, 15)
            w["after"] = server_metrics(base)
            result["waves"].append(w)
        return result
    finally:
        stop_server(proc)


# ---------------------------------------------------------------- report


def pct(values, q) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def report(res: dict, n: int, watch: float) -> str:
    lines = [
        f"Machine: {machine()}. Server and {n} websocket clients on the same machine.",
        "",
        f"Reproduce: `.venv/bin/python -m benchmarks.bench_load --sessions {n} --watch {watch:g}`",
        "",
        "| wave | action | count | p50 (s) | p95 (s) | max (s) |",
        "|---|---|---|---|---|---|",
    ]
    for k, w in enumerate(res["waves"], 1):
        for name, vals in w.get("latency", {}).items():
            lines.append(
                f"| {k} | {name} | {len(vals)} | {pct(vals, 0.5):.2f} | {pct(vals, 0.95):.2f} "
                f"| {max(vals):.2f} |"
            )
    lines += ["", "| wave | sessions done | examples trained per session (median) | "
              "server RSS peak (MB) | RSS after the tabs closed (MB) | wall time (s) |",
              "|---|---|---|---|---|---|"]  # fmt: skip
    for k, w in enumerate(res["waves"], 1):
        done = len(w.get("examples", []))
        med = statistics.median(w["examples"]) if done else 0
        lines.append(
            f"| {k} | {done} / {n} | {med:,.0f} | {w['peak_rss']:.0f} | {w['after_rss']:.0f} "
            f"| {w['seconds']:.0f} |"
        )
    lines += ["", "| wave | sessions at the peak | session state then (MB, all sessions) | "
              "sessions 15 s after the tabs closed | session state then (MB) |",
              "|---|---|---|---|---|"]  # fmt: skip
    for k, w in enumerate(res["waves"], 1):
        lines.append(
            f"| {k} | {w['peak_sessions']:.0f} | {w['peak_state_bytes'] / 2**20:.1f} "
            f"| {w['after']['sessions']:.0f} | {w['after']['state_bytes'] / 2**20:.1f} |"
        )
    lines += ["", f"Server RSS after one warm-up session: {res['baseline_rss']:.0f} MB."]
    for k, w in enumerate(res["waves"], 1):
        for f in w.get("failed", []):
            lines.append(f"- wave {k}: {f}")
        if w.get("exceptions"):
            lines.append(f"- wave {k}: {w['exceptions']} exception boxes seen")
    return "\n".join(lines)


ABOUT = """\
Every session opens a lesson link, goes to Live training, presses Start and trains live
(one tick a second: a slice of SGD plus every figure of the page), pauses, and visits two
more pages; all sessions at once, arriving 0.25 s apart. The clients speak Streamlit's
websocket protocol, so the latencies are the server's: from the client's message to the end
of that script run, before a browser draws anything. A session's state is measured by
Streamlit's `/_stcore/metrics` (with `server.enableExpensiveMemoryStats`).

`.streamlit/config.toml` turns off `runner.postScriptGC`: Streamlit's default
`gc.collect(2)` after every script run took 47% of the server's CPU with 20 sessions
ticking (py-spy) and made every latency below about three times longer."""


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sessions", type=int, default=20, help="concurrent sessions (max 40)")
    p.add_argument("--watch", type=float, default=20.0, help="seconds of live training watched")
    p.add_argument("--waves", type=int, default=2, help="waves of sessions (max 3)")
    p.add_argument("--stagger", type=float, default=0.25, help="seconds between arrivals")
    p.add_argument("--no-doc", action="store_true", help="print only; leave docs/ alone")
    a = p.parse_args(argv)
    n, waves = max(1, min(a.sessions, 40)), max(1, min(a.waves, 3))  # bounded on purpose
    res = asyncio.run(run(n, a.watch, waves, a.stagger))
    text = report(res, n, a.watch)
    print(text)
    if not a.no_doc:
        write_section(
            "load", "## Many sessions on one server (bench_load)\n\n" + ABOUT + "\n\n" + text
        )


if __name__ == "__main__":
    main()
