package io.statusdesk.statuspage;

import io.statusdesk.Messages;
import io.statusdesk.StatuspageV2;
import io.statusdesk.maintenance.MaintenanceV2;
import io.statusdesk.maintenance.Occurrence;
import io.statusdesk.outage.ComponentV2;
import io.statusdesk.outage.Incident;
import io.statusdesk.outage.IncidentV2;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Atlassian Statuspage public API v2 shapes ({@code /api/v2/*.json}), field for field, so
 * widgets and tools written for Statuspage read this page unchanged. Component groups appear as
 * components with {@code "group": true}, as Statuspage lists them.
 */
final class StatuspageJson {
  private static final int LIST_LIMIT = 50;

  private final StatusSnapshot snapshot;
  private final String lang;
  private final String url;
  private final Map<String, JsonObject> components;

  StatuspageJson(StatusSnapshot snapshot, String lang, String url) {
    this.snapshot = snapshot;
    this.lang = lang;
    this.url = url;
    Map<String, ComponentView> views = new HashMap<>();
    snapshot.components().forEach(v -> views.put(v.component().id(), v));
    this.components =
        new ComponentV2(
                snapshot.components().stream().map(ComponentView::component).toList(),
                snapshot.zone())
            .objects(
                lang,
                id -> views.get(id).status(),
                id -> views.get(id).monitoredSince(),
                snapshot.generatedAt());
  }

  JsonObject page() {
    return new JsonObject()
        .put("id", StatuspageV2.PAGE_ID)
        .put("name", Messages.of(lang).get("site"))
        .put("url", url)
        .put("time_zone", snapshot.zone().getId())
        .put("updated_at", StatuspageV2.iso(snapshot.generatedAt()));
  }

  JsonObject status() {
    return new JsonObject().put("page", page()).put("status", indicator());
  }

  private JsonObject indicator() {
    return new JsonObject()
        .put("indicator", snapshot.indicator().apiValue())
        .put("description", snapshot.indicator().description(lang));
  }

  JsonObject components() {
    return new JsonObject()
        .put("page", page())
        .put("components", new JsonArray(List.copyOf(components.values())));
  }

  JsonObject incidents(boolean unresolvedOnly) {
    List<Incident> list =
        unresolvedOnly
            ? snapshot.unresolved()
            : snapshot.recent().stream().limit(LIST_LIMIT).toList();
    return new JsonObject()
        .put("page", page())
        .put("incidents", new JsonArray(list.stream().map(this::incident).toList()));
  }

  JsonObject maintenances(List<Occurrence> list) {
    return new JsonObject()
        .put("page", page())
        .put(
            "scheduled_maintenances",
            new JsonArray(
                StatusSnapshot.nearest(list, snapshot.generatedAt(), LIST_LIMIT).stream()
                    .map(this::maintenance)
                    .toList()));
  }

  JsonObject summary() {
    List<Occurrence> current = new ArrayList<>(snapshot.active());
    current.addAll(snapshot.upcoming());
    return new JsonObject()
        .put("page", page())
        .put("components", new JsonArray(List.copyOf(components.values())))
        .put(
            "incidents", new JsonArray(snapshot.unresolved().stream().map(this::incident).toList()))
        .put(
            "scheduled_maintenances",
            new JsonArray(current.stream().map(this::maintenance).toList()))
        .put("status", indicator());
  }

  private JsonObject incident(Incident i) {
    return IncidentV2.of(i, lang, url, components);
  }

  private JsonObject maintenance(Occurrence o) {
    return MaintenanceV2.of(o, lang, url, snapshot.zone(), snapshot.generatedAt(), components);
  }
}
