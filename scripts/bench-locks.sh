#!/usr/bin/env bash
# Compares memlock's lock (single-server, and quorum mode on 3 memcached) with Redisson (RLock,
# RFencedLock) on a real redis-server, ShedLock's memcached algorithm and the raw limit (meta add +
# compare-delete round trips), in one run on this machine: 1. uncontended lock + unlock latency;
# 2. throughput at 1, 4, 16 and 64 threads over 1,000 names (allocation per op at 1 thread); 3. one
# hot name, 16 threads; 4. one hot name across 2 to 4 processes (hand-off latency, fairness);
# 5. 100,000 locks held and renewed by the watchdog (renewal traffic, CPU); then issue 12's goals.
# JMH for 1-3. Takes about 11 minutes on 2 cores (--quick: about 1 minute, a smoke test). See
# docs/BENCHMARKS.md.
#
# usage: scripts/bench-locks.sh [--quick] [--no-build] [runner options]
#
#   --quick         smoke run: short iterations, JMH trials in the runner's JVM, fewer counts
#   --no-build      use memlock-bench/target/benchmarks.jar as it is (without it, the jar is
#                   rebuilt when a source or POM of memlock-core, -testing or -bench is newer)
#   runner options  passed to io.memlock.bench.locks.LockBenchRunner, e.g.
#                   --scenarios 1,2   --contenders memlock,redisson   --threads 16,64
#                   --processes 2,4   --locks 100000  --out DIR (default memlock-bench/target)
#
# It installs memcached and redis-server with apt-get when they are missing, and starts its own
# memcached and redis-server on free loopback ports (never one already running); they stop with it.
# Results: memlock-bench/target/bench-locks.{md,json,csv,png}, logs in
# memlock-bench/target/bench-locks-logs/. Benchmarks never run in the build's tests.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

build=1
runner_args=()
out_given=0
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    -h | --help) usage; exit 0 ;;
    --out) out_given=1; runner_args+=("$1") ;;
    *) runner_args+=("$1") ;;
  esac
  shift
done
[ "$out_given" -eq 1 ] || runner_args+=(--out memlock-bench/target)

# Install what is missing, with one apt-get update for both.
if ! command -v memcached >/dev/null 2>&1 || ! command -v redis-server >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "updating the package lists (apt-get update) to install memcached and/or redis-server" >&2
    if [ "$(id -u)" -ne 0 ]; then sudo apt-get update -qq; else apt-get update -qq; fi
    export MEMLOCK_APT_UPDATED=1
  fi
fi
./scripts/ensure-memcached.sh
./scripts/ensure-redis.sh

. scripts/bench-jar.sh
bench_jar "$build"
bench_machine
echo "# $("$java" -version 2>&1 | head -1), $(memcached -V), $(redis-server --version | cut -d' ' -f1-3)"
echo "# load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
set -x
"$java" -Xms1g -Xmx1g -Djava.awt.headless=true -cp "$jar" io.memlock.bench.locks.LockBenchRunner \
  "${runner_args[@]}"
{ set +x; } 2>/dev/null
echo "# load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
