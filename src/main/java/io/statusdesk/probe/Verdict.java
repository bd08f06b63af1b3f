package io.statusdesk.probe;

import java.util.Optional;

/** How a cell's conditions judge one observation. */
public record Verdict(Outcome outcome, String detail) {

  /**
   * A transport error wins over condition messages (it explains them); otherwise the first failing
   * condition is the detail. A passing probe slower than {@code degraded_ms} is degraded.
   */
  public static Verdict of(Cell cell, Observation observation) {
    String failure = null;
    for (Condition condition : cell.conditions()) {
      Optional<String> failed = condition.failure(observation);
      if (failed.isPresent()) {
        failure = failed.get();
        break;
      }
    }
    if (failure != null) {
      return new Verdict(Outcome.DOWN, observation.error() != null ? observation.error() : failure);
    }
    if (cell.conditions().isEmpty() && !observation.connected()) {
      return new Verdict(Outcome.DOWN, observation.error());
    }
    boolean slow =
        observation.responseTime() != null
            && observation.responseTime().compareTo(cell.timing().degradedAfter()) > 0;
    return slow
        ? new Verdict(Outcome.DEGRADED, "slow: " + observation.responseTime().toMillis() + "ms")
        : new Verdict(Outcome.UP, null);
  }
}
