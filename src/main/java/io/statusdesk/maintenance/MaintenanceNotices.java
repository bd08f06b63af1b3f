package io.statusdesk.maintenance;

import io.statusdesk.StatuspageV2;
import io.statusdesk.notify.Event;
import io.statusdesk.notify.EventKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The events of maintenance, in the Statuspage v2 {@code scheduled_maintenances} shape, for the
 * writers of this feature (the repository, the reminder scheduler) to record.
 */
public final class MaintenanceNotices {
  private static final int LISTED_OCCURRENCES = 5;

  private final String url;
  private final ZoneId zone;
  private final Function<String, Map<String, JsonObject>> components;

  /**
   * @param url the status page's public address, for links
   * @param components every component's v2 object by id, in a language
   */
  public MaintenanceNotices(
      String url, ZoneId zone, Function<String, Map<String, JsonObject>> components) {
    this.url = url;
    this.zone = zone;
    this.components = components;
  }

  /**
   * A window announced, changed or cancelled: its next occurrence (the one in progress, or the
   * first when none is left), whether it comes at short notice, and a series' next starts.
   */
  Event window(Window w, EventKind kind, Instant now, String key) {
    List<Occurrence> next = w.upcoming(zone, now, LISTED_OCCURRENCES);
    Occurrence shown = next.isEmpty() ? Occurrence.of(w, w.startsAt()) : next.get(0);
    return Event.of(
        kind,
        "maintenance:" + w.id(),
        eventComponents(w),
        lang ->
            data(shown, lang, now)
                .put("rrule", w.rrule().orElse(null))
                .put("cancelled", w.cancelled())
                .put(
                    "next_occurrences",
                    new JsonArray(
                        next.stream()
                            .map(
                                o ->
                                    new JsonObject()
                                        .put("scheduled_for", StatuspageV2.iso(o.start()))
                                        .put("scheduled_until", StatuspageV2.iso(o.end())))
                            .toList())),
        now,
        key);
  }

  /**
   * One occurrence reached a moment people are told of: a reminder {@code before} its start, its
   * start or its end. The key names the occurrence and the moment, so it is told once.
   */
  public Event occurrence(Occurrence o, EventKind kind, Optional<Duration> before, Instant at) {
    String moment =
        switch (kind) {
          case MAINTENANCE_REMINDER -> "reminder:" + before.orElseThrow().toSeconds();
          case MAINTENANCE_STARTED -> "started";
          default -> "ended";
        };
    return Event.of(
        kind,
        "maintenance:" + o.window().id(),
        eventComponents(o.window()),
        lang ->
            data(o, lang, at)
                .put("reminder_before_seconds", before.map(Duration::toSeconds).orElse(null)),
        at,
        "maintenance:" + o.window().id() + ":" + o.start().getEpochSecond() + ":" + moment);
  }

  private JsonObject data(Occurrence o, String lang, Instant now) {
    return new JsonObject()
        .put(
            "scheduled_maintenance",
            MaintenanceV2.of(o, lang, url, zone, now, components.apply(lang)))
        .put("short_notice", o.shortNotice())
        .put("announced_at", StatuspageV2.iso(o.window().createdAt()));
  }

  /** Service-wide windows touch everything: an event with no components reaches everyone. */
  private static List<String> eventComponents(Window w) {
    return w.serviceWide() ? List.of() : w.components().stream().sorted().toList();
  }
}
