package io.statusdesk.outage;

import io.statusdesk.Localized;
import io.statusdesk.StatuspageV2;
import io.statusdesk.probe.Component;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Statuspage v2 component objects of the configured components, groups included (as components
 * with {@code "group": true}, the way Statuspage lists them), in the page's order.
 */
public final class ComponentV2 {
  private final List<Component> components;
  private final ZoneId zone;

  public ComponentV2(List<Component> components, ZoneId zone) {
    this.components = List.copyOf(components);
    this.zone = zone;
  }

  /**
   * Every component's object by id, each group before its components.
   *
   * @param status what each component's status is
   * @param since when each was first monitored; null where it is not known (events)
   */
  public Map<String, JsonObject> objects(
      String lang,
      Function<String, ComponentStatus> status,
      Function<String, Instant> since,
      Instant updatedAt) {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    Map<Localized, List<Component>> groups = new LinkedHashMap<>();
    components.forEach(c -> groups.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(c));
    int position = 1;
    for (var group : groups.entrySet()) {
      String groupId = StatuspageV2.groupId(group.getKey());
      ComponentStatus worst =
          group.getValue().stream()
              .map(c -> status.apply(c.id()))
              .max(Enum::compareTo)
              .orElse(ComponentStatus.OPERATIONAL);
      Instant groupSince =
          group.getValue().stream()
              .map(c -> since.apply(c.id()))
              .filter(s -> s != null)
              .min(Instant::compareTo)
              .orElse(null);
      out.put(
          groupId,
          StatuspageV2.component(
                  groupId,
                  group.getKey().in(lang),
                  worst.apiValue(),
                  position++,
                  null,
                  true,
                  groupSince,
                  updatedAt,
                  zone)
              .put(
                  "components",
                  new JsonArray(group.getValue().stream().map(Component::id).toList())));
      for (Component c : group.getValue()) {
        out.put(
            c.id(),
            StatuspageV2.component(
                c.id(),
                c.name(lang),
                status.apply(c.id()).apiValue(),
                position++,
                groupId,
                false,
                since.apply(c.id()),
                updatedAt,
                zone));
      }
    }
    return out;
  }
}
