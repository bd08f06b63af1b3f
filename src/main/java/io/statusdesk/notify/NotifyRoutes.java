package io.statusdesk.notify;

import io.statusdesk.Input;
import io.statusdesk.admin.Auth;
import io.statusdesk.admin.Role;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Operator API of notifications: webhook subscribers, the subscriber list, personal data export and
 * erasure by address, dead letters. Subscribers' addresses are personal data: operators only.
 */
public final class NotifyRoutes {
  private static final int MAX_LIST = 1000;
  private static final Set<String> WEBHOOK_FIELDS = Set.of("url", "lang", "components");
  private static final Set<String> ADDRESS_FIELDS = Set.of("address");

  private final Notifications notifications;
  private final Auth auth;

  public NotifyRoutes(Notifications notifications, Auth auth) {
    this.notifications = notifications;
    this.auth = auth;
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    auth.withJson(router, HttpMethod.POST, "/subscribers/webhooks", Role.OPERATOR)
        .handler(this::addWebhook);
    router.get("/subscribers").handler(auth.require(Role.OPERATOR)).handler(this::list);
    router
        .delete("/subscribers/:subscriber")
        .handler(auth.require(Role.OPERATOR))
        .handler(this::remove);
    auth.withJson(router, HttpMethod.POST, "/personal-data/export", Role.OPERATOR)
        .handler(this::export);
    auth.withJson(router, HttpMethod.POST, "/personal-data/erase", Role.OPERATOR)
        .handler(this::erase);
    router
        .get("/notifications/dead-letters")
        .handler(auth.require(Role.OPERATOR))
        .handler(this::deadLetters);
    router
        .post("/notifications/dead-letters/:delivery/retry")
        .handler(auth.require(Role.OPERATOR))
        .handler(this::retry);
    return router;
  }

  /** {@code {"url", "components"?, "lang"?}}: answers the secret, once. */
  private void addWebhook(RoutingContext ctx) {
    JsonObject body = Input.body(ctx, WEBHOOK_FIELDS);
    List<String> components =
        body.containsKey("components")
            ? Input.strings(body, "components", notifications.componentIds().size(), 64)
            : List.of();
    notifications
        .addWebhook(
            Input.text(body, "url", 2000),
            Input.optionalText(body, "lang", 2).orElse("en"),
            components,
            Auth.principal(ctx).actor())
        .onSuccess(json -> Input.created(ctx, "/api/v1/subscribers/" + json.getLong("id"), json))
        .onFailure(ctx::fail);
  }

  /** {@code ?kind=email|webhook&after=ID&limit=N}, by id. */
  private void list(RoutingContext ctx) {
    long after = Input.queryLong(ctx, "after", 0, 0, Long.MAX_VALUE);
    int limit = Input.queryInt(ctx, "limit", 100, 1, MAX_LIST);
    notifications
        .subscribers(Optional.ofNullable(ctx.request().getParam("kind")), after, limit)
        .onSuccess(
            list ->
                ctx.json(
                    new JsonObject()
                        .put(
                            "subscribers",
                            new JsonArray(list.stream().map(Notifications::json).toList()))
                        .put("next_cursor", list.isEmpty() ? after : list.get(list.size() - 1).id())
                        .put("has_more", list.size() == limit)))
        .onFailure(ctx::fail);
  }

  private void remove(RoutingContext ctx) {
    notifications
        .removeSubscriber(Input.pathId(ctx, "subscriber"), Auth.principal(ctx).actor())
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  /** {@code {"address"}}: everything kept about it. */
  private void export(RoutingContext ctx) {
    notifications
        .export(Input.text(Input.body(ctx, ADDRESS_FIELDS), "address", EmailAddress.MAX_LENGTH))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  /** {@code {"address"}}: erased everywhere, its hash kept as a suppression entry. */
  private void erase(RoutingContext ctx) {
    notifications
        .erase(
            Input.text(Input.body(ctx, ADDRESS_FIELDS), "address", EmailAddress.MAX_LENGTH),
            Auth.principal(ctx).actor())
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  private void deadLetters(RoutingContext ctx) {
    long after = Input.queryLong(ctx, "after", 0, 0, Long.MAX_VALUE);
    int limit = Input.queryInt(ctx, "limit", 100, 1, MAX_LIST);
    notifications
        .deadLetters(after, limit)
        .onSuccess(
            list ->
                ctx.json(
                    new JsonObject()
                        .put(
                            "dead_letters",
                            new JsonArray(list.stream().map(Notifications::json).toList()))
                        .put("next_cursor", list.isEmpty() ? after : list.get(list.size() - 1).id())
                        .put("has_more", list.size() == limit)))
        .onFailure(ctx::fail);
  }

  private void retry(RoutingContext ctx) {
    notifications
        .retry(Input.pathId(ctx, "delivery"), Auth.principal(ctx).actor())
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }
}
