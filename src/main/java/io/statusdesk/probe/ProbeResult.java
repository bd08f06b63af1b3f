package io.statusdesk.probe;

import java.time.Instant;

/**
 * One probe's verdict as stored.
 *
 * @param checkId database id of the cell
 * @param location probe location that ran it
 * @param probedAt when the probe started
 * @param outcome up, degraded or down
 * @param latencyMs time to the complete answer (or to the failure)
 * @param error the failing condition or transport error; null when up
 */
public record ProbeResult(
    int checkId, String location, Instant probedAt, Outcome outcome, int latencyMs, String error) {}
