#!/usr/bin/env bash
# Several identity-server instances on one PostgreSQL database behind HAProxy, round robin
# per request with no stickiness: every flow must survive its next request landing on
# another instance (issue 19).
#
#   Targets/cluster/serve.sh start [N]   # N instances (default 2); prints the balancer's URL
#   swift run harness run --target Targets/cluster.yaml
#   Targets/cluster/serve.sh kill 1      # SIGKILL instance 1 (a crash; the balancer skips it)
#   Targets/cluster/serve.sh stop
#
# It starts its own PostgreSQL cluster (Targets/postgres/serve.sh) unless IH_POSTGRES_URL
# names one, makes a fresh database (`IH_CLUSTER_DB`, default `ih_cluster`) on it, and gives every instance the same
# configuration (Mocks/server-plain: the same keys, so any instance verifies what another
# signed) with the balancer as the public base URL. Everything is in IH_CLUSTER_DIR
# (default .build/cluster); HAProxy (Debian's haproxy) reads only the config written
# there. The balancer listens on IH_CLUSTER_PORT (default 9600), instance i on port+i.
# Needs `swift build` first: it runs IH_CLUSTER_SERVER (default .build/debug/identity-server)
# with the configuration directory IH_CLUSTER_CONFIG (default Mocks/server-plain; its
# relative key paths are made absolute) at IH_CLUSTER_LOG_LEVEL (default warning).
# `Benchmarks/run --cluster N` starts release builds with Benchmarks/server this way.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=$(realpath -m "${IH_CLUSTER_DIR:-$ROOT/.build/cluster}")
PORT=${IH_CLUSTER_PORT:-9600}
DB=${IH_CLUSTER_DB:-ih_cluster}
case "$DB" in ''|*[!a-z0-9_]*) echo "IH_CLUSTER_DB must be lower-case letters, digits and _, not '$DB'" >&2; exit 2 ;; esac
case "$PORT" in ''|*[!0-9]*) echo "IH_CLUSTER_PORT must be a port number, not '$PORT'" >&2; exit 2 ;; esac
SERVER=$(realpath -m "${IH_CLUSTER_SERVER:-$ROOT/.build/debug/identity-server}")
CONFIG=$(realpath -m "${IH_CLUSTER_CONFIG:-$ROOT/Mocks/server-plain}")
LOG_LEVEL=${IH_CLUSTER_LOG_LEVEL:-warning}

stop() {
    if [ -d "$DIR" ]; then
        for pidfile in "$DIR"/*.pid; do
            [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
            rm -f "$pidfile"
        done
    fi
    if [ -f "$DIR/own-postgres" ]; then
        IH_PG_DIR="$DIR/postgres" "$ROOT/Targets/postgres/serve.sh" stop
        rm -f "$DIR/own-postgres"
    fi
}

start() {
    local count=${1:-2}
    case "$count" in ''|*[!0-9]*|0) echo "the number of instances must be a positive number, not '$count'" >&2; exit 2 ;; esac
    command -v haproxy >/dev/null || { echo "HAProxy is not installed: apt-get install haproxy" >&2; exit 1; }
    [ -x "$SERVER" ] || { echo "no $SERVER: run swift build first" >&2; exit 1; }
    stop
    rm -rf "$DIR"
    mkdir -p "$DIR/config"
    local url=${IH_POSTGRES_URL:-}
    if [ -z "$url" ]; then
        url=$(IH_PG_DIR="$DIR/postgres" IH_PG_PORT=$((PORT + 100)) "$ROOT/Targets/postgres/serve.sh" start)
        touch "$DIR/own-postgres"
    fi
    psql "$url" -v ON_ERROR_STOP=1 -qc "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null
    local database="${url%/*}/$DB"

    # One configuration for all: the keys (relative paths made absolute) and the balancer
    # as the public base URL.
    [ -f "$CONFIG/server.yaml" ] || { echo "no server.yaml in $CONFIG" >&2; exit 1; }
    for part in service-providers identity-providers users; do
        if [ -d "$CONFIG/$part" ]; then cp -r "$CONFIG/$part" "$DIR/config/"; fi
    done
    sed -E "s#^( *(privateKey|certificate): *)([^/ ][^ ]*)#\1$CONFIG/\3#" "$CONFIG/server.yaml" >"$DIR/config/server.yaml"
    echo "baseURL: http://127.0.0.1:$PORT" >>"$DIR/config/server.yaml"
    # The balancer names each request's client in X-Forwarded-For; the instances believe
    # it from the balancer only, so the per-address limits count people, not the balancer.
    if grep -q '^http:' "$DIR/config/server.yaml"; then echo "$CONFIG/server.yaml has an http: section: add trustedProxies: [127.0.0.1] to it yourself" >&2; exit 1; fi
    echo "http: { trustedProxies: [127.0.0.1] }" >>"$DIR/config/server.yaml"

    {
        echo "global"
        echo "    maxconn 500"
        # Requests as large as the server itself takes reach it, so its own limits answer
        # (an oversized SAML message by HTTP-Redirect is the server's saml.message_too_large,
        # not the balancer's 414): HAProxy's default buffer stops a request line at 16 KiB.
        echo "    tune.bufsize 1048576"
        echo "defaults"
        echo "    mode http"
        echo "    option forwardfor"
        echo "    timeout connect 5s"
        echo "    timeout client 60s"
        echo "    timeout server 60s"
        echo "frontend identity"
        echo "    bind 127.0.0.1:$PORT"
        echo "    default_backend instances"
        echo "backend instances"
        # Round robin per request, no stickiness; a dead instance is skipped once two
        # health checks failed, and before that a request it refuses to connect goes to
        # another (a connection refused means the request was never sent, so even a POST
        # is safe to send again).
        echo "    balance roundrobin"
        echo "    retries 2"
        echo "    option redispatch 1"
        echo "    option httpchk GET /health"
        for i in $(seq 1 "$count"); do echo "    server instance$i 127.0.0.1:$((PORT + i)) check inter 500ms fall 2 rise 1"; done
    } >"$DIR/haproxy.cfg"

    for i in $(seq 1 "$count"); do
        "$SERVER" --config "$DIR/config" --postgres "$database" --port $((PORT + i)) --log-level "$LOG_LEVEL" \
            --port-file "$DIR/instance$i.url" >"$DIR/instance$i.log" 2>&1 &
        echo $! >"$DIR/instance$i.pid"
    done
    for i in $(seq 1 "$count"); do
        for _ in $(seq 1 200); do [ -s "$DIR/instance$i.url" ] && break; sleep 0.05; done
        [ -s "$DIR/instance$i.url" ] || { echo "instance $i did not start:" >&2; cat "$DIR/instance$i.log" >&2; stop; exit 1; }
    done
    haproxy -f "$DIR/haproxy.cfg" -D -p "$DIR/haproxy.pid" >"$DIR/haproxy.log" 2>&1 || { cat "$DIR/haproxy.log" >&2; stop; exit 1; }
    for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/health" && break; sleep 0.1; done
    echo "http://127.0.0.1:$PORT"
}

# SIGKILL one instance: no shutdown of any kind, as in a crash. Returns once it is gone
# (dead or a zombie): until then its listening socket may still take a connection.
crash() {
    local pidfile="$DIR/instance${1:-}.pid"
    [ -f "$pidfile" ] || { echo "no running instance '${1:-}' in $DIR" >&2; exit 2; }
    local pid
    pid=$(cat "$pidfile")
    kill -KILL "$pid"
    rm -f "$pidfile"
    for _ in $(seq 1 200); do
        case "$(awk '/^State:/ {print $2}' "/proc/$pid/status" 2>/dev/null)" in ''|Z) return 0 ;; esac
        sleep 0.02
    done
    echo "instance ${1} (pid $pid) did not die" >&2
    exit 1
}

case "${1:-}" in
    start) start "${2:-2}" ;;
    kill) crash "${2:-}" ;;
    stop) stop ;;
    *) echo "usage: $0 start [N] | kill I | stop" >&2; exit 2 ;;
esac
