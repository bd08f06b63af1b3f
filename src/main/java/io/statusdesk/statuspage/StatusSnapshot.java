package io.statusdesk.statuspage;

import io.statusdesk.Localized;
import io.statusdesk.ledger.ClosedMonth;
import io.statusdesk.maintenance.MaintenanceCalendar;
import io.statusdesk.maintenance.Occurrence;
import io.statusdesk.outage.ComponentStatus;
import io.statusdesk.outage.Incident;
import io.statusdesk.outage.OutageRecord;
import io.statusdesk.probe.Component;
import io.statusdesk.sla.MaintenanceWindow;
import io.statusdesk.sla.PolicyVersion;
import io.statusdesk.sla.SlaPolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the public pages show, computed once from {@link StatusFacts} and then served to every
 * request until the next rebuild. Days are calendar days in the contract time zone.
 *
 * @param maintenance occurrences within 90 days of now, the nearest {@value #MAINTENANCE_LISTED},
 *     by start
 */
public record StatusSnapshot(
    Instant generatedAt,
    ZoneId zone,
    Indicator indicator,
    List<ComponentView> components,
    List<Incident> unresolved,
    List<Incident> recent,
    List<Occurrence> active,
    List<Occurrence> upcoming,
    List<Occurrence> maintenance,
    PolicyVersion policy,
    List<PolicyVersion> policies,
    List<ClosedMonth> months) {

  public static final int DAYS = 90;

  /** The daily uptime API reaches back this many days; the facts are loaded for them. */
  public static final int HISTORY_DAYS = 366;

  static final Duration UPCOMING = Duration.ofDays(60);

  /** Feeds and the v2 API list maintenance this far back and ahead, nearest first. */
  static final Duration MAINTENANCE_HORIZON = Duration.ofDays(90);

  static final int MAINTENANCE_LISTED = 200;

  public static StatusSnapshot build(StatusFacts facts, Instant now) {
    MaintenanceCalendar calendar = facts.calendar();
    ZoneId zone = calendar.zone();
    PolicyVersion policy =
        PolicyVersion.inForce(facts.policies(), now)
            .orElse(
                new PolicyVersion(
                    0,
                    SlaPolicy.standard(zone),
                    new Localized("", ""),
                    Instant.EPOCH,
                    Instant.EPOCH));
    LocalDate today = now.atZone(zone).toLocalDate();
    Instant from = today.minusDays(HISTORY_DAYS).atStartOfDay(zone).toInstant();
    List<MaintenanceWindow> windows = calendar.forSla(from, now.plus(Duration.ofDays(1)));
    List<ComponentView> views = new ArrayList<>();
    for (Component c : facts.components()) {
      ComponentDays history =
          new ComponentDays(
              zone,
              policy.policy(),
              facts.outages().stream()
                  .filter(o -> o.component().equals(c.id()))
                  .map(OutageRecord::toSla)
                  .toList(),
              windows.stream().filter(w -> w.covers(c.id())).toList(),
              facts.noData().stream().filter(n -> n.component().equals(c.id())).toList(),
              facts.monitoredSince().getOrDefault(c.id(), now),
              facts.degraded().getOrDefault(c.id(), Map.of()),
              facts.incidents().stream().filter(x -> x.components().contains(c.id())).toList());
      views.add(
          new ComponentView(
              c,
              facts.statuses().getOrDefault(c.id(), ComponentStatus.OPERATIONAL),
              history.days(today.minusDays(DAYS - 1L), today, now),
              history.last(Duration.ofDays(30), now).uptimePercent(2),
              history.last(Duration.ofDays(90), now).uptimePercent(2),
              history.monitoredSince(),
              history));
    }
    List<Occurrence> soon = calendar.occurrences(now, now.plus(UPCOMING));
    return new StatusSnapshot(
        now,
        zone,
        Indicator.of(views.stream().map(ComponentView::status).toList()),
        views,
        facts.incidents().stream().filter(i -> i.resolvedAt().isEmpty()).toList(),
        facts.incidents(),
        soon.stream().filter(o -> o.status(now) == Occurrence.Status.IN_PROGRESS).toList(),
        soon.stream().filter(o -> o.status(now) == Occurrence.Status.SCHEDULED).limit(20).toList(),
        nearest(
            calendar.occurrences(now.minus(MAINTENANCE_HORIZON), now.plus(MAINTENANCE_HORIZON)),
            now,
            MAINTENANCE_LISTED),
        policy,
        facts.policies(),
        facts.months());
  }

  /**
   * The {@code limit} occurrences nearest to {@code now} (those in progress first, then by how far
   * their start lies ahead or their end behind), in order of start: a long series can fill no list
   * at the expense of a window due in two days or one that just ended.
   */
  static List<Occurrence> nearest(List<Occurrence> occurrences, Instant now, int limit) {
    Comparator<Occurrence> byDistance =
        Comparator.comparing(
            o ->
                o.start().isAfter(now)
                    ? Duration.between(now, o.start())
                    : o.end().isAfter(now) ? Duration.ZERO : Duration.between(o.end(), now));
    return occurrences.stream()
        .sorted(byDistance)
        .limit(limit)
        .sorted(Comparator.comparing(Occurrence::start))
        .toList();
  }

  public Optional<ComponentView> component(String id) {
    return components.stream().filter(c -> c.component().id().equals(id)).findFirst();
  }
}
