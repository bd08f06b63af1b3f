#!/usr/bin/env bash
# Status page throughput: requests/s and p99 for / and /api/v2/summary.json with 64 keep-alive
# connections on loopback, next to a minimal Vert.x static server sending a file of the same
# size in the same run. usage: bench/page/run.sh [seconds per target=20]
# Starts the service jar with --demo (embedded PostgreSQL, so not as root; or set
# STATUSDESK_DB_URL).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f target/statusdesk.jar ] || mvn -q -B -DskipTests package
exec java -Xmx512m -cp target/statusdesk.jar bench/page/PageBench.java "$@"
