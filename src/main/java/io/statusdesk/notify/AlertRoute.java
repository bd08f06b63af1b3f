package io.statusdesk.notify;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An operators' alert route of checks.yaml: which events, about which components, go to which
 * channel, and when it keeps quiet.
 *
 * @param events the kinds it carries; empty means every kind an alert may carry
 * @param components the components it is about; empty means all (and events about none)
 */
public record AlertRoute(
    String channel,
    Set<EventKind> events,
    Set<String> components,
    Optional<QuietHours> quietHours) {

  public AlertRoute {
    events = Set.copyOf(events);
    components = Set.copyOf(components);
  }

  /** Whether an event of {@code kind} touching {@code touched} goes this way. */
  public boolean carries(EventKind kind, List<String> touched) {
    if (!kind.alertable() || (!events.isEmpty() && !events.contains(kind))) {
      return false;
    }
    return components.isEmpty()
        || touched.isEmpty()
        || touched.stream().anyMatch(components::contains);
  }
}
