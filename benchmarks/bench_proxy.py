"""A class bigger than one process: N Streamlit replicas behind nginx, sessions through the proxy.

Starts ``deploy/run_local.sh`` (N replicas of ``streamlit run app.py`` and Debian's nginx, on
free loopback ports) and drives every session through the proxy as a browser does:

1. GET the lesson link: the proxy pins the browser to a replica with its ``w2v_replica``
   cookie; GET ``/_stcore/health`` and ``/_stcore/host-config`` like the front end (the replica
   sets Streamlit's XSRF cookie); then open the websocket with those cookies, an ``Origin``
   and the XSRF token, so the replica checks them as it checks a browser's;
2. the student journey of ``bench_load``: open, Live training, Start, a tick every second for
   ``--watch`` s, Pause, two more pages (the same latencies: message to ``script_finished``);
3. checks that the session stays on its process, each proved by a replica, not by nginx:

   - *upload*: PUT a small file to ``/_stcore/upload_file/<session id>/...`` through the
     proxy. A replica refuses (400) an upload for a session it does not hold;
   - *resume* (wave 1): halfway through the live training, drop the websocket and open a new
     one with the old session id, as the browser does after a network blip. The session must
     come back with its model: "Examples seen" no lower than before the drop;
   - every response's ``X-W2V-Replica`` names the same replica, and each replica's
     ``/_stcore/metrics`` counts the sessions pinned to it.

Wave 1 runs with every replica up. Wave 2 is the same class, and ``--kill-after`` seconds
after the last student arrived one replica is killed (SIGKILL). Its students' websockets
close; each reconnects like the front end (health check through the proxy until it answers,
then the websocket with its old session id), lands on a live replica as a new session (its
model is gone: the page runs again from the lesson link), presses Start again and trains to
the end. ``run_local.sh`` restarts the killed replica; the moved students stay where they are
(the proxy rewrote their cookie) and their final upload must reach the replica holding them.
The other students must not notice.

Each replica's RSS is sampled every 0.25 s from /proc, its session count every 2 s.

Usage: .venv/bin/python -m benchmarks.bench_proxy [--replicas 2] [--sessions 40] [--watch 30]
       [--no-doc]   (needs nginx: apt-get install nginx)
"""

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from benchmarks.bench_load import LINKS, Client, pct, rss_mb, server_metrics
from benchmarks.doc import ROOT, machine, write_section

OUT = ROOT / "benchmarks" / "out"
RUN_DIR = OUT / "proxy-run"  # run_local.sh's pid files, nginx config and logs
COOKIE = "w2v_replica"
RECONNECT_LIMIT = 60.0  # s a student keeps trying to reconnect before giving up


# ---------------------------------------------------------------- the deployment


def free_ports(n: int) -> int:
    """First of n consecutive free loopback ports, below Linux's ephemeral range (32768+) so
    that no outgoing connection takes one between this check and the servers binding it."""
    for _ in range(200):
        first = random.randint(20000, 32000 - n)
        try:
            socks = []
            for p in range(first, first + n):
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", p))
            return first
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise SystemExit("no free ports")


class Deployment:
    """deploy/run_local.sh with ``n`` replicas; replica K's pid is read from its pid file."""

    def __init__(self, n: int):
        self.n = n
        self.first = free_ports(n + 1)
        self.proxy = f"http://127.0.0.1:{self.first + n}"
        self.proc: subprocess.Popen | None = None

    def replica_base(self, k: int) -> str:
        return f"http://127.0.0.1:{self.first + k - 1}"

    def pid(self, k: int) -> int | None:
        try:
            return int((RUN_DIR / f"replica-{k}.pid").read_text())
        except (OSError, ValueError):
            return None

    def nginx_pids(self) -> list[int]:
        try:
            master = int((RUN_DIR / "nginx.pid").read_text())
            kids = Path(f"/proc/{master}/task/{master}/children").read_text().split()
            return [master, *map(int, kids)]
        except (OSError, ValueError):
            return []

    def start(self) -> None:
        shutil.rmtree(RUN_DIR, ignore_errors=True)
        RUN_DIR.mkdir(parents=True)
        cmd = ["bash", str(ROOT / "deploy" / "run_local.sh"), "--replicas", str(self.n),
               "--first-port", str(self.first), "--listen", f"127.0.0.1:{self.first + self.n}",
               "--run-dir", str(RUN_DIR)]  # fmt: skip
        env = {**os.environ, "PYTHON": sys.executable}
        with open(OUT / "proxy-run.log", "wb") as log:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True)  # fmt: skip
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline:
            if (RUN_DIR / "ready").exists():
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)  # poll interval of the bounded wait above
        self.stop()
        raise SystemExit(f"deploy/run_local.sh did not start; see {OUT / 'proxy-run.log'}")

    def stop(self) -> None:
        if self.proc is None:
            return
        try:
            self.proc.send_signal(signal.SIGTERM)  # its trap stops nginx and every replica
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc = None


def nginx_rss_mb(pids: list[int]) -> float:
    vals = [rss_mb(p) for p in pids if Path(f"/proc/{p}").exists()]
    return sum(vals) if vals else float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (/proc/PID/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent busy so far, all cores (/proc/stat)."""
    v = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(v[:8]) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")  # minus idle and iowait


class Sampler:
    """Every replica's RSS every 0.25 s and its active sessions every 2 s, with nginx's RSS;
    and the CPU seconds used by each replica, nginx, the clients and the whole machine."""

    def __init__(self, dep: Deployment):
        self.dep, self.rss, self.sessions, self.nginx, self._task = dep, [], [], [], None
        self.cpu: list[tuple[float, str, int, float]] = []  # (t, who, pid, CPU seconds)

    async def _run(self):
        loop, n = asyncio.get_running_loop(), 0
        while True:
            t = time.monotonic()
            for k in range(1, self.dep.n + 1):
                pid = self.dep.pid(k)
                if pid and Path(f"/proc/{pid}").exists():
                    self.rss.append((t, k, rss_mb(pid)))
                    self.cpu.append((t, f"r{k}", pid, cpu_seconds(pid)))
            ngx = self.dep.nginx_pids()
            self.nginx.append((t, nginx_rss_mb(ngx)))
            self.cpu += [(t, "nginx", p, cpu_seconds(p)) for p in ngx]
            self.cpu.append((t, "clients", os.getpid(), time.process_time()))
            self.cpu.append((t, "machine", 0, machine_busy_seconds()))
            if n % 8 == 0:
                for k in range(1, self.dep.n + 1):
                    try:
                        base = self.dep.replica_base(k)
                        m = await loop.run_in_executor(None, server_metrics, base)
                        self.sessions.append((time.monotonic(), k, m["sessions"]))
                    except OSError:
                        pass
            n += 1
            await asyncio.sleep(0.25)

    def start(self):
        self._task = asyncio.get_running_loop().create_task(self._run())

    def peak_rss(self, k: int, t0: float, t1: float = float("inf")) -> float:
        return max((r for t, j, r in self.rss if j == k and t0 <= t <= t1), default=float("nan"))

    def peak_sessions(self, k: int, t0: float, t1: float = float("inf")) -> float:
        return max((s for t, j, s in self.sessions if j == k and t0 <= t <= t1), default=0.0)

    def peak_nginx(self, t0: float) -> float:
        return max((r for t, r in self.nginx if t >= t0), default=float("nan"))

    def cores(self, t0: float, t1: float) -> dict[str, float]:
        """Mean cores used between t0 and t1 by each of r1.., nginx, clients, machine, other."""
        span: dict[tuple[str, int], list[float]] = {}
        for t, who, pid, c in self.cpu:
            if t0 <= t <= t1 and c == c:
                lo_hi = span.setdefault((who, pid), [c, c])
                lo_hi[0], lo_hi[1] = min(lo_hi[0], c), max(lo_hi[1], c)
        out: dict[str, float] = {}
        for (who, _), (lo, hi) in span.items():
            out[who] = out.get(who, 0.0) + (hi - lo) / max(t1 - t0, 1e-9)
        ours = sum(v for k, v in out.items() if k != "machine")
        out["other"] = max(0.0, out.get("machine", 0.0) - ours)
        return out


# ---------------------------------------------------------------- one student through the proxy


def http(method: str, url: str, headers: dict, body: bytes | None = None):
    """(status, headers) of one request; errors are answers too."""
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            r.read()
            return r.status, r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.headers


class Student:
    """One browser: its cookies, the replica it is pinned to, and its Streamlit session."""

    def __init__(self, proxy: str, i: int, rec: dict):
        self.proxy, self.i, self.rec = proxy, i, rec
        self.query = LINKS[i % len(LINKS)].format(i=i)
        self.cookies: dict[str, str] = {}
        self.c: Client | None = None
        self.listener: asyncio.Task | None = None
        self.replicas_seen: list[str] = []  # X-W2V-Replica of every response

    def _take(self, headers) -> None:
        for h in headers.get_all("Set-Cookie") or []:
            name, _, rest = h.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if headers.get("X-W2V-Replica"):
            self.replicas_seen.append(headers["X-W2V-Replica"])

    def _headers(self) -> dict:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    async def get(self, path: str) -> int:
        status, headers = await asyncio.to_thread(http, "GET", self.proxy + path, self._headers())
        self._take(headers)
        return status

    @property
    def replica(self) -> str:
        return self.cookies.get(COOKIE, "")

    async def load_page(self) -> None:
        """What the browser does before its websocket: the page, health, host config."""
        for path in (f"/?{self.query}", "/_stcore/health", "/_stcore/host-config"):
            status = await self.get(path)
            if status != 200:
                raise ConnectionError(f"GET {path}: HTTP {status}")

    async def connect(self, resume_id: str = "") -> None:
        """Open the websocket (offering ``resume_id`` to resume that session)."""
        import websockets

        url = self.proxy.replace("http://", "ws://") + "/_stcore/stream"
        protocols = ["streamlit", self.cookies.get("_streamlit_xsrf", "")]
        if resume_id:
            protocols.append(resume_id)
        # no keepalive pings from this side: a browser sends none (the server pings it)
        ws = await websockets.connect(
            url,
            subprotocols=protocols,
            max_size=None,
            ping_interval=None,
            origin=self.proxy,
            additional_headers=self._headers(),
            open_timeout=30,
        )
        self._take(ws.response.headers)
        pages = self.c.pages if self.c else {}
        self.c = Client(ws, self.query)
        self.c.pages = dict(pages)  # page hashes are the same on every replica
        self.listener = asyncio.get_running_loop().create_task(self.c.listen())

    async def close(self) -> None:
        if self.c is not None:
            await self.c.ws.close()
            if self.listener:
                await asyncio.wait({self.listener}, timeout=10)
                self.listener.cancel()

    async def first_run(self) -> float:
        """The run that follows a (re)connect; the session id arrives with it."""
        return await self.c.run(page="train") if self.c.pages else await self.c.run()

    async def upload_probe(self) -> bool:
        """PUT (then DELETE) a small file for this session through the proxy.

        The replica refuses (400) a session id it does not hold, so a 204 proves that this
        HTTP request reached the process that holds the websocket's session.
        """
        sid, fid = self.c.session_id, f"probe-{self.i}"
        url = f"{self.proxy}/_stcore/upload_file/{sid}/{fid}"
        boundary = f"w2vprobe{self.i}"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"UploadedFile\"; "
                f"filename=\"probe.txt\"\r\nContent-Type: text/plain\r\n\r\nthe cat sat\r\n"
                f"--{boundary}--\r\n").encode()  # fmt: skip
        headers = {**self._headers(), "X-Xsrftoken": self.cookies.get("_streamlit_xsrf", ""),
                   "Content-Type": f"multipart/form-data; boundary={boundary}"}  # fmt: skip
        status, h = await asyncio.to_thread(http, "PUT", url, headers, body)
        self._take(h)
        if status == 204:
            status2, h2 = await asyncio.to_thread(http, "DELETE", url, headers)
            self._take(h2)
        self.rec.setdefault("upload_status", []).append(status)
        return status == 204

    async def reconnect(self, page: str | None) -> dict:
        """What the front end does when its websocket dies: retry until the proxy answers,
        reopen the websocket offering the old session id, and run ``page`` again.

        Returns what happened: when, why, how long it took, and whether the session came back
        (``resumed``: same session id, so the same process) or is a new one."""
        t0, old = time.monotonic(), self.c.session_id
        ws = self.c.ws
        why = f"code {getattr(ws, 'close_code', None)} {getattr(ws, 'close_reason', '')}".strip()
        while True:
            try:
                if await self.get("/_stcore/health") == 200:
                    await self.connect(resume_id=old)
                    break
            except (OSError, ConnectionError, TimeoutError) as e:
                if time.monotonic() > t0 + RECONNECT_LIMIT:
                    raise ConnectionError(f"could not reconnect: {e}") from e
            if time.monotonic() > t0 + RECONNECT_LIMIT:
                raise ConnectionError("could not reconnect: proxy health never answered")
            await asyncio.sleep(0.5)  # the front end's retry interval is of this order
        await (self.c.run(page=page) if page else self.c.run())
        return {"t": t0, "why": why, "seconds": time.monotonic() - t0,
                "resumed": self.c.session_id == old, "replica": self.replica,
                "examples": self.examples()}  # fmt: skip

    def examples(self) -> int:
        return int(self.c.metrics.get("Examples seen", "0").replace(",", ""))


async def student(proxy: str, i: int, watch: float, out: dict, resume: bool) -> None:
    lat = out.setdefault("latency", {})
    rec: dict = {"i": i, "ticks": [], "drops": []}
    out.setdefault("students", []).append(rec)
    s = Student(proxy, i, rec)
    training = False  # after Start: a new session after a reconnect needs Start again
    where: str | None = None  # the page the student is on (None: the first page)

    async def reconnect() -> None:
        """The websocket dropped: reconnect like the front end, which shows the same page again.
        On a live replica the session comes back; if its replica died it is a new session, and
        a student who was training presses Start again."""
        d = await s.reconnect(page=where)
        rec["drops"].append(d)
        if len(rec["drops"]) > 3:
            raise ConnectionError("the websocket dropped more than 3 times")
        if training and not d["resumed"]:
            await s.c.run(button="Start")

    async def act(name: str, **kw) -> float | None:
        """One run; after a drop, reconnect and (unless it was a tick) run it again."""
        nonlocal where
        if "page" in kw:
            where = kw["page"]
        while True:
            try:
                t = await s.c.run(**kw)
                lat.setdefault(name, []).append(t)
                return t
            except ConnectionError:
                await reconnect()
                fresh = not rec["drops"][-1]["resumed"]
                if name == "tick" or (fresh and kw.get("button") == "Pause"):
                    return None  # a new session is not training: nothing to pause

    try:
        await s.load_page()
        rec["replica"] = s.replica
        await s.connect()
        await act("open")
        await act("navigate", page="train")
        await act("button", button="Start")
        training = True
        t_start = time.monotonic()
        end = t_start + watch
        while time.monotonic() < end:
            if resume and "resumed" not in rec and time.monotonic() > t_start + watch / 2:
                # a network blip, on purpose: the websocket closes and opens again
                before, sid = s.examples(), s.c.session_id
                await s.close()
                await s.connect(resume_id=sid)
                await act("navigate", page="train")
                rec["resumed"] = s.c.session_id == sid and s.examples() >= before > 0
                rec["resume_examples"] = (before, s.examples())
                continue
            if not s.c.fragments:  # no live fragment: show Live training again
                await act("navigate", page="train")
                if not s.c.fragments:
                    break
            frag, every = next(iter(s.c.fragments.items()))
            t = await act("tick", fragment=frag)
            if t is None:
                continue
            rec["ticks"].append((time.monotonic(), t))
            await asyncio.sleep(max(0.0, every - t))  # the browser's timer
        rec["examples"] = s.examples()
        training = False
        await act("button", button="Pause")
        for page in ("cooccurrence", "explore"):
            await act("navigate", page=page)
        rec["upload_ok"] = await s.upload_probe()
        rec["final_replica"] = s.replica
        rec["replicas_seen"] = sorted(set(s.replicas_seen))
        rec["session_id"] = s.c.session_id
        rec["exceptions"] = s.c.exceptions
        await s.close()
    except Exception as e:  # a stuck student is a result, not a crash of the benchmark
        rec["failed"] = f"{type(e).__name__}: {str(e)[:200]}"
        if s.c is not None:
            await s.close()


# ---------------------------------------------------------------- waves


async def wave(dep: Deployment, n: int, watch: float, stagger: float, sampler: Sampler, *,
               resume: bool, kill: int | None = None, kill_after: float = 5.0) -> dict:  # fmt: skip
    out: dict = {"kill": kill}
    t0 = time.monotonic()

    async def late(i):
        await asyncio.sleep(i * stagger)  # a class arrives within a few seconds
        await student(dep.proxy, i, watch, out, resume)

    async def killer():
        await asyncio.sleep((n - 1) * stagger + kill_after)
        pid = dep.pid(kill)
        out["killed_at"] = time.monotonic()
        out["killed_sessions_before"] = sum(
            1 for r in out.get("students", []) if r.get("replica") == f"r{kill}"
        )
        os.kill(pid, signal.SIGKILL)
        # run_local.sh starts it again 2 s later; time until it answers once more
        base = dep.replica_base(kill)
        while time.monotonic() - out["killed_at"] < 120:
            await asyncio.sleep(0.25)
            try:
                await asyncio.to_thread(server_metrics, base)
            except OSError:
                continue
            if dep.pid(kill) != pid:
                out["back_after"] = time.monotonic() - out["killed_at"]
                return

    tasks = [late(i) for i in range(n)] + ([killer()] if kill else [])
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=900)
    out["t0"], out["t1"] = t0, time.monotonic()
    out["seconds"] = out["t1"] - t0
    out["peak_rss"] = {k: sampler.peak_rss(k, t0) for k in range(1, dep.n + 1)}
    out["peak_sessions"] = {k: sampler.peak_sessions(k, t0) for k in range(1, dep.n + 1)}
    out["peak_nginx"] = sampler.peak_nginx(t0)
    out["cores"] = sampler.cores(t0, out["t1"])
    return out


async def run(n_rep: int, n: int, watch: float, stagger: float, kill_after: float) -> dict:
    dep = Deployment(n_rep)
    dep.start()
    try:
        sampler = Sampler(dep)
        sampler.start()
        # warm-up: one short session per replica (imports, first cached lessons)
        warm: dict = {}
        for k in range(1, n_rep + 1):
            s = Student(dep.proxy, k, {})
            s.cookies[COOKIE] = f"r{k}"
            await s.load_page()
            await s.connect()
            await s.c.run()
            await s.close()
            warm[k] = s.replica
        await asyncio.sleep(5)
        res = {"replicas": n_rep, "baseline_rss": {k: rss_mb(dep.pid(k)) for k in warm},
               "waves": []}  # fmt: skip
        res["waves"].append(await wave(dep, n, watch, stagger, sampler, resume=True))
        await asyncio.sleep(15)
        res["waves"][-1]["after"] = after_sessions(dep)
        res["waves"].append(await wave(dep, n, watch, stagger, sampler, resume=False,
                                       kill=n_rep, kill_after=kill_after))  # fmt: skip
        await asyncio.sleep(15)
        res["waves"][-1]["after"] = after_sessions(dep)
        return res
    finally:
        dep.stop()


def after_sessions(dep: Deployment) -> dict[int, float]:
    out = {}
    for k in range(1, dep.n + 1):
        try:
            out[k] = server_metrics(dep.replica_base(k))["sessions"]
        except OSError:
            out[k] = float("nan")
    return out


# ---------------------------------------------------------------- report


def rate(ticks: list[tuple[float, float]], t0: float = 0.0, t1: float = float("inf")) -> float:
    """Ticks per second of one session between t0 and t1 (from its tick end times)."""
    ts = [t for t, _ in ticks if t0 <= t <= t1]
    return (len(ts) - 1) / (ts[-1] - ts[0]) if len(ts) >= 3 else float("nan")


def class_rate(students: list[dict]) -> tuple[float, float]:
    """(ticks/s of the whole class, seconds) from the first tick of any session to the last."""
    ts = sorted(t for r in students for t, _ in r["ticks"])
    if len(ts) < 2:
        return float("nan"), 0.0
    return (len(ts) - 1) / (ts[-1] - ts[0]), ts[-1] - ts[0]


def med(vals) -> float:
    vals = [v for v in vals if v == v]
    return statistics.median(vals) if vals else float("nan")


def lat_row(name: str, vals: list[float], label: str) -> str:
    if not vals:
        return f"| {label} | {name} | 0 | | | |"
    return (f"| {label} | {name} | {len(vals)} | {pct(vals, 0.5):.2f} | {pct(vals, 0.95):.2f} "
            f"| {max(vals):.2f} |")  # fmt: skip


def report(res: dict, n: int, watch: float, stagger: float, kill_after: float) -> str:
    nr = res["replicas"]
    lines = [
        f"Machine: {machine()}. nginx {nginx_version()}, {nr} replicas, the {n} clients and "
        "nginx on the same machine.",
        "",
        f"Reproduce: `.venv/bin/python -m benchmarks.bench_proxy --replicas {nr} --sessions {n} "
        f"--watch {watch:g} --stagger {stagger:g} --kill-after {kill_after:g}`",
        "",
        "Latency of each action, through the proxy:",
        "",
        "| wave | action | count | p50 (s) | p95 (s) | max (s) |",
        "|---|---|---|---|---|---|",
    ]
    for k, w in enumerate(res["waves"], 1):
        label = f"{k}" + (f" (r{w['kill']} killed)" if w["kill"] else "")
        lat = w.get("latency", {})
        for name in ("open", "navigate", "button", "tick"):
            lines.append(lat_row(name, lat.get(name, []), label))
    lines += ["", "Sessions, replicas and memory:", "",
              "| wave | sessions done | per replica (pinned) | per replica (its /_stcore/metrics, "
              "peak) | RSS peak per replica (MB) | nginx RSS (MB) | class ticks/s (over s) | "
              "ticks/s per session (median) | examples per session (median) |",
              "|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for k, w in enumerate(res["waves"], 1):
        st = w.get("students", [])
        done = [r for r in st if "failed" not in r]
        pinned = " / ".join(
            str(sum(1 for r in st if r.get("replica") == f"r{j}")) for j in range(1, nr + 1)
        )
        peak_s = " / ".join(f"{w['peak_sessions'][j]:.0f}" for j in range(1, nr + 1))
        peak_r = " / ".join(f"{w['peak_rss'][j]:.0f}" for j in range(1, nr + 1))
        cr, span = class_rate(st)
        per = med(rate(r["ticks"]) for r in st)
        ex = med(r.get("examples", float("nan")) for r in done)
        lines.append(
            f"| {k} | {len(done)} / {n} | {pinned} | {peak_s} | {peak_r} | "
            f"{w['peak_nginx']:.0f} | {cr:.1f} ({span:.0f} s) | {per:.2f} | {ex:,.0f} |"
        )
    names = [f"r{j}" for j in range(1, nr + 1)]
    lines += ["", "CPU, in cores used on average over the wave (the machine has "
              f"{os.cpu_count()}; *other* is every process that is not part of this run):", "",
              "| wave | " + " | ".join(names) + " | nginx | the clients | other | machine |",
              "|---|" + "---|" * (nr + 4)]  # fmt: skip
    for k, w in enumerate(res["waves"], 1):
        c = w["cores"]
        cols = [c.get(x, 0.0) for x in [*names, "nginx", "clients", "other", "machine"]]
        lines.append(f"| {k} | " + " | ".join(f"{v:.2f}" for v in cols) + " |")
    lines += ["", "Does every session stay on its process?", ""]
    for k, w in enumerate(res["waves"], 1):
        st = w.get("students", [])
        moved = [r for r in st if any(not d["resumed"] for d in r["drops"])]
        stay = [r for r in st if r not in moved and "failed" not in r]
        one = sum(1 for r in stay if r.get("replicas_seen") == [r.get("replica")])
        up = sum(1 for r in st if r.get("upload_ok"))
        line = (f"- wave {k}: {one} / {len(stay)} sessions that were not moved saw one replica "
                f"in every response; uploads through the proxy accepted by the replica holding "
                f"the session: {up} / {len(st)}")  # fmt: skip
        if any("resumed" in r for r in st):
            ok = sum(1 for r in st if r.get("resumed"))
            line += (f"; websocket closed and reopened with its session id on purpose: {ok} / "
                     f"{sum(1 for r in st if 'resumed' in r)} sessions came back with their "
                     "model (Examples seen kept)")  # fmt: skip
        lines.append(line + ".")
        drops = [d for r in st if r not in moved for d in r["drops"]]
        if drops:
            why = ", ".join(sorted({d["why"] for d in drops}))
            lines.append(
                f"- wave {k}: the server closed {len(drops)} websockets of live replicas "
                f"({why}); {sum(d['resumed'] for d in drops)} reconnected through the proxy to "
                "their own session, with its model."
            )
        if not w["kill"]:
            continue
        kt, r_k = w["killed_at"], f"r{w['kill']}"
        others = [r for r in st if r.get("replica") != r_k]
        before = [t for r in others for t0, t in r["ticks"] if t0 < kt]
        after = [t for r in others for t0, t in r["ticks"] if t0 >= kt]
        lost = [next(d for d in r["drops"] if not d["resumed"]) for r in moved]
        closed = [d["t"] - kt for d in lost]
        took = [d["seconds"] for d in lost]
        fresh = sum(1 for d in lost if d["examples"] == 0)
        where = sorted({d["replica"] for d in lost})
        finished = sum(1 for r in moved if "failed" not in r)
        lines += [
            f"- wave {k}: {r_k} was killed {kill_after:g} s after the last arrival, with "
            f"{w['killed_sessions_before']} sessions pinned to it. {len(moved)} websockets "
            "closed"
            + (f", {max(closed):.2f} s after the kill at the latest" if closed else "")
            + f"; all reconnected through the proxy (to {', '.join(where) or '-'})"
            + (
                f" in {med(took):.1f} s (median) and {max(took):.1f} s (max) from the close to "
                "the end of their page's first run there"
                if took
                else ""
            )
            + f", each as a new session, {fresh} with the model back at 0 examples (its state "
            "was in the killed process). They pressed Start again and trained to the end "
            f"({finished} / {len(moved)} finished).",
            f"- wave {k}: the {len(others)} other sessions: "
            f"{sum(1 for r in others if 'failed' in r)} failed; tick p50 "
            f"{pct(before, 0.5) if before else float('nan'):.2f} s before the kill, "
            f"{pct(after, 0.5) if after else float('nan'):.2f} s after (the survivor then "
            "carries every session).",
            f"- wave {k}: run_local.sh restarted {r_k}; it answered again "
            + (f"{w['back_after']:.1f} s after the kill" if "back_after" in w else "(not seen)")
            + ". The moved sessions' last upload went to the replica holding them: "
            f"{sum(1 for r in moved if r.get('upload_ok'))} / {len(moved)}.",
        ]
    for k, w in enumerate(res["waves"], 1):
        after = " / ".join(f"{w['after'][j]:.0f}" for j in range(1, nr + 1))
        lines.append(f"- wave {k}: sessions per replica 15 s after the last tab closed: {after}.")
    base = " / ".join(f"{res['baseline_rss'][j]:.0f}" for j in range(1, nr + 1))
    lines.append(f"- RSS per replica after one warm-up session each: {base} MB.")
    for k, w in enumerate(res["waves"], 1):
        for r in w.get("students", []):
            if "failed" in r:
                lines.append(f"- wave {k}: session {r['i']}: {r['failed']}")
        ex = sum(r.get("exceptions", 0) for r in w.get("students", []))
        if ex:
            lines.append(f"- wave {k}: {ex} exception boxes seen")
    return "\n".join(lines)


def nginx_version() -> str:
    try:
        out = subprocess.run(["nginx", "-v"], capture_output=True, text=True, timeout=10)
        return out.stderr.strip().split("/")[-1]
    except OSError:
        return "?"


ABOUT = """\
`deploy/run_local.sh` starts the replicas and nginx (`deploy/nginx_conf.py` writes its
configuration: a cookie set by the proxy pins each browser to a replica). Each client
behaves as a browser: it loads the lesson link through the proxy, keeps the cookies it is
given, opens the websocket with them, and then follows the `bench_load` journey (open a
lesson link, Live training, Start, a tick a second, Pause, two more pages), arriving 0.25 s
apart. Latencies are the server's, from the client's message to the end of that script run.
In the second wave one replica is killed with SIGKILL while every student is training.
Two replicas on 2 cores can use both cores where one process uses about one; the CPU table
says how much of the machine they got (other users' processes included), so read the
latencies with it."""


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--replicas", type=int, default=2, help="Streamlit processes (max 8)")
    p.add_argument("--sessions", type=int, default=40, help="sessions per wave (max 80)")
    p.add_argument("--watch", type=float, default=30.0, help="seconds of live training watched")
    p.add_argument("--stagger", type=float, default=0.25, help="seconds between arrivals")
    p.add_argument(
        "--kill-after",
        type=float,
        default=5.0,
        help="wave 2: seconds after the last arrival until a replica is killed",
    )
    p.add_argument("--no-doc", action="store_true", help="print only; leave docs/ alone")
    a = p.parse_args(argv)
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        raise SystemExit("bench_proxy needs nginx: apt-get install nginx")
    nr, n = max(2, min(a.replicas, 8)), max(2, min(a.sessions, 80))  # bounded on purpose
    res = asyncio.run(run(nr, n, a.watch, a.stagger, a.kill_after))
    (OUT / "proxy.json").write_text(
        json.dumps(res, indent=1, default=str)
    )  # every session's record
    text = report(res, n, a.watch, a.stagger, a.kill_after)
    print(text)
    if not a.no_doc:
        write_section(
            "proxy",
            "## A class on several processes behind nginx (bench_proxy)\n\n"
            + ABOUT
            + "\n\n"
            + text,
        )


if __name__ == "__main__":
    main()
