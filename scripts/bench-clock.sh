#!/usr/bin/env bash
# Builds memlock-bench and runs one of its memcached clock probes; what scripts/bench-item-lifetime.sh
# and scripts/bench-sigstop.sh share. Not meant to be called directly.
#
# usage: scripts/bench-clock.sh CALLER PROBE-CLASS [--no-build | --jar PATH] [probe options]
#   CALLER is the calling script, whose header comment is its --help.
set -euo pipefail
caller="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
probe="$2"
cd "$(dirname "$0")/.."
shift 2
usage() { sed -n '2,/^set -euo/p' "$caller" | sed '$d' | sed 's/^# \{0,1\}//'; }

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
if [ "$jar" = memlock-bench/target/benchmarks.jar ]; then
  . scripts/bench-jar.sh
  bench_jar "$build"
else
  [ -f "$jar" ] || { echo "$jar is missing" >&2; exit 1; }
  java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
fi
echo "# machine: $(nproc) cores, Linux $(uname -r); $("$java" -version 2>&1 | head -1); $(memcached -V)"
set -x
"$java" -Xmx256m -cp "$jar" "$probe" ${args[@]+"${args[@]}"}
