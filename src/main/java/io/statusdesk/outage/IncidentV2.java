package io.statusdesk.outage;

import static io.statusdesk.StatuspageV2.iso;

import io.statusdesk.StatuspageV2;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** An incident in the Statuspage v2 shape: on the page's API and in webhook payloads alike. */
public final class IncidentV2 {
  private IncidentV2() {}

  /**
   * The incident's object, its updates newest first.
   *
   * @param url the page's public address, for the shortlink
   * @param components the component objects by id (see {@link ComponentV2})
   */
  public static JsonObject of(
      Incident i, String lang, String url, Map<String, JsonObject> components) {
    Instant monitoring =
        i.updates().stream()
            .filter(u -> u.status() == IncidentStatus.MONITORING)
            .map(Incident.Update::at)
            .findFirst()
            .orElse(null);
    String id = String.valueOf(i.id());
    List<JsonObject> affected =
        i.components().stream().map(components::get).filter(Objects::nonNull).toList();
    return new JsonObject()
        .put("id", id)
        .put("name", i.title().in(lang))
        .put("status", i.status().apiValue())
        .put("created_at", iso(i.createdAt()))
        .put("updated_at", iso(i.updatedAt()))
        .put("monitoring_at", iso(monitoring))
        .put("resolved_at", i.resolvedAt().map(StatuspageV2::iso).orElse(null))
        .put("impact", impact(i))
        .put("shortlink", url + "/incidents/" + id)
        .put("started_at", iso(i.startedAt()))
        .put("page_id", StatuspageV2.PAGE_ID)
        .put(
            "incident_updates",
            new JsonArray(
                i.newestFirst().stream()
                    .map(
                        u ->
                            StatuspageV2.update(
                                String.valueOf(u.id()),
                                u.status().apiValue(),
                                u.message().in(lang),
                                id,
                                u.at(),
                                affected))
                    .toList()))
        .put("components", new JsonArray(affected));
  }

  /** Statuspage's incident impact: the worst it does to any of its components. */
  static String impact(Incident i) {
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
}
