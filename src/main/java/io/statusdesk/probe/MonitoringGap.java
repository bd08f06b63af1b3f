package io.statusdesk.probe;

import java.time.Instant;

/**
 * A span with no samples for a check: {@code no_data}, never downtime and never green.
 *
 * @param reason {@code monitor_down} (the service was not running) or {@code buffer_overflow}
 */
public record MonitoringGap(
    int checkId, String location, Instant startedAt, Instant endedAt, String reason) {}
