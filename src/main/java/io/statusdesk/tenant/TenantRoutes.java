package io.statusdesk.tenant;

import io.statusdesk.DomainException;
import io.statusdesk.Input;
import io.statusdesk.admin.Auth;
import io.statusdesk.admin.Role;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Billing's tenant API: {@code PUT /tenants/{id}} {@code {"name", "plan", "members", "status",
 * "cells"}}, {@code POST /tenants/import} (CSV, all or nothing) and {@code GET /tenants/{id}}.
 */
public final class TenantRoutes {
  /** Room for 200,000 tenant lines. */
  static final int IMPORT_LIMIT = 32 * 1024 * 1024;
  private final TenantRepository tenants;
  private final Plans plans;
  private final Auth auth;
  private final Clock clock;

  public TenantRoutes(TenantRepository tenants, Plans plans, Auth auth, Clock clock) {
    this.tenants = tenants;
    this.plans = plans;
    this.auth = auth;
    this.clock = clock;
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    auth.withJson(router, HttpMethod.PUT, "/tenants/:tenant", Role.BILLING)
        .handler(this::put);
    auth.withBody(router, HttpMethod.POST, "/tenants/import", IMPORT_LIMIT, Role.BILLING)
        .handler(this::importCsv);
    router.get("/tenants/:tenant").handler(auth.require(Role.BILLING, Role.OPERATOR))
        .handler(this::get);
    return router;
  }

  private void put(RoutingContext ctx) {
    JsonObject body = Input.body(ctx);
    Object members = body.getValue("members");
    if (!(members instanceof Integer || members instanceof Long)) {
      throw Input.invalid("members: a whole number from 0 to " + Tenant.MAX_MEMBERS);
    }
    List<String> cells = new ArrayList<>();
    Object value = body.getValue("cells");
    if (value != null) {
      if (!(value instanceof JsonArray array) || array.stream().anyMatch(c -> !(c instanceof String))) {
        throw Input.invalid("cells: a list of cell ids");
      }
      array.forEach(c -> cells.add((String) c));
    }
    Tenant tenant;
    try {
      tenant = Tenant.of(ctx.pathParam("tenant"), string(body, "name"), string(body, "plan"),
          ((Number) members).longValue(), string(body, "status"), cells, plans);
    } catch (IllegalArgumentException e) {
      throw Input.invalid(e.getMessage());
    }
    tenants.write(List.of(tenant), Auth.principal(ctx).actor(), clock.instant())
        .onSuccess(w -> ctx.json(TenantRepository.toJson(tenant).put("changed", w.changed() > 0)))
        .onFailure(ctx::fail);
  }

  /** A string field, or null (which the tenant's own checks then name) when it is not one. */
  private static String string(JsonObject body, String field) {
    return body.getValue(field) instanceof String s ? s : null;
  }

  private void importCsv(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase().startsWith("text/csv")) {
      throw Input.invalid("Content-Type: text/csv is required");
    }
    String text = ctx.body().buffer() == null ? ""
        : ctx.body().buffer().toString(StandardCharsets.UTF_8);
    TenantCsv.Parsed parsed = TenantCsv.parse(text.startsWith("\uFEFF") ? text.substring(1) : text,
        plans);
    if (!parsed.errors().isEmpty()) {
      throw Input.invalid(String.join("; ", parsed.errors()));
    }
    tenants.write(parsed.tenants(), Auth.principal(ctx).actor(), clock.instant())
        .onSuccess(w -> ctx.json(new JsonObject().put("tenants", parsed.tenants().size())
            .put("changed", w.changed()).put("unchanged", w.unchanged())))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    tenants.current(ctx.pathParam("tenant"))
        .onSuccess(t -> {
          if (t.isEmpty()) {
            ctx.fail(DomainException.notFound("no tenant " + ctx.pathParam("tenant")));
          } else {
            ctx.json(TenantRepository.toJson(t.get()));
          }
        })
        .onFailure(ctx::fail);
  }
}
