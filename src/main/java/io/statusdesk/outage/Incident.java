package io.statusdesk.outage;

import io.statusdesk.Localized;
import io.statusdesk.sla.OutageClass;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What people read about a disruption: a title, the components it touches and how (its impact on
 * each, in Statuspage's terms), its worst SLA class and a timeline of updates.
 *
 * @param impacts per component: {@code degraded_performance}, {@code partial_outage} or {@code
 *     major_outage}; an open incident holds each component at least that bad on the page
 * @param hiddenAt when an operator hid it from the public page as recorded in error; it stays in
 *     the SLA unless its outages are excluded
 * @param postmortem what happened and what changes, written afterwards
 */
public record Incident(
    long id,
    Localized title,
    List<String> components,
    OutageClass outageClass,
    IncidentStatus status,
    Source source,
    Instant startedAt,
    Optional<Instant> resolvedAt,
    Instant createdAt,
    List<Update> updates,
    Map<String, ComponentStatus> impacts,
    Optional<Instant> hiddenAt,
    Optional<Localized> postmortem) {

  /** Whether it still holds its components' statuses: open, and not hidden. */
  public boolean active() {
    return resolvedAt.isEmpty() && hiddenAt.isEmpty();
  }

  /** The impact of an incident of {@code outageClass}: a major one takes a component down. */
  public static ComponentStatus defaultImpact(OutageClass outageClass) {
    return outageClass == OutageClass.MAJOR
        ? ComponentStatus.MAJOR_OUTAGE
        : ComponentStatus.PARTIAL_OUTAGE;
  }

  /** One timestamped message of the timeline. */
  public record Update(long id, IncidentStatus status, Localized message, Instant at) {

    public JsonObject toJson() {
      return new JsonObject()
          .put("id", id)
          .put("status", status.apiValue())
          .put("message", message.en())
          .put("message_ko", message.ko())
          .put("created_at", at.toString());
    }
  }

  /** The timeline as pages and feeds show it: latest update first. */
  public List<Update> newestFirst() {
    List<Update> out = new ArrayList<>(updates);
    Collections.reverse(out);
    return out;
  }

  /**
   * When it last changed: its newest update, or its creation (an automatic incident's first update
   * is dated to the outage's start, which comes before the incident was recorded).
   */
  public Instant updatedAt() {
    Instant last = updates.isEmpty() ? createdAt : updates.get(updates.size() - 1).at();
    return last.isAfter(createdAt) ? last : createdAt;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("title", title.en())
        .put("title_ko", title.ko())
        .put("components", new JsonArray(components))
        .put("class", outageClass.name().toLowerCase(Locale.ROOT))
        .put("status", status.apiValue())
        .put("source", source.dbValue())
        .put("started_at", startedAt.toString())
        .put("resolved_at", resolvedAt.map(Instant::toString).orElse(null))
        .put("created_at", createdAt.toString())
        .put(
            "impacts",
            new JsonObject(
                new LinkedHashMap<>(
                    impacts.entrySet().stream()
                        .collect(
                            Collectors.toMap(
                                Map.Entry::getKey, e -> (Object) e.getValue().apiValue())))))
        .put("hidden_at", hiddenAt.map(Instant::toString).orElse(null))
        .put("postmortem", postmortem.map(Localized::en).orElse(null))
        .put("postmortem_ko", postmortem.map(Localized::ko).orElse(null))
        .put("updates", new JsonArray(updates.stream().map(Update::toJson).toList()));
  }
}
