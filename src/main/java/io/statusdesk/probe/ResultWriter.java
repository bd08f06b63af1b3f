package io.statusdesk.probe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves probe results from the schedulers to PostgreSQL in batches. Probing never waits on the
 * database: results queue in a bounded buffer, a failed batch is kept and retried with backoff, and
 * results that do not fit are dropped and recorded as a {@code buffer_overflow} gap, so a database
 * stall can cost samples but never invents a failure. The time the service was not running becomes
 * a {@code monitor_down} gap when each check's first sample of this run arrives.
 */
public final class ResultWriter extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ResultWriter.class);
  private static final int MAX_BATCH = 5_000;
  private static final long FLUSH_MS = 250;
  private static final long MAX_BACKOFF_MS = 5_000;
  private static final long PARTITION_EVERY_MS = Duration.ofHours(1).toMillis();

  private final ProbeRepository repository;
  private final ArrayBlockingQueue<ProbeResult> buffer;
  private final Map<Integer, MonitoringGap> overflowing = new ConcurrentHashMap<>();
  private final Map<Integer, Resumption> resuming = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<MonitoringGap> closedGaps = new ConcurrentLinkedQueue<>();
  private final int retentionDays;
  private final Clock clock;
  private final Counter dropped;
  private final Counter written;
  private final Counter batchesOk;
  private final Counter batchesFailed;
  private final PipelineHealth health;

  private List<ProbeResult> pendingResults = List.of();
  private List<MonitoringGap> pendingGaps = List.of();
  private boolean writing;
  private long backoffMs;
  private long retryAt;

  public ResultWriter(
      ProbeRepository repository,
      int capacity,
      int retentionDays,
      Clock clock,
      MeterRegistry registry,
      PipelineHealth health) {
    this.health = health;
    this.repository = repository;
    this.buffer = new ArrayBlockingQueue<>(capacity);
    this.retentionDays = retentionDays;
    this.clock = clock;
    this.dropped =
        Counter.builder("statusdesk.results.dropped")
            .description("Results that overflowed the write buffer (recorded as gaps)")
            .register(registry);
    this.written =
        Counter.builder("statusdesk.results.written")
            .description("Results written to the database")
            .register(registry);
    this.batchesOk =
        Counter.builder("statusdesk.result.batches")
            .tag("result", "ok")
            .description("Result write batches")
            .register(registry);
    this.batchesFailed =
        Counter.builder("statusdesk.result.batches")
            .tag("result", "failed")
            .description("Result write batches")
            .register(registry);
    Gauge.builder("statusdesk.result.buffer", buffer, ArrayBlockingQueue::size)
        .description("Results waiting in memory to be written")
        .register(registry);
  }

  /** A check's last sample before this run, and its interval. */
  private record Resumption(Instant lastSample, Duration interval) {}

  /**
   * Before the first probe: for each check, the last sample stored by an earlier run and its
   * interval. The span from that sample to the check's first sample of this run is recorded as a
   * {@code monitor_down} gap when it missed a slot (it is longer than 1.5 intervals).
   */
  public void resumeAfter(Map<Integer, Instant> lastSamples, Map<Integer, Duration> intervals) {
    lastSamples.forEach((id, last) -> resuming.put(id, new Resumption(last, intervals.get(id))));
  }

  /**
   * Queues a result; safe from any thread, never blocks. Calls for one check come from one
   * scheduler, in order, which is what lets an overflow gap close at the next accepted result.
   */
  public void offer(ProbeResult result) {
    Resumption resumed = resuming.isEmpty() ? null : resuming.remove(result.checkId());
    if (resumed != null
        && Duration.between(resumed.lastSample(), result.probedAt())
                .multipliedBy(2)
                .compareTo(resumed.interval().multipliedBy(3))
            > 0) {
      closedGaps.add(
          new MonitoringGap(
              result.checkId(),
              result.location(),
              resumed.lastSample(),
              result.probedAt(),
              "monitor_down"));
    }
    if (!buffer.offer(result)) {
      dropped.increment();
      overflowing.merge(
          result.checkId(),
          new MonitoringGap(
              result.checkId(),
              result.location(),
              result.probedAt(),
              result.probedAt(),
              "buffer_overflow"),
          (open, next) -> open);
      return;
    }
    MonitoringGap gap = overflowing.remove(result.checkId());
    if (gap != null) {
      closedGaps.add(
          new MonitoringGap(
              gap.checkId(), gap.location(), gap.startedAt(), result.probedAt(), gap.reason()));
    }
  }

  /** Results waiting to be written, in the buffer and in the batch being retried. */
  public int buffered() {
    return buffer.size() + pendingResults.size();
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(FLUSH_MS, id -> flush());
    vertx.setPeriodic(PARTITION_EVERY_MS, id -> maintainPartitions());
    return repository.maintainPartitions(retentionDays);
  }

  @Override
  public Future<?> stop() {
    // Gaps still open when probing stops end now: nothing was sampled after them.
    overflowing
        .values()
        .forEach(
            g ->
                closedGaps.add(
                    new MonitoringGap(
                        g.checkId(), g.location(), g.startedAt(), clock.instant(), g.reason())));
    overflowing.clear();
    // Last chance to keep what is buffered; a dead database costs only what is still here.
    long deadline = System.currentTimeMillis() + 5_000;
    return drainUntil(deadline)
        .otherwise(
            e -> {
              log.warn(
                  "{} results not written at shutdown: {}",
                  buffer.size() + pendingResults.size(),
                  e.getMessage());
              return null;
            });
  }

  private Future<Void> drainUntil(long deadline) {
    if (buffer.isEmpty() && pendingResults.isEmpty() && closedGaps.isEmpty()) {
      return Future.succeededFuture();
    }
    if (System.currentTimeMillis() > deadline) {
      return Future.failedFuture("timed out");
    }
    return writeNext().compose(v -> drainUntil(deadline));
  }

  private void flush() {
    if (writing || clock.millis() < retryAt) {
      return;
    }
    if (buffer.isEmpty() && pendingResults.isEmpty() && closedGaps.isEmpty()) {
      health.wrote();
      return;
    }
    writeNext()
        .onComplete(
            ar -> {
              if (ar.succeeded() && buffer.size() >= MAX_BATCH) {
                flush();
              }
            });
  }

  private Future<Void> writeNext() {
    if (pendingResults.isEmpty() && pendingGaps.isEmpty()) {
      List<ProbeResult> batch = new ArrayList<>(Math.min(buffer.size(), MAX_BATCH));
      buffer.drainTo(batch, MAX_BATCH);
      List<MonitoringGap> gaps = new ArrayList<>();
      for (MonitoringGap g; (g = closedGaps.poll()) != null; ) {
        if (g.endedAt().isAfter(g.startedAt())) {
          gaps.add(g);
        }
      }
      pendingResults = batch;
      pendingGaps = gaps;
    }
    writing = true;
    return repository
        .write(pendingResults, pendingGaps)
        .onSuccess(
            v -> {
              written.increment(pendingResults.size());
              batchesOk.increment();
              health.wrote();
              pendingResults = List.of();
              pendingGaps = List.of();
              backoffMs = 0;
            })
        .onFailure(
            e -> {
              batchesFailed.increment();
              backoffMs = backoffMs == 0 ? 500 : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
              retryAt = clock.millis() + backoffMs;
              log.warn(
                  "writing {} results failed, retrying in {} ms ({} buffered): {}",
                  pendingResults.size(),
                  backoffMs,
                  buffer.size(),
                  e.getMessage());
            })
        .onComplete(ar -> writing = false);
  }

  private void maintainPartitions() {
    repository
        .maintainPartitions(retentionDays)
        .onFailure(e -> log.warn("partition maintenance failed: {}", e.getMessage()));
  }
}
