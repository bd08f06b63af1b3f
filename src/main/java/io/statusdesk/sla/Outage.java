package io.statusdesk.sla;

import java.time.Instant;
import java.util.Optional;

/**
 * An outage as the SLA sees it.
 *
 * @param id stable id
 * @param component affected component
 * @param outageClass major or partial
 * @param start first second of the outage
 * @param end end (exclusive), empty while ongoing
 * @param exclusion set by an operator: {@code force_majeure}, {@code customer_caused} or
 *     {@code network}; an excluded outage never counts
 */
public record Outage(String id, String component, OutageClass outageClass, Instant start,
    Optional<Instant> end, Optional<String> exclusion) {}
