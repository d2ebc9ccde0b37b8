# Sourced by mod-auth-*/serve.sh: Debian's apache2 started with the lab's own config file
# (-f) on loopback, everything in one lab directory, nothing in /etc read or changed.
# The caller sets HERE (its directory), LAB, PORT, BASE and MARKER (a file that says the
# directory is such a lab) before calling these.
APACHE=/usr/sbin/apache2

# Stops a lab left running, checks the port is free, and makes a fresh lab directory
# with the protected application: /protected/ and whoami.shtml (REMOTE_USER), which is
# how the harness tells a signed-in person from a refused one.
lab_prepare() {
  case "$PORT" in ''|*[!0-9]*) echo "the port must be a number, not '$PORT'" >&2; exit 2 ;; esac
  lab_stop
  if curl -s --max-time 2 -o /dev/null "$BASE/"; then echo "something already listens on $BASE" >&2; exit 1; fi
  # Only ever delete a lab this script made.
  if [ -e "$LAB" ] && [ ! -f "$LAB/$MARKER" ]; then echo "$LAB is not such a lab (no $MARKER): not deleting it" >&2; exit 1; fi
  rm -rf "$LAB"
  mkdir -p "$LAB"/{run,logs,htdocs/protected}
  touch "$LAB/$MARKER"
  printf '<!doctype html><title>public</title><p>public page</p>\n' >"$LAB/htdocs/index.html"
  printf '<!doctype html><title>Protected</title><p id="signed-in">protected page</p>\n' >"$LAB/htdocs/protected/index.html"
  printf 'REMOTE_USER=<!--#echo var="REMOTE_USER" -->\n' >"$LAB/htdocs/protected/whoami.shtml"
  export LAB_DIR="$LAB" LAB_PORT="$PORT" LANG=C
  # Workers drop to www-data when started as root (Apache refuses to serve as root).
  if [ "$(id -u)" = 0 ]; then
    export LAB_USER=www-data LAB_GROUP=www-data
    chmod 755 "$LAB" "$LAB/htdocs" "$LAB/htdocs/protected"
  else
    export LAB_USER=$(id -un) LAB_GROUP=$(id -gn)
  fi
}

# Checks the configuration, starts Apache and waits until it answers; $1 says what runs.
lab_launch() {
  "$APACHE" -f "$HERE/httpd.conf" -t 2>"$LAB/logs/config-test.log" || { cat "$LAB/logs/config-test.log" >&2; exit 1; }
  "$APACHE" -f "$HERE/httpd.conf" -k start
  for _ in $(seq 1 50); do
    if curl -s --max-time 2 -o /dev/null "$BASE/"; then echo "$1 (lab $LAB)"; return 0; fi
    sleep 0.1
  done
  echo "Apache did not answer on $BASE:" >&2; cat "$LAB/logs/error.log" >&2; exit 1
}

# Stops only the Apache this lab started (a pid can be reused by another process).
lab_stop() {
  [ -f "$LAB/run/httpd.pid" ] || return 0
  local pid; pid=$(cat "$LAB/run/httpd.pid")
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "apache2 -f $HERE/httpd.conf"; then
    kill -TERM "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$LAB/run/httpd.pid"
}
