#!/usr/bin/env bash
# Measures MemLock.list: the time to list 1,000 held locks among 1,000,000 other items on one
# memcached (the LRU crawler dumps every item; each lock found is confirmed with mg). Loads the
# million items with pipelined quiet sets, takes the locks, then times one warm-up and 5 listings.
# Takes about a minute on 2 cores. See docs/BENCHMARKS.md ("Listing the held locks").
#
# usage: scripts/bench-list.sh [--no-build] [runner options]
#
#   --no-build      use memlock-bench/target/benchmarks.jar as it is (without it, the jar is
#                   rebuilt when a source or POM of memlock-core, -testing or -bench is newer)
#   runner options  passed to io.memlock.bench.list.ListBenchRunner:
#                   --items N (default 1000000)   --locks N (default 1000)   --runs N (default 5)
#
# It installs memcached with apt-get when it is missing, and starts its own memcached on a free
# loopback port (never one already running); it stops with it. Benchmarks never run in the build's
# tests.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

build=1
runner_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    -h | --help) usage; exit 0 ;;
    *) runner_args+=("$1") ;;
  esac
  shift
done

./scripts/ensure-memcached.sh

. scripts/bench-jar.sh
bench_jar "$build"
bench_machine
echo "# $("$java" -version 2>&1 | head -1), $(memcached -V)"
echo "# load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
set -x
"$java" -Xms512m -Xmx512m -cp "$jar" io.memlock.bench.list.ListBenchRunner "${runner_args[@]}"
{ set +x; } 2>/dev/null
echo "# load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
