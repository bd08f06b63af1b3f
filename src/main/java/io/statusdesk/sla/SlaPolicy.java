package io.statusdesk.sla;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;

/**
 * The SLA terms a month is judged by.
 *
 * @param timezone contract time zone (calendar months)
 * @param partialWeightNumerator weight of a partial second is numerator/denominator (3/10)
 * @param tiers credit tiers; the first (highest) bound the MUP reaches gives the credit
 */
public record SlaPolicy(
    ZoneId timezone, long partialWeightNumerator, long partialWeightDenominator, List<Tier> tiers) {

  /** MUP at or above {@code minMup} earns {@code creditPct} percent of the month's fee. */
  public record Tier(BigDecimal minMup, int creditPct) {}

  public SlaPolicy {
    tiers = tiers.stream().sorted(Comparator.comparing(Tier::minMup).reversed()).toList();
  }

  /** The contract as published: 99 / 95 / 90 % bounds, 10 / 25 / 50 % credits, weight 0.3. */
  public static SlaPolicy standard(ZoneId zone) {
    return new SlaPolicy(
        zone,
        3,
        10,
        List.of(
            new Tier(new BigDecimal("99.0"), 0), new Tier(new BigDecimal("95.0"), 10),
            new Tier(new BigDecimal("90.0"), 25), new Tier(BigDecimal.ZERO, 50)));
  }
}
