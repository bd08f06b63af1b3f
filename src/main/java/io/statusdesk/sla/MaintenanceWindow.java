package io.statusdesk.sla;

import java.time.Instant;
import java.util.Set;

/**
 * A scheduled maintenance window.
 *
 * @param components covered component ids, or {@code "*"} for the whole service
 * @param createdAt when it was announced; a window counts only if announced before it started
 */
public record MaintenanceWindow(String id, Set<String> components, Instant start, Instant end,
    Instant createdAt) {

  public boolean serviceWide() {
    return components.contains("*");
  }

  public boolean counts() {
    return createdAt.isBefore(start);
  }

  public boolean covers(String component) {
    return serviceWide() || components.contains(component);
  }
}
