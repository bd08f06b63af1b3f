package io.statusdesk.probe;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the probe pipeline is moving: probes complete and results reach the database. A monitor
 * that silently stopped would show green for what nobody watches, so a stall is named on {@code
 * /health} (503) and in the metrics. Thread-safe: the schedulers and the writer report from their
 * own threads.
 */
public final class PipelineHealth {
  private final Clock clock;
  private final Duration probeStall;
  private final Duration writeStall;
  private final boolean probing;
  private final AtomicLong lastProbe;
  private final AtomicLong lastWrite;

  /**
   * @param cells the cells this instance probes; no cells, nothing to stall
   */
  public PipelineHealth(List<Cell> cells, Clock clock) {
    this.clock = clock;
    this.probing = !cells.isEmpty();
    Duration shortest =
        cells.stream()
            .map(c -> c.timing().interval())
            .min(Duration::compareTo)
            .orElse(Duration.ofSeconds(1));
    Duration longestTimeout =
        cells.stream()
            .map(c -> c.timing().timeout())
            .max(Duration::compareTo)
            .orElse(Duration.ZERO);
    // Three of the shortest intervals without a single probe completing is no scheduling jitter.
    this.probeStall = max(shortest.multipliedBy(3).plus(longestTimeout), Duration.ofSeconds(5));
    this.writeStall = max(shortest.multipliedBy(3), Duration.ofSeconds(15));
    long now = clock.millis();
    this.lastProbe = new AtomicLong(now);
    this.lastWrite = new AtomicLong(now);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  void probed() {
    lastProbe.set(clock.millis());
  }

  /** A batch reached the database, or there was nothing to write. */
  void wrote() {
    lastWrite.set(clock.millis());
  }

  public Duration sinceLastProbe() {
    return Duration.ofMillis(Math.max(0, clock.millis() - lastProbe.get()));
  }

  public Duration sinceLastWrite() {
    return Duration.ofMillis(Math.max(0, clock.millis() - lastWrite.get()));
  }

  /** What has stalled, in words for operators; empty while everything moves. */
  public List<String> stalls(int buffered) {
    List<String> out = new ArrayList<>();
    Duration probe = sinceLastProbe();
    if (probing && probe.compareTo(probeStall) > 0) {
      out.add("probing: no probe completed for " + probe.toSeconds() + " s");
    }
    Duration write = sinceLastWrite();
    if (buffered > 0 && write.compareTo(writeStall) > 0) {
      out.add(
          "result writing: nothing written for "
              + write.toSeconds()
              + " s, "
              + buffered
              + " results buffered");
    }
    return out;
  }
}
