package io.statusdesk.sla;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One component's record over any span (a day bar, the last 30 or 90 days), by the same rules as
 * the monthly SLA: counted maintenance and exclusions are left out, unobserved time is neither
 * up nor down. Uptime is {@code (T - DT) / T} with T the observed, unmaintained seconds.
 *
 * @param seconds the whole span
 * @param majorSeconds seconds of counted major outage
 * @param partialSeconds seconds of counted partial outage only
 * @param maintenanceSeconds seconds under counted maintenance
 * @param noDataSeconds seconds nobody observed
 */
public record Availability(long seconds, long majorSeconds, long partialSeconds,
    long maintenanceSeconds, long noDataSeconds, long weightNumerator, long weightDenominator) {

  /** Everything passed in must already concern the one component. */
  public static Availability of(Instant from, Instant to, List<Outage> outages,
      List<MaintenanceWindow> windows, List<NoData> noData, SlaPolicy policy,
      Instant evaluatedAt) {
    Spans.Span bounds = SlaEvaluator.span(from, to);
    List<Spans.Span> unobserved = noData.stream()
        .map(n -> SlaEvaluator.span(n.start(), n.end()).clip(bounds)).toList();
    List<Spans.Span> maintained = windows.stream().filter(MaintenanceWindow::counts)
        .map(w -> SlaEvaluator.span(w.start(), w.end()).clip(bounds)).toList();
    List<Spans.Span> major = new ArrayList<>();
    List<Spans.Span> partial = new ArrayList<>();
    for (Outage o : outages) {
      if (o.exclusion().isPresent()) {
        continue;
      }
      Spans.Span span = SlaEvaluator.span(o.start(), o.end().orElse(evaluatedAt)).clip(bounds);
      List<Spans.Span> holes = new ArrayList<>(unobserved);
      holes.addAll(maintained);
      (o.outageClass() == OutageClass.MAJOR ? major : partial).addAll(Spans.minus(span, holes));
    }
    long maintenance = Spans.measureMinus(maintained, unobserved);
    return new Availability(bounds.length(), Spans.measure(major),
        Spans.measureMinus(partial, Spans.union(major)), maintenance, Spans.measure(unobserved),
        policy.partialWeightNumerator(), policy.partialWeightDenominator());
  }

  /** Seconds that were observed and not under maintenance: the uptime's denominator. */
  public long measuredSeconds() {
    return seconds - noDataSeconds - maintenanceSeconds;
  }

  /** Uptime in percent truncated to {@code decimals}, or empty when nothing was measured. */
  public java.util.Optional<String> uptimePercent(int decimals) {
    long measured = measuredSeconds();
    if (measured <= 0) {
      return java.util.Optional.empty();
    }
    BigInteger scaledDowntime = BigInteger.valueOf(weightDenominator * majorSeconds
        + weightNumerator * partialSeconds);
    BigInteger total = BigInteger.valueOf(weightDenominator).multiply(BigInteger.valueOf(measured));
    BigInteger up = total.subtract(scaledDowntime).multiply(BigInteger.TEN.pow(decimals + 2));
    return java.util.Optional.of(new BigDecimal(up.divide(total), decimals).toPlainString());
  }
}
