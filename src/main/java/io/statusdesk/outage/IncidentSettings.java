package io.statusdesk.outage;

import java.time.Duration;

/**
 * How incidents follow outages.
 *
 * @param updateDebounce how long an outage's class change must hold before its incident says so
 */
public record IncidentSettings(Duration updateDebounce) {}
