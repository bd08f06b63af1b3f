#!/usr/bin/env bash
# Crash benchmarks.
#
# bench/chaos/run.sh [postmaster_kills=4]
#   One service: the real service jar writes ledger applications, closes last month (both
#   through its HTTP API, with tokens from `token create`) and probes 50 local checks while its
#   embedded PostgreSQL is killed (kill -9) several times and the service itself once; then the
#   data directory is opened afresh and what was acknowledged is compared with what is stored.
#   Uses target/bench-chaos. Prints a table per crash kind.
#
# bench/chaos/run.sh cluster [sigstop_seconds=60]
#   Three instances and two agents on one PostgreSQL (embedded, run by the benchmark), 300
#   checks at 1 s, month closes streaming in: kill -9 an instance, an agent and the postmaster,
#   SIGSTOP PostgreSQL, cut an agent's network; then checks the database (holes without a gap,
#   duplicates, false outages, ledger entries twice, closes not exactly once).
#   Uses target/bench-chaos-cluster.
#
# Embedded PostgreSQL, so not as root.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f target/statusdesk.jar ] || mvn -q -B -DskipTests package
if [ "${1:-}" = cluster ]; then
  shift
  exec java -Xmx512m -cp target/statusdesk.jar bench/chaos/ClusterChaos.java "$@"
fi
exec java -Xmx512m -cp target/statusdesk.jar bench/chaos/ChaosBench.java "$@"
