package io.statusdesk.tenant;

import io.statusdesk.Compute;
import io.statusdesk.DomainException;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Every billing action on tenants and plan prices, whichever door it comes through (the API today,
 * the console next): the rules of {@link TenantRules}, then the audited write.
 */
public final class Tenants {
  private final TenantRepository tenants;
  private final PlanRepository plans;
  private final Set<String> cells;
  private final Clock clock;

  /** {@code cells}: every {@code component/cell} of checks.yaml. */
  public Tenants(TenantRepository tenants, PlanRepository plans, Set<String> cells, Clock clock) {
    this.tenants = tenants;
    this.plans = plans;
    this.cells = Set.copyOf(cells);
    this.clock = clock;
  }

  /** What a write recorded, and from when it counts. */
  public record Recorded(TenantRepository.Written written, Instant effectiveFrom) {}

  /** Records one tenant's state, from now or back-dated to {@code effectiveFrom}. */
  public Future<Recorded> record(Tenant tenant, Optional<Instant> effectiveFrom, String actor) {
    Instant now = clock.instant();
    Instant effective = rule(() -> TenantRules.effectiveFrom(effectiveFrom, now));
    return rules()
        .compose(
            rules -> {
              rule(
                  () -> {
                    rules.check(tenant, effective);
                    return null;
                  });
              return tenants.write(List.of(tenant), actor, effective, now);
            })
        .map(w -> new Recorded(w, effective));
  }

  /** A CSV import: checked as a whole off the event loop, then written all or nothing. */
  public record Imported(int tenants, TenantRepository.Written written, Instant effectiveFrom) {}

  public Future<Imported> importCsv(String text, Optional<Instant> effectiveFrom, String actor) {
    Instant now = clock.instant();
    Instant effective = rule(() -> TenantRules.effectiveFrom(effectiveFrom, now));
    String csv = text.startsWith("\uFEFF") ? text.substring(1) : text;
    return rules()
        .compose(rules -> Compute.run(() -> TenantCsv.parse(csv, rules, effective)))
        .compose(
            parsed ->
                parsed.errors().isEmpty()
                    ? tenants
                        .write(parsed.tenants(), actor, effective, now)
                        .map(w -> new Imported(parsed.tenants().size(), w, effective))
                    : Future.failedFuture(invalid(String.join("; ", parsed.errors()))));
  }

  public Future<Tenant> current(String id) {
    return tenants
        .current(id)
        .compose(
            t ->
                t.map(Future::succeededFuture)
                    .orElseGet(
                        () -> Future.failedFuture(DomainException.notFound("no tenant " + id))));
  }

  /** Tenants whose id or name contains {@code query}, {@code limit} after {@code afterId}. */
  public Future<List<Tenant>> search(Optional<String> query, String afterId, int limit) {
    return tenants.search(query, afterId, limit);
  }

  /** Every price each plan has had and will have. */
  public Future<PriceList> prices() {
    return plans.all();
  }

  /**
   * Billing schedules a price change for a plan that exists; it never takes effect in the past
   * (rule 8). A limit left out ({@code maxMembers} empty) stays the one in force then.
   */
  public Future<Plan> schedulePrice(
      String plan,
      long pricePerMemberKrw,
      Optional<OptionalInt> maxMembers,
      Instant effectiveFrom,
      String actor) {
    Instant now = clock.instant();
    return rules()
        .map(
            r ->
                rule(
                    () -> {
                      Plan p = r.priceChange(plan, pricePerMemberKrw, maxMembers, effectiveFrom);
                      TenantRules.checkPriceChange(p, effectiveFrom, now);
                      return p;
                    }))
        .compose(p -> plans.schedule(p, effectiveFrom, actor, now).map(p));
  }

  private Future<TenantRules> rules() {
    return plans.all().map(prices -> new TenantRules(prices, cells));
  }

  /** The rules speak in {@link IllegalArgumentException}s naming the field: a 400. */
  private static <T> T rule(Supplier<T> check) {
    try {
      return check.get();
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  private static DomainException invalid(String message) {
    return new DomainException(DomainException.Kind.INVALID, message);
  }
}
