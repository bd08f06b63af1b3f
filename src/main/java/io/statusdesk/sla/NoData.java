package io.statusdesk.sla;

import java.time.Instant;

/**
 * A span in which the monitor saw nothing of {@code component} (it was not running): never
 * downtime, never green.
 */
public record NoData(String component, Instant start, Instant end) {}
