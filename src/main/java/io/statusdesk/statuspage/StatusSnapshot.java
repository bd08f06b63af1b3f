package io.statusdesk.statuspage;

import io.statusdesk.maintenance.MaintenanceCalendar;
import io.statusdesk.maintenance.Occurrence;
import io.statusdesk.outage.Classification;
import io.statusdesk.outage.ComponentStatus;
import io.statusdesk.outage.Incident;
import io.statusdesk.outage.OutageRecord;
import io.statusdesk.probe.Component;
import io.statusdesk.sla.Availability;
import io.statusdesk.sla.MaintenanceWindow;
import io.statusdesk.sla.NoData;
import io.statusdesk.sla.Outage;
import io.statusdesk.sla.PolicyVersion;
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
 * Everything the public pages show, computed once from {@link StatusFacts} and then served to
 * every request until the next rebuild. Days are calendar days in the contract time zone.
 *
 * @param maintenance occurrences from 90 days ago to a year ahead, latest first
 */
public record StatusSnapshot(Instant generatedAt, ZoneId zone, Indicator indicator,
    List<ComponentView> components, List<Incident> unresolved, List<Incident> recent,
    List<Occurrence> active, List<Occurrence> upcoming, List<Occurrence> maintenance,
    PolicyVersion policy, List<PolicyVersion> policies, List<StatusFacts.MonthSummary> months) {

  public static final int DAYS = 90;
  static final Duration UPCOMING = Duration.ofDays(60);
  /** Feeds and the v2 API list maintenance from this far back to a year ahead. */
  static final Duration MAINTENANCE_PAST = Duration.ofDays(90);
  static final int MAINTENANCE_LISTED = 200;

  public static StatusSnapshot build(StatusFacts facts, Instant now) {
    MaintenanceCalendar calendar = facts.calendar();
    ZoneId zone = calendar.zone();
    PolicyVersion policy = PolicyVersion.inForce(facts.policies(), now)
        .orElse(new PolicyVersion(0, SlaPolicy.standard(zone),
            new io.statusdesk.Localized("", ""), Instant.EPOCH, Instant.EPOCH));
    LocalDate today = now.atZone(zone).toLocalDate();
    Instant from = today.minusDays(DAYS - 1L).atStartOfDay(zone).toInstant();
    List<MaintenanceWindow> windows = calendar.forSla(from, now.plus(Duration.ofDays(1)));
    List<ComponentView> views = new ArrayList<>();
    for (Component c : facts.components()) {
      List<Outage> outages = facts.outages().stream()
          .filter(o -> o.component().equals(c.id())).map(OutageRecord::toSla).toList();
      List<MaintenanceWindow> covering = windows.stream().filter(w -> w.covers(c.id())).toList();
      Instant since = facts.monitoredSince().getOrDefault(c.id(), now);
      List<NoData> noData = new ArrayList<>(facts.noData().stream()
          .filter(n -> n.component().equals(c.id())).toList());
      noData.add(new NoData(c.id(), Instant.EPOCH, since));
      Map<LocalDate, Integer> degraded = facts.degraded().getOrDefault(c.id(), Map.of());
      List<Day> days = new ArrayList<>(DAYS);
      for (int i = DAYS - 1; i >= 0; i--) {
        LocalDate date = today.minusDays(i);
        Instant start = date.atStartOfDay(zone).toInstant();
        Instant next = date.plusDays(1).atStartOfDay(zone).toInstant();
        Instant end = next.isAfter(now) ? now : next;
        Availability a = Availability.of(start, end, outages, covering, noData, policy.policy(),
            now);
        int slow = degraded.getOrDefault(date, 0);
        List<Incident> incidents = facts.incidents().stream()
            .filter(x -> x.components().contains(c.id()) && x.startedAt().isBefore(next)
                && x.resolvedAt().map(r -> r.isAfter(start)).orElse(true))
            .toList();
        days.add(new Day(date, state(a, slow), a.majorSeconds(), a.partialSeconds(), slow,
            a.maintenanceSeconds(), a.noDataSeconds(), incidents));
      }
      Classification now0 = facts.statuses().get(c.id());
      views.add(new ComponentView(c, now0 == null ? ComponentStatus.OPERATIONAL : now0.status(),
          days, uptime(now, Duration.ofDays(30), outages, covering, noData, policy),
          uptime(now, Duration.ofDays(90), outages, covering, noData, policy), since));
    }
    List<Occurrence> soon = calendar.occurrences(now, now.plus(UPCOMING));
    return new StatusSnapshot(now, zone,
        Indicator.of(views.stream().map(ComponentView::status).toList()), views,
        facts.incidents().stream().filter(i -> i.resolvedAt().isEmpty()).toList(),
        facts.incidents(),
        soon.stream().filter(o -> o.status(now) == Occurrence.Status.IN_PROGRESS).toList(),
        soon.stream().filter(o -> o.status(now) == Occurrence.Status.SCHEDULED).limit(20).toList(),
        calendar.occurrences(now.minus(MAINTENANCE_PAST), now.plus(Duration.ofDays(366))).stream()
            .sorted(java.util.Comparator.comparing(Occurrence::start).reversed())
            .limit(MAINTENANCE_LISTED).toList(),
        policy, facts.policies(), facts.months());
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

  private static Optional<String> uptime(Instant now, Duration span, List<Outage> outages,
      List<MaintenanceWindow> windows, List<NoData> noData, PolicyVersion policy) {
    return Availability.of(now.minus(span), now, outages, windows, noData, policy.policy(), now)
        .uptimePercent(2);
  }

  public Optional<ComponentView> component(String id) {
    return components.stream().filter(c -> c.component().id().equals(id)).findFirst();
  }
}
