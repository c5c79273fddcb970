#!/usr/bin/env bash
# Start or stop a throw-away Oxigraph server (PyPI `oxigraph`, the test extra) on loopback.
# Usage:
#   .ci/backends/oxigraph.sh start DIR   # data in DIR/data, log in DIR/server.log
#   .ci/backends/oxigraph.sh stop DIR
# OXIGRAPH selects the binary (default: `oxigraph` next to the Python in use, else on PATH).
# After start, DIR/env holds GOVKG_TEST_OXIGRAPH_URL (query), _UPDATE_URL and _GSP_URL.
set -euo pipefail

cmd=${1:?usage: oxigraph.sh start|stop DIR}
dir=$(realpath -m "${2:?usage: oxigraph.sh start|stop DIR}")
bin=${OXIGRAPH:-$(command -v oxigraph || true)}

case "$cmd" in
start)
    [ -n "$bin" ] || { echo "oxigraph not found: pip install oxigraph" >&2; exit 2; }
    mkdir -p "$dir/data"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$bin" serve --location "$dir/data" --bind "127.0.0.1:$port" >"$dir/server.log" 2>&1 &
    echo $! >"$dir/pid"
    url="http://127.0.0.1:$port"
    for _ in $(seq 1 120); do  # at most 60 s
        if python3 -c "import urllib.request; urllib.request.urlopen('$url/query?query=ASK%7B%7D', timeout=1)" 2>/dev/null; then
            break
        fi
        sleep 0.5
    done
    python3 -c "import urllib.request; urllib.request.urlopen('$url/query?query=ASK%7B%7D', timeout=2)" \
        || { echo "oxigraph did not answer:" >&2; cat "$dir/server.log" >&2; exit 1; }
    cat >"$dir/env" <<ENV
export GOVKG_TEST_OXIGRAPH_URL=$url/query
export GOVKG_TEST_OXIGRAPH_UPDATE_URL=$url/update
export GOVKG_TEST_OXIGRAPH_GSP_URL=$url/store
ENV
    echo "oxigraph: $url/query (data in $dir/data)"
    ;;
stop)
    if [ -f "$dir/pid" ]; then
        pid=$(cat "$dir/pid")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$pid" 2>/dev/null || true
        rm -f "$dir/pid"
    fi
    ;;
*)
    echo "usage: oxigraph.sh start|stop DIR" >&2; exit 2 ;;
esac
