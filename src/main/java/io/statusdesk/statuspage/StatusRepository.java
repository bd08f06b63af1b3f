package io.statusdesk.statuspage;

import io.statusdesk.DomainException;
import io.statusdesk.ledger.ClosedMonth;
import io.statusdesk.ledger.LedgerRepository;
import io.statusdesk.ledger.PolicyRepository;
import io.statusdesk.maintenance.MaintenanceSchedule;
import io.statusdesk.outage.ComponentStatus;
import io.statusdesk.outage.ComponentStatuses;
import io.statusdesk.outage.Incident;
import io.statusdesk.outage.IncidentRepository;
import io.statusdesk.outage.OutageRecord;
import io.statusdesk.outage.OutageRepository;
import io.statusdesk.outage.OverrideRepository;
import io.statusdesk.outage.StatusOverride;
import io.statusdesk.probe.CheckBoard;
import io.statusdesk.probe.Component;
import io.statusdesk.probe.ProbeRepository;
import io.statusdesk.sla.ContractMonth;
import io.statusdesk.sla.NoData;
import io.statusdesk.sla.PolicyVersion;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Gathers the facts a snapshot is built from: a handful of queries over the last year (the daily
 * uptime API reaches that far; the bars and incidents show 90 days).
 */
public final class StatusRepository {
  private final Pool pool;
  private final IncidentRepository incidents;
  private final OverrideRepository overridesRepository;
  private final List<Component> components;
  private final CheckBoard board;
  private final MaintenanceSchedule schedule;

  /** Read with the facts; kept so a two-second status check sees one expire on time. */
  private volatile List<StatusOverride> overrides = List.of();

  public StatusRepository(
      Pool pool,
      IncidentRepository incidents,
      OverrideRepository overrides,
      List<Component> components,
      CheckBoard board,
      MaintenanceSchedule schedule) {
    this.pool = pool;
    this.incidents = incidents;
    this.overridesRepository = overrides;
    this.components = components;
    this.board = board;
    this.schedule = schedule;
  }

  public Future<StatusFacts> load(Instant now) {
    var calendar = schedule.calendar();
    Instant from =
        now.atZone(calendar.zone())
            .toLocalDate()
            .minusDays(StatusSnapshot.HISTORY_DAYS)
            .atStartOfDay(calendar.zone())
            .toInstant();
    Instant recentFrom =
        now.atZone(calendar.zone())
            .toLocalDate()
            .minusDays(StatusSnapshot.DAYS)
            .atStartOfDay(calendar.zone())
            .toInstant();
    Instant to = now.plusSeconds(1);
    Future<List<OutageRecord>> outages = OutageRepository.overlapping(pool, from, to);
    Future<List<Incident>> recent = incidents.overlapping(recentFrom, to);
    Future<List<NoData>> noData = ProbeRepository.unobserved(pool, from, to);
    Future<Map<String, Map<LocalDate, Integer>>> degraded =
        ProbeRepository.degradedMinutes(pool, from, to, calendar.zone());
    Future<Map<String, Instant>> since = ProbeRepository.monitoredSince(pool);
    Future<List<PolicyVersion>> policies = PolicyRepository.all(pool);
    Future<List<ClosedMonth>> months = LedgerRepository.closedMonths(pool);
    Future<List<StatusOverride>> overrides = overridesRepository.active(now);
    return Future.all(
            List.of(outages, recent, noData, degraded, since, policies, months, overrides))
        .map(
            all -> {
              List<Incident> shown =
                  recent.result().stream().filter(i -> i.hiddenAt().isEmpty()).toList();
              this.overrides = overrides.result();
              return new StatusFacts(
                  components,
                  statuses(shown, now),
                  outages.result(),
                  shown,
                  calendar,
                  noData.result(),
                  degraded.result(),
                  since.result(),
                  policies.result(),
                  months.result());
            });
  }

  /** Runs {@code listener}, on any thread, when what the probes see of a cell moved. */
  public void onStatusChange(Runnable listener) {
    board.onChange(listener);
  }

  /**
   * When the statuses may next change with time alone, within {@code horizon}: a maintenance window
   * starting or ending, an override expiring.
   */
  public Optional<Instant> nextStatusChange(Instant now, Duration horizon) {
    Optional<Instant> boundary = schedule.calendar().nextBoundary(now, horizon);
    Optional<Instant> expiry =
        overrides.stream()
            .map(StatusOverride::until)
            .filter(now::isBefore)
            .min(Comparator.naturalOrder());
    return Stream.of(boundary, expiry).flatMap(Optional::stream).min(Comparator.naturalOrder());
  }

  /** The same facts with the components' statuses as they are at {@code now}. */
  public StatusFacts withCurrentStatuses(StatusFacts facts, Instant now) {
    return new StatusFacts(
        facts.components(),
        statuses(facts.incidents(), now),
        facts.outages(),
        facts.incidents(),
        schedule.calendar(),
        facts.noData(),
        facts.degraded(),
        facts.monitoredSince(),
        facts.policies(),
        facts.months());
  }

  /** Probes now, open incidents and the overrides last loaded (they expire by themselves). */
  private Map<String, ComponentStatus> statuses(List<Incident> incidents, Instant now) {
    return ComponentStatuses.effective(
        ComponentStatuses.current(components, board, schedule.calendar(), now),
        incidents,
        overrides,
        now);
  }

  /** One incident for its public page; empty when there is none or it was hidden. */
  public Future<Optional<Incident>> incident(long id) {
    return incidents
        .get(id)
        .map(i -> i.hiddenAt().isEmpty() ? Optional.of(i) : Optional.<Incident>empty())
        .recover(
            e ->
                e instanceof DomainException
                    ? Future.succeededFuture(Optional.empty())
                    : Future.failedFuture(e));
  }

  /** Incidents of one calendar month (contract time zone), newest first. */
  public Future<List<Incident>> incidentsIn(YearMonth month) {
    ContractMonth bounds = new ContractMonth(month, schedule.calendar().zone());
    return incidents
        .overlapping(bounds.start(), bounds.end())
        .map(list -> list.stream().filter(i -> i.hiddenAt().isEmpty()).toList());
  }
}
