package io.statusdesk.ledger;

import io.statusdesk.notify.Event;
import io.statusdesk.notify.EventKind;
import io.statusdesk.sla.PolicyRules;
import io.statusdesk.sla.PolicyVersion;
import io.statusdesk.tenant.Tenant;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

/** The events of the ledger: a month closed, each paying tenant's statement, an SLA version. */
final class LedgerNotices {
  /** A statement lists at most this many of the month's outages (the report has them all). */
  static final int STATEMENT_OUTAGES = 50;

  private LedgerNotices() {}

  /** A close stored a new revision of a month's report: for the operators. */
  static Event monthClosed(YearMonth month, int revision, Ledger.Closed closed, Instant now) {
    JsonObject report = closed.report();
    return Event.of(
        EventKind.MONTH_CLOSED,
        "month:" + month,
        List.of(),
        lang ->
            new JsonObject()
                .put(
                    "month_close",
                    new JsonObject()
                        .put("month", month.toString())
                        .put("revision", revision)
                        .put("mup", report.getString("mup"))
                        .put("credit_pct", report.getInteger("credit_pct"))
                        .put("entries_written", closed.entriesWritten())
                        .put("credited_krw", closed.creditedKrw())),
        now,
        "month:" + month + ":revision:" + revision);
  }

  /**
   * One paying tenant's statement of a month's revision: the month's figures, the outages and
   * whether each touched the tenant, the credit it earned and its balance after the close.
   */
  static Event statement(
      YearMonth month,
      int revision,
      JsonObject report,
      Settlement.Billed billed,
      long creditKrw,
      long balanceKrw,
      Instant now) {
    Tenant tenant = billed.tenant();
    JsonArray outages = new JsonArray();
    report.getJsonArray("outages", new JsonArray()).stream()
        .limit(STATEMENT_OUTAGES)
        .map(JsonObject.class::cast)
        .forEach(
            o ->
                outages.add(
                    new JsonObject()
                        .put("component", o.getString("component"))
                        .put("class", o.getString("class"))
                        .put("started_at", o.getString("started_at"))
                        .put("ended_at", o.getString("ended_at"))
                        .put("counted_minutes", o.getString("counted_minutes"))
                        .put("excluded", o.getValue("exclusion") != null)
                        .put(
                            "touched_you",
                            tenant.touchedBy(
                                o.getString("component"),
                                "major".equals(o.getString("class")),
                                o.getJsonArray("cells", new JsonArray()).stream()
                                    .map(String::valueOf)
                                    .toList()))));
    JsonObject statement =
        new JsonObject()
            .put("tenant_id", tenant.id())
            .put("tenant_name", tenant.name())
            .put("plan", tenant.plan())
            .put("month", month.toString())
            .put("revision", revision)
            .put("mup", report.getString("mup"))
            .put("dt_minutes", report.getString("dt_minutes"))
            .put("credit_pct", report.getInteger("credit_pct"))
            .put("fee_krw", billed.feeKrw())
            .put("credit_krw", creditKrw)
            .put("balance_krw", balanceKrw)
            .put("sla_effective_from", report.getString("policy_effective_from"))
            .put("outages", outages)
            .put("outages_total", report.getJsonArray("outages", new JsonArray()).size());
    return Event.of(
        EventKind.STATEMENT_ISSUED,
        tenant.id(),
        List.of(),
        lang -> new JsonObject().put("statement", statement.copy()),
        now,
        "statement:" + tenant.id() + ":" + month + ":" + revision);
  }

  /** A new SLA version: every tenant contact hears of it the moment it is published. */
  static Event slaPublished(PolicyVersion before, PolicyVersion published) {
    Duration notice = Duration.between(published.publishedAt(), published.effectiveFrom());
    return Event.of(
        EventKind.SLA_PUBLISHED,
        "sla:" + published.id(),
        List.of(),
        lang ->
            new JsonObject()
                .put(
                    "sla_version",
                    PolicyRepository.toJson(published)
                        .put("text", published.text().in(lang))
                        .put(
                            "reduces_benefits",
                            PolicyRules.reducesBenefits(before.policy(), published.policy()))
                        .put("notice_days", notice.toDays())),
        published.publishedAt(),
        "sla:" + published.id() + ":published");
  }
}
