#!/usr/bin/env bash
# A PostgreSQL cluster of its own for the storage tests and the multi-instance server
# (issue 19): initdb + pg_ctl in a directory of ours, on loopback, trust authentication
# for loopback only. Nothing in /etc is read or changed.
#
#   Targets/postgres/serve.sh start    # prints the URL to export as IH_POSTGRES_URL
#   Targets/postgres/serve.sh url
#   Targets/postgres/serve.sh stop
#
# IH_PG_DIR (default .build/postgres) and IH_PG_PORT (default 55432) move it. Run as
# root (CI), the cluster belongs to the `postgres` user Debian's package creates: initdb
# refuses to run as root.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=$(realpath -m "${IH_PG_DIR:-$ROOT/.build/postgres}")
PORT=${IH_PG_PORT:-55432}
case "$PORT" in ''|*[!0-9]*) echo "IH_PG_PORT must be a port number, not '$PORT'" >&2; exit 2 ;; esac
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$BIN" ] || { echo "PostgreSQL is not installed: apt-get install postgresql" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
url() { echo "postgres://postgres@127.0.0.1:$PORT/postgres"; }

case "${1:-}" in
    start)
        "$0" stop >/dev/null 2>&1 || true
        rm -rf "$DIR"
        mkdir -p "$DIR"
        [ "$(id -u)" = 0 ] && chown postgres "$DIR"
        as_owner "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
            || { cat "$DIR/initdb.log" >&2; exit 1; }
        as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
            -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DIR -c max_connections=200 -c fsync=off" start >/dev/null \
            || { cat "$DIR/server.log" >&2; exit 1; }
        url
        ;;
    stop)
        [ -d "$DIR/data" ] && as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null 2>&1 || true
        ;;
    url) url ;;
    *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
