package io.statusdesk.ledger;

import io.statusdesk.Changes;
import io.statusdesk.Input;
import io.statusdesk.Localized;
import io.statusdesk.admin.Auth;
import io.statusdesk.admin.Role;
import io.statusdesk.sla.SlaPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /sla/policies} and {@code POST /sla/policies} {@code {"timezone", "partial_weight":
 * "0.3", "tiers": [{"min_mup": "99.0", "credit_pct": 0}, ...], "text", "text_ko",
 * "effective_from"}}; published now.
 */
public final class PolicyRoutes {
  private final PolicyRepository policies;
  private final Auth auth;
  private final Clock clock;

  public PolicyRoutes(PolicyRepository policies, Auth auth, Clock clock) {
    this.policies = policies;
    this.auth = auth;
    this.clock = clock;
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/sla/policies").handler(auth.anyRole()).handler(this::list);
    auth.withJson(router, HttpMethod.POST, "/sla/policies", Role.OPERATOR).handler(this::publish);
    return router;
  }

  private void list(RoutingContext ctx) {
    policies
        .all()
        .onSuccess(
            all ->
                ctx.json(
                    new JsonObject()
                        .put(
                            "policies",
                            new JsonArray(all.stream().map(PolicyRepository::toJson).toList()))))
        .onFailure(ctx::fail);
  }

  private void publish(RoutingContext ctx) {
    Proposed p =
        proposed(
            Input.body(
                ctx,
                Set.of("timezone", "partial_weight", "tiers", "text", "text_ko", "effective_from")),
            clock.instant());
    policies
        .publish(
            p.policy(), p.text(), p.effectiveFrom(), Auth.principal(ctx).actor(), clock.instant())
        .onSuccess(v -> Changes.announce(ctx.vertx()))
        .onSuccess(v -> Input.created(ctx, "/api/v1/sla/policies", PolicyRepository.toJson(v)))
        .onFailure(ctx::fail);
  }

  /** A version as asked for; the console sends its form the same way. */
  record Proposed(SlaPolicy policy, Localized text, Instant effectiveFrom) {}

  static Proposed proposed(JsonObject body, Instant now) {
    ZoneId zone;
    try {
      zone = ZoneId.of(Input.text(body, "timezone", 64));
    } catch (DateTimeException e) {
      throw Input.invalid("timezone: not a known time zone (e.g. Asia/Seoul)");
    }
    BigDecimal weight = decimal(Input.text(body, "partial_weight", 16), "partial_weight");
    if (weight.scale() > 6) {
      throw Input.invalid("partial_weight: at most 6 decimals");
    }
    Object tiersValue = body.getValue("tiers");
    if (!(tiersValue instanceof JsonArray array) || array.isEmpty() || array.size() > 20) {
      throw Input.invalid("tiers: a list of 1 to 20 {min_mup, credit_pct}");
    }
    List<SlaPolicy.Tier> tiers = new ArrayList<>();
    for (Object o : array) {
      if (!(o instanceof JsonObject t) || !(t.getValue("credit_pct") instanceof Integer pct)) {
        throw Input.invalid("tiers: each tier is {\"min_mup\": \"99.0\", \"credit_pct\": 10}");
      }
      tiers.add(new SlaPolicy.Tier(decimal(Input.text(t, "min_mup", 16), "tiers.min_mup"), pct));
    }
    BigDecimal scaled = weight.setScale(Math.max(weight.scale(), 0));
    SlaPolicy policy =
        new SlaPolicy(
            zone,
            scaled.unscaledValue().longValueExact(),
            BigDecimal.TEN.pow(scaled.scale()).longValueExact(),
            tiers);
    Localized text =
        new Localized(Input.text(body, "text", 20_000), Input.text(body, "text_ko", 20_000));
    Instant effectiveFrom = Input.instant(body, "effective_from");
    if (effectiveFrom.isBefore(now)) {
      throw Input.invalid("effective_from: must not be in the past");
    }
    return new Proposed(policy, text, effectiveFrom);
  }

  private static BigDecimal decimal(String value, String field) {
    try {
      return new BigDecimal(value);
    } catch (NumberFormatException e) {
      throw Input.invalid(field + ": a decimal number such as \"99.5\"");
    }
  }
}
