package io.statusdesk.tenant;

import io.statusdesk.DomainException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What a recorded tenant must agree with: a plan priced at the instant its state takes effect, no
 * more members than that plan allows, and cells that checks.yaml names.
 *
 * @param cells every {@code component/cell} in checks.yaml
 */
public record TenantRules(PriceList prices, Set<String> cells) {

  /** Throws {@link IllegalArgumentException} naming the field when {@code t} breaks a rule. */
  public void check(Tenant t, Instant effectiveFrom) {
    Plan plan =
        prices
            .at(t.plan(), effectiveFrom)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "plan: one of " + String.join(", ", prices.names(effectiveFrom))));
    if (plan.maxMembers().isPresent() && t.members() > plan.maxMembers().getAsInt()) {
      throw new IllegalArgumentException(
          "members: plan " + plan.name() + " allows at most " + plan.maxMembers().getAsInt());
    }
    for (String cell : t.cells()) {
      if (!cells.contains(cell)) {
        throw new IllegalArgumentException("cells: no cell " + cell + " in checks.yaml");
      }
    }
  }

  /**
   * The plan a price change schedules: only a plan that has a price already is repriced (a typo
   * must not create a plan), and a member limit left out stays the one in force then.
   *
   * @param maxMembers empty when left out; an empty {@link OptionalInt} inside for "no limit"
   */
  public Plan priceChange(
      String name,
      long pricePerMemberKrw,
      Optional<OptionalInt> maxMembers,
      Instant effectiveFrom) {
    if (prices.versions().stream().noneMatch(v -> v.plan().name().equals(name))) {
      throw DomainException.notFound(
          "no plan " + name + " (plans: " + String.join(", ", prices.names(Instant.MAX)) + ")");
    }
    OptionalInt limit =
        maxMembers.orElseGet(
            () ->
                prices.at(name, effectiveFrom).map(Plan::maxMembers).orElseGet(OptionalInt::empty));
    return new Plan(name, pricePerMemberKrw, limit);
  }

  /** The dearest price per member billing may schedule. */
  public static final long MAX_PRICE_KRW = 10_000_000;

  /**
   * When a recorded tenant state takes effect: now when not given, back-dated when given (the
   * months it reaches into are re-closed), never ahead.
   */
  public static Instant effectiveFrom(Optional<Instant> given, Instant now) {
    if (given.isPresent() && given.get().isAfter(now)) {
      throw new IllegalArgumentException("effective_from: must not be in the future");
    }
    return given.orElse(now);
  }

  /** A price change takes effect now or later, never in the past (rule 8). */
  public static void checkPriceChange(Plan plan, Instant effectiveFrom, Instant now) {
    if (!plan.name().matches("[a-z0-9_-]{1,32}")) {
      throw new IllegalArgumentException("plan: 1 to 32 of a-z, 0-9, _ and -");
    }
    if (plan.pricePerMemberKrw() < 0 || plan.pricePerMemberKrw() > MAX_PRICE_KRW) {
      throw new IllegalArgumentException(
          "price_per_member_krw: a whole number of KRW from 0 to 10,000,000");
    }
    if (plan.maxMembers().isPresent() && plan.maxMembers().getAsInt() < 0) {
      throw new IllegalArgumentException(
          "max_members: a whole number from 0, or null for no limit");
    }
    if (effectiveFrom.isBefore(now)) {
      throw new IllegalArgumentException(
          "effective_from: must not be in the past (a closed " + "month's fees never change)");
    }
  }
}
