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
exec "$(dirname "$0")/bench-clock.sh" "$0" io.memlock.bench.clock.SigstopOverlapProbe "$@"
