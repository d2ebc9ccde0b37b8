#!/usr/bin/env bash
# Tests/Fuzz/run.sh TARGET SECONDS — fuzz one parser with libFuzzer (address sanitizer on).
#
# TARGET: saml | xmldsig | jwt | redirect-uri | scim | scenario-yaml   (or "all")
# Builds the target with `swift build --sanitize fuzzer --sanitize address` in .build-fuzz/
# (its own build directory: instrumented code never mixes with the normal build), seeds a
# scratch corpus from the vectors and Tests/Fuzz/Regressions/<target>/, and runs for
# SECONDS. A crash, an address-sanitizer error or a hang (over 10 s per input) stops it and
# fails this script; the
# input is kept in .build-fuzz/artifacts/<target>/. Once fixed, copy that file into
# Tests/Fuzz/Regressions/<target>/ — every `swift test` replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ $# -ne 2 ]; then
    echo "usage: Tests/Fuzz/run.sh saml|xmldsig|jwt|redirect-uri|scim|scenario-yaml|all SECONDS" >&2
    exit 2
fi
target=$1
seconds=$2

if [ "$target" = all ]; then
    for t in saml xmldsig jwt redirect-uri scim scenario-yaml; do "$0" "$t" "$seconds"; done
    exit 0
fi

seeds() {
    case "$1" in
        saml) ls Vectors/protocol/saml/*.xml Tests/Fuzz/Seeds/saml/*.xml ;;
        xmldsig) ls Vectors/protocol/saml/*.xml ;;
        jwt) ls Vectors/protocol/oidc/*.jwt ;;
        redirect-uri) ls Tests/Fuzz/Seeds/redirect-uri/* ;;
        scim) ls Tests/Fuzz/Seeds/scim/* ;;
        scenario-yaml) find Vectors/scenarios -name '*.yaml' ;;
    esac
}
case "$target" in
    saml) product=FuzzSAML ;;
    xmldsig) product=FuzzXMLDSig ;;
    jwt) product=FuzzJWT ;;
    redirect-uri) product=FuzzRedirectURI ;;
    scim) product=FuzzSCIM ;;
    scenario-yaml) product=FuzzScenarioYAML ;;
    *) echo "unknown target '$target'" >&2; exit 2 ;;
esac

echo "== fuzz $target ($product) for ${seconds}s"
# `--sanitize fuzzer` instruments C code and links libFuzzer; the Swift modules need
# -sanitize=fuzzer themselves to get coverage counters.
swift build --scratch-path .build-fuzz --sanitize fuzzer --sanitize address -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING \
    --product "$product" 2>&1 | tail -1

corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
# Seeds over 64 KiB (the oversized-document vector) only slow the fuzzer down.
for file in $(seeds "$target") Tests/Fuzz/Regressions/"$target"/*; do
    [ -f "$file" ] && [ "$(wc -c < "$file")" -le 65536 ] && cp "$file" "$corpus/$(echo "$file" | tr '/' '_')"
done
artifacts=.build-fuzz/artifacts/$target
mkdir -p "$artifacts"

status=0
# Leak detection is off: Swift packs pointers with spare bits (Data, enums), so
# LeakSanitizer reports objects still held by globals as leaked. Memory growth is still
# bounded by -rss_limit_mb.
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 ".build-fuzz/debug/$product" "$corpus" -detect_leaks=0 \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -artifact_prefix="$artifacts/" -print_final_stats=1 > "$artifacts/log.txt" 2>&1 || status=$?
grep -E "^#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|stat::peak_rss_mb" "$artifacts/log.txt" | tail -3 || true
if [ "$status" -ne 0 ]; then
    echo "fuzz $target FAILED (exit $status):" >&2
    grep -E "ERROR|Fatal error|SUMMARY|Test unit written" "$artifacts/log.txt" >&2 || tail -20 "$artifacts/log.txt" >&2
    echo "the input is in $artifacts/; once fixed, copy it into Tests/Fuzz/Regressions/$target/" >&2
    exit 1
fi
echo "fuzz $target: no crash in ${seconds}s"
