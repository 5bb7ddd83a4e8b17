"""A classroom on one server: N concurrent browser sessions, page latency and server memory.

Starts ``streamlit run app.py`` on a free loopback port and drives N sessions at
once from headless Chromium (one browser context each = one Streamlit session),
each opening a different lesson link (royalty, fruit, generated corpora with
their own seeds), as a class arriving within a few seconds:

1. open the link and wait for the first run (``open``);
2. go to Live training (``navigate``), press Start and wait for the first tick
   (``first tick``), watch the ticks for ``--watch`` seconds (``tick interval``:
   time between two visible updates of "Examples seen"), press Pause (``pause``);
3. visit two more pages (``navigate``), then close the tab.

A latency is the time from the user's action to the end of the script run it
caused, as the page shows it (Streamlit's ``script_finished`` message, then a
connected, not-running, not-stale page): what a student waits for. The server's
RSS is sampled every 0.25 s from /proc. After a wave, the tabs close and the
script waits for the server to drop their sessions; a second wave then shows
whether the first wave's memory came back (RSS after wave 2 ≈ after wave 1).

The browsers run on the same 2-core machine as the server, so these latencies
include the clients' own rendering: a classroom, with the browsers on the
students' machines, sees less load on the server than this.

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

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-dev-shm-usage"]  # fmt: skip
TIMEOUT_MS = 60_000  # one action of one student
LOG = ROOT / "benchmarks" / "out" / "load-server.log"
LINKS = (
    "/?source=preset&preset=royalty&seed={i}&epochs=500",
    "/?source=preset&preset=fruit&seed={i}&epochs=500",
    "/?source=generated&tokens=5000&seed={i}&epochs=50",
)
FINISHED = """(since) => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && (window.__stFinished || 0) > since
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-stale="true"]'); }"""
SEEN = """() => { const m = [...document.querySelectorAll('[data-testid="stMetric"]')]
    .find(e => e.innerText.includes('Examples seen'));
  const v = m && m.querySelector('[data-testid="stMetricValue"]');
  return v ? v.innerText.trim() : null; }"""


def run_counter() -> str:
    """The browser tests' script-run counter (injected before the app loads)."""
    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    from conftest import RUN_COUNTER  # noqa: PLC0415

    return RUN_COUNTER


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


async def session(browser, base: str, i: int, watch: float, counter: str, out: dict):
    ctx = await browser.new_context(viewport={"width": 1280, "height": 800})
    await ctx.add_init_script(counter)
    page = await ctx.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    lat = out.setdefault("latency", {})

    async def timed(name: str, action) -> None:
        since = await page.evaluate("window.__stFinished || 0")
        t0 = time.monotonic()
        await action()
        await page.wait_for_function(FINISHED, arg=since, polling=50, timeout=TIMEOUT_MS)
        lat.setdefault(name, []).append(time.monotonic() - t0)

    def nav(title):
        link = page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title)
        return link.click

    try:
        await timed("open", lambda: page.goto(base + LINKS[i % len(LINKS)].format(i=i)))
        await timed("navigate", nav("Live training"))
        main = page.locator('[data-testid="stMain"]')
        t0 = time.monotonic()
        await main.get_by_role("button", name="Start").click()
        moved = f"() => {{ const v = ({SEEN})(); return v !== null && v !== '0'; }}"
        await page.wait_for_function(moved, polling=50, timeout=TIMEOUT_MS)
        lat.setdefault("first tick", []).append(time.monotonic() - t0)
        last, t_last, end = await page.evaluate(SEEN), time.monotonic(), time.monotonic() + watch
        while time.monotonic() < end:
            await asyncio.sleep(0.05)
            now = await page.evaluate(SEEN)
            if now != last:
                t = time.monotonic()
                lat.setdefault("tick interval", []).append(t - t_last)
                last, t_last = now, t
        out.setdefault("examples", []).append(int((last or "0").replace(",", "")))
        await timed("pause", main.get_by_role("button", name="Pause").click)
        await timed("navigate", nav("2. Co-occurrence"))
        await timed("navigate", nav("Explore and share"))
        errors = await page.locator('[data-testid="stException"]').count()
        out["exceptions"] = out.get("exceptions", 0) + errors
    except Exception as e:  # a student who got stuck is a result, not a crash of the benchmark
        out.setdefault("failed", []).append(f"session {i}: {type(e).__name__}: {str(e)[:200]}")
        shot = LOG.parent / f"load-failure-{i}.png"
        try:
            await page.screenshot(path=str(shot), full_page=True)
        except Exception:  # noqa: BLE001 - the screenshot is a courtesy
            pass
    finally:
        await ctx.close()


async def wave(browser, base, n, watch, counter, sampler, stagger) -> dict:
    out: dict = {}
    t0 = time.monotonic()

    async def late(i):
        await asyncio.sleep(i * stagger)  # a class arrives within a few seconds
        await session(browser, base, i, watch, counter, out)

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
    from playwright.async_api import async_playwright

    proc, base = start_server()
    try:
        sampler = RssSampler(proc.pid, base)
        sampler.start()
        counter = run_counter()
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            # one warm-up session: imports and the first cached lessons are not per-student
            await wave(browser, base, 1, 2.0, counter, sampler, 0)
            result = {"baseline_rss": await settle_rss(proc.pid, 5), "waves": []}
            for _ in range(waves):
                w = await wave(browser, base, n, watch, counter, sampler, stagger)
                w["after_rss"] = await settle_rss(proc.pid, 15)
                w["after"] = server_metrics(base)
                result["waves"].append(w)
            await browser.close()
        return result
    finally:
        stop_server(proc)


# ---------------------------------------------------------------- report


def pct(values, q) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def report(res: dict, n: int, watch: float) -> str:
    lines = [
        f"Machine: {machine()}. Server and {n} headless Chromium sessions on the same machine.",
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
        write_section("load", "## Many sessions on one server (bench_load)\n\n" + text)


if __name__ == "__main__":
    main()
