package io.statusdesk.statuspage;

import io.statusdesk.outage.Incident;
import io.statusdesk.sla.Availability;
import java.time.LocalDate;
import java.util.List;

/**
 * One day of a component: its worst state, its figures and its incidents. Only the part of the day
 * that was monitored is measured: before monitoring began nothing was watched, which is {@code
 * not_monitored}, never the grey of a monitoring gap.
 *
 * @param state {@code operational}, {@code degraded_performance}, {@code partial_outage}, {@code
 *     major_outage}, {@code under_maintenance}, {@code no_data} or {@code not_monitored}
 * @param availability the monitored part of the day (empty span when not monitored)
 */
public record Day(
    LocalDate date,
    String state,
    Availability availability,
    int degradedMinutes,
    List<Incident> incidents) {
  public static final String NOT_MONITORED = "not_monitored";

  public boolean monitored() {
    return !NOT_MONITORED.equals(state);
  }

  public long majorSeconds() {
    return availability.majorSeconds();
  }

  public long partialSeconds() {
    return availability.partialSeconds();
  }

  public long maintenanceSeconds() {
    return availability.maintenanceSeconds();
  }

  public long noDataSeconds() {
    return availability.noDataSeconds();
  }

  /** Nothing to tell beyond the state: such days can be drawn together. */
  public boolean quiet() {
    return incidents.isEmpty()
        && degradedMinutes == 0
        && majorSeconds() == 0
        && partialSeconds() == 0
        && maintenanceSeconds() == 0
        && noDataSeconds() == 0;
  }
}
