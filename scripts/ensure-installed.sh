#!/usr/bin/env bash
# Installs a Debian package with the system package manager when its program is not on PATH, and
# says so. Usage: scripts/ensure-installed.sh PROGRAM PACKAGE "WHAT TO INSTALL BY HAND" VERSION-COMMAND
# A caller that installs several packages runs apt-get update once and sets MEMLOCK_APT_UPDATED=1.
set -euo pipefail
program="$1" package="$2" by_hand="$3" version="$4"
if command -v "$program" >/dev/null 2>&1; then
  exit 0
fi
echo "$program is not installed: installing it with the system package manager (apt-get install $package)" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
if command -v apt-get >/dev/null 2>&1; then
  if [ "${MEMLOCK_APT_UPDATED:-0}" != 1 ]; then
    "${sudo_cmd[@]}" apt-get update -qq
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$package"
else
  echo "no apt-get on this machine: install $by_hand and put it on PATH" >&2
  exit 1
fi
command -v "$program" >/dev/null 2>&1 || { echo "$program still not on PATH after installing" >&2; exit 1; }
echo "installed $($version)" >&2
