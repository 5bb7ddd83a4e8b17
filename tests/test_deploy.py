"""deploy/: the nginx configuration generator, and run_local.sh with two replicas behind nginx.

The generator tests need nothing installed. The others need nginx (`apt-get install nginx`)
and skip without it; they start two Streamlit replicas, so they take some 10-20 s.
"""

import asyncio
import concurrent.futures
import contextlib
import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
needs_nginx = pytest.mark.skipif(NGINX is None, reason="nginx is not installed")


def load_generator():
    spec = importlib.util.spec_from_file_location("nginx_conf", ROOT / "deploy" / "nginx_conf.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_generator_routes_each_cookie_to_its_replica_with_the_others_as_backups():
    gen = load_generator()
    conf = gen.render([("10.0.0.1", 9001), ("10.0.0.2", 9002), ("10.0.0.3", 9003)], "8080")
    for k in (1, 2, 3):
        assert f"    r{k} w2v_r{k};" in conf  # cookie -> upstream block
        assert f"    ~:900{k}$ r{k};" in conf  # answering address -> replica name
        block = re.search(rf"upstream w2v_r{k} {{(.*?)}}", conf, re.DOTALL).group(1)
        servers = re.findall(r"server (\S+)( backup)?", block)
        assert servers[0] == (f"10.0.0.{k}:900{k}", "")  # its own replica first
        assert sorted(a for a, b in servers[1:] if b) == sorted(
            f"10.0.0.{j}:900{j}" for j in (1, 2, 3) if j != k
        )
    assert "client_max_body_size 25m;" in conf  # .streamlit/config.toml maxUploadSize
    with pytest.raises(ValueError, match="own port"):
        gen.render([("a", 9001), ("b", 9001)], "80")


def test_compose_config_is_the_generators_output():
    """deploy/nginx/w2v.conf is made by the generator; a hand edit would be lost."""
    out = subprocess.run(
        [sys.executable, "deploy/nginx_conf.py", "--compose", "2"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert (ROOT / "deploy" / "nginx" / "w2v.conf").read_text() == out.stdout
    compose = (ROOT / "deploy" / "compose.yaml").read_text()
    for k in (1, 2):  # each replica of the compose file on the port the proxy expects
        assert re.search(rf"app{k}:\n(.*\n)*?\s+STREAMLIT_SERVER_PORT: \"850{k}\"", compose)


@needs_nginx
def test_nginx_accepts_both_configurations(tmp_path):
    """`nginx -t` on run_local.sh's configuration and on the compose one (names -> loopback)."""
    template = (ROOT / "deploy" / "nginx" / "local.conf.template").read_text()
    compose = (ROOT / "deploy" / "nginx" / "w2v.conf").read_text()
    local = load_generator().render([("127.0.0.1", 18501), ("127.0.0.1", 18502)], "18080")
    compose = re.sub(r"\bapp\d+:", "127.0.0.1:", compose).replace("listen 80;", "listen 18081;")
    for name, snippet in [("local", local), ("compose", compose)]:
        d = tmp_path / name
        (d / "tmp").mkdir(parents=True)
        (d / "w2v.conf").write_text(snippet)
        (d / "nginx.conf").write_text(template.replace("@RUN_DIR@", str(d)))
        r = subprocess.run([NGINX, "-t", "-e", str(d / "err.log"), "-p", str(d), "-c",
                            str(d / "nginx.conf")], capture_output=True, text=True)  # fmt: skip
        assert r.returncode == 0, (name, r.stderr)


@contextlib.contextmanager
def run_local(tmp_path: Path):
    """deploy/run_local.sh with 2 replicas on free loopback ports; stopped (and checked) after.

    Yields {"proxy": its URL, "kill": kill(k)}, where kill(k) stops replica k for good:
    run_local.sh would restart it 2 s after it dies, and a client that takes longer than
    that to reconnect (a busy browser) would find it back."""
    from benchmarks.bench_proxy import free_ports

    first = free_ports(3)
    run_dir = tmp_path / "run"
    cmd = ["bash", str(ROOT / "deploy" / "run_local.sh"), "--replicas", "2", "--first-port",
           str(first), "--listen", f"127.0.0.1:{first + 2}", "--run-dir", str(run_dir)]  # fmt: skip
    log = open(tmp_path / "run_local.log", "wb")
    env = {**os.environ, "PYTHON": sys.executable}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)  # fmt: skip

    def pids() -> set[int]:
        files = [run_dir / "nginx.pid", *run_dir.glob("replica-*.pid")]
        return {int(f.read_text()) for f in files if f.exists() and f.read_text().strip()}

    deadline = time.monotonic() + 120
    while not (run_dir / "ready").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail((tmp_path / "run_local.log").read_text())
        time.sleep(0.2)  # poll interval of the bounded wait above
    started = pids()
    try:
        replicas = [int((run_dir / f"replica-{k}.pid").read_text()) for k in (1, 2)]

        def kill(k: int) -> None:
            (run_dir / "stopping").touch()  # run_local.sh's supervisors restart no replica now
            os.kill(replicas[k - 1], signal.SIGKILL)

        yield {"proxy": f"http://127.0.0.1:{first + 2}", "kill": kill}
    finally:
        started |= pids()  # with any replica restarted meanwhile
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
    # run_local.sh's trap stopped nginx and every replica it started
    deadline = time.monotonic() + 10
    alive = started
    while alive and time.monotonic() < deadline:
        alive = {p for p in alive if Path(f"/proc/{p}").exists()
                 and "(zombie)" not in Path(f"/proc/{p}/status").read_text()}  # fmt: skip
        time.sleep(0.2)  # poll interval of the bounded wait above
    assert not alive, f"left running: {alive}"


@pytest.fixture
def deployment(tmp_path):
    with run_local(tmp_path) as d:
        yield d


def replica_of(proxy: str, cookie: str = "") -> tuple[str, str]:
    """(X-W2V-Replica, Set-Cookie) of a GET / through the proxy."""
    req = urllib.request.Request(proxy + "/", headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.headers.get("X-W2V-Replica", ""), r.headers.get("Set-Cookie", "")


@needs_nginx
def test_run_local_pins_sessions_and_moves_them_when_a_replica_dies(deployment):
    from benchmarks.bench_proxy import Student

    proxy = deployment["proxy"]
    # first visits are spread over both replicas; a cookie keeps a browser on its replica
    firsts = {replica_of(proxy)[0] for _ in range(4)}
    assert firsts == {"r1", "r2"}
    for k in ("r1", "r2"):
        for _ in range(3):
            assert replica_of(proxy, f"w2v_replica={k}") == (k, "")  # no new cookie either

    async def scenario():
        rec: dict = {}
        s = Student(proxy, 0, rec)
        await s.load_page()
        home = s.replica
        await s.connect()
        await s.c.run()
        assert s.c.session_id and s.c.exceptions == 0
        # an upload for the session reaches the process that holds it...
        assert await s.upload_probe()
        # ...and would be refused by the other replica: the affinity is what makes it work
        other = "r2" if home == "r1" else "r1"
        s.cookies["w2v_replica"] = other
        assert not await s.upload_probe()
        assert rec["upload_status"][-1] == 400
        s.cookies["w2v_replica"] = home
        # the websocket drops and comes back with its session id: same session, same process
        sid = s.c.session_id
        await s.close()
        await s.connect(resume_id=sid)
        await s.c.run()
        assert s.c.session_id == sid
        # the replica dies: the websocket closes, the student reconnects through the proxy to
        # the other replica as a new session, and the proxy's cookie follows it there
        deployment["kill"](int(home[1:]))
        await asyncio.wait_for(s.c.closed.wait(), 10)
        d = await s.reconnect(page=None)
        assert not d["resumed"] and d["replica"] == other == s.replica
        assert s.c.exceptions == 0
        assert await s.upload_probe()
        await s.close()

    # in its own thread: the browser tests' Playwright may leave an event loop running here
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, asyncio.wait_for(scenario(), 120)).result()
