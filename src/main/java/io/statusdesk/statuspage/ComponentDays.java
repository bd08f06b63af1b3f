package io.statusdesk.statuspage;

import io.statusdesk.outage.Incident;
import io.statusdesk.sla.Availability;
import io.statusdesk.sla.MaintenanceWindow;
import io.statusdesk.sla.NoData;
import io.statusdesk.sla.Outage;
import io.statusdesk.sla.SlaPolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One component's facts and what they say day by day or over a span, by the SLA's rules. The status
 * page's bars, its 30/90-day uptime and the daily uptime API all come from here.
 *
 * @param windows maintenance covering this component
 * @param monitoredSince when its first cell was first probed: earlier time is not monitored
 * @param degraded slow minutes per day
 */
public record ComponentDays(
    ZoneId zone,
    SlaPolicy policy,
    List<Outage> outages,
    List<MaintenanceWindow> windows,
    List<NoData> noData,
    Instant monitoredSince,
    Map<LocalDate, Integer> degraded,
    List<Incident> incidents) {

  /** The days {@code from..to} (inclusive) that have begun by {@code now}, oldest first. */
  public List<Day> days(LocalDate from, LocalDate to, Instant now) {
    List<Day> out = new ArrayList<>();
    for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
      Instant start = date.atStartOfDay(zone).toInstant();
      if (!start.isBefore(now)) {
        break;
      }
      out.add(day(date, start, date.plusDays(1).atStartOfDay(zone).toInstant(), now));
    }
    return out;
  }

  private Day day(LocalDate date, Instant start, Instant next, Instant now) {
    Instant end = next.isAfter(now) ? now : next;
    if (!monitoredSince.isBefore(end)) {
      return new Day(date, Day.NOT_MONITORED, measure(end, end, now), 0, List.of());
    }
    Availability a = measure(start.isBefore(monitoredSince) ? monitoredSince : start, end, now);
    int slow = degraded.getOrDefault(date, 0);
    List<Incident> touching =
        incidents.stream()
            .filter(
                i ->
                    i.startedAt().isBefore(next)
                        && i.resolvedAt().map(r -> r.isAfter(start)).orElse(true))
            .toList();
    return new Day(date, state(a, slow), a, slow, touching);
  }

  /** The record over the last {@code span} before {@code now}, from when monitoring began. */
  public Availability last(Duration span, Instant now) {
    Instant from = now.minus(span);
    return measure(from.isBefore(monitoredSince) ? monitoredSince : from, now, now);
  }

  /** When the last {@code span} was only partly monitored, where its measurement starts. */
  public Optional<Instant> base(Duration span, Instant now) {
    return monitoredSince.isAfter(now.minus(span)) ? Optional.of(monitoredSince) : Optional.empty();
  }

  /** Only the facts overlapping the span are handed on: a year of them, measured per day. */
  private Availability measure(Instant from, Instant to, Instant now) {
    Instant end = to.isBefore(from) ? from : to;
    return Availability.of(
        from,
        end,
        outages.stream()
            .filter(o -> o.start().isBefore(end) && o.end().orElse(now).isAfter(from))
            .toList(),
        windows.stream().filter(w -> w.start().isBefore(end) && w.end().isAfter(from)).toList(),
        noData.stream().filter(n -> n.start().isBefore(end) && n.end().isAfter(from)).toList(),
        policy,
        now);
  }

  /** Worst first: outages, then slowness, then maintenance, then missing data; else green. */
  static String state(Availability a, int degradedMinutes) {
    if (a.majorSeconds() > 0) {
      return "major_outage";
    }
    if (a.partialSeconds() > 0) {
      return "partial_outage";
    }
    if (degradedMinutes > 0) {
      return "degraded_performance";
    }
    if (a.maintenanceSeconds() > 0) {
      return "under_maintenance";
    }
    if (a.noDataSeconds() > 0) {
      return "no_data";
    }
    return "operational";
  }
}
