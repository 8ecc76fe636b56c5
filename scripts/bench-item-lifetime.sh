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
exec "$(dirname "$0")/bench-clock.sh" "$0" io.memlock.bench.clock.ItemLifetimeProbe "$@"
