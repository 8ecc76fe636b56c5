#!/usr/bin/env bash
# Sourced by the bench-*.sh scripts: what they share to get memlock-bench's jar and describe the
# machine. Not meant to be run.
#
#   bench_jar BUILD   BUILD=1: (re)builds memlock-bench/target/benchmarks.jar when a source or POM
#                     of the modules it contains is newer than it; BUILD=0: uses it as it is.
#                     Sets $jar, and $java to the JDK's java.
#   bench_machine     prints one comment line: cores, CPU model, memory, kernel.

bench_jar() {
  jar=memlock-bench/target/benchmarks.jar
  local build="$1"
  if [ "$build" -eq 1 ] && [ -f "$jar" ] && [ -z "$(find pom.xml memlock-core memlock-testing memlock-bench \
      -path '*/target' -prune -o -newer "$jar" -type f -print -quit)" ]; then
    echo "$jar is up to date" >&2
    build=0
  fi
  if [ "$build" -eq 1 ]; then
    echo "building $jar" >&2
    mvn -B -q -pl memlock-bench -am -DskipTests package
  fi
  [ -f "$jar" ] || { echo "$jar is missing: run without --no-build" >&2; exit 1; }
  java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
}

bench_machine() {
  echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')," \
    "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), Linux $(uname -r)"
}
