package io.statusdesk.outage;

import io.statusdesk.Changes;
import io.statusdesk.DomainException;
import io.statusdesk.Input;
import io.statusdesk.Localized;
import io.statusdesk.admin.Auth;
import io.statusdesk.admin.Role;
import io.statusdesk.maintenance.MaintenanceSchedule;
import io.statusdesk.probe.CheckBoard;
import io.statusdesk.probe.Component;
import io.statusdesk.sla.OutageClass;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Operator API of incidents, outages and current component status. */
public final class OutageRoutes {
  private static final int MAX_TITLE = 200;

  private final IncidentRepository incidents;
  private final OutageRepository outages;
  private final List<Component> components;
  private final Set<String> componentIds;
  private final CheckBoard board;
  private final MaintenanceSchedule schedule;
  private final Auth auth;
  private final Clock clock;
  private final ZoneId zone;

  public OutageRoutes(IncidentRepository incidents, OutageRepository outages,
      List<Component> components, CheckBoard board, MaintenanceSchedule schedule, Auth auth,
      Clock clock, ZoneId zone) {
    this.incidents = incidents;
    this.outages = outages;
    this.components = components;
    this.componentIds = components.stream().map(Component::id).collect(Collectors.toSet());
    this.board = board;
    this.schedule = schedule;
    this.auth = auth;
    this.clock = clock;
    this.zone = zone;
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
    router.get("/components").handler(auth.anyRole()).handler(this::listComponents);
    return router;
  }

  private void createIncident(RoutingContext ctx) {
    JsonObject body = Input.body(ctx);
    Instant now = clock.instant();
    Localized title = new Localized(Input.text(body, "title", MAX_TITLE),
        Input.optionalText(body, "title_ko", MAX_TITLE).orElse(null));
    List<String> affected = Input.strings(body, "components", componentIds.size(), 64);
    affected.stream().filter(c -> !componentIds.contains(c)).findFirst().ifPresent(c -> {
      throw Input.invalid("components: unknown component '" + c + "'");
    });
    OutageClass outageClass = outageClass(Input.text(body, "class", 16));
    Instant started = Input.instant(body, "started_at");
    Optional<Instant> resolved = Input.optionalInstant(body, "resolved_at");
    IncidentStatus status = IncidentStatus.parse("status", Input.text(body, "status", 16));
    Localized message = new Localized(Input.text(body, "message", Input.MAX_TEXT),
        Input.optionalText(body, "message_ko", Input.MAX_TEXT).orElse(null));
    if (started.isAfter(now)) {
      throw Input.invalid("started_at: must not be in the future");
    }
    if (resolved.isPresent() != (status == IncidentStatus.RESOLVED)) {
      throw Input.invalid("resolved_at: given exactly when status is resolved");
    }
    if (resolved.isPresent() && (!resolved.get().isAfter(started) || resolved.get().isAfter(now))) {
      throw Input.invalid("resolved_at: must be after started_at and not in the future");
    }
    incidents.create(new IncidentRepository.Draft(title, affected, outageClass, started, resolved,
            status, message), Auth.principal(ctx).actor(), now, zone)
        .onSuccess(i -> Changes.announce(ctx.vertx()))
        .onSuccess(i -> Input.created(ctx, "/api/v1/incidents/" + i.id(), i.toJson()))
        .onFailure(ctx::fail);
  }

  private void listIncidents(RoutingContext ctx) {
    int limit = Input.queryInt(ctx, "limit", 50, 1, 500);
    boolean unresolved = "true".equals(ctx.request().getParam("unresolved"));
    incidents.recent(limit, unresolved)
        .onSuccess(list -> ctx.json(new JsonObject().put("incidents",
            new JsonArray(list.stream().map(Incident::toJson).toList()))))
        .onFailure(ctx::fail);
  }

  private void getIncident(RoutingContext ctx) {
    incidents.get(Input.pathId(ctx, "incident"))
        .onSuccess(i -> ctx.json(i.toJson()))
        .onFailure(ctx::fail);
  }

  private void addUpdate(RoutingContext ctx) {
    long id = Input.pathId(ctx, "incident");
    JsonObject body = Input.body(ctx);
    IncidentStatus status = IncidentStatus.parse("status", Input.text(body, "status", 16));
    Localized message = new Localized(Input.text(body, "message", Input.MAX_TEXT),
        Input.optionalText(body, "message_ko", Input.MAX_TEXT).orElse(null));
    incidents.addUpdate(id, status, message, Auth.principal(ctx).actor(), clock.instant(), zone)
        .onSuccess(i -> Changes.announce(ctx.vertx()))
        .onSuccess(i -> Input.created(ctx, "/api/v1/incidents/" + i.id(), i.toJson()))
        .onFailure(ctx::fail);
  }

  private void listOutages(RoutingContext ctx) {
    YearMonth month = Input.month("month", ctx.request().getParam("month"));
    Instant from = month.atDay(1).atStartOfDay(zone).toInstant();
    Instant to = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
    outages.overlapping(from, to)
        .onSuccess(list -> ctx.json(new JsonObject().put("month", month.toString())
            .put("timezone", zone.getId())
            .put("outages", new JsonArray(list.stream().map(OutageRecord::toJson).toList()))))
        .onFailure(ctx::fail);
  }

  /**
   * {@code {"class"?, "started_at"?, "ended_at"?, "exclusion"?: {"reason", "note"} | null}};
   * a field left out stays as it is, an explicit null exclusion lifts it.
   */
  private void change(RoutingContext ctx) {
    long id = Input.pathId(ctx, "outage");
    JsonObject body = Input.body(ctx);
    Set<String> allowed = Set.of("class", "started_at", "ended_at", "exclusion");
    body.fieldNames().stream().filter(f -> !allowed.contains(f)).findFirst().ifPresent(f -> {
      throw Input.invalid(f + ": not a field of an outage change");
    });
    if (body.isEmpty()) {
      throw Input.invalid("request body: name at least one of class, started_at, ended_at, exclusion");
    }
    Optional<OutageClass> outageClass = Input.optionalText(body, "class", 16).map(this::outageClass);
    Optional<Instant> start = Input.optionalInstant(body, "started_at");
    Optional<Optional<Instant>> end = body.containsKey("ended_at")
        ? Optional.of(Input.optionalInstant(body, "ended_at")) : Optional.empty();
    Optional<Optional<Exclusion>> exclusion = Optional.empty();
    if (body.containsKey("exclusion")) {
      Object value = body.getValue("exclusion");
      if (value != null && !(value instanceof JsonObject)) {
        throw Input.invalid("exclusion: an object {reason, note} or null");
      }
      JsonObject e = (JsonObject) value;
      exclusion = Optional.of(e == null ? Optional.empty() : Optional.of(new Exclusion(
          Input.text(e, "reason", 32),
          Input.optionalText(e, "note", Input.MAX_TEXT).orElse(null))));
    }
    outages.change(id, new OutageEdit(outageClass, start, end, exclusion),
            Auth.principal(ctx).actor(), clock.instant(), zone)
        .onSuccess(o -> Changes.announce(ctx.vertx()))
        .onSuccess(o -> ctx.json(o.toJson()))
        .onFailure(ctx::fail);
  }

  private void listComponents(RoutingContext ctx) {
    Map<String, Classification> now = ComponentStatuses.current(components, board,
        schedule.calendar(), clock.instant());
    JsonArray out = new JsonArray();
    for (Component c : components) {
      out.add(new JsonObject().put("id", c.id()).put("name", c.nameEn()).put("name_ko", c.nameKo())
          .put("group", c.group()).put("status", now.get(c.id()).status().apiValue()));
    }
    ctx.json(new JsonObject().put("components", out));
  }

  private OutageClass outageClass(String value) {
    return switch (value) {
      case "major" -> OutageClass.MAJOR;
      case "partial" -> OutageClass.PARTIAL;
      default -> throw new DomainException(DomainException.Kind.INVALID,
          "class: major or partial, not '" + value.toLowerCase(Locale.ROOT) + "'");
    };
  }
}
