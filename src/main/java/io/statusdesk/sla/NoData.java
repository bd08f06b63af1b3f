package io.statusdesk.sla;

import java.time.Instant;

/**
 * A span in which the monitor saw nothing (docs/sla.md, rule 7): {@code no_data}, never downtime
 * and never green.
 *
 * @param component the component nobody watched, or {@code "*"} for all of them
 */
public record NoData(String component, Instant start, Instant end) {
  public static final String ALL = "*";

  public boolean covers(String id) {
    return ALL.equals(component) || component.equals(id);
  }
}
