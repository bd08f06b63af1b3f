package io.statusdesk.outage;

import io.statusdesk.DomainException;
import io.statusdesk.Input;
import io.statusdesk.Localized;
import io.statusdesk.admin.Auth;
import io.statusdesk.admin.Role;
import io.statusdesk.sla.OutageClass;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Operator API of incidents, outages and current component status: JSON in and out. */
public final class OutageRoutes {
  private static final int MAX_TITLE = 200;

  private static final Set<String> INCIDENT =
      Set.of(
          "title",
          "title_ko",
          "class",
          "impacts",
          "components",
          "started_at",
          "resolved_at",
          "status",
          "message",
          "message_ko");
  private static final Set<String> INCIDENT_EDIT =
      Set.of(
          "title", "title_ko", "impacts", "postmortem", "postmortem_ko", "hidden", "hidden_reason");
  private static final Set<String> UPDATE = Set.of("status", "message", "message_ko");
  private static final Set<String> UPDATE_EDIT = Set.of("message", "message_ko");
  private static final Set<String> STATUS = Set.of("status", "until", "note");
  private static final Set<String> OUTAGE_CHANGE =
      Set.of("class", "started_at", "ended_at", "exclusion");

  private final Incidents incidents;
  private final Auth auth;

  public OutageRoutes(Incidents incidents, Auth auth) {
    this.incidents = incidents;
    this.auth = auth;
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    auth.withJson(router, HttpMethod.POST, "/incidents", Role.OPERATOR)
        .handler(this::createIncident);
    router.get("/incidents").handler(auth.anyRole()).handler(this::listIncidents);
    router.get("/incidents/:incident").handler(auth.anyRole()).handler(this::getIncident);
    auth.withJson(router, HttpMethod.POST, "/incidents/:incident/updates", Role.OPERATOR)
        .handler(this::addUpdate);
    router.get("/outages").handler(auth.anyRole()).handler(this::listOutages);
    auth.withJson(router, HttpMethod.PATCH, "/outages/:outage", Role.OPERATOR)
        .handler(this::change);
    auth.withJson(router, HttpMethod.PATCH, "/incidents/:incident", Role.OPERATOR)
        .handler(this::editIncident);
    auth.withJson(router, HttpMethod.PATCH, "/incidents/:incident/updates/:update", Role.OPERATOR)
        .handler(this::editUpdate);
    router.get("/components").handler(auth.anyRole()).handler(this::listComponents);
    auth.withJson(router, HttpMethod.PUT, "/components/:component/status", Role.OPERATOR)
        .handler(this::setStatus);
    router
        .delete("/components/:component/status")
        .handler(auth.require(Role.OPERATOR))
        .handler(this::clearStatus);
    return router;
  }

  private void createIncident(RoutingContext ctx) {
    incidents
        .open(opening(Input.body(ctx, INCIDENT), incidents), Auth.principal(ctx).actor())
        .onSuccess(i -> Input.created(ctx, "/api/v1/incidents/" + i.id(), i.toJson()))
        .onFailure(ctx::fail);
  }

  /** An incident as asked for in {@code body}; the console sends its form the same way. */
  static Incidents.Opening opening(JsonObject body, Incidents incidents) {
    Localized title =
        new Localized(
            Input.text(body, "title", MAX_TITLE),
            Input.optionalText(body, "title_ko", MAX_TITLE).orElse(null));
    Optional<OutageClass> outageClass =
        Input.optionalText(body, "class", 16).map(OutageRoutes::outageClass);
    Map<String, ComponentStatus> impacts;
    if (body.containsKey("impacts")) {
      impacts = impacts(body, incidents);
    } else {
      List<String> affected =
          Input.strings(body, "components", incidents.componentIds().size(), 64);
      impacts =
          IncidentRules.impacts(
              affected,
              outageClass.orElseThrow(
                  () ->
                      Input.invalid(
                          "class: required (major or partial) unless impacts are given")));
    }
    Instant started = Input.instant(body, "started_at");
    Optional<Instant> resolved = Input.optionalInstant(body, "resolved_at");
    IncidentStatus status = IncidentStatus.parse("status", Input.text(body, "status", 16));
    return new Incidents.Opening(
        title, impacts, outageClass, started, resolved, status, message(body));
  }

  /** {@code {"message", "message_ko"?}}: what an update says. */
  static Localized message(JsonObject body) {
    return new Localized(
        Input.text(body, "message", Input.MAX_TEXT),
        Input.optionalText(body, "message_ko", Input.MAX_TEXT).orElse(null));
  }

  /** {@code {"impacts": {"email": "major_outage", ...}}}: 1 to all components. */
  private static Map<String, ComponentStatus> impacts(JsonObject body, Incidents incidents) {
    if (!(body.getValue("impacts") instanceof JsonObject given)
        || given.isEmpty()
        || given.size() > incidents.componentIds().size()) {
      throw Input.invalid(
          "impacts: an object of component ids to degraded_performance, "
              + "partial_outage or major_outage");
    }
    Map<String, ComponentStatus> out = new LinkedHashMap<>();
    for (String component : given.fieldNames()) {
      out.put(
          component,
          IncidentRules.impact("impacts." + component, Input.text(given, component, 32)));
    }
    return out;
  }

  /**
   * {@code {"title"?, "title_ko"?, "impacts"?, "postmortem"?, "postmortem_ko"?, "hidden"?: bool,
   * "hidden_reason"?}}: what people read changes; the SLA facts stay (exclude the outages for
   * that).
   */
  private void editIncident(RoutingContext ctx) {
    long id = Input.pathId(ctx, "incident");
    incidents
        .edit(
            id,
            incidentEdit(Input.body(ctx, INCIDENT_EDIT), incidents),
            Auth.principal(ctx).actor())
        .onSuccess(i -> ctx.json(i.toJson()))
        .onFailure(ctx::fail);
  }

  static IncidentRepository.Edit incidentEdit(JsonObject body, Incidents incidents) {
    Input.atLeastOne(body, INCIDENT_EDIT);
    Optional<Localized> title =
        Input.optionalText(body, "title", MAX_TITLE)
            .map(
                en ->
                    new Localized(
                        en, Input.optionalText(body, "title_ko", MAX_TITLE).orElse(null)));
    Optional<Map<String, ComponentStatus>> impacts =
        body.containsKey("impacts") ? Optional.of(impacts(body, incidents)) : Optional.empty();
    Optional<Localized> postmortem =
        Input.optionalText(body, "postmortem", Input.MAX_TEXT * 5)
            .map(
                en ->
                    new Localized(
                        en,
                        Input.optionalText(body, "postmortem_ko", Input.MAX_TEXT * 5)
                            .orElse(null)));
    Optional<Optional<String>> hidden = Optional.empty();
    if (body.containsKey("hidden")) {
      if (!(body.getValue("hidden") instanceof Boolean hide)) {
        throw Input.invalid("hidden: true or false");
      }
      hidden =
          Optional.of(
              hide ? Optional.of(Input.text(body, "hidden_reason", 500)) : Optional.empty());
    }
    return new IncidentRepository.Edit(title, impacts, postmortem, hidden);
  }

  /** {@code {"message", "message_ko"?}}: corrects what an update said. */
  private void editUpdate(RoutingContext ctx) {
    long id = Input.pathId(ctx, "incident");
    long update = Input.pathId(ctx, "update");
    incidents
        .correct(id, update, message(Input.body(ctx, UPDATE_EDIT)), Auth.principal(ctx).actor())
        .onSuccess(i -> ctx.json(i.toJson()))
        .onFailure(ctx::fail);
  }

  /** {@code {"status", "until", "note"?}}: shown instead of what the probes see, until then. */
  private void setStatus(RoutingContext ctx) {
    String component = ctx.pathParam("component");
    JsonObject body = Input.body(ctx, STATUS);
    ComponentStatus status = ComponentStatus.parse("status", Input.text(body, "status", 32));
    Instant until = Input.instant(body, "until");
    incidents
        .override(
            new StatusOverride(component, status, until, Input.optionalText(body, "note", 500)),
            Auth.principal(ctx).actor())
        .onSuccess(o -> ctx.json(OverrideRepository.toJson(o)))
        .onFailure(ctx::fail);
  }

  private void clearStatus(RoutingContext ctx) {
    incidents
        .clearOverride(ctx.pathParam("component"), Auth.principal(ctx).actor())
        .onSuccess(cleared -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void listIncidents(RoutingContext ctx) {
    int limit = Input.queryInt(ctx, "limit", 50, 1, 500);
    boolean unresolved = "true".equals(ctx.request().getParam("unresolved"));
    incidents
        .recent(limit, unresolved)
        .onSuccess(
            list ->
                ctx.json(
                    new JsonObject()
                        .put(
                            "incidents",
                            new JsonArray(list.stream().map(Incident::toJson).toList()))))
        .onFailure(ctx::fail);
  }

  private void getIncident(RoutingContext ctx) {
    incidents
        .get(Input.pathId(ctx, "incident"))
        .onSuccess(i -> ctx.json(i.toJson()))
        .onFailure(ctx::fail);
  }

  private void addUpdate(RoutingContext ctx) {
    long id = Input.pathId(ctx, "incident");
    JsonObject body = Input.body(ctx, UPDATE);
    IncidentStatus status = IncidentStatus.parse("status", Input.text(body, "status", 16));
    incidents
        .post(id, status, message(body), Auth.principal(ctx).actor())
        .onSuccess(i -> Input.created(ctx, "/api/v1/incidents/" + i.id(), i.toJson()))
        .onFailure(ctx::fail);
  }

  private void listOutages(RoutingContext ctx) {
    YearMonth month = Input.month("month", ctx.request().getParam("month"));
    incidents
        .outages(month)
        .onSuccess(
            list ->
                ctx.json(
                    new JsonObject()
                        .put("month", month.toString())
                        .put("timezone", incidents.zone().getId())
                        .put(
                            "outages",
                            new JsonArray(list.stream().map(OutageRecord::toJson).toList()))))
        .onFailure(ctx::fail);
  }

  /**
   * {@code {"class"?, "started_at"?, "ended_at"?, "exclusion"?: {"reason", "note"} | null}}; a
   * field left out stays as it is, an explicit null exclusion lifts it.
   */
  private void change(RoutingContext ctx) {
    long id = Input.pathId(ctx, "outage");
    incidents
        .change(id, outageEdit(Input.body(ctx, OUTAGE_CHANGE)), Auth.principal(ctx).actor())
        .onSuccess(o -> ctx.json(o.toJson()))
        .onFailure(ctx::fail);
  }

  static OutageEdit outageEdit(JsonObject body) {
    Input.atLeastOne(body, OUTAGE_CHANGE);
    Optional<OutageClass> outageClass =
        Input.optionalText(body, "class", 16).map(OutageRoutes::outageClass);
    Optional<Instant> start = Input.optionalInstant(body, "started_at");
    Optional<Optional<Instant>> end =
        body.containsKey("ended_at")
            ? Optional.of(Input.optionalInstant(body, "ended_at"))
            : Optional.empty();
    Optional<Optional<Exclusion>> exclusion = Optional.empty();
    if (body.containsKey("exclusion")) {
      Object value = body.getValue("exclusion");
      if (value != null && !(value instanceof JsonObject)) {
        throw Input.invalid("exclusion: an object {reason, note} or null");
      }
      JsonObject e = (JsonObject) value;
      exclusion =
          Optional.of(
              e == null
                  ? Optional.empty()
                  : Optional.of(
                      new Exclusion(
                          Input.text(e, "reason", 32),
                          Input.optionalText(e, "note", Input.MAX_TEXT).orElse(null))));
    }
    return new OutageEdit(outageClass, start, end, exclusion);
  }

  /** Each component's status as the page shows it: probes, open incidents, overrides. */
  private void listComponents(RoutingContext ctx) {
    incidents
        .states()
        .onSuccess(
            states ->
                ctx.json(
                    new JsonObject()
                        .put(
                            "components",
                            new JsonArray(
                                states.stream()
                                    .map(
                                        s ->
                                            new JsonObject()
                                                .put("id", s.component().id())
                                                .put("name", s.component().nameEn())
                                                .put("name_ko", s.component().nameKo())
                                                .put("group", s.component().group().en())
                                                .put("group_ko", s.component().group().ko())
                                                .put("status", s.shown().apiValue())
                                                .put("probe_status", s.probed().apiValue())
                                                .put(
                                                    "override",
                                                    s.override()
                                                        .map(OverrideRepository::toJson)
                                                        .orElse(null)))
                                    .toList()))))
        .onFailure(ctx::fail);
  }

  private static OutageClass outageClass(String value) {
    return switch (value) {
      case "major" -> OutageClass.MAJOR;
      case "partial" -> OutageClass.PARTIAL;
      default ->
          throw new DomainException(
              DomainException.Kind.INVALID,
              "class: major or partial, not '" + value.toLowerCase(Locale.ROOT) + "'");
    };
  }
}
