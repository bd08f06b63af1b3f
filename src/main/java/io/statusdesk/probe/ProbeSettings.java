package io.statusdesk.probe;

import java.util.List;
import java.util.stream.Stream;

/**
 * What to probe and how much of it to keep.
 *
 * @param retentionDays how long raw probe results are kept
 * @param maxInFlight bound on probes running at once in this instance
 * @param components components in file order
 */
public record ProbeSettings(int retentionDays, int maxInFlight, List<Component> components) {

  public Stream<Cell> cells() {
    return components.stream().flatMap(c -> c.cells().stream());
  }
}
