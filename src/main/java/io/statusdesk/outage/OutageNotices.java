package io.statusdesk.outage;

import io.statusdesk.StatuspageV2;
import io.statusdesk.notify.Event;
import io.statusdesk.notify.EventKind;
import io.statusdesk.probe.Component;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The events of incidents and component statuses, in the Statuspage v2 shapes, for the writers of
 * this feature to record in the transaction that makes the change.
 */
public final class OutageNotices {
  private final ComponentV2 shapes;
  private final String url;

  /** {@code url}: the status page's public address, for links. */
  public OutageNotices(List<Component> components, ZoneId zone, String url) {
    this.shapes = new ComponentV2(components, zone);
    this.url = url;
  }

  /**
   * The event of one update of an incident: opened with its first, resolved with a resolving one,
   * updated otherwise. One update is one event, whoever posted it, so a replayed step or a flapping
   * component never tells anyone the same update twice.
   */
  public Event incident(Incident incident, long updateId) {
    Incident.Update last =
        incident.updates().stream().filter(u -> u.id() == updateId).findFirst().orElseThrow();
    EventKind kind =
        last.status() == IncidentStatus.RESOLVED
            ? EventKind.INCIDENT_RESOLVED
            : incident.updates().get(0).id() == updateId
                ? EventKind.INCIDENT_OPENED
                : EventKind.INCIDENT_UPDATED;
    Instant at = last.at().isAfter(incident.createdAt()) ? last.at() : incident.createdAt();
    return Event.of(
        kind,
        "incident:" + incident.id(),
        incident.components(),
        lang ->
            new JsonObject()
                .put(
                    "incident",
                    IncidentV2.of(
                        incident,
                        lang,
                        url,
                        shapes.objects(
                            lang,
                            id ->
                                incident.active()
                                    ? incident
                                        .impacts()
                                        .getOrDefault(id, ComponentStatus.OPERATIONAL)
                                    : ComponentStatus.OPERATIONAL,
                            id -> null,
                            at))),
        at,
        "incident-update:" + last.id());
  }

  /**
   * A component's status changed, from what the probes see or what an operator set.
   *
   * @param from what it was, if known
   * @param cause what changed it, in the idempotency key: the same change recorded twice is one
   */
  public Event component(
      String component,
      Optional<ComponentStatus> from,
      ComponentStatus to,
      Instant at,
      String cause) {
    return Event.of(
        EventKind.COMPONENT_STATUS_CHANGED,
        "component:" + component,
        List.of(component),
        lang -> {
          Map<String, JsonObject> objects =
              shapes.objects(
                  lang,
                  id -> id.equals(component) ? to : ComponentStatus.OPERATIONAL,
                  id -> null,
                  at);
          return new JsonObject()
              .put(
                  "component_update",
                  new JsonObject()
                      .put("id", component + "-" + at.getEpochSecond())
                      .put("component_id", component)
                      .put("created_at", StatuspageV2.iso(at))
                      .put("old_status", from.map(ComponentStatus::apiValue).orElse(null))
                      .put("new_status", to.apiValue()))
              .put("component", objects.get(component));
        },
        at,
        "component:" + component + ":" + cause + ":" + at.getEpochSecond() + ":" + to.apiValue());
  }
}
