#!/usr/bin/env bash
# django-oauth-toolkit (PyPI) as a loopback OpenID Provider for the suite:
#
#   Targets/django-oauth-toolkit/serve.sh install   # once: a virtualenv with requirements.txt
#   Targets/django-oauth-toolkit/serve.sh start     # a fresh lab in .build/django-oauth-toolkit on 127.0.0.1:9490
#   swift run harness run --target Targets/django-oauth-toolkit.yaml
#   Targets/django-oauth-toolkit/serve.sh stop
#
# The Django project is lab/ beside this script (settings.py says why each setting is
# what it is). Everything the lab writes — its SQLite database, its RSA key, Django's
# secret, the log and harness-state.json, the file the harness's adapter writes — is in
# the lab directory (IH_DOT_LAB); the virtualenv is IH_DOT_VENV. Nothing in /etc is used.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LAB=$(realpath -m "${IH_DOT_LAB:-$ROOT/.build/django-oauth-toolkit}")
VENV=$(realpath -m "${IH_DOT_VENV:-$ROOT/.build/django-oauth-toolkit-venv}")
# The port is in the issuer: another one needs a target file that names it.
PORT=${IH_DOT_PORT:-9490}
BASE="http://127.0.0.1:$PORT"
case "$PORT" in
  ''|*[!0-9]*) echo "IH_DOT_PORT must be a port number, not '$PORT'" >&2; exit 2 ;;
esac

answers() { curl -sf --max-time 2 -o /dev/null "$BASE/o/.well-known/openid-configuration/"; }
# Anything at all on the port (curl fails only when nothing accepts the connection).
taken() { curl -s --max-time 2 -o /dev/null "$BASE/"; }

install() {
  python3 -m venv "$VENV" || { echo "python3 -m venv failed: on Debian, apt-get install python3-venv" >&2; exit 1; }
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$HERE/requirements.txt"
  "$VENV/bin/python" -c 'import django, oauth2_provider; print("django", django.get_version(), "django-oauth-toolkit", oauth2_provider.__version__)'
}

start() {
  [ -x "$VENV/bin/python" ] || { echo "no virtualenv at $VENV: run $0 install" >&2; exit 1; }
  stop
  if taken; then
    echo "something already listens on $BASE (another lab?): stop it first" >&2
    exit 1
  fi
  # Only ever delete a lab this script made (or an empty directory).
  if [ -e "$LAB" ] && [ -n "$(ls -A "$LAB")" ] && [ ! -f "$LAB/harness-state.json" ]; then
    echo "$LAB exists and is not a django-oauth-toolkit lab (no harness-state.json): not deleting it" >&2
    exit 1
  fi
  rm -rf "$LAB"
  mkdir -p "$LAB"
  # A fresh ID-token signing key and Django secret per lab (TEST ONLY).
  openssl genrsa -out "$LAB/oidc.key" 2048 2>/dev/null
  openssl rand -hex 32 >"$LAB/django-secret"
  echo '{"applications": {}, "users": {}}' >"$LAB/harness-state.json"
  export IH_DOT_LAB="$LAB"
  "$VENV/bin/python" "$HERE/lab/manage.py" migrate --verbosity 0
  # runserver: one process, a thread per connection (the browser and the RP's back channel
  # may hold connections at once); enough for a suite that runs one scenario at a time.
  nohup "$VENV/bin/python" "$HERE/lab/manage.py" runserver "127.0.0.1:$PORT" --noreload >"$LAB/server.log" 2>&1 &
  echo $! >"$LAB/server.pid"
  for _ in $(seq 1 100); do
    if answers; then echo "django-oauth-toolkit lab on $BASE (issuer $BASE/o; lab $LAB)"; return 0; fi
    sleep 0.2
  done
  echo "the lab did not answer on $BASE; its log:" >&2
  cat "$LAB/server.log" >&2
  exit 1
}

stop() {
  [ -f "$LAB/server.pid" ] || return 0
  pid=$(cat "$LAB/server.pid")
  rm -f "$LAB/server.pid"
  # Only the runserver this script started (a pid can be reused by another process).
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "manage.py runserver 127.0.0.1:$PORT"; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
