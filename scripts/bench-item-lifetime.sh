#!/usr/bin/env bash
# Measures how long memcached items really live (docs/SAFETY.md, "memcached's clock, measured"):
# starts its own memcached processes (4 by default) and on each writes keys with `ms <key> 1 T<ttl>`
# at random phases of the server's one-second tick, then reads them with `mg` every 2 ms until they
# are gone; it also times the server's ticks through a long-lived item (`mg <item> t`).
# Reports min / p0.1 / median / max lifetime, the skips (lifetimes below ttl − 1 s: memcached's
# current_time jumped by 2) and the lifetimes below memlock's trusted lease (ttl − 2 s)(1 − drift).
# Takes --minutes (default 30); low CPU. Not part of the build's tests.
#
# usage: scripts/bench-item-lifetime.sh [--no-build | --jar PATH] [probe options]
#
#   --no-build      use memlock-bench/target/benchmarks.jar as it is
#   --jar PATH      use this copy of benchmarks.jar (no build), e.g. so that a long run is not
#                   disturbed by rebuilds
#   probe options   passed to io.memlock.bench.clock.ItemLifetimeProbe:
#                   --minutes 30  --ttl 3  --servers 4  --keys 10 (per server)  --poll-ms 2
#                   --drift 0.01  --csv FILE (one row per lifetime)
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

build=1
jar=memlock-bench/target/benchmarks.jar
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --jar) jar="$2"; build=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) args+=("$1") ;;
  esac
  shift
done

./scripts/ensure-memcached.sh
if [ "$build" -eq 1 ]; then
  echo "building $jar" >&2
  mvn -B -q -pl memlock-bench -am -DskipTests package
fi
[ -f "$jar" ] || { echo "$jar is missing: run without --no-build" >&2; exit 1; }

java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
echo "# machine: $(nproc) cores, Linux $(uname -r); $("$java" -version 2>&1 | head -1); $(memcached -V)"
set -x
"$java" -Xmx256m -cp "$jar" io.memlock.bench.clock.ItemLifetimeProbe ${args[@]+"${args[@]}"}
