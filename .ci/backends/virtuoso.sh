#!/usr/bin/env bash
# Start or stop a throw-away Virtuoso (Debian's virtuoso-opensource) on loopback, for tests and
# benchmarks. Usage:
#   .ci/backends/virtuoso.sh start DIR   # writes DIR/virtuoso.ini, starts, waits, prints URLs
#   .ci/backends/virtuoso.sh stop DIR
# The instance listens on 127.0.0.1 only (SQL and HTTP ports chosen free at start), keeps its
# files in DIR, and lets the anonymous SPARQL user update (SPARQL_UPDATE granted) so that
# `govkg load --to http://127.0.0.1:PORT/sparql` works without credentials: acceptable for a
# loopback test instance only. A real deployment uses /sparql-auth with digest credentials
# (govkg load --user/--password). After start, DIR/env holds GOVKG_TEST_VIRTUOSO_URL etc.
set -euo pipefail

cmd=${1:?usage: virtuoso.sh start|stop DIR}
dir=$(realpath -m "${2:?usage: virtuoso.sh start|stop DIR}")
bin=$(command -v virtuoso-t || true)
isql=$(command -v isql-vt || command -v isql || true)

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

case "$cmd" in
start)
    [ -n "$bin" ] || { echo "virtuoso-t not found: apt-get install virtuoso-opensource" >&2; exit 2; }
    mkdir -p "$dir"
    sql_port=$(free_port)
    http_port=$(free_port)
    vad=/usr/share/virtuoso-opensource-7/vad
    cat > "$dir/virtuoso.ini" <<INI
[Database]
DatabaseFile = $dir/virtuoso.db
ErrorLogFile = $dir/virtuoso.log
LockFile = $dir/virtuoso.lck
TransactionFile = $dir/virtuoso.trx
xa_persistent_file = $dir/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = $dir/virtuoso-temp.db
TransactionFile = $dir/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:$sql_port
DisableUnixSocket = 1
MaxClientConnections = 20
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., $dir, $vad
VADInstallDir = $vad/
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000
MaxQueryMem = 2G
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 10

[HTTPServer]
ServerPort = 127.0.0.1:$http_port
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 20
ServerThreads = 20
MaxKeepAlives = 10
KeepAliveTimeout = 10
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 120
MaxSortedTopRows = 100000
INI
    (cd "$dir" && "$bin" +configfile "$dir/virtuoso.ini" +wait >"$dir/start.log" 2>&1) || {
        echo "virtuoso failed to start:" >&2; tail -20 "$dir/virtuoso.log" >&2 || true; exit 1; }
    url="http://127.0.0.1:$http_port/sparql"
    ready="import urllib.request; urllib.request.urlopen('$url?query=ASK%7B%7D', timeout=2)"
    for _ in $(seq 1 120); do  # at most 60 s
        if python3 -c "$ready" 2>/dev/null; then break; fi
        sleep 0.5
    done
    python3 -c "$ready" || { echo "virtuoso did not answer:" >&2; tail -20 "$dir/virtuoso.log" >&2; exit 1; }
    timeout 30 "$isql" "127.0.0.1:$sql_port" dba dba exec="GRANT SPARQL_UPDATE TO \"SPARQL\";" >/dev/null
    timeout 30 "$isql" "127.0.0.1:$sql_port" dba dba \
        exec="DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);" >/dev/null
    cat > "$dir/env" <<ENV
export GOVKG_TEST_VIRTUOSO_URL=$url
export GOVKG_TEST_VIRTUOSO_UPDATE_URL=$url
export GOVKG_TEST_VIRTUOSO_GSP_URL=http://127.0.0.1:$http_port/sparql-graph-crud
export GOVKG_TEST_VIRTUOSO_SQL_PORT=$sql_port
ENV
    echo "virtuoso: $url (SQL 127.0.0.1:$sql_port, files in $dir)"
    ;;
stop)
    if [ -f "$dir/env" ]; then
        # shellcheck disable=SC1091
        . "$dir/env"
        timeout 20 "$isql" "127.0.0.1:$GOVKG_TEST_VIRTUOSO_SQL_PORT" dba dba exec="shutdown;" \
            >/dev/null 2>&1 || true
    fi
    for _ in $(seq 1 40); do  # at most 20 s for the lock file to go
        [ -f "$dir/virtuoso.lck" ] || break
        sleep 0.5
    done
    if [ -f "$dir/virtuoso.lck" ]; then
        pid=$(cat "$dir/virtuoso.lck" 2>/dev/null | grep -o '[0-9]*' | head -1 || true)
        [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
        sleep 2
        [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    fi
    ;;
*)
    echo "usage: virtuoso.sh start|stop DIR" >&2; exit 2 ;;
esac
