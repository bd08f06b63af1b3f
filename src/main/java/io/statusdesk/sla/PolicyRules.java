package io.statusdesk.sla;

import io.statusdesk.DomainException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a new SLA version must satisfy. The contract lets the company change the SLA at any time,
 * but a change that reduces a benefit must be announced at least {@link #NOTICE} before it applies.
 * A benefit is reduced when some MUP would earn less credit, when partial outages weigh less, or
 * when the time zone (and so every month boundary) moves.
 */
public final class PolicyRules {
  public static final Duration NOTICE = Duration.ofDays(30);

  private PolicyRules() {}

  /** Tiers cover every MUP from 0, bounds lie in [0, 100], and credit never rises with MUP. */
  public static void checkWellFormed(SlaPolicy policy) {
    List<SlaPolicy.Tier> tiers = policy.tiers();
    if (tiers.isEmpty() || tiers.get(tiers.size() - 1).minMup().signum() != 0) {
      throw invalid("tiers: the lowest tier must start at min_mup 0");
    }
    Set<BigDecimal> bounds = new HashSet<>();
    int previous = -1;
    for (SlaPolicy.Tier t : tiers) {
      if (t.minMup().signum() < 0 || t.minMup().compareTo(BigDecimal.valueOf(100)) > 0) {
        throw invalid("tiers: min_mup must lie between 0 and 100");
      }
      if (!bounds.add(t.minMup().stripTrailingZeros())) {
        throw invalid("tiers: min_mup " + t.minMup().toPlainString() + " appears twice");
      }
      if (t.creditPct() < 0 || t.creditPct() > 100) {
        throw invalid("tiers: credit_pct must lie between 0 and 100");
      }
      if (t.creditPct() < previous) {
        throw invalid("tiers: a lower MUP must never earn less credit");
      }
      previous = t.creditPct();
    }
    if (policy.partialWeightNumerator() < 0
        || policy.partialWeightNumerator() > policy.partialWeightDenominator()) {
      throw invalid("partial_weight: must lie between 0 and 1");
    }
  }

  public static boolean reducesBenefits(SlaPolicy before, SlaPolicy after) {
    if (!before.timezone().equals(after.timezone())) {
      return true;
    }
    if (after.partialWeightNumerator() * before.partialWeightDenominator()
        < before.partialWeightNumerator() * after.partialWeightDenominator()) {
      return true;
    }
    // Both credit functions are steps that change only at tier bounds: comparing them at each
    // bound and just below it covers every MUP.
    TreeSet<BigDecimal> points = new TreeSet<>();
    before.tiers().forEach(t -> points.add(t.minMup()));
    after.tiers().forEach(t -> points.add(t.minMup()));
    points.add(BigDecimal.valueOf(100));
    for (BigDecimal p : points) {
      if (credit(after, p, false) < credit(before, p, false)
          || credit(after, p, true) < credit(before, p, true)) {
        return true;
      }
    }
    return false;
  }

  /** Refuses a version that takes effect too soon for what it changes. */
  public static void checkPublishable(
      SlaPolicy inForce, SlaPolicy proposed, Instant publishedAt, Instant effectiveFrom) {
    checkWellFormed(proposed);
    if (effectiveFrom.isBefore(publishedAt)) {
      throw invalid("effective_from: a version cannot apply before it is published");
    }
    if (reducesBenefits(inForce, proposed)
        && Duration.between(publishedAt, effectiveFrom).compareTo(NOTICE) < 0) {
      throw new DomainException(
          DomainException.Kind.CONFLICT,
          "effective_from: this version "
              + "reduces benefits, so it must take effect at least 30 days after it is published");
    }
  }

  /** Credit at MUP {@code mup}, or just below it when {@code below}. */
  static int credit(SlaPolicy policy, BigDecimal mup, boolean below) {
    for (SlaPolicy.Tier t : policy.tiers()) {
      int c = t.minMup().compareTo(mup);
      if (below ? c < 0 : c <= 0) {
        return t.creditPct();
      }
    }
    return policy.tiers().get(policy.tiers().size() - 1).creditPct();
  }

  private static DomainException invalid(String message) {
    return new DomainException(DomainException.Kind.INVALID, message);
  }
}
