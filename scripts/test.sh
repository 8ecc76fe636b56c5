#!/usr/bin/env bash
# Runs the whole test suite: formatting check, unit tests and tests against real memcached processes.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/ensure-memcached.sh
exec mvn -B verify "$@"
