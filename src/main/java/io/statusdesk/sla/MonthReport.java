package io.statusdesk.sla;

import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything a month close stores and a tenant is shown: the SLA evaluation, plus the seconds
 * left out and why, and each outage with what of it counted. Seconds in which the monitor was
 * not running ({@link NoData}) are taken out of the outages before evaluation, so an outage
 * left open across a stopped monitor never turns the unobserved time into downtime.
 *
 * @param excludedSeconds seconds of outages an operator excluded
 * @param maintenanceSeconds seconds covered by counted maintenance windows (any scope)
 * @param noDataSeconds seconds in which some component was unobserved
 */
public record MonthReport(MonthEvaluation evaluation, long excludedSeconds,
    long maintenanceSeconds, long noDataSeconds, List<Line> outages) {

  /** One outage of the month and how many of its seconds counted, and why the rest did not. */
  public record Line(Outage outage, long seconds, long countedSeconds, long excludedSeconds,
      long maintenanceSeconds, long noDataSeconds) {}

  public static MonthReport of(YearMonth month, SlaPolicy policy, List<Outage> outages,
      List<MaintenanceWindow> windows, List<NoData> noData, Instant evaluatedAt) {
    Spans.Span bounds = SlaEvaluator.bounds(month, policy);
    List<MaintenanceWindow> counted = windows.stream().filter(MaintenanceWindow::counts).toList();
    List<Outage> observed = new ArrayList<>();
    List<Line> lines = new ArrayList<>();
    List<Spans.Span> excluded = new ArrayList<>();
    for (Outage o : outages) {
      Spans.Span span = SlaEvaluator.span(o.start(), o.end().orElse(evaluatedAt)).clip(bounds);
      List<Spans.Span> unobserved = noData.stream().filter(n -> n.component().equals(o.component()))
          .map(n -> SlaEvaluator.span(n.start(), n.end())).toList();
      List<Spans.Span> seen = Spans.minus(span, unobserved);
      long seenSeconds = Spans.measure(seen);
      long maintenance = 0;
      long countedSeconds = 0;
      if (o.exclusion().isPresent()) {
        excluded.addAll(seen);
      } else {
        List<Spans.Span> covering = counted.stream().filter(w -> w.covers(o.component()))
            .map(w -> SlaEvaluator.span(w.start(), w.end())).toList();
        countedSeconds = Spans.measureMinus(seen, covering);
        maintenance = seenSeconds - countedSeconds;
      }
      for (Spans.Span piece : seen) {
        observed.add(new Outage(o.id(), o.component(), o.outageClass(),
            Instant.ofEpochSecond(piece.from()), Optional.of(Instant.ofEpochSecond(piece.to())),
            o.exclusion()));
      }
      lines.add(new Line(o, span.length(), countedSeconds,
          o.exclusion().isPresent() ? seenSeconds : 0, maintenance, span.length() - seenSeconds));
    }
    MonthEvaluation evaluation = SlaEvaluator.evaluate(month, policy, observed, windows,
        evaluatedAt);
    long maintenanceSeconds = Spans.measure(counted.stream()
        .map(w -> SlaEvaluator.span(w.start(), w.end()).clip(bounds)).toList());
    long noDataSeconds = Spans.measure(noData.stream()
        .map(n -> SlaEvaluator.span(n.start(), n.end()).clip(bounds)).toList());
    return new MonthReport(evaluation, Spans.measure(excluded), maintenanceSeconds,
        noDataSeconds, lines);
  }

  public String excludedMinutes() {
    return MonthEvaluation.minutes(java.math.BigDecimal.valueOf(excludedSeconds));
  }

  public String maintenanceMinutes() {
    return MonthEvaluation.minutes(java.math.BigDecimal.valueOf(maintenanceSeconds));
  }

  public String noDataMinutes() {
    return MonthEvaluation.minutes(java.math.BigDecimal.valueOf(noDataSeconds));
  }
}
