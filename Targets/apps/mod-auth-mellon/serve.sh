#!/usr/bin/env bash
# Apache + mod_auth_mellon (Debian 12) as a SAML SP under test, on loopback:
#
#   Targets/apps/mod-auth-mellon/serve.sh install                        # once, as root: apt-get the packages
#   Targets/apps/mod-auth-mellon/serve.sh start IDP-METADATA.xml         # a fresh lab on 127.0.0.1:18081
#   Targets/apps/mod-auth-mellon/serve.sh stop
#
# The SP's entity ID is http://127.0.0.1:18081/protected/mellon/metadata (its metadata is
# served there), its ACS .../protected/mellon/postResponse; /protected/whoami.shtml says
# who is signed in. The IdP metadata file is the IdP the SP trusts (mock-idp serves its
# own at /metadata). Everything is in the lab directory (IH_MELLON_DIR, default
# .build/apps/mod-auth-mellon); nothing in /etc is read or changed.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
LAB=$(realpath -m "${IH_MELLON_DIR:-$ROOT/.build/apps/mod-auth-mellon}")
PORT=${IH_MELLON_PORT:-18081}
BASE="http://127.0.0.1:$PORT"
APACHE=/usr/sbin/apache2
case "$PORT" in ''|*[!0-9]*) echo "IH_MELLON_PORT must be a port number" >&2; exit 2 ;; esac

install() {
  apt-get install -y -qq apache2 libapache2-mod-auth-mellon >/dev/null
}

start() {
  local metadata=${1:?usage: $0 start IDP-METADATA.xml}
  [ -x "$APACHE" ] && [ -f /usr/lib/apache2/modules/mod_auth_mellon.so ] || { echo "run $0 install first (as root)" >&2; exit 1; }
  [ -s "$metadata" ] || { echo "no IdP metadata at $metadata" >&2; exit 1; }
  stop
  if curl -s --max-time 2 -o /dev/null "$BASE/"; then echo "something already listens on $BASE" >&2; exit 1; fi
  if [ -e "$LAB" ] && [ ! -f "$LAB/mellon-lab" ]; then echo "$LAB is not a mellon lab: not deleting it" >&2; exit 1; fi
  rm -rf "$LAB"
  mkdir -p "$LAB"/{run,logs,saml,mellon-post,htdocs/protected}
  touch "$LAB/mellon-lab"
  cp "$metadata" "$LAB/saml/idp-metadata.xml"
  printf '<!doctype html><title>public</title><p>public page</p>\n' >"$LAB/htdocs/index.html"
  printf '<!doctype html><title>Protected</title><p id="signed-in">protected page</p>\n' >"$LAB/htdocs/protected/index.html"
  printf 'REMOTE_USER=<!--#echo var="REMOTE_USER" -->\n' >"$LAB/htdocs/protected/whoami.shtml"
  # The SP's key, certificate and metadata, by the tool the package ships.
  (cd "$LAB/saml" && mellon_create_metadata "$BASE/protected/mellon/metadata" "$BASE/protected/mellon" >/dev/null &&
    for f in *.key; do mv "$f" sp.key; done && for f in *.cert; do mv "$f" sp.cert; done &&
    for f in *.xml; do [ "$f" = idp-metadata.xml ] || mv "$f" sp-metadata.xml; done)
  export LAB_DIR="$LAB" LAB_PORT="$PORT" IDP_METADATA="$LAB/saml/idp-metadata.xml" LANG=C
  if [ "$(id -u)" = 0 ]; then
    export LAB_USER=www-data LAB_GROUP=www-data
    # The worker reads the key and metadata; the parent (root) the logs.
    chgrp -R www-data "$LAB/saml" "$LAB/mellon-post" && chmod 750 "$LAB/saml" && chmod 640 "$LAB/saml"/* && chmod 770 "$LAB/mellon-post"
    chmod 755 "$LAB" "$LAB/htdocs" "$LAB/htdocs/protected"
  else
    export LAB_USER=$(id -un) LAB_GROUP=$(id -gn)
  fi
  "$APACHE" -f "$HERE/httpd.conf" -t 2>"$LAB/logs/config-test.log" || { cat "$LAB/logs/config-test.log" >&2; exit 1; }
  "$APACHE" -f "$HERE/httpd.conf" -k start
  for _ in $(seq 1 50); do
    if curl -s --max-time 2 -o /dev/null "$BASE/"; then echo "mod_auth_mellon SP on $BASE (entity ID $BASE/protected/mellon/metadata; lab $LAB)"; return 0; fi
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
  *) echo "usage: $0 install | start IDP-METADATA.xml | stop" >&2; exit 2 ;;
esac
