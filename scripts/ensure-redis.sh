#!/usr/bin/env bash
# Installs redis-server from the system package manager when it is not on PATH (the lock benchmarks
# compare memlock with Redisson on a real Redis; scripts/bench-locks.sh calls this).
set -euo pipefail
exec "$(dirname "$0")/ensure-installed.sh" redis-server redis-server "redis-server 6 or newer" "redis-server --version"
