package io.statusdesk.sla;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A scheduled maintenance window, or one occurrence of a series (docs/sla.md, rule 5).
 *
 * @param components covered component ids, or {@code "*"} alone for the whole service
 * @param end its announced end; an overrun past it is downtime
 * @param createdAt when it was announced; a window counts only if announced before it started
 * @param cancelledAt when it was cancelled, if it was: cancelled before it began it excludes
 *     nothing, cancelled while running it excludes up to the cancellation
 */
public record MaintenanceWindow(
    String id,
    Set<String> components,
    Instant start,
    Instant end,
    Instant createdAt,
    Optional<Instant> cancelledAt) {

  public boolean serviceWide() {
    return serviceWide(components);
  }

  public boolean covers(String component) {
    return covers(components, component);
  }

  /** {@code "*"} alone stands for every component. */
  public static boolean serviceWide(Set<String> components) {
    return components.contains("*");
  }

  public static boolean covers(Set<String> components, String component) {
    return serviceWide(components) || components.contains(component);
  }

  /** Announced before it began, and not cancelled before it began. */
  public boolean counts() {
    return createdAt.isBefore(start) && !cancelledBeforeStart();
  }

  /** Cancelled before it began: it never happened and excludes nothing. */
  public boolean cancelledBeforeStart() {
    return cancelledAt.map(c -> !c.isAfter(start)).orElse(false);
  }

  /** Where it really stopped: its announced end, or its cancellation if that came first. */
  public Instant effectiveEnd() {
    return cancelledAt.filter(c -> c.isBefore(end)).orElse(end);
  }

  /** The window as it was known at {@code at}: not yet announced, or not yet cancelled. */
  Optional<MaintenanceWindow> asKnownAt(Instant at) {
    if (!createdAt.isBefore(at)) {
      return Optional.empty();
    }
    return Optional.of(
        cancelledAt.isPresent() && !cancelledAt.get().isBefore(at)
            ? new MaintenanceWindow(id, components, start, end, createdAt, Optional.empty())
            : this);
  }
}
