package io.statusdesk.statuspage;

import io.statusdesk.outage.Incident;
import java.time.LocalDate;
import java.util.List;

/**
 * One day of a component's bar: its worst state and what made it so.
 *
 * @param state {@code operational}, {@code degraded_performance}, {@code partial_outage},
 *     {@code major_outage}, {@code under_maintenance} or {@code no_data}
 */
public record Day(LocalDate date, String state, long majorSeconds, long partialSeconds,
    int degradedMinutes, long maintenanceSeconds, long noDataSeconds, List<Incident> incidents) {}
