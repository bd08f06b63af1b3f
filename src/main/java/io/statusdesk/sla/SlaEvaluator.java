package io.statusdesk.sla;

import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges one month by DESIGN.md's accounting rules: a second weighs 1 under a counted major
 * outage, else the partial weight under a counted partial one, else 0; overlaps never add up.
 * Counted maintenance (announced before it started) removes the seconds of the outages it
 * covers; service-wide windows also shorten TT. Open outages count up to {@code evaluatedAt}.
 */
public final class SlaEvaluator {
  private SlaEvaluator() {}

  public static MonthEvaluation evaluate(YearMonth month, SlaPolicy policy, List<Outage> outages,
      List<MaintenanceWindow> windows, Instant evaluatedAt) {
    Spans.Span bounds = bounds(month, policy);
    List<MaintenanceWindow> counted = windows.stream().filter(MaintenanceWindow::counts).toList();
    List<Spans.Span> serviceWide = counted.stream().filter(MaintenanceWindow::serviceWide)
        .map(w -> span(w.start(), w.end()).clip(bounds)).toList();
    long tt = bounds.length() - Spans.measure(serviceWide);

    List<Spans.Span> major = new ArrayList<>();
    List<Spans.Span> partial = new ArrayList<>();
    for (Outage o : outages) {
      if (o.exclusion().isPresent()) {
        continue;
      }
      Instant end = o.end().orElse(evaluatedAt);
      Spans.Span span = span(o.start(), end).clip(bounds);
      List<Spans.Span> covering = counted.stream().filter(w -> w.covers(o.component()))
          .map(w -> span(w.start(), w.end())).toList();
      (o.outageClass() == OutageClass.MAJOR ? major : partial)
          .addAll(Spans.minus(span, covering));
    }
    long majorSeconds = Spans.measure(major);
    long partialSeconds = Spans.measureMinus(partial, Spans.union(major));
    long scale = policy.partialWeightDenominator();
    long scaledDowntime = scale * majorSeconds + policy.partialWeightNumerator() * partialSeconds;
    int pct = policy.tiers().stream()
        .filter(t -> tt == 0 || MonthEvaluation.reaches(tt, scaledDowntime, scale, t.minMup()))
        .findFirst().orElseThrow().creditPct();
    return new MonthEvaluation(month, tt, majorSeconds, partialSeconds, scaledDowntime, scale, pct);
  }

  /** The month's seconds in the policy's time zone. */
  static Spans.Span bounds(YearMonth month, SlaPolicy policy) {
    return new Spans.Span(month.atDay(1).atStartOfDay(policy.timezone()).toEpochSecond(),
        month.plusMonths(1).atDay(1).atStartOfDay(policy.timezone()).toEpochSecond());
  }

  static Spans.Span span(Instant from, Instant to) {
    return new Spans.Span(from.getEpochSecond(), to.getEpochSecond());
  }
}
