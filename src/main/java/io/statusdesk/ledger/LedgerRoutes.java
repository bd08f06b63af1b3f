package io.statusdesk.ledger;

import io.statusdesk.Changes;
import io.statusdesk.Csv;
import io.statusdesk.CsvExport;
import io.statusdesk.DomainException;
import io.statusdesk.Input;
import io.statusdesk.admin.Auth;
import io.statusdesk.admin.Role;
import io.statusdesk.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.YearMonth;
import java.util.Optional;
import java.util.Set;

/** Billing's API: month close and reports, the entry feed, balances and applications. */
public final class LedgerRoutes {
  private static final int PAGE = 5_000;
  private final Ledger ledger;
  private final Auth auth;
  private final Clock clock;

  public LedgerRoutes(Ledger ledger, Auth auth, Clock clock) {
    this.ledger = ledger;
    this.auth = auth;
    this.clock = clock;
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    var readers = auth.require(Role.BILLING, Role.OPERATOR);
    router.post("/months/:month/close").handler(readers).handler(this::close);
    router.get("/months/:month/report").handler(readers).handler(this::report);
    router.get("/months/:month/report.csv").handler(readers).handler(this::reportCsv);
    router.get("/ledger/entries").handler(readers).handler(this::entries);
    router.get("/ledger/entries.csv").handler(readers).handler(this::entriesCsv);
    auth.withJson(router, HttpMethod.POST, "/ledger/applications", Role.BILLING)
        .handler(this::apply);
    router.get("/tenants/:tenant/credits").handler(readers).handler(this::credits);
    return router;
  }

  private void close(RoutingContext ctx) {
    YearMonth month = Input.month("month", ctx.pathParam("month"));
    ledger
        .close(month, Auth.principal(ctx).actor(), clock.instant())
        .onSuccess(c -> Changes.announce(ctx.vertx()))
        .onSuccess(
            c ->
                ctx.json(
                    new JsonObject()
                        .put("month", c.month().toString())
                        .put("revision", c.revision())
                        .put("new_revision", c.newRevision())
                        .put("entries_written", c.entriesWritten())
                        .put("credited_krw", c.creditedKrw())
                        .put("report", c.report())))
        .onFailure(ctx::fail);
  }

  /** {@code ?revision=N} answers that revision; without it, the latest. */
  private void report(RoutingContext ctx) {
    YearMonth month = Input.month("month", ctx.pathParam("month"));
    int revision = Input.queryInt(ctx, "revision", 0, 1, Integer.MAX_VALUE);
    closed(month, revision)
        .onSuccess(
            c ->
                ctx.json(
                    new JsonObject()
                        .put("revision", c.revision())
                        .put("closed_at", c.closedAt().toString())
                        .put("closed_by", c.closedBy())
                        .put("policy_id", c.policyId())
                        .put("report", c.report())))
        .onFailure(ctx::fail);
  }

  /**
   * Every tenant of the month as the latest revision settles it, one row each, with the reason a
   * tenant earned nothing; the month's figures are repeated for spreadsheets.
   */
  private void reportCsv(RoutingContext ctx) {
    reportCsv(ctx, ledger, Input.month("month", ctx.pathParam("month")));
  }

  /** The month's report as CSV, one row per tenant; the console downloads the same. */
  static void reportCsv(RoutingContext ctx, Ledger ledger, YearMonth month) {
    closed(ledger, month, 0)
        .onSuccess(
            c -> {
              JsonObject r = c.report();
              HttpServerResponse response =
                  CsvExport.start(
                      ctx,
                      "statusdesk-" + month + "-report.csv",
                      Csv.row(
                          "month",
                          "revision",
                          "mup",
                          "credit_pct",
                          "tenant_id",
                          "plan",
                          "members",
                          "status",
                          "fee_krw",
                          "credit_krw",
                          "zero_reason"));
              CsvExport.pages(
                  response,
                  "",
                  after -> ledger.lines(c, month, after, PAGE),
                  line ->
                      Csv.row(
                          month.toString(),
                          c.revision(),
                          r.getString("mup"),
                          r.getInteger("credit_pct"),
                          line.tenant().id(),
                          line.tenant().plan(),
                          line.tenant().members(),
                          line.tenant().status().dbValue(),
                          line.feeKrw(),
                          line.creditKrw(),
                          line.zeroReason().orElse("")),
                  line -> line.tenant().id());
            })
        .onFailure(ctx::fail);
  }

  private Future<LedgerRepository.MonthClose> closed(YearMonth month, int revision) {
    return closed(ledger, month, revision);
  }

  static Future<LedgerRepository.MonthClose> closed(Ledger ledger, YearMonth month, int revision) {
    return ledger
        .repository()
        .report(month, revision)
        .compose(
            c ->
                c.map(Future::succeededFuture)
                    .orElseGet(
                        () ->
                            Future.failedFuture(
                                DomainException.notFound(
                                    revision == 0
                                        ? "month " + month + " is not closed"
                                        : "month " + month + " has no revision " + revision))));
  }

  /**
   * {@code ?after=CURSOR&limit=N}: entries in commit order. Take {@code next_cursor} as the next
   * {@code after}, and keep asking while {@code has_more}: every entry arrives exactly once.
   */
  private void entries(RoutingContext ctx) {
    long after = cursor(ctx);
    int limit = Input.queryInt(ctx, "limit", 500, 1, 5_000);
    ledger
        .after(after, limit)
        .onSuccess(
            page ->
                ctx.json(
                    new JsonObject()
                        .put(
                            "entries",
                            new JsonArray(
                                page.entries().stream().map(LedgerEntry::toJson).toList()))
                        .put("next_cursor", String.valueOf(page.nextCursor()))
                        .put("has_more", page.hasMore())))
        .onFailure(ctx::fail);
  }

  private void entriesCsv(RoutingContext ctx) {
    long after = cursor(ctx);
    ledger
        .repository()
        .lastId()
        .onSuccess(
            last -> {
              if (after > last) {
                ctx.fail(
                    Input.invalid(
                        "after: cursor "
                            + after
                            + " was never issued (the newest "
                            + "entry is "
                            + last
                            + ")"));
                return;
              }
              HttpServerResponse response =
                  CsvExport.start(
                      ctx,
                      "statusdesk-ledger.csv",
                      Csv.row(
                          "id",
                          "created_at",
                          "tenant_id",
                          "kind",
                          "amount_krw",
                          "month",
                          "revision",
                          "reason",
                          "fee_krw",
                          "credit_pct",
                          "invoice_ref",
                          "invoice_total_krw",
                          "idempotency_key"));
              CsvExport.pages(
                  response,
                  after,
                  from -> ledger.repository().after(from, PAGE),
                  e ->
                      Csv.row(
                          e.id(),
                          e.createdAt().toString(),
                          e.tenantId(),
                          e.kind().dbValue(),
                          e.amountKrw(),
                          e.month(),
                          e.revision(),
                          e.reason(),
                          e.feeKrw(),
                          e.creditPct(),
                          e.invoiceRef(),
                          e.invoiceTotalKrw(),
                          e.idempotencyKey()),
                  LedgerEntry::id);
            })
        .onFailure(ctx::fail);
  }

  /**
   * {@code {tenant_id, invoice_ref, idempotency_key, amount_krw?, invoice_total_krw?}}: points
   * applied to a renewal or upgrade. Without {@code amount_krw}, the balance covers as much of the
   * invoice as it can. 201 when recorded, 200 on a replay or when there was nothing to apply.
   */
  private void apply(RoutingContext ctx) {
    JsonObject body =
        Input.body(
            ctx,
            Set.of(
                "tenant_id", "amount_krw", "invoice_total_krw", "invoice_ref", "idempotency_key"));
    String tenant = Input.text(body, "tenant_id", 64);
    if (!Tenant.ID.matcher(tenant).matches()) {
      throw Input.invalid("tenant_id: 1 to 64 of A-Z a-z 0-9 . _ -");
    }
    Optional<Long> amount = krw(body, "amount_krw");
    Optional<Long> total = krw(body, "invoice_total_krw");
    if (amount.isEmpty() && total.isEmpty()) {
      throw Input.invalid("amount_krw: give amount_krw, invoice_total_krw or both");
    }
    Applications.Request request =
        new Applications.Request(
            tenant,
            Input.text(body, "invoice_ref", 100),
            Input.text(body, "idempotency_key", 100),
            amount,
            total);
    ledger
        .apply(request, clock.instant())
        .onSuccess(
            a -> {
              ctx.response().setStatusCode(a.created() ? 201 : 200);
              ctx.json(a.toJson());
            })
        .onFailure(ctx::fail);
  }

  private static Optional<Long> krw(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof Integer || value instanceof Long)
        || ((Number) value).longValue() <= 0
        || ((Number) value).longValue() > 1_000_000_000_000L) {
      throw Input.invalid(field + ": a positive whole number of KRW");
    }
    return Optional.of(((Number) value).longValue());
  }

  private void credits(RoutingContext ctx) {
    ledger
        .credits(Tenant.pathId(ctx.pathParam("tenant")))
        .onSuccess(
            c ->
                ctx.json(
                    new JsonObject()
                        .put("tenant_id", c.tenantId())
                        .put("balance_krw", c.balanceKrw())
                        .put(
                            "entries",
                            new JsonArray(c.entries().stream().map(LedgerEntry::toJson).toList()))))
        .onFailure(ctx::fail);
  }

  private static long cursor(RoutingContext ctx) {
    return Input.queryLong(ctx, "after", 0, 0, Long.MAX_VALUE);
  }
}
