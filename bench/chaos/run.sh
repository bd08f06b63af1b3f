#!/usr/bin/env bash
# Crash benchmark: the real service jar writes ledger applications, closes last month (both
# through its HTTP API, with tokens from `token create`) and probes 50 local checks while its
# embedded PostgreSQL is killed (kill -9) several times and the service itself once; then the
# data directory is opened afresh and what was acknowledged is compared with what is stored.
# usage: bench/chaos/run.sh [postmaster_kills=4]
# Uses target/bench-chaos (embedded PostgreSQL, so not as root). Prints a table per crash kind.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f target/statusdesk.jar ] || mvn -q -B -DskipTests package
exec java -Xmx512m -cp target/statusdesk.jar bench/chaos/ChaosBench.java "$@"
