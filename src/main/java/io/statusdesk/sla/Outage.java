package io.statusdesk.sla;

import java.time.Instant;
import java.util.Optional;

/**
 * An outage as the SLA sees it (docs/sla.md, rule 2).
 *
 * @param id stable id
 * @param component affected component
 * @param outageClass major or partial
 * @param start first second of the outage
 * @param end end (exclusive) as recorded, empty while ongoing
 * @param exclusion set by an operator: {@code force_majeure}, {@code customer_caused}, {@code
 *     network} or {@code mistaken}; an excluded outage never counts (rule 4)
 * @param probed derived from probes: it loses the seconds the monitor saw nothing (rule 7); an
 *     outage an operator recorded by hand counts in full
 */
public record Outage(
    String id,
    String component,
    OutageClass outageClass,
    Instant start,
    Optional<Instant> end,
    Optional<String> exclusion,
    boolean probed) {}
