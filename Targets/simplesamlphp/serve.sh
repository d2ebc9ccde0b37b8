#!/usr/bin/env bash
# SimpleSAMLphp 1.19 (Debian's package) as a loopback SAML IdP for the suite:
#
#   Targets/simplesamlphp/serve.sh install   # once, as root: apt-get the package and PHP modules
#   Targets/simplesamlphp/serve.sh start     # a fresh lab in .build/simplesamlphp, served on 127.0.0.1:9480
#   swift run harness run --target Targets/simplesamlphp.yaml
#   Targets/simplesamlphp/serve.sh stop
#
# Everything it writes is in the lab directory (IH_SSP_DIR, default .build/simplesamlphp);
# nothing in /etc is read or changed. SimpleSAMLphp finds its configuration through
# SIMPLESAMLPHP_CONFIG_DIR. The harness's simplesamlphp adapter writes harness-state.json
# (service providers and users); the PHP files below read it on every request, which is
# why opcache is off (it would serve a stale file for up to 2 s). See RECIPE.md for how
# each setting was found.
#
# IH_SSP_SERVER=apache serves it from Apache with mod_php and opcache (httpd.conf here),
# as it is deployed; the load benchmark (Benchmarks/run --beside simplesamlphp) does, with
# IH_SSP_LOG_LEVEL=WARNING (the lab logs every message, pretty-printed, at DEBUG: a cost a
# deployment does not pay).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LAB=$(realpath -m "${IH_SSP_DIR:-$ROOT/.build/simplesamlphp}")
# The port is in the IdP's entity ID: another one needs a target file that names it.
PORT=${IH_SSP_PORT:-9480}
SERVER=${IH_SSP_SERVER:-php}
LOG_LEVEL=${IH_SSP_LOG_LEVEL:-DEBUG}
HERE=$(cd "$(dirname "$0")" && pwd)
BASE="http://127.0.0.1:$PORT"
case "$LAB" in
  *\'*|*\\*) echo "the lab path may not contain ' or \\: $LAB" >&2; exit 2 ;;
esac
case "$PORT" in
  ''|*[!0-9]*) echo "IH_SSP_PORT must be a port number, not '$PORT'" >&2; exit 2 ;;
esac
case "$SERVER" in php|apache) ;; *) echo "IH_SSP_SERVER must be php or apache, not '$SERVER'" >&2; exit 2 ;; esac
case "$LOG_LEVEL" in DEBUG|INFO|NOTICE|WARNING|ERR) ;; *) echo "IH_SSP_LOG_LEVEL must be DEBUG, INFO, NOTICE, WARNING or ERR" >&2; exit 2 ;; esac
# SimpleSAMLphp pretty-prints every message for its debug log even when the level drops it.
SAML_DEBUG=$([ "$LOG_LEVEL" = DEBUG ] && echo true || echo false)

answers() { curl -sf --max-time 2 -o /dev/null "$BASE/simplesaml/saml2/idp/metadata.php"; }
# Anything at all on the port (curl fails only when nothing accepts the connection).
taken() { curl -s --max-time 2 -o /dev/null "$BASE/"; }

start() {
  command -v php >/dev/null && [ -d /usr/share/simplesamlphp/www ] || {
    echo "SimpleSAMLphp is not installed: run $0 install (as root)" >&2; exit 1; }
  stop
  if taken; then
    echo "something already listens on $BASE (another lab?): stop it first" >&2
    exit 1
  fi
  # Only ever delete a lab this script made (or an empty directory).
  if [ -e "$LAB" ] && [ -n "$(ls -A "$LAB")" ] && [ ! -f "$LAB/harness-state.json" ]; then
    echo "$LAB exists and is not a SimpleSAMLphp lab (no harness-state.json): not deleting it" >&2
    exit 1
  fi
  rm -rf "$LAB"
  mkdir -p "$LAB"/{config,metadata,cert,log,data,tmp,sessions,docroot}
  ln -sfn /usr/share/simplesamlphp/www "$LAB/docroot/simplesaml"
  # A fresh signing key per lab: the target file trusts whatever certificate is here.
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 30 -subj "/O=Identity Harness lab/CN=SimpleSAMLphp IdP (test only)" \
    -keyout "$LAB/cert/idp.key" -out "$LAB/cert/idp.crt" 2>/dev/null
  echo '{"serviceProviders": {}, "users": {}}' >"$LAB/harness-state.json"
  # The consent module's store (its docs' schema), for SPs the adapter gives consent.
  php -r '$db = new PDO("sqlite:" . $argv[1]); $db->exec("CREATE TABLE consent (consent_date TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, usage_date TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, hashed_user_id VARCHAR(80) NOT NULL, service_id VARCHAR(255) NOT NULL, attribute VARCHAR(80) NOT NULL, UNIQUE (hashed_user_id, service_id))");' \
    "$LAB/data/consent-empty.sqlite"
  cp "$LAB/data/consent-empty.sqlite" "$LAB/data/consent.sqlite"   # the adapter restores it after each scenario

  cat >"$LAB/config/config.php" <<PHP
<?php
// Written by Targets/simplesamlphp/serve.sh for the harness lab (TEST ONLY).
\$config = [
    'baseurlpath' => '$BASE/simplesaml/',
    'certdir' => '$LAB/cert/',
    'metadatadir' => '$LAB/metadata/',
    'loggingdir' => '$LAB/log/',
    'datadir' => '$LAB/data/',
    'tempdir' => '$LAB/tmp',
    'metadata.sources' => [['type' => 'flatfile', 'directory' => '$LAB/metadata']],
    'secretsalt' => '$(openssl rand -hex 16)',
    'auth.adminpassword' => '$(openssl rand -hex 16)',
    'admin.protectindexpage' => false,
    'admin.protectmetadata' => false,
    'admin.checkforupdates' => false,
    'technicalcontact_name' => 'Identity Harness lab',
    'technicalcontact_email' => 'lab@example.invalid',
    'timezone' => 'UTC',
    'enable.saml20-idp' => true,
    'enable.shib13-idp' => false,
    'enable.adfs-idp' => false,
    'module.enable' => ['core' => true, 'saml' => true, 'admin' => true, 'exampleauth' => true, 'consent' => true],
    // Plain http on loopback: a secure cookie would be refused.
    'session.cookie.secure' => false,
    'session.cookie.samesite' => null,
    'language.cookie.secure' => false,
    'session.phpsession.savepath' => '$LAB/sessions',
    'session.phpsession.cookiename' => 'SimpleSAML',
    'store.type' => 'phpsession',
    'showerrors' => true,
    'errorreporting' => false,
    'debug' => ['saml' => $SAML_DEBUG, 'backtraces' => true, 'validatexml' => false],
    'logging.level' => SimpleSAML\Logger::$LOG_LEVEL,
    'logging.handler' => 'file',
    'logging.logfile' => 'simplesamlphp.log',
    'production' => true,
    'usenewui' => false,
    'language.default' => 'en',
    'theme.use' => 'default',
$([ "$SERVER" = apache ] && printf "    // Served as deployed: Twig's compiled templates kept (SimpleSAMLphp's advice for production).\n    'template.cache' => '%s/tmp/twig',\n    'template.auto_reload' => false,\n" "$LAB")
];
PHP

  cat >"$LAB/config/authsources.php" <<PHP
<?php
// Users come from harness-state.json ("username:password" => attributes), as the adapter wrote it.
\$state = json_decode((string) @file_get_contents('$LAB/harness-state.json'), true) ?: [];
\$config = [
    'admin' => ['core:AdminPassword'],
    'harness-users' => array_merge(['exampleauth:UserPass'], \$state['users'] ?? []),
];
PHP

  cat >"$LAB/metadata/saml20-idp-hosted.php" <<PHP
<?php
\$metadata['$BASE/simplesaml/saml2/idp/metadata.php'] = [
    'host' => '__DEFAULT__',
    'privatekey' => 'idp.key',
    'certificate' => 'idp.crt',
    'auth' => 'harness-users',
    // Who a person is for the consent store (1.19 hashes the state's UserID, which this names;
    // without it every person would share one consent).
    'userid.attribute' => 'uid',
];
PHP

  cat >"$LAB/metadata/saml20-sp-remote.php" <<PHP
<?php
// Service providers from harness-state.json: entity ID => SP-remote metadata array.
\$state = json_decode((string) @file_get_contents('$LAB/harness-state.json'), true) ?: [];
foreach ((\$state['serviceProviders'] ?? []) as \$entityID => \$entry) {
    \$metadata[\$entityID] = \$entry;
}
PHP

  if [ "$SERVER" = apache ]; then
    launch_apache
  else
    SIMPLESAMLPHP_CONFIG_DIR="$LAB/config" nohup php -d opcache.enable=0 -S "127.0.0.1:$PORT" -t "$LAB/docroot" \
      >"$LAB/log/php-server.log" 2>&1 &
    echo $! >"$LAB/php-server.pid"
  fi
  for _ in $(seq 1 100); do
    # Ours answers, and is still running (not some other server that took the port).
    if answers && kill -0 "$(cat "$LAB/php-server.pid" 2>/dev/null || cat "$LAB/run/httpd.pid")" 2>/dev/null; then
      echo "SimpleSAMLphp IdP on $BASE/simplesaml/saml2/idp/SSOService.php ($SERVER, lab $LAB)"
      return 0
    fi
    sleep 0.1
  done
  echo "SimpleSAMLphp did not come up; see $LAB/log:" >&2
  tail -20 "$LAB"/log/php-server.log "$LAB"/log/apache-error.log 2>/dev/null >&2
  stop
  exit 1
}

# Apache with the lab's own httpd.conf. Started as root, its children run as www-data and
# may write only the session, log, temporary and data directories.
launch_apache() {
  command -v /usr/sbin/apache2 >/dev/null && [ -f /usr/lib/apache2/modules/libphp8.2.so ] || {
    echo "Apache with mod_php is not installed: apt-get install apache2 libapache2-mod-php8.2 (as root)" >&2; exit 1; }
  mkdir -p "$LAB/run"
  export LAB_DIR="$LAB" LAB_PORT="$PORT" LANG=C
  if [ "$(id -u)" = 0 ]; then
    export LAB_USER=www-data LAB_GROUP=www-data
    chmod -R a+rX "$LAB"
    chgrp -R www-data "$LAB"/{log,data,tmp,sessions} && chmod -R g+w "$LAB"/{log,data,tmp,sessions}
  else
    export LAB_USER=$(id -un) LAB_GROUP=$(id -gn)
  fi
  /usr/sbin/apache2 -f "$HERE/httpd.conf" -t 2>"$LAB/log/apache-config-test.log" || { cat "$LAB/log/apache-config-test.log" >&2; exit 1; }
  /usr/sbin/apache2 -f "$HERE/httpd.conf" -k start
}

stop() {
  # Only the Apache this script started (a pid can be reused by another process).
  if [ -f "$LAB/run/httpd.pid" ]; then
    pid=$(cat "$LAB/run/httpd.pid")
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "apache2 -f $HERE/httpd.conf"; then
      kill -TERM "$pid"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$LAB/run/httpd.pid"
  fi
  [ -f "$LAB/php-server.pid" ] || return 0
  pid=$(cat "$LAB/php-server.pid")
  rm -f "$LAB/php-server.pid"
  # Only the php -S this script started (a pid can be reused by another process).
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "php .*-S 127.0.0.1:$PORT"; then
    pkill -TERM -P "$pid" 2>/dev/null || true   # php -S workers, if any
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
}

install() {
  apt-get update
  # The php-* packages pull the distribution's PHP (8.2 on Debian 12).
  DEBIAN_FRONTEND=noninteractive apt-get install -y simplesamlphp php-cli php-xml php-mbstring php-sqlite3 openssl curl \
    apache2 libapache2-mod-php8.2  # IH_SSP_SERVER=apache
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  install) install ;;
  *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
