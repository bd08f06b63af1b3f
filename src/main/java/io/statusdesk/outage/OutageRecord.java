package io.statusdesk.outage;

import io.statusdesk.sla.Outage;
import io.statusdesk.sla.OutageClass;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One stored outage interval: a class over a span of one component.
 *
 * @param cells the cells that failed during it (tenants on those cells were touched)
 * @param incidentId the incident people read about it, if any
 */
public record OutageRecord(
    long id,
    String component,
    OutageClass outageClass,
    Instant start,
    Optional<Instant> end,
    List<String> cells,
    Source source,
    Optional<Long> incidentId,
    Optional<Exclusion> exclusion) {

  public Outage toSla() {
    return new Outage(
        String.valueOf(id),
        component,
        outageClass,
        start,
        end,
        exclusion.map(Exclusion::reason),
        source != Source.MANUAL);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("component", component)
        .put("class", outageClass.name().toLowerCase(Locale.ROOT))
        .put("started_at", start.toString())
        .put("ended_at", end.map(Instant::toString).orElse(null))
        .put("cells", new JsonArray(cells))
        .put("source", source.dbValue())
        .put("incident_id", incidentId.orElse(null))
        .put(
            "exclusion",
            exclusion
                .map(e -> new JsonObject().put("reason", e.reason()).put("note", e.note()))
                .orElse(null));
  }
}
