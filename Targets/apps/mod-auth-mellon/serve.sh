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
MARKER=mellon-lab
. "$HERE/../apache-lab.sh"

install() {
  apt-get install -y -qq apache2 libapache2-mod-auth-mellon >/dev/null
}

start() {
  local metadata=${1:?usage: $0 start IDP-METADATA.xml}
  [ -x "$APACHE" ] && [ -f /usr/lib/apache2/modules/mod_auth_mellon.so ] || { echo "run $0 install first (as root)" >&2; exit 1; }
  [ -s "$metadata" ] || { echo "no IdP metadata at $metadata" >&2; exit 1; }
  lab_prepare
  mkdir -p "$LAB"/{saml,mellon-post}
  cp "$metadata" "$LAB/saml/idp-metadata.xml"
  # The SP's key, certificate and metadata, by the tool the package ships.
  (cd "$LAB/saml" && mellon_create_metadata "$BASE/protected/mellon/metadata" "$BASE/protected/mellon" >/dev/null &&
    for f in *.key; do mv "$f" sp.key; done && for f in *.cert; do mv "$f" sp.cert; done &&
    for f in *.xml; do [ "$f" = idp-metadata.xml ] || mv "$f" sp-metadata.xml; done)
  export IDP_METADATA="$LAB/saml/idp-metadata.xml"
  if [ "$(id -u)" = 0 ]; then
    # The worker reads the key and metadata; the parent (root) the logs.
    chgrp -R www-data "$LAB/saml" "$LAB/mellon-post" && chmod 750 "$LAB/saml" && chmod 640 "$LAB/saml"/* && chmod 770 "$LAB/mellon-post"
  fi
  lab_launch "mod_auth_mellon SP on $BASE (entity ID $BASE/protected/mellon/metadata)"
}

case "${1:-}" in
  install) install ;;
  start) shift; start "$@" ;;
  stop) lab_stop ;;
  *) echo "usage: $0 install | start IDP-METADATA.xml | stop" >&2; exit 2 ;;
esac
