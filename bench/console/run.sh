#!/usr/bin/env bash
# Console latency: 10,000 checks, 100,000 tenants, a closed month with 100,000 ledger entries,
# incidents and maintenance; prints p50 and p99 of every console page as an admin signed in.
# usage: bench/console/run.sh [requests per page=200]
# Starts the service jar on a fresh embedded PostgreSQL under target/bench-console (so not as
# root), probing a local target.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f target/statusdesk.jar ] || mvn -q -B -DskipTests package
exec java -Xmx512m -cp target/statusdesk.jar bench/console/ConsoleBench.java "$@"
