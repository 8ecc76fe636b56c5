#!/usr/bin/env bash
# Runs the example order service against a private memcached that this script starts (and stops
# on exit). Usage: examples/order-service/run.sh [spring boot arguments, e.g. --server.port=8081]
# With MEMCACHED_SERVERS=host:port[,host:port] it uses those servers instead of starting one.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="$here/target/memlock-example-order-service-0.1.0-SNAPSHOT.jar"

if [ ! -f "$jar" ] || [ -n "$(find "$here/src" "$here/pom.xml" "$root"/memlock-*/src/main -newer "$jar" -type f -print -quit)" ]; then
  echo "building the order service..." >&2
  (cd "$root" && mvn -B -q -DskipTests -pl examples/order-service -am package) >&2
fi

args=()
memcached_pid=
if [ -z "${MEMCACHED_SERVERS:-}" ]; then
  "$root/scripts/ensure-memcached.sh"
  port="${MEMCACHED_PORT:-21211}"
  user=()
  if [ "$(id -u)" = 0 ]; then user=(-u root); fi # memcached refuses to run as root otherwise
  memcached "${user[@]}" -l 127.0.0.1 -p "$port" -U 0 -m 64 &
  memcached_pid=$!
  sleep 0.3
  if ! kill -0 "$memcached_pid" 2>/dev/null; then
    echo "memcached did not start on 127.0.0.1:$port (port in use? set MEMCACHED_PORT)" >&2
    exit 1
  fi
  echo "memcached started on 127.0.0.1:$port (pid $memcached_pid)" >&2
  # A memcached this script has just started has no earlier clients: no restart grace needed.
  args+=("--memlock.servers=127.0.0.1:$port" "--memlock.restart-grace=false")
else
  args+=("--memlock.servers=$MEMCACHED_SERVERS")
fi

java -jar "$jar" "${args[@]}" "$@" &
java_pid=$!
# Ctrl-C, a kill or the service's own exit stops both the service and the private memcached.
trap 'kill "$java_pid" ${memcached_pid:-} 2>/dev/null || true' EXIT INT TERM
wait "$java_pid"
