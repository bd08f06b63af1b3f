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
    boolean missed =
        Duration.between(lastSample, first.probedAt())
                .multipliedBy(2)
                .compareTo(interval.multipliedBy(3))
            > 0;
    return missed
        ? Optional.of(
            new MonitoringGap(
                first.checkId(), first.location(), lastSample, first.probedAt(), "monitor_down"))
        : Optional.empty();
  }
}
