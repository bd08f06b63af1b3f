package io.statusdesk.probe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.statusdesk.notify.Event;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves probe results from the schedulers to PostgreSQL in batches (or, in an agent, to the central
 * service). Probing never waits on the destination: results queue in a bounded buffer, a failed
 * batch is kept and retried with backoff (the same batch, so a batch whose answer was lost is
 * recognised when it comes again), and results that do not fit are dropped and recorded as a {@code
 * buffer_overflow} gap, so a stall can cost samples but never invents a failure. The time the
 * service was not running becomes a {@code monitor_down} gap when each check's first sample of this
 * run arrives.
 */
public final class ResultWriter extends VerticleBase implements ResultSink {
  /** A certificate expiring within this is told to the operators, once per certificate. */
  public static final Duration CERTIFICATE_NOTICE = Duration.ofDays(14);

  private static final Logger log = LoggerFactory.getLogger(ResultWriter.class);
  private static final int MAX_BATCH = 5_000;

  /**
   * The longest results wait: every commit is flushed to disk, and at ordinary sizes the
   * statements, not the rows, are what the database spends its time on, so results wait for the
   * next look (see {@link #flushEvery}). What must go at once (a health change, a gap, an expiring
   * certificate, {@link #SMALL_BATCH} results) wakes the writer.
   */
  private static final Duration LONGEST_WAIT = Duration.ofSeconds(5);

  private static final Duration SHORTEST_WAIT = Duration.ofSeconds(1);

  private static final int SMALL_BATCH = 1_000;
  private static final long MAX_BACKOFF_MS = 5_000;

  /**
   * Where batches go; a batch that failed is offered again as it was. The events (gaps, expiring
   * certificates) go to the outbox in the transaction that writes the gaps; an agent drops them, as
   * the service makes its own from the gaps it receives.
   */
  public interface Sink {
    Future<Void> write(
        List<ProbeResult> results,
        List<MonitoringGap> gaps,
        List<LocationHealth> health,
        List<Event> events);
  }

  private final Sink sink;
  private final long flushMs;
  private final ArrayBlockingQueue<ProbeResult> buffer;
  private final Map<Integer, MonitoringGap> overflowing = new ConcurrentHashMap<>();
  private final Map<Integer, Resumption> resuming = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Resumed> resumed = new ConcurrentLinkedQueue<>();
  private volatile StoredSamples stored;
  private final ConcurrentLinkedQueue<MonitoringGap> closedGaps = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<LocationHealth> health = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Event> certificates = new ConcurrentLinkedQueue<>();

  /** The expiry last told of per cell, so a certificate is told once, not on every probe. */
  private final Map<String, Instant> noticed = new ConcurrentHashMap<>();

  private final AtomicBoolean woken = new AtomicBoolean();

  private volatile Map<Integer, Cell> cells = Map.of();
  private final Clock clock;
  private final Counter dropped;
  private final Counter written;
  private final Counter batchesOk;
  private final Counter batchesFailed;
  private final PipelineHealth pipeline;

  private List<ProbeResult> pendingResults = List.of();
  private List<MonitoringGap> pendingGaps = List.of();
  private List<LocationHealth> pendingHealth = List.of();
  private List<Event> pendingEvents = List.of();
  private boolean writing;
  private long backoffMs;
  private long retryAt;

  /**
   * @param flushEvery how long results may wait for the next batch ({@link
   *     #flushEvery(Collection)})
   */
  public ResultWriter(
      Sink sink,
      Duration flushEvery,
      int capacity,
      Clock clock,
      MeterRegistry registry,
      PipelineHealth pipeline) {
    this.pipeline = pipeline;
    this.sink = sink;
    this.flushMs = flushEvery.toMillis();
    this.buffer = new ArrayBlockingQueue<>(capacity);
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

  /**
   * How long results of {@code cells} may wait to be written: a quarter of the shortest interval,
   * from one to five seconds. Results older than that are known to the quorum's judges, which allow
   * at least ten seconds beyond an interval, and a previous owner's last result is stored well
   * before a new owner's first one, which lies an interval later (see {@link #resumeAfter}).
   */
  public static Duration flushEvery(Collection<Cell> cells) {
    Duration quarter =
        cells.stream()
            .map(c -> c.timing().interval().dividedBy(4))
            .min(Comparator.naturalOrder())
            .orElse(LONGEST_WAIT);
    return quarter.compareTo(SHORTEST_WAIT) < 0
        ? SHORTEST_WAIT
        : quarter.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : quarter;
  }

  /** The cells by their database id, to name them in what operators are told. */
  public void cells(Map<Integer, Cell> byId) {
    this.cells = Map.copyOf(byId);
  }

  /** A check's last sample before this run, and its interval. */
  private record Resumption(Instant lastSample, Duration interval) {}

  /** A check's first result of this run, which may follow a hole since its last sample. */
  private record Resumed(ProbeResult first, Instant lastSample, Duration interval) {}

  /** The latest stored sample of each check asked for, where there is one. */
  public interface StoredSamples {
    Future<Map<Integer, Instant>> latest(Collection<Integer> checkIds);
  }

  /**
   * Before the first probe: for each check, the last sample stored by an earlier run or owner and
   * its interval. The span from the last stored sample to the check's first sample of this run is
   * recorded as a {@code monitor_down} gap when it missed a slot (it is longer than 1.5 intervals).
   * A previous owner still running (one handing cells over as this instance joins) may hold its
   * latest result in its buffer: the last sample is read again from {@code stored} when the first
   * result is written, an interval after that one was probed, so the gap is not dated early.
   */
  public void resumeAfter(
      Map<Integer, Instant> lastSamples, Map<Integer, Duration> intervals, StoredSamples stored) {
    this.stored = stored;
    lastSamples.forEach((id, last) -> resuming.put(id, new Resumption(last, intervals.get(id))));
  }

  /** Written with the next batch, after the results queued before it. */
  @Override
  public void gap(MonitoringGap gap) {
    gapClosed(gap);
  }

  @Override
  public void certificate(Cell cell, Instant notAfter, Instant seenAt) {
    if (Duration.between(seenAt, notAfter).compareTo(CERTIFICATE_NOTICE) >= 0
        || notAfter.equals(noticed.put(cell.key(), notAfter))) {
      return;
    }
    certificates.add(ProbeNotices.certificate(cell, notAfter, seenAt));
    wake();
  }

  /**
   * Queues a change of this location's health of a cell; written with the next batch, after the
   * results queued before it. Never dropped: there are at most a few per cell and state change.
   */
  public void offerHealth(LocationHealth change) {
    health.add(change);
    wake();
  }

  /**
   * Queues a result; safe from any thread, never blocks. Calls for one check come from one
   * scheduler, in order, which is what lets an overflow gap close at the next accepted result.
   */
  @Override
  public void offer(ProbeResult result) {
    Resumption resumption = resuming.isEmpty() ? null : resuming.remove(result.checkId());
    if (resumption != null
        && MonitoringGap.monitorDown(result, resumption.lastSample(), resumption.interval())
            .isPresent()) {
      resumed.add(new Resumed(result, resumption.lastSample(), resumption.interval()));
      wake();
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
      gapClosed(
          new MonitoringGap(
              gap.checkId(), gap.location(), gap.startedAt(), result.probedAt(), gap.reason()));
    }
    if (buffer.size() >= SMALL_BATCH) {
      wake();
    }
  }

  private void gapClosed(MonitoringGap gap) {
    closedGaps.add(gap);
    wake();
  }

  /**
   * Has the writer look at once (from any thread); many calls before it runs make one look, and
   * while a batch is being written the calls wait for its end, which looks again.
   */
  private void wake() {
    if (context != null && !woken.getAndSet(true)) {
      context.runOnContext(
          v -> {
            flush(false);
            woken.set(writing);
          });
    }
  }

  /** Results waiting to be written, in the buffer and in the batch being retried. */
  public int buffered() {
    return buffer.size() + pendingResults.size();
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(flushMs, id -> flush(true));
    return Future.succeededFuture();
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
    if (idle()) {
      return Future.succeededFuture();
    }
    if (System.currentTimeMillis() > deadline) {
      return Future.failedFuture("timed out");
    }
    return writeNext().compose(v -> drainUntil(deadline));
  }

  /** {@code tick}: the periodic look, which writes whatever waits; else only what must go now. */
  private void flush(boolean tick) {
    long now = clock.millis();
    if (writing || now < retryAt) {
      return;
    }
    if (idle()) {
      pipeline.wrote();
      return;
    }
    if (!tick
        && pendingResults.isEmpty()
        && closedGaps.isEmpty()
        && resumed.isEmpty()
        && health.isEmpty()
        && certificates.isEmpty()
        && buffer.size() < SMALL_BATCH) {
      return;
    }
    writeNext()
        .onComplete(
            ar -> {
              // what arrived meanwhile and must go now (a full batch, a health change) goes now
              woken.set(false);
              if (ar.succeeded()) {
                flush(false);
              }
            });
  }

  private boolean idle() {
    return buffer.isEmpty()
        && pendingResults.isEmpty()
        && pendingGaps.isEmpty()
        && pendingHealth.isEmpty()
        && pendingEvents.isEmpty()
        && closedGaps.isEmpty()
        && resumed.isEmpty()
        && health.isEmpty()
        && certificates.isEmpty();
  }

  private Future<Void> writeNext() {
    writing = true;
    boolean retry =
        !pendingResults.isEmpty()
            || !pendingGaps.isEmpty()
            || !pendingHealth.isEmpty()
            || !pendingEvents.isEmpty();
    Future<Void> batched = retry ? Future.succeededFuture() : takeOverGaps().map(v -> batch());
    return batched
        .compose(v -> sink.write(pendingResults, pendingGaps, pendingHealth, pendingEvents))
        .onSuccess(
            v -> {
              written.increment(pendingResults.size());
              batchesOk.increment();
              pipeline.wrote();
              pendingResults = List.of();
              pendingGaps = List.of();
              pendingHealth = List.of();
              pendingEvents = List.of();
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

  /** Takes what waits into the next batch, which is sent until it succeeds. */
  private Void batch() {
    List<ProbeResult> results = new ArrayList<>(Math.min(buffer.size(), MAX_BATCH));
    buffer.drainTo(results, MAX_BATCH);
    List<MonitoringGap> gaps = new ArrayList<>();
    for (MonitoringGap g; (g = closedGaps.poll()) != null; ) {
      if (g.endedAt().isAfter(g.startedAt())) {
        gaps.add(g);
      }
    }
    List<LocationHealth> changes = new ArrayList<>();
    for (LocationHealth h; (h = health.poll()) != null; ) {
      changes.add(h);
    }
    List<Event> events = new ArrayList<>(ProbeNotices.gaps(gaps, cells));
    for (Event e; (e = certificates.poll()) != null; ) {
      events.add(e);
    }
    pendingResults = results;
    pendingGaps = gaps;
    pendingHealth = changes;
    pendingEvents = events;
    return null;
  }

  /**
   * The gaps before the first results of cells this run resumed, each dated from the latest sample
   * stored now (see {@link #resumeAfter}); a failed look leaves them for the next batch.
   */
  private Future<Void> takeOverGaps() {
    List<Resumed> firsts = new ArrayList<>();
    for (Resumed r; (r = resumed.poll()) != null; ) {
      firsts.add(r);
    }
    if (firsts.isEmpty()) {
      return Future.succeededFuture();
    }
    return stored
        .latest(firsts.stream().map(r -> r.first().checkId()).toList())
        .onSuccess(
            latest ->
                firsts.forEach(
                    r -> {
                      Instant now = latest.getOrDefault(r.first().checkId(), r.lastSample());
                      Instant last = now.isAfter(r.lastSample()) ? now : r.lastSample();
                      MonitoringGap.monitorDown(r.first(), last, r.interval())
                          .ifPresent(closedGaps::add);
                    }))
        .onFailure(e -> resumed.addAll(firsts))
        .mapEmpty();
  }
}
