package io.statusdesk.outage;

import io.statusdesk.Changes;
import io.statusdesk.Localized;
import io.statusdesk.maintenance.MaintenanceSchedule;
import io.statusdesk.maintenance.Occurrence;
import io.statusdesk.probe.Cell;
import io.statusdesk.probe.CheckHealth;
import io.statusdesk.probe.CheckStatus;
import io.statusdesk.probe.Component;
import io.statusdesk.probe.ProbeScheduler;
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
 * Turns confirmed cell transitions into outage intervals. All bookkeeping runs on this verticle's
 * own context, so transitions from every probe event loop are applied one at a time, and writes are
 * chained so the database sees them in the order they were decided. A write that fails is retried
 * (the steps are idempotent) rather than dropped.
 *
 * <p>Maintenance announced in advance keeps failures from opening an outage; an outage already open
 * when a window begins stays open (the SLA leaves out the covered seconds), and failures still
 * going on when a window ends open one at its end: the overrun is downtime.
 */
public final class OutageTracker extends VerticleBase implements ProbeScheduler.TransitionListener {
  private static final Logger log = LoggerFactory.getLogger(OutageTracker.class);
  private static final Duration HORIZON = Duration.ofDays(35);
  private static final long MAX_BACKOFF_MS = 30_000;

  private final Map<String, Component> components = new HashMap<>();
  private final OutageRepository repository;
  private final MaintenanceSchedule schedule;
  private final Map<String, CheckStatus> recovered;
  private final Clock clock;
  private final Map<String, Set<String>> failing = new HashMap<>();
  private final Map<String, OpenOutage> open = new HashMap<>();

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
      Map<String, CheckStatus> recovered,
      Duration debounce,
      Clock clock) {
    components.forEach(c -> this.components.put(c.id(), c));
    this.debounce = debounce;
    this.repository = repository;
    this.schedule = schedule;
    this.recovered = Map.copyOf(recovered);
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    return repository
        .openProbeOutages()
        .onSuccess(
            loaded -> {
              open.putAll(loaded);
              loaded.forEach((id, o) -> announced.put(id, o.outageClass()));
              components.values().forEach(this::resume);
              schedule.onChange(() -> context.runOnContext(v -> calendarChanged()));
              armBoundary();
            });
  }

  /** Lets pending writes finish so a restart finds the database as this run left it. */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(boundaryTimer);
    announcing.values().forEach(vertx::cancelTimer);
    return writes;
  }

  @Override
  public void changed(Cell cell, CheckHealth.Transition transition) {
    context.runOnContext(
        v -> {
          Set<String> cells = failing.computeIfAbsent(cell.componentId(), k -> new HashSet<>());
          if (transition.to() == CheckHealth.State.FAILING) {
            cells.add(cell.id());
          } else {
            cells.remove(cell.id());
          }
          evaluate(cell.componentId(), transition.at());
        });
  }

  /**
   * {@code recovered} is each cell's health replayed from its latest results. After a restart the
   * replayed cell health may disagree with the outage left open: cells that recovered while the
   * service was down close it at their recovery, cells failing with no open outage open one at
   * their first failure, and a matching outage simply continues.
   */
  private void resume(Component component) {
    Set<String> cells = new HashSet<>();
    Instant firstFailure = null;
    Instant lastChange = null;
    for (Cell cell : component.cells()) {
      CheckStatus s = recovered.get(cell.key());
      if (s == null || s.health().since() == null) {
        continue;
      }
      Instant since = s.health().since();
      lastChange = lastChange == null || since.isAfter(lastChange) ? since : lastChange;
      if (s.health().state() == CheckHealth.State.FAILING) {
        cells.add(cell.id());
        firstFailure = firstFailure == null || since.isBefore(firstFailure) ? since : firstFailure;
      }
    }
    failing.put(component.id(), cells);
    boolean isOpen = open.containsKey(component.id());
    if (!isOpen && firstFailure != null) {
      evaluate(component.id(), firstFailure);
    } else if (isOpen && lastChange != null) {
      evaluate(component.id(), lastChange);
    }
  }

  private void evaluate(String componentId, Instant at) {
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
    writes = writes.compose(v -> write(componentId, names, step, withIncident, 1_000));
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

  private Future<Void> write(
      String componentId,
      Localized names,
      OutagePlan.Step step,
      boolean withIncident,
      long backoffMs) {
    Instant now = clock.instant();
    return retried(
        () -> repository.apply(componentId, names, step, withIncident, now),
        step + " for " + componentId,
        backoffMs);
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
