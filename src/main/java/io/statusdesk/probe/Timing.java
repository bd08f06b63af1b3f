package io.statusdesk.probe;

import java.time.Duration;

/** How often and how patiently a cell is probed, and how results are damped. */
public record Timing(
    Duration interval,
    Duration timeout,
    int failureThreshold,
    int successThreshold,
    Duration degradedAfter) {}
