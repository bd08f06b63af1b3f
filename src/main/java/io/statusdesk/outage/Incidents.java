package io.statusdesk.outage;

import io.statusdesk.DomainException;
import io.statusdesk.Localized;
import io.statusdesk.maintenance.MaintenanceSchedule;
import io.statusdesk.probe.CheckBoard;
import io.statusdesk.probe.Component;
import io.statusdesk.probe.Impact;
import io.statusdesk.sla.ContractMonth;
import io.statusdesk.sla.OutageClass;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every operator action on incidents, outages and component status, whichever door it comes through
 * (the API today, the console next): the rules, the write with its audit row in one transaction,
 * and the word to the public pages that something changed.
 */
public final class Incidents {
  private final IncidentRepository incidents;
  private final OutageRepository outages;
  private final OverrideRepository overrides;
  private final List<Component> components;
  private final Set<String> componentIds;
  private final Map<String, Impact> componentImpacts = new LinkedHashMap<>();
  private final CheckBoard board;
  private final MaintenanceSchedule schedule;
  private final Clock clock;
  private final ZoneId zone;
  private final Runnable changed;

  /** {@code changed}: told after each committed change the public pages show. */
  public Incidents(
      IncidentRepository incidents,
      OutageRepository outages,
      OverrideRepository overrides,
      List<Component> components,
      CheckBoard board,
      MaintenanceSchedule schedule,
      Clock clock,
      ZoneId zone,
      Runnable changed) {
    this.incidents = incidents;
    this.outages = outages;
    this.overrides = overrides;
    this.components = List.copyOf(components);
    this.componentIds = components.stream().map(Component::id).collect(Collectors.toSet());
    components.forEach(c -> componentImpacts.put(c.id(), c.impact()));
    this.board = board;
    this.schedule = schedule;
    this.clock = clock;
    this.zone = zone;
    this.changed = changed;
  }

  /**
   * An operator's incident as asked for.
   *
   * @param impacts how it affects each component on the page
   * @param outageClass a class the operator named: {@code partial} keeps every outage partial
   */
  public record Opening(
      Localized title,
      Map<String, ComponentStatus> impacts,
      Optional<OutageClass> outageClass,
      Instant startedAt,
      Optional<Instant> resolvedAt,
      IncidentStatus status,
      Localized message) {}

  public Set<String> componentIds() {
    return componentIds;
  }

  /** The contract time zone: months and the wording of times. */
  public ZoneId zone() {
    return zone;
  }

  public Future<Incident> open(Opening opening, String actor) {
    Instant now = clock.instant();
    IncidentRules.checkKnown(opening.impacts().keySet(), componentIds);
    IncidentRules.checkOpening(opening.startedAt(), opening.resolvedAt(), opening.status(), now);
    return announced(
        incidents.create(
            new IncidentRepository.Draft(
                opening.title(),
                opening.impacts(),
                IncidentRules.outageClasses(
                    opening.impacts(), componentImpacts, opening.outageClass()),
                opening.startedAt(),
                opening.resolvedAt(),
                opening.status(),
                opening.message()),
            actor,
            now,
            zone));
  }

  /** What people read changes; the SLA facts stay (exclude the outages for that). */
  public Future<Incident> edit(long id, IncidentRepository.Edit edit, String actor) {
    edit.impacts().ifPresent(i -> IncidentRules.checkKnown(i.keySet(), componentIds));
    return announced(incidents.edit(id, edit, actor, clock.instant()));
  }

  /** Posts an update; resolving ends the incident's manual outages. */
  public Future<Incident> post(long id, IncidentStatus status, Localized message, String actor) {
    return announced(incidents.addUpdate(id, status, message, actor, clock.instant(), zone));
  }

  /** Corrects what an update said. */
  public Future<Incident> correct(long id, long update, Localized message, String actor) {
    return announced(incidents.editUpdate(id, update, message, actor, clock.instant()));
  }

  public Future<Incident> get(long id) {
    return incidents.get(id);
  }

  public Future<List<Incident>> recent(int limit, boolean unresolvedOnly) {
    return incidents.recent(limit, unresolvedOnly);
  }

  /** The {@code limit} incidents with ids below {@code before}, newest first. */
  public Future<List<Incident>> page(long before, int limit) {
    return incidents.page(before, limit);
  }

  public Future<OutageRecord> outage(long id) {
    return outages
        .get(id)
        .compose(
            o ->
                o.map(Future::succeededFuture)
                    .orElseGet(
                        () -> Future.failedFuture(DomainException.notFound("no outage " + id))));
  }

  public Future<List<OutageRecord>> outagesOf(long incident) {
    return outages.ofIncident(incident);
  }

  /** An outage before and after an edit the operator is considering. */
  public record Proposal(OutageRecord before, OutageRecord after) {}

  /**
   * What {@code edit} would make of an outage now, checked by the same rules {@link #change}
   * applies, without writing anything: the console's preview.
   */
  public Future<Proposal> propose(long outage, OutageEdit edit) {
    return outage(outage)
        .map(before -> new Proposal(before, edit.applyTo(before, clock.instant())));
  }

  /** The outages overlapping one month of the contract. */
  public Future<List<OutageRecord>> outages(YearMonth month) {
    ContractMonth bounds = new ContractMonth(month, zone);
    return outages.overlapping(bounds.start(), bounds.end());
  }

  /** Reclassifies, re-times or excludes an outage; the months it touches are re-closed. */
  public Future<OutageRecord> change(long outage, OutageEdit edit, String actor) {
    return announced(outages.change(outage, edit, actor, clock.instant(), zone));
  }

  /** Shows {@code status} instead of what the probes see, until it expires by itself. */
  public Future<StatusOverride> override(StatusOverride override, String actor) {
    Instant now = clock.instant();
    known(override.component());
    IncidentRules.checkOverride(override.until(), now);
    return announced(
        shown(override.component(), Optional.of(override), now)
            .compose(shown -> overrides.set(override, actor, now, shown)));
  }

  public Future<Boolean> clearOverride(String component, String actor) {
    known(component);
    Instant now = clock.instant();
    return announced(
        shown(component, Optional.empty(), now)
            .compose(shown -> overrides.clear(component, actor, now, shown)));
  }

  /** What the page shows for {@code component} now, and with {@code next} as its override. */
  private Future<OverrideRepository.Shown> shown(
      String component, Optional<StatusOverride> next, Instant now) {
    return facts(now)
        .map(
            f -> {
              List<StatusOverride> after =
                  new ArrayList<>(
                      f.overrides().stream()
                          .filter(o -> !o.component().equals(component))
                          .toList());
              next.ifPresent(after::add);
              return new OverrideRepository.Shown(
                  f.shown(f.overrides(), now).get(component), f.shown(after, now).get(component));
            });
  }

  /** What the page's statuses are made of: the probes, the open incidents, the overrides. */
  private record Facts(
      Map<String, Classification> probed, List<Incident> open, List<StatusOverride> overrides) {

    Map<String, ComponentStatus> shown(List<StatusOverride> with, Instant now) {
      return ComponentStatuses.effective(probed, open, with, now);
    }
  }

  private Future<Facts> facts(Instant now) {
    Map<String, Classification> probed =
        ComponentStatuses.current(components, board, schedule.calendar(), now);
    return Future.all(incidents.recent(500, true), overrides.active(now))
        .map(all -> new Facts(probed, all.resultAt(0), all.resultAt(1)));
  }

  /**
   * A component as the page shows it now.
   *
   * @param probed what the probes alone say
   * @param override the status an operator set by hand, while it lasts
   */
  public record State(
      Component component,
      ComponentStatus shown,
      ComponentStatus probed,
      Optional<StatusOverride> override) {}

  /** Each component's status as the page shows it: probes, open incidents, overrides. */
  public Future<List<State>> states() {
    Instant now = clock.instant();
    return facts(now)
        .map(
            f -> {
              Map<String, ComponentStatus> shown = f.shown(f.overrides(), now);
              return components.stream()
                  .map(
                      c ->
                          new State(
                              c,
                              shown.get(c.id()),
                              f.probed().get(c.id()).status(),
                              f.overrides().stream()
                                  .filter(o -> o.component().equals(c.id()))
                                  .findFirst()))
                  .toList();
            });
  }

  private void known(String component) {
    if (!componentIds.contains(component)) {
      throw DomainException.notFound("no component " + component);
    }
  }

  private <T> Future<T> announced(Future<T> write) {
    return write.onSuccess(x -> changed.run());
  }
}
