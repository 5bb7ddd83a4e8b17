#!/usr/bin/env bash
# Word2Vec Lab for a class, without Docker: N Streamlit processes behind nginx (Debian's:
# `apt-get install nginx`), each student pinned to one process (deploy/nginx_conf.py).
#
#   deploy/run_local.sh [--replicas N] [--listen ADDR:PORT] [--first-port P] [--run-dir DIR]
#                       [-- extra streamlit options]
#
# Replica K listens on 127.0.0.1:(P+K-1) and is restarted 2 s after it exits; nginx listens on
# ADDR:PORT (default 0.0.0.0:8080, the address to give the class). Everything this script
# writes (nginx config, pid files, logs) goes to DIR (default a new /tmp/w2v-deploy.XXXXXX); it
# uses no system service and leaves a system nginx alone. Ctrl-C (or SIGTERM) stops it all.
# DIR/replica-K.pid holds replica K's current process id, DIR/ready appears once the proxy
# and every replica answer.
set -euo pipefail

REPLICAS=2
LISTEN=0.0.0.0:8080
FIRST_PORT=8501
RUN_DIR=""
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --replicas) REPLICAS=$2; shift 2 ;;
    --listen) LISTEN=$2; shift 2 ;;
    --first-port) FIRST_PORT=$2; shift 2 ;;
    --run-dir) RUN_DIR=$2; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "run_local.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$REPLICAS" in ''|*[!0-9]*|0) echo "run_local.sh: --replicas takes a number >= 1" >&2; exit 2 ;; esac

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
[ -x "$PY" ] || { echo "run_local.sh: no $PY; create .venv first (see the README)" >&2; exit 1; }
[ -x "$NGINX" ] || { echo "run_local.sh: nginx not found; apt-get install nginx" >&2; exit 1; }
RUN_DIR=${RUN_DIR:-$(mktemp -d /tmp/w2v-deploy.XXXXXX)}
mkdir -p "$RUN_DIR/tmp"
RUN_DIR=$(cd "$RUN_DIR" && pwd)
chmod 755 "$RUN_DIR"  # nginx's workers (user nobody when started as root) read and write here
rm -f "$RUN_DIR/ready" "$RUN_DIR/stopping"

# Refuse to start on a port that is taken (Streamlit would exit, and be restarted, forever).
"$PY" - "$LISTEN" "$FIRST_PORT" "$REPLICAS" <<'EOF'
import socket, sys
listen, first, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
host, port = listen.rsplit(":", 1)
for h, p in [("127.0.0.1", first + k) for k in range(n)] + [(host.strip("[]") or "0.0.0.0", port)]:
    with socket.socket(socket.AF_INET6 if ":" in h else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((h, int(p)))
        except OSError as e:
            sys.exit(f"run_local.sh: cannot use {h}:{p}: {e.strerror}")
EOF

SUPERVISORS=()
NGINX_PID=""
cleanup() {
  trap - EXIT INT TERM
  touch "$RUN_DIR/stopping"
  if [ -n "$NGINX_PID" ]; then kill "$NGINX_PID" 2>/dev/null || true; fi  # TERM: fast shutdown
  for pid in "${SUPERVISORS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for f in "$RUN_DIR"/replica-*.pid; do
    if [ -e "$f" ]; then kill "$(cat "$f")" 2>/dev/null || true; fi
  done
  wait 2>/dev/null || true
  rm -f "$RUN_DIR"/replica-*.pid "$RUN_DIR/ready"
  echo "run_local.sh: stopped (logs in $RUN_DIR)" >&2
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Every replica signs cookies with the same secret (Streamlit's advice for several replicas).
SECRET=${STREAMLIT_SERVER_COOKIE_SECRET:-$("$PY" -c 'import secrets; print(secrets.token_hex(32))')}
export STREAMLIT_SERVER_COOKIE_SECRET=$SECRET

supervise() {  # replica $1 on port $2: run it, and run it again if it exits
  local k=$1 port=$2 pid
  trap - EXIT INT TERM
  while [ ! -e "$RUN_DIR/stopping" ]; do
    (cd "$ROOT" && exec "$PY" -m streamlit run app.py --server.headless true \
      --server.address 127.0.0.1 --server.port "$port" --server.fileWatcherType none \
      --browser.gatherUsageStats false "${EXTRA[@]}") >>"$RUN_DIR/replica-$k.log" 2>&1 &
    pid=$!
    echo "$pid" >"$RUN_DIR/replica-$k.pid"
    wait "$pid" || true
    [ -e "$RUN_DIR/stopping" ] && break
    echo "run_local.sh: replica $k (port $port) exited; restarting in 2 s" >&2
    sleep 2
  done
}

ARGS=()
for k in $(seq 1 "$REPLICAS"); do
  port=$((FIRST_PORT + k - 1))
  ARGS+=(--replica "127.0.0.1:$port")
  supervise "$k" "$port" &
  SUPERVISORS+=($!)
done

"$PY" "$ROOT/deploy/nginx_conf.py" "${ARGS[@]}" --listen "$LISTEN" >"$RUN_DIR/w2v.conf"
sed "s|@RUN_DIR@|$RUN_DIR|g" "$ROOT/deploy/nginx/local.conf.template" >"$RUN_DIR/nginx.conf"
"$NGINX" -t -q -e "$RUN_DIR/nginx-error.log" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf"
"$NGINX" -e "$RUN_DIR/nginx-error.log" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" &
NGINX_PID=$!

# Wait (at most 120 s) until the proxy and every replica answer /_stcore/health.
"$PY" - "$LISTEN" "$FIRST_PORT" "$REPLICAS" <<'EOF'
import sys, time, urllib.request
listen, first, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
host, port = listen.rsplit(":", 1)
host = "127.0.0.1" if host in ("0.0.0.0", "*", "[::]") else host.strip("[]")
urls = [f"http://127.0.0.1:{first + k}/_stcore/health" for k in range(n)]
urls.append(f"http://{host}:{port}/_stcore/health")
deadline = time.monotonic() + 120
while urls and time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(urls[0], timeout=2) as r:
            if r.read().strip() == b"ok":
                urls.pop(0)
                continue
    except OSError:
        pass
    time.sleep(0.2)
sys.exit(f"run_local.sh: not answering after 120 s: {urls}" if urls else 0)
EOF
touch "$RUN_DIR/ready"
echo "run_local.sh: Word2Vec Lab on http://$LISTEN with $REPLICAS replicas (logs in $RUN_DIR)" >&2

# Run until nginx exits or we are told to stop.
wait "$NGINX_PID"
