package io.statusdesk.statuspage;

import io.statusdesk.outage.ComponentStatus;
import io.statusdesk.probe.Component;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A component as the page shows it: status now, 90 day bars, uptime over 30 and 90 days.
 *
 * @param history its facts over the last year, for the daily uptime API
 * @param monitoredSince when its first cell was first probed
 */
public record ComponentView(
    Component component,
    ComponentStatus status,
    List<Day> days,
    Optional<String> uptime30,
    Optional<String> uptime90,
    Instant monitoredSince,
    ComponentDays history) {}
