package io.statusdesk.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A span with no samples for a check: {@code no_data}, never downtime and never green.
 *
 * @param reason {@code monitor_down} (the service was not running) or {@code buffer_overflow}
 */
public record MonitoringGap(
    int checkId, String location, Instant startedAt, Instant endedAt, String reason) {

  /**
   * The time nobody probed a check before {@code first}, its first result of a run (after a
   * restart, a take-over, or an agent's restart): a {@code monitor_down} gap from the last stored
   * sample, when that missed a slot (it lies more than 1.5 intervals back).
   */
  public static Optional<MonitoringGap> monitorDown(
      ProbeResult first, Instant lastSample, Duration interval) {
    return monitorDown(first.checkId(), first.location(), lastSample, first.probedAt(), interval);
  }

  /**
   * The time nobody probed a check between two of its samples at {@code location}: a {@code
   * monitor_down} gap when it missed a slot (they lie more than 1.5 intervals apart).
   */
  public static Optional<MonitoringGap> monitorDown(
      int checkId, String location, Instant lastSample, Instant next, Duration interval) {
    boolean missed =
        Duration.between(lastSample, next).multipliedBy(2).compareTo(interval.multipliedBy(3)) > 0;
    return missed
        ? Optional.of(new MonitoringGap(checkId, location, lastSample, next, "monitor_down"))
        : Optional.empty();
  }
}
