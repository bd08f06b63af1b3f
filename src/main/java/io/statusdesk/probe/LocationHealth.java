package io.statusdesk.probe;

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
 */
public record LocationHealth(
    int checkId,
    String location,
    CheckHealth.State state,
    Instant since,
    boolean degraded,
    Instant at) {

  public boolean failing() {
    return state == CheckHealth.State.FAILING;
  }
}
