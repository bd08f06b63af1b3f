package io.statusdesk.probe;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes its share of the cells on its own event loop. Each cell keeps a fixed-rate schedule whose
 * phase is spread over the interval by a hash of its key, so thousands of cells never fire in the
 * same millisecond and a restart keeps the same spread. At most {@code maxInFlight} probes run at
 * once; the rest wait in a FIFO, and a slot that comes round while the previous one is still
 * waiting is skipped (and counted) rather than piling up.
 */
public final class ProbeScheduler extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ProbeScheduler.class);

  /** How far past its timeout a probe may report before its verdict is not believed. */
  private static final Duration STALLED = Duration.ofSeconds(1);

  /** Told of every confirmed health change, on this scheduler's event loop. */
  public interface TransitionListener {
    void changed(Cell cell, CheckHealth.Transition transition);
  }

  private final List<Cell> cells;
  private final Map<String, Integer> checkIds;
  private final Map<String, CheckStatus> recovered;
  private final CheckBoard board;
  private final Consumer<ProbeResult> sink;
  private final TransitionListener listener;
  private final Heartbeats heartbeats;
  private final ProbeMetrics metrics;
  private final Clock clock;
  private final String location;
  private final int maxInFlight;
  private final ArrayDeque<Slot> waiting = new ArrayDeque<>();

  private Prober prober;
  private int inFlight;
  private boolean stopped;
  private Promise<Void> drained;

  public ProbeScheduler(
      List<Cell> cells,
      Map<String, Integer> checkIds,
      Map<String, CheckStatus> recovered,
      CheckBoard board,
      Consumer<ProbeResult> sink,
      TransitionListener listener,
      Heartbeats heartbeats,
      ProbeMetrics metrics,
      Clock clock,
      String location,
      int maxInFlight) {
    this.cells = cells;
    this.checkIds = checkIds;
    this.recovered = recovered;
    this.board = board;
    this.sink = sink;
    this.listener = listener;
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
    CheckHealth health;

    Slot(Cell cell, int checkId, long due, CheckHealth health) {
      this.cell = cell;
      this.checkId = checkId;
      this.intervalMs = cell.timing().interval().toMillis();
      this.due = due;
      this.health = health;
    }
  }

  @Override
  public Future<?> start() {
    prober = new Prober(vertx, clock, heartbeats, Math.max(8, maxInFlight));
    long now = clock.millis();
    for (Cell cell : cells) {
      CheckStatus before = recovered.get(cell.key());
      CheckHealth health = before == null ? CheckHealth.unknown() : before.health();
      board.put(new CheckStatus(cell, health, before == null ? null : before.last()));
      Slot slot = new Slot(cell, checkIds.get(cell.key()), now + phase(cell), health);
      arm(slot);
    }
    return Future.succeededFuture();
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
    long delay = Math.max(1, slot.due - clock.millis());
    vertx.setTimer(delay, id -> due(slot));
  }

  private void due(Slot slot) {
    if (stopped) {
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
    metrics.lag(startMs - slot.due);
    Instant probedAt = Instant.ofEpochMilli(startMs);
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
    CheckHealth.Step step =
        slot.health.next(
            verdict.outcome().ok(),
            probedAt,
            slot.cell.timing().failureThreshold(),
            slot.cell.timing().successThreshold());
    slot.health = step.health();
    board.put(new CheckStatus(slot.cell, slot.health, result));
    sink.accept(result);
    if (step.transition() != null) {
      listener.changed(slot.cell, step.transition());
    }
  }

  private void next(Slot slot) {
    if (stopped) {
      return;
    }
    long now = clock.millis();
    slot.due += slot.intervalMs;
    if (slot.due <= now) {
      long missed = (now - slot.due) / slot.intervalMs + 1;
      slot.due += missed * slot.intervalMs;
      metrics.skipped(missed);
    }
    arm(slot);
  }

  private void drain() {
    while (inFlight < maxInFlight && !waiting.isEmpty()) {
      run(waiting.poll());
    }
  }
}
