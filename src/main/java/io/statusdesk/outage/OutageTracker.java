package io.statusdesk.outage;

import io.statusdesk.Changes;
import io.statusdesk.Localized;
import io.statusdesk.maintenance.MaintenanceSchedule;
import io.statusdesk.maintenance.Occurrence;
import io.statusdesk.probe.Cell;
import io.statusdesk.probe.ClusterHealth;
import io.statusdesk.probe.Component;
import io.statusdesk.probe.Quorum;
import io.statusdesk.sla.OutageClass;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the cells' verdicts across the probe locations into outage intervals: cells failing by a
 * quorum make the counted (probe) outage, cells failing from fewer locations a network event, an
 * outage excluded as {@code network} from the start and without an incident. All bookkeeping runs
 * on this verticle's own context, so verdicts are applied one at a time, and writes are chained so
 * the database sees them in the order they were decided. A write that fails is retried (the steps
 * are idempotent) rather than dropped. One instance of a cluster runs it at a time.
 *
 * <p>Maintenance announced in advance keeps failures from opening an outage; an outage already open
 * when a window begins stays open (the SLA leaves out the covered seconds), and failures still
 * going on when a window ends open one at its end: the overrun is downtime.
 */
public final class OutageTracker extends VerticleBase implements ClusterHealth.Listener {
  private static final Logger log = LoggerFactory.getLogger(OutageTracker.class);
  private static final Duration HORIZON = Duration.ofDays(35);
  private static final long MAX_BACKOFF_MS = 30_000;

  private final Map<String, Component> components = new HashMap<>();
  private final OutageRepository repository;
  private final MaintenanceSchedule schedule;
  private final ClusterHealth health;
  private final Clock clock;
  private final Map<String, Set<String>> failing = new HashMap<>();
  private final Map<String, Set<String>> network = new HashMap<>();
  private final Map<String, OpenOutage> open = new HashMap<>();
  private final Map<String, OpenOutage> openNetwork = new HashMap<>();

  /** The class people were last told of, per component with an open outage. */
  private final Map<String, OutageClass> announced = new HashMap<>();

  private final Map<String, Long> announcing = new HashMap<>();
  private final Duration debounce;
  private Future<Void> writes = Future.succeededFuture();
  private long boundaryTimer = -1;

  /**
   * @param debounce how long a class change must hold before the incident says so: cells that fail
   *     a few seconds apart must not post "everyone", "some", "everyone"
   */
  public OutageTracker(
      List<Component> components,
      OutageRepository repository,
      MaintenanceSchedule schedule,
      ClusterHealth health,
      Duration debounce,
      Clock clock) {
    components.forEach(c -> this.components.put(c.id(), c));
    this.debounce = debounce;
    this.repository = repository;
    this.schedule = schedule;
    this.health = health;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    return Future.all(
            repository.openOutages(Source.PROBE),
            repository.openOutages(Source.NETWORK),
            health.listen(this))
        .onSuccess(
            all -> {
              Map<String, OpenOutage> probe = all.resultAt(0);
              Map<String, OpenOutage> net = all.resultAt(1);
              Map<String, Quorum.Judgement> verdicts = all.resultAt(2);
              open.putAll(probe);
              openNetwork.putAll(net);
              probe.forEach((id, o) -> announced.put(id, o.outageClass()));
              components.values().forEach(c -> resume(c, verdicts));
              schedule.onChange(() -> context.runOnContext(v -> calendarChanged()));
              armBoundary();
            });
  }

  /** Lets pending writes finish so a successor finds the database as this run left it. */
  @Override
  public Future<?> stop() {
    health.unlisten(this);
    vertx.cancelTimer(boundaryTimer);
    announcing.values().forEach(vertx::cancelTimer);
    return writes;
  }

  @Override
  public void judged(Cell cell, Quorum.Judgement judgement, Instant at) {
    context.runOnContext(
        v -> {
          Set<String> counted = failing.computeIfAbsent(cell.componentId(), k -> new HashSet<>());
          Set<String> seenByFew = network.computeIfAbsent(cell.componentId(), k -> new HashSet<>());
          counted.remove(cell.id());
          seenByFew.remove(cell.id());
          if (judgement.kind() == Quorum.Kind.FAILING) {
            counted.add(cell.id());
          } else if (judgement.kind() == Quorum.Kind.NETWORK) {
            seenByFew.add(cell.id());
          }
          evaluate(cell.componentId(), at);
        });
  }

  /**
   * A failure one location reported too late to be judged live: the seconds of it no counted outage
   * covers are a network event (see {@link LateNetwork}). Written in turn with the live steps.
   */
  @Override
  public void late(Cell cell, String location, Instant from, Instant to) {
    context.runOnContext(
        v -> {
          Component component = components.get(cell.componentId());
          OutageClass outageClass =
              Classification.of(
                      component.impact(),
                      component.cells().size(),
                      1,
                      false,
                      Classification.Maintenance.NONE)
                  .outageClass()
                  .orElseThrow();
          String componentId = component.id();
          // one line per cell: a cut-off agent's return brings one for every cell it probes
          log.debug(
              "{}: {} saw {} failing {}..{}, too late to judge",
              componentId,
              location,
              cell.id(),
              from,
              to);
          writes =
              writes.compose(
                  w ->
                      retried(
                          () ->
                              repository
                                  .recordLate(componentId, cell.id(), outageClass, from, to)
                                  .map(moved -> earlier(componentId, moved)),
                          "late failure of " + cell.key(),
                          1_000));
        });
  }

  /** The open network event now starts earlier: so does the tracker's idea of it. */
  private Void earlier(String componentId, Optional<Instant> start) {
    start.ifPresent(
        s ->
            openNetwork.computeIfPresent(
                componentId,
                (k, o) ->
                    s.isBefore(o.start()) ? new OpenOutage(o.outageClass(), s, o.cells()) : o));
    return null;
  }

  /**
   * {@code verdicts} are the cells' verdicts as this run finds them, which may disagree with the
   * outages a predecessor left open: cells that recovered meanwhile close them at their recovery,
   * cells failing with no open outage open one at their first failure, and a matching outage simply
   * continues.
   */
  private void resume(Component component, Map<String, Quorum.Judgement> verdicts) {
    Set<String> counted = new HashSet<>();
    Set<String> seenByFew = new HashSet<>();
    Instant firstFailure = null;
    Instant lastChange = null;
    boolean isOpen = open.containsKey(component.id()) || openNetwork.containsKey(component.id());
    boolean awaited = false;
    for (Cell cell : component.cells()) {
      Quorum.Judgement j = verdicts.get(cell.key());
      if (j != null && j.kind() == Quorum.Kind.PENDING) {
        // A location's first word is awaited for this cell: an outage a predecessor left open
        // stays as it is until the cell's verdict lands (it is told even when healthy), rather
        // than closing now and opening again a few seconds later.
        if (isOpen) {
          counted.add(cell.id());
          awaited = true;
        }
        continue;
      }
      if (j == null || j.since() == null) {
        continue;
      }
      Instant since = j.since();
      lastChange = lastChange == null || since.isAfter(lastChange) ? since : lastChange;
      if (j.kind() == Quorum.Kind.FAILING || j.kind() == Quorum.Kind.NETWORK) {
        (j.kind() == Quorum.Kind.FAILING ? counted : seenByFew).add(cell.id());
        firstFailure = firstFailure == null || since.isBefore(firstFailure) ? since : firstFailure;
      }
    }
    failing.put(component.id(), counted);
    network.put(component.id(), seenByFew);
    if (awaited) {
      return;
    }
    if (!isOpen && firstFailure != null) {
      evaluate(component.id(), firstFailure);
    } else if (isOpen && lastChange != null) {
      evaluate(component.id(), lastChange);
    }
  }

  private void evaluate(String componentId, Instant at) {
    evaluateNetwork(componentId, at);
    Component component = components.get(componentId);
    Set<String> cells = failing.getOrDefault(componentId, Set.of());
    Optional<OpenOutage> current = Optional.ofNullable(open.get(componentId));
    Optional<Occurrence> covering = schedule.calendar().covering(componentId, at);
    Classification.Maintenance maintenance = ComponentStatuses.maintenance(covering);
    if (maintenance == Classification.Maintenance.ANNOUNCED
        && !cells.isEmpty()
        && current.isEmpty()
        && !covering.get().end().isAfter(clock.instant())) {
      // A failure confirmed after the window ended: it runs on past the end, an overrun.
      evaluate(componentId, covering.get().end());
      return;
    }
    if (maintenance == Classification.Maintenance.ANNOUNCED && current.isPresent()) {
      maintenance = Classification.Maintenance.NONE;
    }
    Classification k =
        Classification.of(
            component.impact(), component.cells().size(), cells.size(), false, maintenance);
    OutagePlan.Step step = OutagePlan.next(current, k.outageClass(), cells, at);
    if (step instanceof OutagePlan.Keep) {
      return;
    }
    OutagePlan.after(current, step)
        .ifPresentOrElse(o -> open.put(componentId, o), () -> open.remove(componentId));
    log.info("{}: {}", componentId, step);
    Localized names = new Localized(component.nameEn(), component.nameKo());
    boolean withIncident = maintenance == Classification.Maintenance.NONE;
    writes = writes.compose(v -> write(Source.PROBE, componentId, names, step, withIncident));
    if (step instanceof OutagePlan.Open o) {
      announced.put(componentId, o.outageClass());
    } else if (step instanceof OutagePlan.Close) {
      announced.remove(componentId);
      Long timer = announcing.remove(componentId);
      if (timer != null) {
        vertx.cancelTimer(timer);
      }
    } else if (!announcing.containsKey(componentId)
        && open.get(componentId).outageClass() != announced.get(componentId)) {
      announcing.put(
          componentId,
          vertx.setTimer(Math.max(1, debounce.toMillis()), id -> announce(componentId, names)));
    }
  }

  /** After the debounce: one update if the class still differs from what people were told. */
  private void announce(String componentId, Localized names) {
    announcing.remove(componentId);
    OpenOutage now = open.get(componentId);
    if (now == null || now.outageClass() == announced.get(componentId)) {
      return;
    }
    announced.put(componentId, now.outageClass());
    Instant at = clock.instant();
    writes =
        writes.compose(
            v ->
                retried(
                    () -> repository.announceClass(componentId, names, now.outageClass(), at),
                    "class change of " + componentId,
                    1_000));
  }

  /**
   * The network event of a component: its cells failing from too few locations, never counted, so
   * maintenance does not enter into it.
   */
  private void evaluateNetwork(String componentId, Instant at) {
    Component component = components.get(componentId);
    Set<String> cells = network.getOrDefault(componentId, Set.of());
    Optional<OpenOutage> current = Optional.ofNullable(openNetwork.get(componentId));
    Classification k =
        Classification.of(
            component.impact(),
            component.cells().size(),
            cells.size(),
            false,
            Classification.Maintenance.NONE);
    OutagePlan.Step step = OutagePlan.next(current, k.outageClass(), cells, at);
    if (step instanceof OutagePlan.Keep) {
      return;
    }
    OutagePlan.after(current, step)
        .ifPresentOrElse(
            o -> openNetwork.put(componentId, o), () -> openNetwork.remove(componentId));
    log.info("{}: network event {}", componentId, step);
    Localized names = new Localized(component.nameEn(), component.nameKo());
    writes = writes.compose(v -> write(Source.NETWORK, componentId, names, step, false));
  }

  private Future<Void> write(
      Source source,
      String componentId,
      Localized names,
      OutagePlan.Step step,
      boolean withIncident) {
    Instant now = clock.instant();
    return retried(
        () -> repository.apply(source, componentId, names, step, withIncident, now),
        step + " for " + componentId,
        1_000);
  }

  /** Runs {@code write} until it succeeds (every step is idempotent), backing off. */
  private Future<Void> retried(Supplier<Future<Void>> write, String what, long backoffMs) {
    return write
        .get()
        .onSuccess(v -> Changes.announce(vertx))
        .recover(
            e -> {
              log.warn("cannot record {} ({}); retrying in {} ms", what, e.toString(), backoffMs);
              Promise<Void> retried = Promise.promise();
              vertx.setTimer(
                  backoffMs,
                  id ->
                      retried(write, what, Math.min(MAX_BACKOFF_MS, backoffMs * 2))
                          .onComplete(retried));
              return retried.future();
            });
  }

  private void calendarChanged() {
    vertx.cancelTimer(boundaryTimer);
    Instant now = clock.instant();
    components.keySet().forEach(id -> evaluate(id, now));
    armBoundary();
  }

  /** Wakes at the next window start or end so coverage changes take effect on the second. */
  private void armBoundary() {
    Instant now = clock.instant();
    schedule
        .calendar()
        .nextBoundary(now, HORIZON)
        .ifPresentOrElse(
            boundary -> {
              long delay = Math.max(1, Duration.between(now, boundary).toMillis());
              boundaryTimer =
                  vertx.setTimer(
                      delay,
                      id -> {
                        components.keySet().stream()
                            .sorted(Comparator.naturalOrder())
                            .forEach(c -> evaluate(c, boundary));
                        armBoundary();
                      });
            },
            () -> boundaryTimer = vertx.setTimer(HORIZON.toMillis(), id -> armBoundary()));
  }
}
