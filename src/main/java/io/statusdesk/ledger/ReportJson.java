package io.statusdesk.ledger;

import io.statusdesk.outage.OutageRecord;
import io.statusdesk.sla.MonthEvaluation;
import io.statusdesk.sla.MonthReport;
import io.statusdesk.sla.PolicyVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A month's stored report. It holds only what the month's facts determine (no close time), so two
 * closes over the same facts produce equal reports and the second stores nothing.
 */
final class ReportJson {
  private ReportJson() {}

  static JsonObject of(
      YearMonth month, PolicyVersion version, MonthReport report, List<OutageRecord> records) {
    MonthEvaluation e = report.evaluation();
    Map<String, OutageRecord> byId =
        records.stream()
            .collect(Collectors.toMap(r -> String.valueOf(r.id()), Function.identity()));
    JsonArray outages = new JsonArray();
    for (MonthReport.Line line : report.outages()) {
      outages.add(
          byId.get(line.outage().id())
              .toJson()
              .put("minutes", minutes(line.seconds()))
              .put("counted_minutes", minutes(line.countedSeconds()))
              .put("excluded_minutes", minutes(line.excludedSeconds()))
              .put("maintenance_minutes", minutes(line.maintenanceSeconds()))
              .put("no_data_minutes", minutes(line.noDataSeconds())));
    }
    return new JsonObject()
        .put("month", month.toString())
        .put("timezone", version.policy().timezone().getId())
        .put("policy_id", version.id())
        .put("policy_effective_from", version.effectiveFrom().toString())
        .put("tt_minutes", e.ttMinutes())
        .put("major_minutes", e.majorMinutes())
        .put("partial_minutes", e.partialMinutes())
        .put("dt_minutes", e.downtimeMinutes())
        .put("excluded_minutes", report.excludedMinutes())
        .put("maintenance_minutes", report.maintenanceMinutes())
        .put("no_data_minutes", report.noDataMinutes())
        .put("mup", e.mup())
        .put("credit_pct", e.creditPct())
        .put("outages", outages);
  }

  private static String minutes(long seconds) {
    return MonthEvaluation.minutes(BigDecimal.valueOf(seconds));
  }
}
