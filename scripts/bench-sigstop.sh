#!/usr/bin/env bash
# Reproduces the early end of an item written while memcached is stopped (docs/SAFETY.md,
# "memcached stopped or frozen"): starts its own memcached, stops it with
# SIGSTOP for 0.9 s at random phases of its clock tick, and around each stop a holder writes keys
# with `ms <key> 1 T<ttl>` (ttl 3 to 5 s, as a renewal would) while a poller tries `ms ... ME` (add)
# every 2 ms. Reports how often the poller won before the holder's trusted end
# (ttl − 2 s)(1 − drift) from the holder's send, and by how much at most. Takes --minutes (default
# 5). Not part of the build's tests.
#
# usage: scripts/bench-sigstop.sh [--no-build | --jar PATH] [probe options]
#
#   --no-build      use memlock-bench/target/benchmarks.jar as it is
#   --jar PATH      use this copy of benchmarks.jar (no build)
#   probe options   passed to io.memlock.bench.clock.SigstopOverlapProbe:
#                   --minutes 5  --stop-ms 900  --writes 8 (per stop)  --poll-ms 2  --drift 0.01
#                   --csv FILE (one row per holder write)
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
"$java" -Xmx256m -cp "$jar" io.memlock.bench.clock.SigstopOverlapProbe ${args[@]+"${args[@]}"}
