package io.statusdesk.probe;

import io.statusdesk.tenant.Plans;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;

/**
 * The validated contents of checks.yaml.
 *
 * @param source file name, for messages
 * @param timezone contract time zone (months, daily bars)
 * @param retentionDays how long raw probe results are kept
 * @param maxInFlight bound on probes running at once in this instance
 * @param components components in file order
 * @param plans plan prices that tenants' fees come from
 * @param closeGrace how long after a month ends it is closed automatically
 * @param updateDebounce how long an outage's class change must hold before its incident says so
 */
public record ChecksConfig(String source, ZoneId timezone, int retentionDays, int maxInFlight,
    List<Component> components, Plans plans, Duration closeGrace, Duration updateDebounce) {

  public Stream<Cell> cells() {
    return components.stream().flatMap(c -> c.cells().stream());
  }
}
