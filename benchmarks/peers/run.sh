#!/usr/bin/env bash
# The peer comparison: installs the peers, writes one corpus, has every peer verify it (one
# thread, keys and zone from memory), and publishes the table in benchmarks/README.md and the
# chart in benchmarks/peers/results.svg.
#
#   benchmarks/peers/run.sh            the full run (about ten minutes on two cores)
#   benchmarks/peers/run.sh --quick    shorter rounds, to check that every driver works
#
# JAVA=/path/to/bin/java picks the JVM for mailauth4j, the floor, jDKIM and jSPF (default: java).
# Peers: libopendkim (Debian libopendkim-dev, driven by opendkim.c), dkimpy and pyspf (Debian
# python3-dkim, python3-spf), Mail::DKIM (Debian libmail-dkim-perl), Node mailauth (npm, the
# version package.json pins), Apache jDKIM and jSPF (Maven, pinned in the root pom).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work="$root/benchmarks/target/peers"
java=${JAVA:-java}
python=/usr/bin/python3 # Debian's, where the packages install: not another python3 on the PATH
quick=()
[ "${1:-}" = "--quick" ] && quick=(--quick)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -q
# python3-nacl: dkimpy's Ed25519.
packages=(gcc libc6-dev libopendkim-dev python3-dkim python3-nacl python3-spf python3-dnspython)
packages+=(libmail-dkim-perl libjson-pp-perl python3-matplotlib)
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
as_root apt-get install -y -q --no-install-recommends "${packages[@]}"
(cd "$here" && npm install --no-audit --no-fund --no-package-lock --silent)

mkdir -p "$work"
gcc -O2 -Wall -o "$work/opendkim" "$here/opendkim.c" -lopendkim
(cd "$root" && mvn -B -q -pl benchmarks -am package -DskipTests -Dspotless.check.skip \
  -Dmaven.javadoc.skip=true -Dmaven.source.skip=true)
jar="$root/benchmarks/target/benchmarks.jar"

rm -rf "$work/corpus"
"$java" -cp "$jar" org.mailauth4j.benchmarks.PeerHarness corpus "$work/corpus"
results="$work/results.jsonl"
: >"$results"
run() {
  local name=$1
  shift
  echo "== $name" >&2
  # A driver that fails is reported and left out; the others still run.
  if ! "$@" >>"$results"; then
    echo "== $name failed: left out of the table" >&2
  fi
}
run "mailauth4j, crypto floor, Apache jDKIM, Apache jSPF" \
  "$java" -cp "$jar" org.mailauth4j.benchmarks.PeerHarness measure "$work/corpus" "${quick[@]}"
run libopendkim "$work/opendkim" "$work/corpus" "${quick[@]}"
run "Node mailauth" node "$here/mailauth.mjs" "$work/corpus" "${quick[@]}"
run "dkimpy, pyspf" "$python" "$here/dkimpy.py" "$work/corpus" "${quick[@]}"
run Mail::DKIM perl "$here/mail-dkim.pl" "$work/corpus" "${quick[@]}"

"$python" "$here/report.py" "$results" --readme "$root/benchmarks/README.md" \
  --chart "$here/results.svg"
