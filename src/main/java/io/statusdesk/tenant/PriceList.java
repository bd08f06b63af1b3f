package io.statusdesk.tenant;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every recorded price of every plan with the instant it took effect (docs/sla.md, rule 8): a month
 * is settled with the prices in force at its end, and no change takes effect in the past, so a
 * closed month's fees never move.
 */
public record PriceList(List<Version> versions) {

  /** One plan's price and limit from {@code effectiveFrom} on. */
  public record Version(Plan plan, Instant effectiveFrom) {}

  /** Configured plans in force since the beginning: what the CLI prices worked cases with. */
  public static PriceList of(Plans plans) {
    return new PriceList(
        plans.byName().values().stream().map(p -> new Version(p, Instant.EPOCH)).toList());
  }

  /** The plan as it was priced at {@code at}. */
  public Optional<Plan> at(String name, Instant at) {
    return versions.stream()
        .filter(v -> v.plan().name().equals(name) && !v.effectiveFrom().isAfter(at))
        .max(Comparator.comparing(Version::effectiveFrom))
        .map(Version::plan);
  }

  /** The plans that had a price at {@code at}, by name. */
  public Set<String> names(Instant at) {
    Set<String> out = new TreeSet<>();
    versions.stream()
        .filter(v -> !v.effectiveFrom().isAfter(at))
        .forEach(v -> out.add(v.plan().name()));
    return out;
  }

  /** A tenant's monthly fee at {@code at}; 0 on a free or unpriced plan. */
  public long feeKrw(Tenant tenant, Instant at) {
    return at(tenant.plan(), at).map(p -> p.feeKrw(tenant.members())).orElse(0L);
  }
}
