package io.statusdesk.sla;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One component's record over any span (a day bar, the last 30 or 90 days), by the same rules as
 * the monthly SLA: counted maintenance and exclusions are left out, unobserved time is neither up
 * nor down. Uptime is {@code (T - DT) / T} with T the observed, unmaintained seconds.
 *
 * @param seconds the whole span
 * @param majorSeconds seconds of counted major outage
 * @param partialSeconds seconds of counted partial outage only
 * @param maintenanceSeconds seconds under counted maintenance
 * @param noDataSeconds seconds nobody observed
 */
public record Availability(
    long seconds,
    long majorSeconds,
    long partialSeconds,
    long maintenanceSeconds,
    long noDataSeconds,
    long weightNumerator,
    long weightDenominator) {

  /** Everything passed in must already concern the one component. */
  public static Availability of(
      Instant from,
      Instant to,
      List<Outage> outages,
      List<MaintenanceWindow> windows,
      List<NoData> noData,
      SlaPolicy policy,
      Instant evaluatedAt) {
    Timeline t = Timeline.of(from, to, outages, windows, noData, evaluatedAt);
    return new Availability(
        t.bounds.length(),
        t.majorSeconds,
        t.partialSeconds,
        Spans.measureMinus(t.maintained, t.unobserved),
        Spans.measure(t.unobserved),
        policy.partialWeightNumerator(),
        policy.partialWeightDenominator());
  }

  /** Seconds that were observed and not under maintenance: the uptime's denominator. */
  public long measuredSeconds() {
    return seconds - noDataSeconds - maintenanceSeconds;
  }

  /** Uptime in percent truncated to {@code decimals}, or empty when nothing was measured. */
  public Optional<String> uptimePercent(int decimals) {
    long measured = measuredSeconds();
    if (measured <= 0) {
      return Optional.empty();
    }
    BigInteger scaledDowntime =
        BigInteger.valueOf(weightDenominator * majorSeconds + weightNumerator * partialSeconds);
    BigInteger total = BigInteger.valueOf(weightDenominator).multiply(BigInteger.valueOf(measured));
    BigInteger up = total.subtract(scaledDowntime).multiply(BigInteger.TEN.pow(decimals + 2));
    return Optional.of(new BigDecimal(up.divide(total), decimals).toPlainString());
  }
}
