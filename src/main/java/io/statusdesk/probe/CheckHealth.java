package io.statusdesk.probe;

import java.time.Instant;

/**
 * The flap-damped health of one check: {@code failure_threshold} consecutive failures make it
 * failing, {@code success_threshold} consecutive successes make it healthy again. The failure is
 * dated from the first failed probe of the run, the recovery from the first successful one, so
 * confirmation delay never shifts outage boundaries.
 *
 * @param state current state
 * @param failures consecutive failures so far (0 after any success)
 * @param successes consecutive successes so far (0 after any failure)
 * @param runStartedAt first probe of the current run of equal results
 * @param since when the current state began (first probe of the run that caused it)
 */
public record CheckHealth(
    State state, int failures, int successes, Instant runStartedAt, Instant since) {

  /** The states a check can be in; UNKNOWN until the first decisive result. */
  public enum State {
    UNKNOWN,
    HEALTHY,
    FAILING
  }

  /** A confirmed change of state, dated to the first probe of the run that caused it. */
  public record Transition(State to, Instant at) {}

  /** The result of feeding one probe: the new health and the change it confirmed, if any. */
  public record Step(CheckHealth health, Transition transition) {}

  public static CheckHealth unknown() {
    return new CheckHealth(State.UNKNOWN, 0, 0, null, null);
  }

  public Step next(boolean ok, Instant at, int failureThreshold, int successThreshold) {
    if (ok) {
      int run = successes + 1;
      Instant runStart = successes == 0 ? at : runStartedAt;
      boolean recovers =
          state == State.UNKNOWN || (state == State.FAILING && run >= successThreshold);
      if (recovers) {
        CheckHealth healthy = new CheckHealth(State.HEALTHY, 0, run, runStart, runStart);
        return new Step(healthy, new Transition(State.HEALTHY, runStart));
      }
      return new Step(new CheckHealth(state, 0, run, runStart, since), null);
    }
    int run = failures + 1;
    Instant runStart = failures == 0 ? at : runStartedAt;
    if (state != State.FAILING && run >= failureThreshold) {
      CheckHealth failing = new CheckHealth(State.FAILING, run, 0, runStart, runStart);
      return new Step(failing, new Transition(State.FAILING, runStart));
    }
    return new Step(new CheckHealth(state, run, 0, runStart, since), null);
  }
}
