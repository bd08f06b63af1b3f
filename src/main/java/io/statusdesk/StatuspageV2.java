package io.statusdesk;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * The parts of the Atlassian Statuspage v2 shapes that the page ({@code /api/v2/*.json}) and the
 * notifications (webhook payloads) share: timestamps, component objects and incident updates. The
 * whole shapes are built where their facts live ({@code outage.IncidentV2}, {@code
 * maintenance.MaintenanceV2}), so the features that write events need not reach the status page.
 */
public final class StatuspageV2 {
  public static final String PAGE_ID = "statusdesk";

  private StatuspageV2() {}

  /** Statuspage's timestamps: ISO 8601 with milliseconds. */
  public static String iso(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  /** The id of a component group, from its English name. */
  public static String groupId(Localized group) {
    return "group-" + group.en().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }

  /**
   * A component (or, with {@code group}, a component group) object.
   *
   * @param since when it was first monitored; null where only the page knows it (events)
   */
  public static JsonObject component(
      String id,
      String name,
      String status,
      int position,
      String groupId,
      boolean group,
      Instant since,
      Instant updatedAt,
      ZoneId zone) {
    return new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("status", status)
        .put("created_at", iso(since))
        .put("updated_at", iso(updatedAt))
        .put("position", position)
        .put("description", null)
        .put("showcase", !group)
        .put("start_date", since == null ? null : since.atZone(zone).toLocalDate().toString())
        .put("group_id", groupId)
        .put("page_id", PAGE_ID)
        .put("group", group)
        .put("only_show_if_degraded", false);
  }

  /** One update of an incident or maintenance, with the component objects it affects. */
  public static JsonObject update(
      String id,
      String status,
      String body,
      String incidentId,
      Instant at,
      List<JsonObject> affected) {
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
}
