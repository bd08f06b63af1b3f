#!/usr/bin/env bash
# Notification fan-out: one incident update told to N confirmed email subscribers (default
# 100,000): the time to enqueue their deliveries and the delivery rate to a local SMTP sink.
# usage: bench/notify/run.sh [subscribers=100000]
# Uses a fresh embedded PostgreSQL under target/bench-notify (so not as root).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f target/statusdesk.jar ] || mvn -q -B -DskipTests package
exec java -Xmx1g -cp target/statusdesk.jar bench/notify/NotifyBench.java "$@"
