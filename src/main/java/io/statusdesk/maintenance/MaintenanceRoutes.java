package io.statusdesk.maintenance;

import io.statusdesk.Changes;
import io.statusdesk.Input;
import io.statusdesk.Localized;
import io.statusdesk.admin.Auth;
import io.statusdesk.admin.Role;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Operator API of maintenance windows: {@code {"title", "title_ko"?, "description"?,
 * "description_ko"?, "components": ["*"] | ids, "starts_at", "ends_at", "rrule"?}}.
 */
public final class MaintenanceRoutes {
  private static final int MAX_TITLE = 200;
  private static final Set<String> CHANGEABLE =
      Set.of("title", "title_ko", "description", "description_ko", "starts_at", "ends_at");

  private final MaintenanceRepository repository;
  private final MaintenanceSchedule schedule;
  private final Set<String> componentIds;
  private final Auth auth;
  private final Clock clock;
  private final ZoneId zone;
  private Vertx vertx;

  public MaintenanceRoutes(MaintenanceRepository repository, MaintenanceSchedule schedule,
      Set<String> componentIds, Auth auth, Clock clock, ZoneId zone) {
    this.repository = repository;
    this.schedule = schedule;
    this.componentIds = componentIds;
    this.auth = auth;
    this.clock = clock;
    this.zone = zone;
  }

  public Router router(Vertx vertx) {
    this.vertx = vertx;
    Router router = Router.router(vertx);
    auth.withJson(router, HttpMethod.POST, "/maintenance", Role.OPERATOR)
        .handler(this::create);
    router.get("/maintenance").handler(auth.anyRole()).handler(this::list);
    router.get("/maintenance/:window").handler(auth.anyRole()).handler(this::get);
    auth.withJson(router, HttpMethod.PATCH, "/maintenance/:window", Role.OPERATOR)
        .handler(this::change);
    router.delete("/maintenance/:window").handler(auth.require(Role.OPERATOR)).handler(this::cancel);
    return router;
  }

  private void create(RoutingContext ctx) {
    JsonObject body = Input.body(ctx);
    Instant now = clock.instant();
    Localized title = new Localized(Input.text(body, "title", MAX_TITLE),
        Input.optionalText(body, "title_ko", MAX_TITLE).orElse(null));
    Localized description = new Localized(
        Input.optionalText(body, "description", Input.MAX_TEXT).orElse(""),
        Input.optionalText(body, "description_ko", Input.MAX_TEXT).orElse(null));
    Set<String> components = new LinkedHashSet<>(Input.strings(body, "components",
        componentIds.size() + 1, 64));
    Instant startsAt = Input.instant(body, "starts_at");
    Instant endsAt = Input.instant(body, "ends_at");
    Optional<String> rrule = Input.optionalText(body, "rrule", 500);
    Scheduling.checkNew(components, startsAt, endsAt, rrule, componentIds, zone, now);
    Window draft = new Window(0, title, description, Set.copyOf(components), startsAt, endsAt,
        rrule, now, Optional.empty());
    reloaded(repository.create(draft, Auth.principal(ctx).actor(), zone))
        .onSuccess(w -> Input.created(ctx, "/api/v1/maintenance/" + w.id(),
            WindowJson.of(w, zone, now)))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    Instant now = clock.instant();
    JsonArray out = new JsonArray();
    schedule.calendar().windows().stream()
        .sorted((a, b) -> b.startsAt().compareTo(a.startsAt()))
        .forEach(w -> out.add(WindowJson.of(w, zone, now)));
    ctx.json(new JsonObject().put("maintenance", out));
  }

  private void get(RoutingContext ctx) {
    repository.get(Input.pathId(ctx, "window"))
        .onSuccess(w -> ctx.json(WindowJson.of(w, zone, clock.instant())))
        .onFailure(ctx::fail);
  }

  /** Titles and times; the scheduling rules decide which time changes are allowed. */
  private void change(RoutingContext ctx) {
    long id = Input.pathId(ctx, "window");
    JsonObject body = Input.body(ctx);
    body.fieldNames().stream().filter(f -> !CHANGEABLE.contains(f)).findFirst().ifPresent(f -> {
      throw Input.invalid(f + ": cannot be changed (cancel and announce a new window instead)");
    });
    if (body.isEmpty()) {
      throw Input.invalid("request body: name at least one of " + String.join(", ",
          CHANGEABLE.stream().sorted().toList()));
    }
    Optional<String> title = Input.optionalText(body, "title", MAX_TITLE);
    Optional<String> titleKo = Input.optionalText(body, "title_ko", MAX_TITLE);
    Optional<String> description = Input.optionalText(body, "description", Input.MAX_TEXT);
    Optional<String> descriptionKo = Input.optionalText(body, "description_ko", Input.MAX_TEXT);
    Optional<Instant> startsAt = Input.optionalInstant(body, "starts_at");
    Optional<Instant> endsAt = Input.optionalInstant(body, "ends_at");
    Instant now = clock.instant();
    reloaded(repository.change(id, w -> {
      Instant start = startsAt.orElse(w.startsAt());
      Instant end = endsAt.orElse(w.endsAt());
      Scheduling.checkChange(w, start, end, now);
      return new Window(w.id(),
          new Localized(title.orElse(w.title().en()), titleKo.orElse(w.title().ko())),
          new Localized(description.orElse(w.description().en()),
              descriptionKo.orElse(w.description().ko())),
          w.components(), start, end, w.rrule(), w.createdAt(), w.cancelledAt());
    }, "maintenance.change", Auth.principal(ctx).actor(), now, zone))
        .onSuccess(w -> ctx.json(WindowJson.of(w, zone, now)))
        .onFailure(ctx::fail);
  }

  /** Cancelling twice is the same as once. */
  private void cancel(RoutingContext ctx) {
    long id = Input.pathId(ctx, "window");
    Instant now = clock.instant();
    reloaded(repository.change(id, w -> w.cancelled() ? w : new Window(w.id(), w.title(),
            w.description(), w.components(), w.startsAt(), w.endsAt(), w.rrule(), w.createdAt(),
            Optional.of(now)), "maintenance.cancel", Auth.principal(ctx).actor(), now, zone))
        .onSuccess(w -> ctx.json(WindowJson.of(w, zone, now)))
        .onFailure(ctx::fail);
  }

  private Future<Window> reloaded(Future<Window> write) {
    return write.compose(w -> schedule.reload().map(w)).onSuccess(w -> Changes.announce(vertx));
  }
}
