#!/usr/bin/env bash
# Probe throughput benchmark: N checks at a 10 s interval against a local target for a while.
# usage: bench/probe/run.sh [checks=10000] [seconds=180]
# Runs the real service jar as a child process (embedded PostgreSQL, so not as root; or set
# STATUSDESK_DB_URL) and reads its /metrics, /proc CPU and RSS.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f target/statusdesk.jar ] || mvn -q -B -DskipTests package
exec java -Xmx512m -cp target/statusdesk.jar bench/probe/ProbeBench.java "$@"
