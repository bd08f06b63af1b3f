package io.statusdesk.outage;

import java.time.Instant;
import java.util.Optional;

/**
 * A component's status set by an operator, shown instead of what the probes see until it expires by
 * itself (an open incident can still make it worse).
 */
public record StatusOverride(
    String component, ComponentStatus status, Instant until, Optional<String> note) {

  public boolean activeAt(Instant at) {
    return until.isAfter(at);
  }
}
