package io.statusdesk.maintenance;

import static io.statusdesk.StatuspageV2.iso;

import io.statusdesk.StatuspageV2;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A maintenance occurrence in the Statuspage v2 {@code scheduled_maintenances} shape: on the page's
 * API and in webhook payloads alike.
 */
public final class MaintenanceV2 {
  private MaintenanceV2() {}

  /** The id an occurrence has in every v2 document and payload. */
  public static String id(Occurrence o) {
    return "maintenance-" + o.window().id() + "-" + o.start().getEpochSecond();
  }

  /**
   * The occurrence's object.
   *
   * @param components every component object by id, groups included (a service-wide window affects
   *     every component that is not a group)
   * @param now what its status is judged against
   */
  public static JsonObject of(
      Occurrence o,
      String lang,
      String url,
      ZoneId zone,
      Instant now,
      Map<String, JsonObject> components) {
    String status = o.status(now).apiValue();
    String id = id(o);
    List<JsonObject> affected =
        o.window().serviceWide()
            ? components.values().stream().filter(c -> !c.getBoolean("group", false)).toList()
            : o.window().components().stream()
                .sorted()
                .map(components::get)
                .filter(Objects::nonNull)
                .toList();
    return new JsonObject()
        .put("id", id)
        .put("name", o.window().title().in(lang))
        .put("status", status)
        .put("created_at", iso(o.window().createdAt()))
        .put("updated_at", iso(o.window().createdAt()))
        .put("monitoring_at", null)
        .put("resolved_at", status.equals("completed") ? iso(o.end()) : null)
        .put("impact", "maintenance")
        .put("shortlink", url + "/history?month=" + YearMonth.from(o.start().atZone(zone)))
        .put("started_at", iso(o.start()))
        .put("page_id", StatuspageV2.PAGE_ID)
        .put(
            "incident_updates",
            new JsonArray(
                List.of(
                    StatuspageV2.update(
                        id + "-scheduled",
                        "scheduled",
                        o.window().description().in(lang),
                        id,
                        o.window().createdAt(),
                        affected))))
        .put("components", new JsonArray(affected))
        .put("scheduled_for", iso(o.start()))
        .put("scheduled_until", iso(o.end()));
  }
}
