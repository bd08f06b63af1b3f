package io.statusdesk.probe;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the cells it is given on its own event loop. Each cell keeps a fixed-rate schedule of
 * slots, {@code phase + k * interval} since the epoch with the phase spread over the interval by a
 * hash of its key, so thousands of cells never fire in the same millisecond, every instance and
 * agent would probe a cell in the same slots, and a result is stored as probed at its slot: two
 * probers of one slot (an owner handing over) write the same key, which the database keeps once. At
 * most {@code maxInFlight} probes run at once; the rest wait in a FIFO, and a slot that comes round
 * while the previous one is still waiting is skipped (and counted) rather than piling up. Cells
 * come and go as this instance's share changes.
 */
public final class ProbeScheduler extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ProbeScheduler.class);

  /** How far past its timeout a probe may report before its verdict is not believed. */
  private static final Duration STALLED = Duration.ofSeconds(1);

  private final Map<String, Integer> checkIds;
  private final CheckBoard board;
  private final ResultSink sink;
  private final Consumer<LocationHealth> healthSink;
  private final Heartbeats heartbeats;
  private final ProbeMetrics metrics;
  private final Clock clock;
  private final String location;
  private final int maxInFlight;
  private final ArrayDeque<Slot> waiting = new ArrayDeque<>();
  private final Map<String, Slot> slots = new HashMap<>();

  private Prober prober;
  private int inFlight;
  private boolean stopped;
  private Promise<Void> drained;

  /**
   * @param sink takes every result and every certificate seen
   * @param healthSink takes every change of this location's health of a cell (state or slowness)
   */
  public ProbeScheduler(
      Map<String, Integer> checkIds,
      CheckBoard board,
      ResultSink sink,
      Consumer<LocationHealth> healthSink,
      Heartbeats heartbeats,
      ProbeMetrics metrics,
      Clock clock,
      String location,
      int maxInFlight) {
    this.checkIds = checkIds;
    this.board = board;
    this.sink = sink;
    this.healthSink = healthSink;
    this.heartbeats = heartbeats;
    this.metrics = metrics;
    this.clock = clock;
    this.location = location;
    this.maxInFlight = maxInFlight;
  }

  /** One cell's schedule and damped health; touched only on this verticle's event loop. */
  private static final class Slot {
    final Cell cell;
    final int checkId;
    final long intervalMs;
    long due;
    long timer = -1;
    boolean released;
    CheckHealth health;
    boolean degraded;

    /** The slot of its latest result recorded since this instance began probing it, or null. */
    Instant lastRecorded;

    /**
     * This instance stalled since {@link #lastRecorded}: a verdict came far past its timeout, or a
     * probe started far past its slot. Only then are missed slots its own no-data; a target slow
     * enough to run into its next slot makes that slot skipped, and its time stays the target's.
     */
    boolean stalled;

    /** How late the last probe started after its slot. */
    long lateMs;

    Slot(Cell cell, int checkId, long due, CheckHealth health, boolean degraded) {
      this.cell = cell;
      this.checkId = checkId;
      this.intervalMs = cell.timing().interval().toMillis();
      this.due = due;
      this.health = health;
      this.degraded = degraded;
    }
  }

  /** A cell to probe from now on, with the latest results of it stored here, oldest first. */
  public record Assignment(Cell cell, List<ProbeResult> recent) {}

  @Override
  public Future<?> start() {
    prober = new Prober(vertx, clock, heartbeats, Math.max(8, maxInFlight));
    return Future.succeededFuture();
  }

  /**
   * Starts probing {@code cells}, resuming each one's damped health from its recent results (so a
   * restart or a take-over continues a failing run instead of rediscovering it). Any thread.
   */
  public void own(List<Assignment> cells) {
    context.runOnContext(
        v -> {
          long now = clock.millis();
          for (Assignment a : cells) {
            Cell cell = a.cell();
            if (stopped || slots.containsKey(cell.key())) {
              continue;
            }
            CheckHealth health = CheckHealth.unknown();
            for (ProbeResult r : a.recent()) {
              health =
                  health
                      .next(
                          r.outcome().ok(),
                          r.probedAt(),
                          cell.timing().failureThreshold(),
                          cell.timing().successThreshold())
                      .health();
            }
            ProbeResult last = a.recent().isEmpty() ? null : a.recent().get(a.recent().size() - 1);
            boolean degraded = last != null && last.outcome() == Outcome.DEGRADED;
            if (last != null) {
              board.probed(cell, last);
            }
            if (health.state() != CheckHealth.State.UNKNOWN) {
              // What the results say, in case the stored health lags behind them (results written
              // by a version before health rows); a row that agrees is left as it is.
              healthSink.accept(
                  new LocationHealth(
                      checkIds.get(cell.key()),
                      location,
                      health.state(),
                      health.since(),
                      degraded,
                      last.probedAt(),
                      true));
            }
            Slot slot =
                new Slot(
                    cell,
                    checkIds.get(cell.key()),
                    firstSlot(now, cell.timing().interval().toMillis(), phase(cell)),
                    health,
                    degraded);
            slots.put(cell.key(), slot);
            arm(slot);
          }
        });
  }

  /** Stops probing {@code keys} (another instance owns them now); a probe under way reports. */
  public void release(Collection<String> keys) {
    context.runOnContext(
        v -> {
          for (String key : keys) {
            Slot slot = slots.remove(key);
            if (slot != null) {
              slot.released = true;
              vertx.cancelTimer(slot.timer);
            }
          }
        });
  }

  /** The first slot after {@code now}: {@code phase + k * interval} since the epoch. */
  static long firstSlot(long now, long intervalMs, long phase) {
    return now + intervalMs - Math.floorMod(now - phase, intervalMs);
  }

  /** Stops scheduling and waits for running probes (each bounded by its timeout) to report. */
  @Override
  public Future<?> stop() {
    stopped = true;
    waiting.clear();
    drained = Promise.promise();
    if (inFlight == 0) {
      drained.complete();
    }
    return drained.future().onComplete(v -> prober.close());
  }

  /** Deterministic offset within the interval, well mixed so similar keys spread apart. */
  static long phase(Cell cell) {
    long h = cell.key().hashCode() * 0x9E3779B97F4A7C15L;
    h ^= h >>> 29;
    return Math.floorMod(h, cell.timing().interval().toMillis());
  }

  private void arm(Slot slot) {
    long delay = Math.max(1, fireAt(slot.due, slot.intervalMs) - clock.millis());
    slot.timer = vertx.setTimer(delay, id -> due(slot));
  }

  /**
   * When a slot's probe starts: the slot itself rounded up to a grid of 1/80 of the interval (at
   * most 250 ms), so probes whose slots lie close together start in one wake-up of the event loop
   * instead of one each. The result still carries its slot.
   */
  static long fireAt(long due, long intervalMs) {
    long grid = Math.max(1, Math.min(250, intervalMs / 80));
    return Math.floorDiv(due + grid - 1, grid) * grid;
  }

  private void due(Slot slot) {
    if (stopped || slot.released) {
      return;
    }
    if (inFlight < maxInFlight) {
      run(slot);
    } else {
      waiting.add(slot);
    }
  }

  private void run(Slot slot) {
    long startMs = clock.millis();
    long lateMs = startMs - fireAt(slot.due, slot.intervalMs);
    metrics.lag(lateMs);
    slot.lateMs = lateMs;
    Instant probedAt = Instant.ofEpochMilli(slot.due);
    inFlight++;
    metrics.inFlight.incrementAndGet();
    long started = System.nanoTime();
    prober
        .observe(slot.cell)
        .onComplete(
            ar -> {
              inFlight--;
              metrics.inFlight.decrementAndGet();
              Observation observation = ar.result();
              record(slot, probedAt, observation, System.nanoTime() - started);
              if (stopped) {
                if (inFlight == 0) {
                  drained.tryComplete();
                }
                return;
              }
              next(slot);
              drain();
            });
  }

  private void record(Slot slot, Instant probedAt, Observation observation, long nanos) {
    if (nanos > slot.cell.timing().timeout().plus(STALLED).toNanos()) {
      // Every probe ends by its timeout; one that reports far later was held up by this instance
      // (a blocked event loop), so its "timeout" would be a false failure: it is not recorded.
      metrics.discarded();
      slot.stalled = true;
      log.warn(
          "{}: probe answered {} ms after it began (timeout {}); this instance stalled, "
              + "result discarded",
          slot.cell.key(),
          nanos / 1_000_000,
          Durations.format(slot.cell.timing().timeout()));
      return;
    }
    Verdict verdict = Verdict.of(slot.cell, observation);
    int latencyMs = (int) Math.min(Integer.MAX_VALUE, observation.responseTime().toMillis());
    ProbeResult result =
        new ProbeResult(
            slot.checkId, location, probedAt, verdict.outcome(), latencyMs, verdict.detail());
    metrics.probed(verdict.outcome(), nanos);
    if (slot.lastRecorded != null && slot.stalled) {
      // Slots this instance missed while it stalled (results discarded, probes started late)
      // are no data, as the time it was not running is; none would leave an unrecorded hole.
      MonitoringGap.monitorDown(result, slot.lastRecorded, slot.cell.timing().interval())
          .ifPresent(sink::gap);
    }
    slot.lastRecorded = probedAt;
    slot.stalled = false;
    CheckHealth.Step step =
        slot.health.next(
            verdict.outcome().ok(),
            probedAt,
            slot.cell.timing().failureThreshold(),
            slot.cell.timing().successThreshold());
    slot.health = step.health();
    board.probed(slot.cell, result);
    sink.offer(result);
    if (observation.certificateNotAfter() != null) {
      sink.certificate(slot.cell, observation.certificateNotAfter(), probedAt);
    }
    boolean degraded = verdict.outcome() == Outcome.DEGRADED;
    if (step.transition() != null
        || (degraded != slot.degraded && slot.health.state() != CheckHealth.State.UNKNOWN)) {
      slot.degraded = degraded;
      healthSink.accept(
          new LocationHealth(
              slot.checkId,
              location,
              slot.health.state(),
              slot.health.since(),
              degraded,
              probedAt,
              false));
    }
  }

  private void next(Slot slot) {
    if (stopped || slot.released) {
      return;
    }
    long now = clock.millis();
    slot.due += slot.intervalMs;
    if (slot.due <= now) {
      long missed = (now - slot.due) / slot.intervalMs + 1;
      slot.due += missed * slot.intervalMs;
      metrics.skipped(missed);
      // Slots lost because the last probe started late (a stalled loop, a full queue) are this
      // instance's; a probe that started on time and ran into them leaves the target's time.
      if (slot.lateMs >= slot.intervalMs / 2) {
        slot.stalled = true;
      }
    }
    arm(slot);
  }

  private void drain() {
    while (inFlight < maxInFlight && !waiting.isEmpty()) {
      Slot slot = waiting.poll();
      if (!slot.released) {
        run(slot);
      }
    }
  }
}
