package io.statusdesk.statuspage;

import io.statusdesk.ledger.ClosedMonth;
import io.statusdesk.ledger.LedgerRepository;
import io.statusdesk.ledger.PolicyRepository;
import io.statusdesk.maintenance.MaintenanceSchedule;
import io.statusdesk.outage.ComponentStatuses;
import io.statusdesk.outage.Incident;
import io.statusdesk.outage.IncidentRepository;
import io.statusdesk.outage.OutageRecord;
import io.statusdesk.outage.OutageRepository;
import io.statusdesk.probe.CheckBoard;
import io.statusdesk.probe.Component;
import io.statusdesk.probe.ProbeRepository;
import io.statusdesk.sla.NoData;
import io.statusdesk.sla.PolicyVersion;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

/**
 * Gathers the facts a snapshot is built from: a handful of queries over the last year (the
 * daily uptime API reaches that far; the bars and incidents show 90 days).
 */
public final class StatusRepository {
  private final Pool pool;
  private final IncidentRepository incidents;
  private final List<Component> components;
  private final CheckBoard board;
  private final MaintenanceSchedule schedule;

  public StatusRepository(Pool pool, List<Component> components, CheckBoard board,
      MaintenanceSchedule schedule) {
    this.pool = pool;
    this.incidents = new IncidentRepository(pool);
    this.components = components;
    this.board = board;
    this.schedule = schedule;
  }

  public Future<StatusFacts> load(Instant now) {
    var calendar = schedule.calendar();
    Instant from = now.atZone(calendar.zone()).toLocalDate()
        .minusDays(StatusSnapshot.HISTORY_DAYS).atStartOfDay(calendar.zone()).toInstant();
    Instant recentFrom = now.atZone(calendar.zone()).toLocalDate()
        .minusDays(StatusSnapshot.DAYS).atStartOfDay(calendar.zone()).toInstant();
    Instant to = now.plusSeconds(1);
    Future<List<OutageRecord>> outages = OutageRepository.overlapping(pool, from, to);
    Future<List<Incident>> recent = incidents.overlapping(recentFrom, to);
    Future<List<NoData>> noData = ProbeRepository.unobserved(pool, from, to);
    Future<Map<String, Map<LocalDate, Integer>>> degraded =
        ProbeRepository.degradedMinutes(pool, from, to, calendar.zone());
    Future<Map<String, Instant>> since = ProbeRepository.monitoredSince(pool);
    Future<List<PolicyVersion>> policies = PolicyRepository.all(pool);
    Future<List<ClosedMonth>> months = LedgerRepository.closedMonths(pool);
    return Future.all(List.of(outages, recent, noData, degraded, since, policies, months))
        .map(all -> new StatusFacts(components, statuses(now), outages.result(), recent.result(),
            calendar, noData.result(), degraded.result(), since.result(), policies.result(),
            months.result()));
  }

  /** The same facts with the components' statuses as they are at {@code now}. */
  public StatusFacts withCurrentStatuses(StatusFacts facts, Instant now) {
    return new StatusFacts(facts.components(), statuses(now), facts.outages(), facts.incidents(),
        schedule.calendar(), facts.noData(), facts.degraded(), facts.monitoredSince(),
        facts.policies(), facts.months());
  }

  private Map<String, io.statusdesk.outage.Classification> statuses(Instant now) {
    return ComponentStatuses.current(components, board, schedule.calendar(), now);
  }

  /** Incidents of one calendar month (contract time zone), newest first. */
  public Future<List<Incident>> incidentsIn(YearMonth month) {
    var zone = schedule.calendar().zone();
    return incidents.overlapping(month.atDay(1).atStartOfDay(zone).toInstant(),
        month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant());
  }
}
