package io.statusdesk.probe;

import java.time.Duration;
import java.time.Instant;

/**
 * One location's damped health of one cell, as its prober last decided it: written with the results
 * that decided it whenever the state or the slowness changes, and read by every instance to judge
 * the cell across locations.
 *
 * @param state healthy or failing (a cell not yet decided has no row)
 * @param since when the state began (the first probe of the run that caused it)
 * @param degraded whether the latest result was slow
 * @param at the probe that decided it; a row is never replaced by an older decision
 * @param replayed what a restart or a take-over replayed from stored results, written only where no
 *     row exists yet (its start may be cut short by the replay's reach)
 */
public record LocationHealth(
    int checkId,
    String location,
    CheckHealth.State state,
    Instant since,
    boolean degraded,
    Instant at,
    boolean replayed) {

  /** How far back a restart replays results, and how long a location's last word is kept. */
  public static final Duration REPLAY = Duration.ofDays(2);

  public boolean failing() {
    return state == CheckHealth.State.FAILING;
  }
}
