package io.statusdesk.statuspage;

import io.statusdesk.Localized;
import io.statusdesk.Messages;
import io.statusdesk.maintenance.Occurrence;
import io.statusdesk.outage.ComponentStatus;
import io.statusdesk.outage.Incident;
import io.statusdesk.outage.IncidentStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The Atlassian Statuspage public API v2 shapes ({@code /api/v2/*.json}), field for field, so
 * widgets and tools written for Statuspage read this page unchanged. Component groups appear as
 * components with {@code "group": true}, as Statuspage lists them.
 */
final class StatuspageJson {
  static final String PAGE_ID = "statusdesk";
  private static final int LIST_LIMIT = 50;

  private final StatusSnapshot snapshot;
  private final String lang;
  private final String url;
  private final Map<String, JsonObject> components = new LinkedHashMap<>();

  StatuspageJson(StatusSnapshot snapshot, String lang, String url) {
    this.snapshot = snapshot;
    this.lang = lang;
    this.url = url;
    int position = 1;
    Map<Localized, List<ComponentView>> groups = new LinkedHashMap<>();
    snapshot
        .components()
        .forEach(v -> groups.computeIfAbsent(v.component().group(), g -> new ArrayList<>()).add(v));
    for (var group : groups.entrySet()) {
      String groupId =
          "group-" + group.getKey().en().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
      ComponentStatus worst =
          group.getValue().stream()
              .map(ComponentView::status)
              .max(Enum::compareTo)
              .orElse(ComponentStatus.OPERATIONAL);
      Instant since =
          group.getValue().stream()
              .map(ComponentView::monitoredSince)
              .min(Instant::compareTo)
              .orElse(snapshot.generatedAt());
      components.put(
          groupId,
          component(groupId, group.getKey().in(lang), worst, position++, null, true, since)
              .put(
                  "components",
                  new JsonArray(group.getValue().stream().map(v -> v.component().id()).toList())));
      for (ComponentView v : group.getValue()) {
        String name = v.component().name(lang);
        components.put(
            v.component().id(),
            component(
                v.component().id(),
                name,
                v.status(),
                position++,
                groupId,
                false,
                v.monitoredSince()));
      }
    }
  }

  private JsonObject component(
      String id,
      String name,
      ComponentStatus status,
      int position,
      String groupId,
      boolean group,
      Instant since) {
    return new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("status", status.apiValue())
        .put("created_at", iso(since))
        .put("updated_at", iso(snapshot.generatedAt()))
        .put("position", position)
        .put("description", null)
        .put("showcase", !group)
        .put("start_date", since.atZone(snapshot.zone()).toLocalDate().toString())
        .put("group_id", groupId)
        .put("page_id", PAGE_ID)
        .put("group", group)
        .put("only_show_if_degraded", false);
  }

  JsonObject page() {
    return new JsonObject()
        .put("id", PAGE_ID)
        .put("name", Messages.of(lang).get("site"))
        .put("url", url)
        .put("time_zone", snapshot.zone().getId())
        .put("updated_at", iso(snapshot.generatedAt()));
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
    Instant updated = i.updatedAt();
    Instant monitoring =
        i.updates().stream()
            .filter(u -> u.status() == IncidentStatus.MONITORING)
            .map(Incident.Update::at)
            .findFirst()
            .orElse(null);
    String id = String.valueOf(i.id());
    return new JsonObject()
        .put("id", id)
        .put("name", i.title().in(lang))
        .put("status", i.status().apiValue())
        .put("created_at", iso(i.createdAt()))
        .put("updated_at", iso(updated))
        .put("monitoring_at", iso(monitoring))
        .put("resolved_at", i.resolvedAt().map(StatuspageJson::iso).orElse(null))
        .put("impact", impact(i))
        .put("shortlink", url + "/incidents/" + id)
        .put("started_at", iso(i.startedAt()))
        .put("page_id", PAGE_ID)
        .put(
            "incident_updates",
            new JsonArray(
                i.newestFirst().stream()
                    .map(
                        u ->
                            update(
                                String.valueOf(u.id()),
                                u.status().apiValue(),
                                u.message().in(lang),
                                id,
                                u.at(),
                                i.components()))
                    .toList()))
        .put(
            "components",
            new JsonArray(
                i.components().stream().map(components::get).filter(Objects::nonNull).toList()));
  }

  /** Statuspage's incident impact: the worst it does to any of its components. */
  private static String impact(Incident i) {
    ComponentStatus worst =
        i.impacts().values().stream()
            .max(Enum::compareTo)
            .orElse(Incident.defaultImpact(i.outageClass()));
    return switch (worst) {
      case MAJOR_OUTAGE -> "critical";
      case PARTIAL_OUTAGE -> "major";
      case DEGRADED_PERFORMANCE -> "minor";
      case UNDER_MAINTENANCE -> "maintenance";
      case OPERATIONAL -> "none";
    };
  }

  private JsonObject maintenance(Occurrence o) {
    String status =
        switch (o.status(snapshot.generatedAt())) {
          case SCHEDULED -> "scheduled";
          case IN_PROGRESS -> "in_progress";
          case COMPLETED -> "completed";
        };
    String id = "maintenance-" + o.window().id() + "-" + o.start().getEpochSecond();
    List<String> affected =
        o.window().serviceWide()
            ? snapshot.components().stream().map(v -> v.component().id()).toList()
            : o.window().components().stream().sorted().toList();
    return new JsonObject()
        .put("id", id)
        .put("name", o.window().title().in(lang))
        .put("status", status)
        .put("created_at", iso(o.window().createdAt()))
        .put("updated_at", iso(o.window().createdAt()))
        .put("monitoring_at", null)
        .put("resolved_at", status.equals("completed") ? iso(o.end()) : null)
        .put("impact", "maintenance")
        .put(
            "shortlink",
            url + "/history?month=" + YearMonth.from(o.start().atZone(snapshot.zone())))
        .put("started_at", iso(o.start()))
        .put("page_id", PAGE_ID)
        .put(
            "incident_updates",
            new JsonArray(
                List.of(
                    update(
                        id + "-scheduled",
                        "scheduled",
                        o.window().description().in(lang),
                        id,
                        o.window().createdAt(),
                        affected))))
        .put(
            "components",
            new JsonArray(affected.stream().map(components::get).filter(Objects::nonNull).toList()))
        .put("scheduled_for", iso(o.start()))
        .put("scheduled_until", iso(o.end()));
  }

  private JsonObject update(
      String id, String status, String body, String incidentId, Instant at, List<String> affected) {
    return new JsonObject()
        .put("id", id)
        .put("status", status)
        .put("body", body)
        .put("incident_id", incidentId)
        .put("created_at", iso(at))
        .put("updated_at", iso(at))
        .put("display_at", iso(at))
        .put(
            "affected_components",
            new JsonArray(
                affected.stream()
                    .map(components::get)
                    .filter(Objects::nonNull)
                    .map(
                        c ->
                            new JsonObject()
                                .put("code", c.getString("id"))
                                .put("name", c.getString("name"))
                                .put("old_status", c.getString("status"))
                                .put("new_status", c.getString("status")))
                    .toList()))
        .put("deliver_notifications", true)
        .put("custom_tweet", null)
        .put("tweet_id", null);
  }

  /** Statuspage's timestamps: ISO 8601 with milliseconds. */
  static String iso(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
