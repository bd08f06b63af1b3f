package io.statusdesk.tenant;

import io.statusdesk.Compute;
import io.statusdesk.DomainException;
import io.statusdesk.Input;
import io.statusdesk.admin.Auth;
import io.statusdesk.admin.Role;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Billing's tenant and plan API: {@code PUT /tenants/{id}} {@code {"name", "plan", "members",
 * "status", "cells", "effective_from"?}}, {@code POST /tenants/import[?effective_from=...]} (CSV,
 * all or nothing), {@code GET /tenants/{id}}, {@code GET /plans} and
 * {@code POST /plans/{plan}/prices} {@code {"price_per_member_krw", "max_members"?,
 * "effective_from"}}.
 */
public final class TenantRoutes {
  /** Room for 200,000 tenant lines. */
  static final int IMPORT_LIMIT = 32 * 1024 * 1024;
  private final TenantRepository tenants;
  private final PlanRepository plans;
  private final Set<String> cells;
  private final Auth auth;
  private final Clock clock;

  /** {@code cells}: every {@code component/cell} of checks.yaml. */
  public TenantRoutes(TenantRepository tenants, PlanRepository plans, Set<String> cells,
      Auth auth, Clock clock) {
    this.tenants = tenants;
    this.plans = plans;
    this.cells = cells;
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
    router.get("/plans").handler(auth.require(Role.BILLING, Role.OPERATOR)).handler(this::plans);
    auth.withJson(router, HttpMethod.POST, "/plans/:plan/prices", Role.BILLING)
        .handler(this::schedulePrice);
    return router;
  }

  /** When a recorded state takes effect: now, or back-dated, never ahead. */
  private static Instant effectiveFrom(String value, Instant now) {
    if (value == null) {
      return now;
    }
    Instant at = Input.instant("effective_from", value);
    if (at.isAfter(now)) {
      throw Input.invalid("effective_from: must not be in the future");
    }
    return at;
  }

  private Future<TenantRules> rules() {
    return plans.all().map(prices -> new TenantRules(prices, cells));
  }

  private void put(RoutingContext ctx) {
    JsonObject body = Input.body(ctx);
    Instant now = clock.instant();
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
    Instant effective = effectiveFrom(Input.optionalText(body, "effective_from", 64)
        .orElse(null), now);
    Tenant tenant;
    try {
      tenant = Tenant.of(ctx.pathParam("tenant"), string(body, "name"), string(body, "plan"),
          ((Number) members).longValue(), string(body, "status"), tenantCells);
    } catch (IllegalArgumentException e) {
      throw Input.invalid(e.getMessage());
    }
    rules().compose(rules -> {
      try {
        rules.check(tenant, effective);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(Input.invalid(e.getMessage()));
      }
      return tenants.write(List.of(tenant), Auth.principal(ctx).actor(), effective, now);
    }).onSuccess(w -> ctx.json(TenantRepository.toJson(tenant).put("changed", w.changed() > 0)
            .put("effective_from", effective.toString())))
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
    Instant now = clock.instant();
    Instant effective = effectiveFrom(ctx.request().getParam("effective_from"), now);
    Buffer body = ctx.body().buffer();
    // 200,000 lines take a while to check: off the event loop.
    rules().compose(rules -> Compute.run(() -> {
      String text = body == null ? "" : body.toString(StandardCharsets.UTF_8);
      return TenantCsv.parse(text.startsWith("\uFEFF") ? text.substring(1) : text, rules,
          effective);
    })).compose(parsed -> parsed.errors().isEmpty()
            ? tenants.write(parsed.tenants(), Auth.principal(ctx).actor(), effective, now)
                .map(w -> new JsonObject().put("tenants", parsed.tenants().size())
                    .put("changed", w.changed()).put("unchanged", w.unchanged())
                    .put("effective_from", effective.toString()))
            : Future.failedFuture(Input.invalid(String.join("; ", parsed.errors()))))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    tenants.current(Tenant.pathId(ctx.pathParam("tenant")))
        .onSuccess(t -> {
          if (t.isEmpty()) {
            ctx.fail(DomainException.notFound("no tenant " + ctx.pathParam("tenant")));
          } else {
            ctx.json(TenantRepository.toJson(t.get()));
          }
        })
        .onFailure(ctx::fail);
  }

  private void plans(RoutingContext ctx) {
    plans.all().onSuccess(prices -> ctx.json(new JsonObject().put("prices", new JsonArray(
            prices.versions().stream().map(v -> PlanRepository.toJson(v.plan(),
                v.effectiveFrom())).toList()))))
        .onFailure(ctx::fail);
  }

  /** Billing schedules a price change; it never takes effect in the past (rule 8). */
  private void schedulePrice(RoutingContext ctx) {
    String name = ctx.pathParam("plan");
    if (!name.matches("[a-z0-9_-]{1,32}")) {
      throw DomainException.notFound("no such plan");
    }
    JsonObject body = Input.body(ctx);
    Instant now = clock.instant();
    Object price = body.getValue("price_per_member_krw");
    if (!(price instanceof Integer || price instanceof Long) || ((Number) price).longValue() < 0
        || ((Number) price).longValue() > 10_000_000) {
      throw Input.invalid("price_per_member_krw: a whole number of KRW from 0 to 10,000,000");
    }
    Object max = body.getValue("max_members");
    if (max != null && (!(max instanceof Integer m) || m < 0)) {
      throw Input.invalid("max_members: a whole number from 0, or null for no limit");
    }
    Instant effective = Input.instant(body, "effective_from");
    if (effective.isBefore(now)) {
      throw Input.invalid("effective_from: must not be in the past (a closed month's fees never "
          + "change)");
    }
    Plan plan = new Plan(name, ((Number) price).longValue(),
        max == null ? OptionalInt.empty() : OptionalInt.of((Integer) max));
    plans.schedule(plan, effective, Auth.principal(ctx).actor(), now)
        .onSuccess(v -> Input.created(ctx, "/api/v1/plans", PlanRepository.toJson(plan,
            effective)))
        .onFailure(ctx::fail);
  }
}
