package io.statusdesk.tenant;

import io.statusdesk.DomainException;
import io.statusdesk.Input;
import io.statusdesk.admin.Auth;
import io.statusdesk.admin.Role;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Billing's tenant and plan API: {@code PUT /tenants/{id}} {@code {"name", "plan", "members",
 * "status", "cells", "effective_from"?}}, {@code POST /tenants/import[?effective_from=...]} (CSV,
 * all or nothing), {@code GET /tenants/{id}}, {@code GET /plans} and {@code POST
 * /plans/{plan}/prices} {@code {"price_per_member_krw", "max_members"?, "effective_from"}}.
 */
public final class TenantRoutes {
  /** Room for 200,000 tenant lines. */
  static final int IMPORT_LIMIT = 32 * 1024 * 1024;

  private static final Set<String> TENANT =
      Set.of("name", "plan", "members", "status", "cells", "effective_from");
  private static final Set<String> PRICE =
      Set.of("price_per_member_krw", "max_members", "effective_from");

  private final Tenants tenants;
  private final Auth auth;

  public TenantRoutes(Tenants tenants, Auth auth) {
    this.tenants = tenants;
    this.auth = auth;
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    auth.withJson(router, HttpMethod.PUT, "/tenants/:tenant", Role.BILLING).handler(this::put);
    auth.withBody(router, HttpMethod.POST, "/tenants/import", IMPORT_LIMIT, Role.BILLING)
        .handler(this::importCsv);
    router
        .get("/tenants/:tenant")
        .handler(auth.require(Role.BILLING, Role.OPERATOR))
        .handler(this::get);
    router.get("/plans").handler(auth.require(Role.BILLING, Role.OPERATOR)).handler(this::plans);
    auth.withJson(router, HttpMethod.POST, "/plans/:plan/prices", Role.BILLING)
        .handler(this::schedulePrice);
    return router;
  }

  private static Optional<Instant> effectiveFrom(String value) {
    return Optional.ofNullable(value).map(v -> Input.instant("effective_from", v));
  }

  private void put(RoutingContext ctx) {
    JsonObject body = Input.body(ctx, TENANT);
    Tenant tenant = tenant(ctx.pathParam("tenant"), body);
    tenants
        .record(tenant, effectiveFrom(body), Auth.principal(ctx).actor())
        .onSuccess(
            r ->
                ctx.json(
                    TenantRepository.toJson(tenant)
                        .put("changed", r.written().changed() > 0)
                        .put("effective_from", r.effectiveFrom().toString())))
        .onFailure(ctx::fail);
  }

  /** {@code effective_from} of a tenant write, if given. */
  static Optional<Instant> effectiveFrom(JsonObject body) {
    return effectiveFrom(Input.optionalText(body, "effective_from", 64).orElse(null));
  }

  /**
   * The tenant {@code id} as {@code body} describes it; the console sends its form the same way.
   */
  static Tenant tenant(String id, JsonObject body) {
    Object members = body.getValue("members");
    if (!(members instanceof Integer || members instanceof Long)) {
      throw Input.invalid("members: a whole number from 0 to " + Tenant.MAX_MEMBERS);
    }
    List<String> tenantCells = new ArrayList<>();
    Object value = body.getValue("cells");
    if (value != null) {
      if (!(value instanceof JsonArray array)
          || array.stream().anyMatch(c -> !(c instanceof String))) {
        throw Input.invalid("cells: a list of cells written component/cell");
      }
      array.forEach(c -> tenantCells.add((String) c));
    }
    try {
      return Tenant.of(
          id,
          string(body, "name"),
          string(body, "plan"),
          ((Number) members).longValue(),
          string(body, "status"),
          tenantCells);
    } catch (IllegalArgumentException e) {
      throw Input.invalid(e.getMessage());
    }
  }

  /** A string field, or null (which the tenant's own checks then name) when it is not one. */
  private static String string(JsonObject body, String field) {
    return body.getValue(field) instanceof String s ? s : null;
  }

  private void importCsv(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("text/csv")) {
      throw Input.invalid("Content-Type: text/csv is required");
    }
    Optional<Instant> effective = effectiveFrom(ctx.request().getParam("effective_from"));
    Buffer body = ctx.body().buffer();
    tenants
        .importCsv(
            body == null ? "" : body.toString(StandardCharsets.UTF_8),
            effective,
            Auth.principal(ctx).actor())
        .onSuccess(
            i ->
                ctx.json(
                    new JsonObject()
                        .put("tenants", i.tenants())
                        .put("changed", i.written().changed())
                        .put("unchanged", i.written().unchanged())
                        .put("effective_from", i.effectiveFrom().toString())))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    tenants
        .current(Tenant.pathId(ctx.pathParam("tenant")))
        .onSuccess(t -> ctx.json(TenantRepository.toJson(t)))
        .onFailure(ctx::fail);
  }

  private void plans(RoutingContext ctx) {
    tenants
        .prices()
        .onSuccess(
            prices ->
                ctx.json(
                    new JsonObject()
                        .put(
                            "prices",
                            new JsonArray(
                                prices.versions().stream()
                                    .map(v -> PlanRepository.toJson(v.plan(), v.effectiveFrom()))
                                    .toList()))))
        .onFailure(ctx::fail);
  }

  /** Billing schedules a price change; it never takes effect in the past (rule 8). */
  private void schedulePrice(RoutingContext ctx) {
    String name = ctx.pathParam("plan");
    if (!name.matches("[a-z0-9_-]{1,32}")) {
      throw DomainException.notFound("no such plan");
    }
    JsonObject body = Input.body(ctx, PRICE);
    Object price = body.getValue("price_per_member_krw");
    if (!(price instanceof Integer || price instanceof Long)) {
      throw Input.invalid("price_per_member_krw: a whole number of KRW from 0 to 10,000,000");
    }
    Object max = body.getValue("max_members");
    if (max != null && !(max instanceof Integer)) {
      throw Input.invalid("max_members: a whole number from 0, or null for no limit");
    }
    Optional<OptionalInt> limit =
        body.containsKey("max_members")
            ? Optional.of(max == null ? OptionalInt.empty() : OptionalInt.of((Integer) max))
            : Optional.empty();
    Instant effective = Input.instant(body, "effective_from");
    tenants
        .schedulePrice(
            name, ((Number) price).longValue(), limit, effective, Auth.principal(ctx).actor())
        .onSuccess(
            plan -> Input.created(ctx, "/api/v1/plans", PlanRepository.toJson(plan, effective)))
        .onFailure(ctx::fail);
  }
}
