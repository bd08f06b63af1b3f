#!/usr/bin/env bash
# Month-close benchmark: 100,000 tenants, 300 outages and 10 maintenance windows in one month.
# usage: bench/close/run.sh [tenants=100000] [outages=300] [windows=10]
# Uses a fresh embedded PostgreSQL under target/bench-close (so not as root), or the database
# at STATUSDESK_DB_URL (which it fills: give it an empty one).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f target/statusdesk.jar ] || mvn -q -B -DskipTests package
exec java -Xmx1g -cp target/statusdesk.jar bench/close/CloseBench.java "$@"
