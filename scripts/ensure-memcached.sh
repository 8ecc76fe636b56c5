#!/usr/bin/env bash
# Installs memcached from the system package manager when it is not on PATH.
set -euo pipefail
if command -v memcached >/dev/null 2>&1; then
  exit 0
fi
echo "memcached is not installed: installing it with the system package manager (apt-get install memcached)" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
if command -v apt-get >/dev/null 2>&1; then
  # A caller that installs several packages runs apt-get update once and sets this.
  if [ "${MEMLOCK_APT_UPDATED:-0}" != 1 ]; then
    "${sudo_cmd[@]}" apt-get update -qq
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq memcached
else
  echo "no apt-get on this machine: install memcached 1.6 or newer and put it on PATH" >&2
  exit 1
fi
command -v memcached >/dev/null 2>&1 || { echo "memcached still not on PATH after installing" >&2; exit 1; }
echo "installed $(memcached -V)" >&2
