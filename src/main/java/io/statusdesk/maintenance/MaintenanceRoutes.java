package io.statusdesk.maintenance;

import io.statusdesk.Input;
import io.statusdesk.Localized;
import io.statusdesk.admin.Auth;
import io.statusdesk.admin.Role;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Operator API of maintenance windows: {@code {"title", "title_ko"?, "description"?,
 * "description_ko"?, "components": ["*"] | ids, "starts_at", "ends_at", "rrule"?}}.
 */
public final class MaintenanceRoutes {
  private static final int MAX_TITLE = 200;
  private static final Set<String> FIELDS =
      Set.of(
          "title",
          "title_ko",
          "description",
          "description_ko",
          "components",
          "starts_at",
          "ends_at",
          "rrule");
  private static final Set<String> CHANGEABLE =
      Set.of("title", "title_ko", "description", "description_ko", "starts_at", "ends_at");

  private final Maintenance maintenance;
  private final Auth auth;

  public MaintenanceRoutes(Maintenance maintenance, Auth auth) {
    this.maintenance = maintenance;
    this.auth = auth;
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    auth.withJson(router, HttpMethod.POST, "/maintenance", Role.OPERATOR).handler(this::create);
    router.get("/maintenance").handler(auth.anyRole()).handler(this::list);
    router.get("/maintenance/:window").handler(auth.anyRole()).handler(this::get);
    auth.withJson(router, HttpMethod.PATCH, "/maintenance/:window", Role.OPERATOR)
        .handler(this::change);
    router
        .delete("/maintenance/:window")
        .handler(auth.require(Role.OPERATOR))
        .handler(this::cancel);
    return router;
  }

  private void create(RoutingContext ctx) {
    maintenance
        .announce(announcement(Input.body(ctx, FIELDS), maintenance), Auth.principal(ctx).actor())
        .onSuccess(w -> Input.created(ctx, "/api/v1/maintenance/" + w.id(), json(w)))
        .onFailure(ctx::fail);
  }

  /** A window as asked for in {@code body}; the console sends its form the same way. */
  static Maintenance.Announcement announcement(JsonObject body, Maintenance maintenance) {
    Localized title =
        new Localized(
            Input.text(body, "title", MAX_TITLE),
            Input.optionalText(body, "title_ko", MAX_TITLE).orElse(null));
    Localized description =
        new Localized(
            Input.optionalText(body, "description", Input.MAX_TEXT).orElse(""),
            Input.optionalText(body, "description_ko", Input.MAX_TEXT).orElse(null));
    Set<String> components =
        new LinkedHashSet<>(
            Input.strings(body, "components", maintenance.componentIds().size() + 1, 64));
    return new Maintenance.Announcement(
        title,
        description,
        components,
        Input.instant(body, "starts_at"),
        Input.instant(body, "ends_at"),
        Input.optionalText(body, "rrule", 500));
  }

  private JsonObject json(Window w) {
    return WindowJson.of(w, maintenance.zone(), maintenance.now());
  }

  private void list(RoutingContext ctx) {
    ctx.json(
        new JsonObject()
            .put(
                "maintenance",
                new JsonArray(maintenance.windows().stream().map(this::json).toList())));
  }

  private void get(RoutingContext ctx) {
    maintenance
        .get(Input.pathId(ctx, "window"))
        .onSuccess(w -> ctx.json(json(w)))
        .onFailure(ctx::fail);
  }

  /** Titles and times; the scheduling rules decide which time changes are allowed. */
  private void change(RoutingContext ctx) {
    long id = Input.pathId(ctx, "window");
    maintenance
        .change(id, windowChange(Input.body(ctx, FIELDS)), Auth.principal(ctx).actor())
        .onSuccess(w -> ctx.json(json(w)))
        .onFailure(ctx::fail);
  }

  static WindowChange windowChange(JsonObject body) {
    body.fieldNames().stream()
        .filter(f -> !CHANGEABLE.contains(f))
        .findFirst()
        .ifPresent(
            f -> {
              throw Input.invalid(
                  f + ": cannot be changed (cancel and announce a new window instead)");
            });
    Input.atLeastOne(body, CHANGEABLE);
    return new WindowChange(
        Input.optionalText(body, "title", MAX_TITLE),
        Input.optionalText(body, "title_ko", MAX_TITLE),
        Input.optionalText(body, "description", Input.MAX_TEXT),
        Input.optionalText(body, "description_ko", Input.MAX_TEXT),
        Input.optionalInstant(body, "starts_at"),
        Input.optionalInstant(body, "ends_at"));
  }

  /** Cancelling twice is the same as once. */
  private void cancel(RoutingContext ctx) {
    maintenance
        .cancel(Input.pathId(ctx, "window"), Auth.principal(ctx).actor())
        .onSuccess(w -> ctx.json(json(w)))
        .onFailure(ctx::fail);
  }
}
