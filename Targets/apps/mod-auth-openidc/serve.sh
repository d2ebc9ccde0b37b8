#!/usr/bin/env bash
# Apache + mod_auth_openidc (Debian 12) as an OpenID Connect RP under test, on loopback:
#
#   Targets/apps/mod-auth-openidc/serve.sh install                                # once, as root
#   Targets/apps/mod-auth-openidc/serve.sh start ISSUER CLIENT_ID CLIENT_SECRET   # a fresh lab on 127.0.0.1:18082
#   Targets/apps/mod-auth-openidc/serve.sh stop
#
# Its redirect URI is http://127.0.0.1:18082/protected/redirect_uri; /protected/whoami.shtml
# says who is signed in. ISSUER is the provider it trusts (its discovery document is read
# from ISSUER/.well-known/openid-configuration when the first login starts). Everything
# is in the lab directory (IH_OIDC_DIR, default .build/apps/mod-auth-openidc); nothing
# in /etc is read or changed.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
LAB=$(realpath -m "${IH_OIDC_DIR:-$ROOT/.build/apps/mod-auth-openidc}")
PORT=${IH_OIDC_PORT:-18082}
BASE="http://127.0.0.1:$PORT"
APACHE=/usr/sbin/apache2
case "$PORT" in ''|*[!0-9]*) echo "IH_OIDC_PORT must be a port number" >&2; exit 2 ;; esac

install() {
  apt-get install -y -qq apache2 libapache2-mod-auth-openidc >/dev/null
}

start() {
  [ $# -eq 3 ] || { echo "usage: $0 start ISSUER CLIENT_ID CLIENT_SECRET" >&2; exit 2; }
  [ -x "$APACHE" ] && [ -f /usr/lib/apache2/modules/mod_auth_openidc.so ] || { echo "run $0 install first (as root)" >&2; exit 1; }
  stop
  if curl -s --max-time 2 -o /dev/null "$BASE/"; then echo "something already listens on $BASE" >&2; exit 1; fi
  if [ -e "$LAB" ] && [ ! -f "$LAB/openidc-lab" ]; then echo "$LAB is not an openidc lab: not deleting it" >&2; exit 1; fi
  rm -rf "$LAB"
  mkdir -p "$LAB"/{run,logs,htdocs/protected}
  touch "$LAB/openidc-lab"
  printf '<!doctype html><title>public</title><p>public page</p>\n' >"$LAB/htdocs/index.html"
  printf '<!doctype html><title>Protected</title><p id="signed-in">protected page</p>\n' >"$LAB/htdocs/protected/index.html"
  printf 'REMOTE_USER=<!--#echo var="REMOTE_USER" -->\n' >"$LAB/htdocs/protected/whoami.shtml"
  export LAB_DIR="$LAB" LAB_PORT="$PORT" OP_ISSUER="$1" CLIENT_ID="$2" CLIENT_SECRET="$3" LANG=C
  PASSPHRASE=$(openssl rand -hex 16); export PASSPHRASE
  if [ "$(id -u)" = 0 ]; then
    export LAB_USER=www-data LAB_GROUP=www-data
    chmod 755 "$LAB" "$LAB/htdocs" "$LAB/htdocs/protected"
  else
    export LAB_USER=$(id -un) LAB_GROUP=$(id -gn)
  fi
  "$APACHE" -f "$HERE/httpd.conf" -t 2>"$LAB/logs/config-test.log" || { cat "$LAB/logs/config-test.log" >&2; exit 1; }
  "$APACHE" -f "$HERE/httpd.conf" -k start
  for _ in $(seq 1 50); do
    if curl -s --max-time 2 -o /dev/null "$BASE/"; then echo "mod_auth_openidc RP on $BASE (redirect URI $BASE/protected/redirect_uri; lab $LAB)"; return 0; fi
    sleep 0.1
  done
  echo "Apache did not answer on $BASE:" >&2; cat "$LAB/logs/error.log" >&2; exit 1
}

stop() {
  [ -f "$LAB/run/httpd.pid" ] || return 0
  local pid; pid=$(cat "$LAB/run/httpd.pid")
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "apache2 -f $HERE/httpd.conf"; then
    kill -TERM "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$LAB/run/httpd.pid"
}

case "${1:-}" in
  install) install ;;
  start) shift; start "$@" ;;
  stop) stop ;;
  *) echo "usage: $0 install | start ISSUER CLIENT_ID CLIENT_SECRET | stop" >&2; exit 2 ;;
esac
