#!/usr/bin/env bash
# Installs memcached from the system package manager when it is not on PATH.
set -euo pipefail
exec "$(dirname "$0")/ensure-installed.sh" memcached memcached "memcached 1.6 or newer" "memcached -V"
