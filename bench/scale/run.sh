#!/usr/bin/env bash
# Load benchmark: N checks at a 30 s interval shared by three serve instances on one PostgreSQL
# (embedded, run by the benchmark), against a local target. Prints probes/s achieved vs
# scheduled, schedule-lag p99, CPU seconds per 1,000 probes per instance and for PostgreSQL, and
# the public page's requests/s from one instance while the others probe.
# usage: bench/scale/run.sh [checks=30000] [seconds=120]
# Uses target/bench-scale (embedded PostgreSQL, so not as root).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f target/statusdesk.jar ] || mvn -q -B -DskipTests package
mkdir -p target/bench-classes
javac -nowarn -cp target/statusdesk.jar -d target/bench-classes \
  bench/probe/ProbeBench.java bench/scale/ScaleBench.java
exec java -Xmx1g -cp target/statusdesk.jar:target/bench-classes ScaleBench "$@"
