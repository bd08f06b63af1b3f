#!/usr/bin/env bash
# Probe throughput benchmark: N checks at an interval against a local target for a while.
# usage: bench/probe/run.sh [checks=10000] [seconds=180] [interval_seconds=10]
#        bench/probe/run.sh cost [seconds=180] [warm_up_seconds=600] [checks...]
#            the whole service's CPU seconds per minute (PostgreSQL included) at 1,000 and at
#            100 checks every 20 s (or the sizes given), each on a fresh database, measured for
#            that many seconds after the warm-up
# STATUSDESK_BENCH_JVM_OPTS adds options to the service's JVM (flags, a flight recording);
# STATUSDESK_BENCH_DIR moves its data (default target/bench-probe).
# Runs the real service jar as a child process (embedded PostgreSQL, so not as root; or set
# STATUSDESK_DB_URL) and reads its /metrics, /proc CPU and RSS.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f target/statusdesk.jar ] || mvn -q -B -DskipTests package
exec java -Xmx512m -cp target/statusdesk.jar bench/probe/ProbeBench.java "$@"
