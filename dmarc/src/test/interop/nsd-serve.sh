#!/usr/bin/env bash
# Serves one zone file with nsd on 127.0.0.1, in the foreground, for running the DMARC
# interoperability drivers by hand (the tests start nsd themselves, with testkit's NsdServer).
#
#   nsd-serve.sh ZONEFILE [PORT [ZONE]]    PORT defaults to 5353, ZONE to "." (the root zone)
#
# Stop it with Ctrl-C; its files live in a temporary folder that is removed on exit.
set -euo pipefail
zonefile=$(realpath "${1:?usage: nsd-serve.sh ZONEFILE [PORT [ZONE]]}")
port=${2:-5353}
zone=${3:-.}
nsd=$(command -v nsd || echo /usr/sbin/nsd)
[ -x "$nsd" ] || { echo "nsd is not installed; install it with: apt-get install nsd" >&2; exit 1; }

dir=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait; rm -rf "$dir"' EXIT
trap 'exit 0' INT TERM
cp "$zonefile" "$dir/zone0.zone"
cat >"$dir/nsd.conf" <<CONF
server:
  ip-address: 127.0.0.1
  port: $port
  do-ip6: no
  username: ""
  chroot: ""
  zonesdir: "$dir"
  database: ""
  zonelistfile: "$dir/zone.list"
  xfrdfile: "$dir/xfrd.state"
  xfrdir: "$dir"
  pidfile: "$dir/nsd.pid"
  server-count: 1
  hide-version: yes
  verbosity: 1
remote-control:
  control-enable: no
zone:
  name: "$zone"
  zonefile: zone0.zone
CONF
echo "nsd serving $zone from $zonefile on 127.0.0.1:$port" >&2
"$nsd" -d -c "$dir/nsd.conf" &
pid=$!
wait "$pid"
