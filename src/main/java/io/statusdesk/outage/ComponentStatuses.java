package io.statusdesk.outage;

import io.statusdesk.maintenance.MaintenanceCalendar;
import io.statusdesk.maintenance.Occurrence;
import io.statusdesk.probe.CheckBoard;
import io.statusdesk.probe.CheckHealth;
import io.statusdesk.probe.CheckStatus;
import io.statusdesk.probe.Component;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every component's status right now, from its cells' health and the maintenance calendar. */
public final class ComponentStatuses {
  private ComponentStatuses() {}

  public static Map<String, Classification> current(
      List<Component> components, CheckBoard board, MaintenanceCalendar calendar, Instant now) {
    Map<String, Classification> out = new LinkedHashMap<>();
    for (Component c : components) {
      int failing = 0;
      boolean degraded = false;
      for (var cell : c.cells()) {
        CheckStatus s = board.get(cell.key());
        if (s == null) {
          continue;
        }
        if (s.health().state() == CheckHealth.State.FAILING) {
          failing++;
        } else if (s.degraded()) {
          degraded = true;
        }
      }
      out.put(
          c.id(),
          Classification.of(
              c.impact(),
              c.cells().size(),
              failing,
              degraded,
              maintenance(calendar.covering(c.id(), now))));
    }
    return out;
  }

  /**
   * What the page shows for each component: an unexpired override, else what the probes see; and
   * never better than any active incident says of it.
   */
  public static Map<String, ComponentStatus> effective(
      Map<String, Classification> probed,
      List<Incident> incidents,
      List<StatusOverride> overrides,
      Instant now) {
    Map<String, ComponentStatus> out = new LinkedHashMap<>();
    probed.forEach((id, c) -> out.put(id, c.status()));
    overrides.stream()
        .filter(o -> o.activeAt(now) && out.containsKey(o.component()))
        .forEach(o -> out.put(o.component(), o.status()));
    incidents.stream()
        .filter(Incident::active)
        .forEach(
            i ->
                i.impacts()
                    .forEach(
                        (id, impact) ->
                            out.computeIfPresent(id, (k, status) -> status.worst(impact))));
    return out;
  }

  static Classification.Maintenance maintenance(Optional<Occurrence> covering) {
    if (covering.isEmpty()) {
      return Classification.Maintenance.NONE;
    }
    return covering.get().counts()
        ? Classification.Maintenance.ANNOUNCED
        : Classification.Maintenance.LATE;
  }
}
