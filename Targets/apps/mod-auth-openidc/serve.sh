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
MARKER=openidc-lab
. "$HERE/../apache-lab.sh"

install() {
  apt-get install -y -qq apache2 libapache2-mod-auth-openidc >/dev/null
}

start() {
  [ $# -eq 3 ] || { echo "usage: $0 start ISSUER CLIENT_ID CLIENT_SECRET" >&2; exit 2; }
  [ -x "$APACHE" ] && [ -f /usr/lib/apache2/modules/mod_auth_openidc.so ] || { echo "run $0 install first (as root)" >&2; exit 1; }
  lab_prepare
  export OP_ISSUER="$1" CLIENT_ID="$2" CLIENT_SECRET="$3"
  PASSPHRASE=$(openssl rand -hex 16); export PASSPHRASE
  lab_launch "mod_auth_openidc RP on $BASE (redirect URI $BASE/protected/redirect_uri)"
}

case "${1:-}" in
  install) install ;;
  start) shift; start "$@" ;;
  stop) lab_stop ;;
  *) echo "usage: $0 install | start ISSUER CLIENT_ID CLIENT_SECRET | stop" >&2; exit 2 ;;
esac
