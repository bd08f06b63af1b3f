package io.statusdesk.sla;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

/**
 * Everything a month close stores and a tenant is shown: the SLA evaluation, plus the seconds left
 * out and why, and each outage with what of it counted.
 *
 * @param excludedSeconds seconds of outages an operator excluded (rule 4)
 * @param maintenanceSeconds seconds covered by counted maintenance windows of any scope (rule 5)
 * @param noDataSeconds seconds in which some component was unobserved (rule 7)
 */
public record MonthReport(
    MonthEvaluation evaluation,
    long excludedSeconds,
    long maintenanceSeconds,
    long noDataSeconds,
    List<Line> outages) {

  /** One outage of the month and how many of its seconds counted, and why the rest did not. */
  public record Line(
      Outage outage,
      long seconds,
      long countedSeconds,
      long excludedSeconds,
      long maintenanceSeconds,
      long noDataSeconds) {}

  public static MonthReport of(
      YearMonth month,
      SlaPolicy policy,
      List<Outage> outages,
      List<MaintenanceWindow> windows,
      List<NoData> noData,
      Instant evaluatedAt) {
    ContractMonth m = new ContractMonth(month, policy.timezone());
    Timeline t = Timeline.of(m.start(), m.end(), outages, windows, noData, evaluatedAt);
    return new MonthReport(
        SlaEvaluator.evaluation(month, policy, t),
        t.excludedSeconds,
        Spans.measure(t.maintained),
        Spans.measure(t.unobserved),
        t.lines);
  }

  public String excludedMinutes() {
    return MonthEvaluation.minutes(BigDecimal.valueOf(excludedSeconds));
  }

  public String maintenanceMinutes() {
    return MonthEvaluation.minutes(BigDecimal.valueOf(maintenanceSeconds));
  }

  public String noDataMinutes() {
    return MonthEvaluation.minutes(BigDecimal.valueOf(noDataSeconds));
  }
}
