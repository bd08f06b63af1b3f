package io.statusdesk.sla;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

/**
 * Judges one month by the accounting rules of docs/sla.md: a second weighs 1 under a counted major
 * outage, else the partial weight under a counted partial one, else 0, and overlaps never add up
 * (rule 3); counted maintenance and exclusions leave seconds out (rules 4 and 5), and so do
 * monitoring gaps for outages the probes saw (rule 7); service-wide windows also shorten TT. MUP is
 * compared with the tiers exactly (rule 6).
 */
public final class SlaEvaluator {
  private SlaEvaluator() {}

  public static MonthEvaluation evaluate(
      YearMonth month,
      SlaPolicy policy,
      List<Outage> outages,
      List<MaintenanceWindow> windows,
      List<NoData> noData,
      Instant evaluatedAt) {
    ContractMonth m = new ContractMonth(month, policy.timezone());
    return evaluation(
        month, policy, Timeline.of(m.start(), m.end(), outages, windows, noData, evaluatedAt));
  }

  static MonthEvaluation evaluation(YearMonth month, SlaPolicy policy, Timeline t) {
    long tt = t.bounds.length() - t.serviceWideSeconds;
    long scale = policy.partialWeightDenominator();
    long scaledDowntime =
        scale * t.majorSeconds + policy.partialWeightNumerator() * t.partialSeconds;
    int pct =
        policy.tiers().stream()
            .filter(
                tier ->
                    tt == 0 || MonthEvaluation.reaches(tt, scaledDowntime, scale, tier.minMup()))
            .findFirst()
            .orElseThrow()
            .creditPct();
    return new MonthEvaluation(
        month, tt, t.majorSeconds, t.partialSeconds, scaledDowntime, scale, pct);
  }
}
