#!/usr/bin/env bash
# Mutation testing (PIT) of the lease engine and the stores (Hold, Acquisition, LockState, Watchdog,
# SingleServerStore, QuorumStore, LockConfig) with the tests that cover them, against real
# memcached. Not part of scripts/test.sh: it takes tens of minutes. Configuration: the `mutation`
# profile in memlock-core/pom.xml. Report: memlock-core/target/pit-reports/index.html (and
# mutations.xml). Results of the last run: docs/TESTING.md, "Mutation testing".
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/ensure-memcached.sh
mvn -B -Pmutation -pl memlock-core -am process-test-classes "$@"
echo "report: memlock-core/target/pit-reports/index.html"
