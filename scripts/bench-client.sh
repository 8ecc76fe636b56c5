#!/usr/bin/env bash
# Benchmarks memlock's memcached client against xmemcached and spymemcached with JMH: get and set,
# throughput and latency (p50/p99), at 1 and 16 threads, all against one memcached process, then
# prints a markdown table with memlock's ratios to the others. Takes ~6 minutes on 2 cores
# (--quick: ~1). See docs/BENCHMARKS.md.
#
# usage: scripts/bench-client.sh [--quick] [--no-build] [--no-am] [--threads 1,16] [JMH options]
#
#   --quick         smoke run: 1 warmup iteration of 0.5 s and 1 measurement iteration of 1 s
#   --no-build      use memlock-bench/target/benchmarks.jar as it is
#   --no-am         build memlock-bench alone, with memlock-core and memlock-testing taken from the
#                   local Maven repository (~/.m2) instead of built from this checkout
#   --threads LIST  benchmark thread counts, comma separated (default 1,16)
#   JMH options     passed to JMH; -f, -wi, -w, -i and -r replace the defaults (-f 1 -wi 2 -w 2s
#                   -i 3 -r 3s). E.g. -p client=memlock, -p memlockIoThreads=1,2, -prof gc,
#                   -p servers=host:port (an external memcached instead of one started here)
#
# Results: memlock-bench/target/jmh-result-t<threads>.json (JMH JSON) and
# memlock-bench/target/benchmarks-table.md. Benchmarks never run in the build's tests.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

quick=0
build=1
also_make=(-am)
threads=1,16
jmh_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --no-build) build=0 ;;
    --no-am) also_make=() ;;
    --threads)
      [ $# -ge 2 ] || { echo "--threads needs a value, e.g. 1,16" >&2; exit 2; }
      threads="$2"
      shift
      ;;
    -h | --help) usage; exit 0 ;;
    *) jmh_args+=("$1") ;;
  esac
  shift
done

# Defaults for a small, shared machine: one fork per benchmark, short iterations.
if [ "$quick" -eq 1 ]; then
  defaults=(-f 1 -wi 1 -w 500ms -i 1 -r 1s)
else
  defaults=(-f 1 -wi 2 -w 2s -i 3 -r 3s)
fi
# JMH rejects an option given twice: keep only the defaults the caller did not give.
options=()
for ((i = 0; i < ${#defaults[@]}; i += 2)); do
  given=0
  for a in "${jmh_args[@]+"${jmh_args[@]}"}"; do
    [ "$a" = "${defaults[i]}" ] && given=1
  done
  [ "$given" -eq 1 ] || options+=("${defaults[i]}" "${defaults[i + 1]}")
done

./scripts/ensure-memcached.sh

if [ "$build" -eq 1 ]; then
  echo "building memlock-bench/target/benchmarks.jar" >&2
  mvn -B -q -pl memlock-bench "${also_make[@]+"${also_make[@]}"}" -DskipTests package
fi
jar=memlock-bench/target/benchmarks.jar
[ -f "$jar" ] || { echo "$jar is missing: run without --no-build" >&2; exit 1; }

java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "# $("$java" -version 2>&1 | head -1), $(memcached -V)"
echo "# load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
set -x
"$java" -cp "$jar" io.memlock.bench.BenchRunner --threads "$threads" --out memlock-bench/target \
  "${options[@]}" "${jmh_args[@]+"${jmh_args[@]}"}"
{ set +x; } 2>/dev/null
echo "# load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
