package io.statusdesk.admin;

import io.statusdesk.Input;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /audit?before=ID&limit=N}: who changed what, newest first. */
public final class AuditRoutes {
  private final AuditRepository audit;
  private final Auth auth;

  public AuditRoutes(AuditRepository audit, Auth auth) {
    this.audit = audit;
    this.auth = auth;
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/audit").handler(auth.require(Role.OPERATOR, Role.BILLING)).handler(this::list);
    return router;
  }

  private void list(RoutingContext ctx) {
    int limit = Input.queryInt(ctx, "limit", 100, 1, 1000);
    long before = Input.queryLong(ctx, "before", Long.MAX_VALUE, 1, Long.MAX_VALUE);
    audit
        .page(AuditRepository.Filter.ALL, before, limit)
        .onSuccess(
            entries ->
                ctx.json(
                    new JsonObject()
                        .put(
                            "entries",
                            new JsonArray(
                                entries.stream().map(AuditRepository.Entry::toJson).toList()))))
        .onFailure(ctx::fail);
  }
}
