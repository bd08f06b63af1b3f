package io.statusdesk.maintenance;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/** The operator API's view of a window: as announced, plus where it stands now. */
final class WindowJson {
  private static final int UPCOMING = 5;

  private WindowJson() {}

  static JsonObject of(Window w, ZoneId zone, Instant now) {
    List<Occurrence> next = w.upcoming(zone, now, UPCOMING);
    return new JsonObject()
        .put("id", w.id())
        .put("title", w.title().en())
        .put("title_ko", w.title().ko())
        .put("description", w.description().en())
        .put("description_ko", w.description().ko())
        .put("components", new JsonArray(w.components().stream().sorted().toList()))
        .put("starts_at", w.startsAt().toString())
        .put("ends_at", w.endsAt().toString())
        .put("rrule", w.rrule().orElse(null))
        .put("status", status(w, next, now))
        .put("short_notice", Occurrence.of(w, w.startsAt()).shortNotice())
        .put("created_at", w.createdAt().toString())
        .put("cancelled_at", w.cancelledAt().map(Instant::toString).orElse(null))
        .put(
            "next_occurrences",
            new JsonArray(
                next.stream()
                    .map(
                        o ->
                            new JsonObject()
                                .put("starts_at", o.start().toString())
                                .put("ends_at", o.end().toString())
                                .put("short_notice", o.shortNotice()))
                    .toList()));
  }

  private static String status(Window w, List<Occurrence> next, Instant now) {
    if (w.cancelled()) {
      return "cancelled";
    }
    if (next.isEmpty()) {
      return Occurrence.Status.COMPLETED.apiValue();
    }
    return next.get(0).status(now).apiValue();
  }
}
