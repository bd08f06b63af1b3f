package io.statusdesk.probe;

import io.statusdesk.Digest;
import io.statusdesk.StatuspageV2;
import io.statusdesk.notify.Event;
import io.statusdesk.notify.EventKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the operators are told about monitoring itself: gaps, overflows, expiring certificates. */
final class ProbeNotices {
  /** An event lists at most this many gaps; {@code count} says how many there were. */
  static final int LISTED_GAPS = 100;

  private ProbeNotices() {}

  /**
   * One event per kind of gap in a written batch. The key is made of the gaps' own keys (check,
   * location, start), so a batch written again after a lost commit answer tells nothing twice.
   */
  static List<Event> gaps(List<MonitoringGap> gaps, Map<Integer, Cell> cells) {
    Map<String, List<MonitoringGap>> byReason = new LinkedHashMap<>();
    gaps.forEach(g -> byReason.computeIfAbsent(g.reason(), r -> new ArrayList<>()).add(g));
    List<Event> out = new ArrayList<>();
    byReason.forEach(
        (reason, list) -> {
          List<MonitoringGap> sorted =
              list.stream()
                  .sorted(
                      Comparator.comparing(MonitoringGap::checkId)
                          .thenComparing(MonitoringGap::location)
                          .thenComparing(MonitoringGap::startedAt))
                  .toList();
          StringBuilder identity = new StringBuilder(reason);
          JsonArray listed = new JsonArray();
          List<String> components = new ArrayList<>();
          for (MonitoringGap g : sorted) {
            identity.append('|').append(g.checkId()).append('@').append(g.location());
            identity.append('@').append(g.startedAt());
            Cell cell = cells.get(g.checkId());
            String component = cell == null ? "?" : cell.componentId();
            if (cell != null && !components.contains(component)) {
              components.add(component);
            }
            if (listed.size() < LISTED_GAPS) {
              listed.add(
                  new JsonObject()
                      .put("component", component)
                      .put("cell", cell == null ? String.valueOf(g.checkId()) : cell.id())
                      .put("location", g.location())
                      .put("started_at", StatuspageV2.iso(g.startedAt()))
                      .put("ended_at", StatuspageV2.iso(g.endedAt())));
            }
          }
          Instant at = sorted.stream().map(MonitoringGap::endedAt).max(Instant::compareTo).get();
          JsonObject data =
              new JsonObject()
                  .put(
                      "gap",
                      new JsonObject()
                          .put("reason", reason)
                          .put("count", sorted.size())
                          .put("gaps", listed));
          out.add(
              Event.of(
                  reason.equals("buffer_overflow")
                      ? EventKind.BUFFER_OVERFLOW
                      : EventKind.MONITORING_GAP,
                  "gaps:" + reason,
                  components.stream().sorted().toList(),
                  lang -> data.copy(),
                  at,
                  "gaps:" + HexFormat.of().formatHex(Digest.sha256(identity.toString()), 0, 16)));
        });
    return out;
  }

  /** A cell's certificate expires soon: told once per certificate (cell and expiry). */
  static Event certificate(Cell cell, Instant notAfter, Instant seenAt) {
    JsonObject data =
        new JsonObject()
            .put(
                "certificate",
                new JsonObject()
                    .put("component", cell.componentId())
                    .put("cell", cell.id())
                    .put("not_after", StatuspageV2.iso(notAfter))
                    .put("days_left", Duration.between(seenAt, notAfter).toDays()));
    return Event.of(
        EventKind.CERTIFICATE_EXPIRING,
        "certificate:" + cell.key(),
        List.of(cell.componentId()),
        lang -> data.copy(),
        seenAt,
        "certificate:" + cell.key() + ":" + notAfter.getEpochSecond());
  }
}
