package io.statusdesk.outage;

import io.statusdesk.sla.OutageClass;
import java.time.Instant;
import java.util.Set;

/**
 * The probe outage a component is in right now, as the tracker knows it.
 *
 * @param cells every cell that has failed during it
 */
public record OpenOutage(OutageClass outageClass, Instant start, Set<String> cells) {}
