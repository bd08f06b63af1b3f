package io.statusdesk.ledger;

import io.statusdesk.Changes;
import io.statusdesk.DomainException;
import io.statusdesk.Input;
import io.statusdesk.Lang;
import io.statusdesk.admin.Console;
import io.statusdesk.admin.Section;
import io.statusdesk.sla.PolicyRules;
import io.statusdesk.sla.PolicyVersion;
import io.statusdesk.sla.SlaPolicy;
import io.statusdesk.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The console's billing pages: months (the current one as it stands, closing a past one, every
 * revision with what changed, JSON and CSV downloads), ledger entries with filters, a tenant's
 * balance and entries, and SLA versions (the one in force, and publishing a new one after the
 * 30-day rule was checked). Actions go through {@link Ledger} and {@link PolicyRepository}, the
 * forms through the API's own parsing.
 */
public final class LedgerConsole {
  private static final int PAGE = 100;
  private static final int MONTHS = 12;
  private static final List<String> FIGURES =
      List.of(
          "mup",
          "credit_pct",
          "tt_minutes",
          "major_minutes",
          "partial_minutes",
          "dt_minutes",
          "excluded_minutes",
          "maintenance_minutes",
          "no_data_minutes");

  private final Ledger ledger;
  private final PolicyRepository policies;
  private final Console console;

  public LedgerConsole(Ledger ledger, PolicyRepository policies, Console console) {
    this.ledger = ledger;
    this.policies = policies;
    this.console = console;
  }

  public Router router(Vertx vertx) {
    Router r = Router.router(vertx);
    console.get(r, "/admin/months", Section.MONTHS).handler(this::months);
    console
        .get(r, "/admin/months/:month", Section.MONTHS)
        .handler(ctx -> month(ctx, 200, Map.of()));
    console.post(r, "/admin/months/:month/close", Section.MONTHS).handler(this::close);
    console.get(r, "/admin/months/:month/report.json", Section.MONTHS).handler(this::reportJson);
    console
        .get(r, "/admin/months/:month/report.csv", Section.MONTHS)
        .handler(ctx -> LedgerRoutes.reportCsv(ctx, ledger, month(ctx)));
    console.get(r, "/admin/ledger", Section.LEDGER).handler(this::entries);
    console.get(r, "/admin/ledger/tenants/:tenant", Section.LEDGER).handler(this::tenant);
    console.get(r, "/admin/sla", Section.SLA).handler(ctx -> sla(ctx, 200, Map.of()));
    console.post(r, "/admin/sla/check", Section.SLA).handler(this::check);
    console.post(r, "/admin/sla", Section.SLA).handler(this::publish);
    return r;
  }

  private static YearMonth month(RoutingContext ctx) {
    return Input.month("month", ctx.pathParam("month"));
  }

  /** The last twelve months: closed ones with their latest figures, the rest as they stand. */
  private void months(RoutingContext ctx) {
    Instant now = console.now();
    YearMonth current = YearMonth.from(now.atZone(console.zone()));
    Future.all(
            LedgerRepository.closedMonths(ledger.repository().pool()),
            ledger.evaluate(current, now).map(Optional::of).otherwise(Optional.empty()))
        .onSuccess(
            all -> {
              List<ClosedMonth> closed = all.resultAt(0);
              Optional<Ledger.Evaluated> standing = all.resultAt(1);
              Map<String, ClosedMonth> byMonth = new HashMap<>();
              closed.forEach(c -> byMonth.put(c.month().toString(), c));
              List<Map<String, Object>> rows = new ArrayList<>();
              for (int i = 0; i < MONTHS; i++) {
                YearMonth m = current.minusMonths(i);
                ClosedMonth c = byMonth.get(m.toString());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("month", m.toString());
                row.put("closed", c != null);
                row.put("mup", c == null ? "" : c.mup());
                row.put("credit_pct", c == null ? "" : String.valueOf(c.creditPct()));
                row.put("revision", c == null ? "" : String.valueOf(c.revision()));
                rows.add(row);
              }
              Map<String, Object> model = new HashMap<>();
              model.put("section", "months");
              model.put("months", rows);
              model.put("current", current.toString());
              standing.ifPresent(e -> model.put("standing", figures(e.json())));
              console.render(ctx, "months", model);
            })
        .onFailure(ctx::fail);
  }

  private static Map<String, Object> figures(JsonObject report) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (String key : FIGURES) {
      m.put(key, String.valueOf(report.getValue(key, "")));
    }
    return m;
  }

  /**
   * One month: the latest revision's figures (or the month as it stands), every revision and what
   * changed from the one before, and the close button once it has ended.
   */
  private void month(RoutingContext ctx, int status, Map<String, Object> extra) {
    YearMonth month = month(ctx);
    Instant now = console.now();
    Future.all(
            ledger.repository().revisions(month),
            ledger
                .evaluate(month, now)
                .map(Optional::of)
                .recover(
                    e ->
                        e instanceof DomainException
                            ? Future.succeededFuture(Optional.empty())
                            : Future.failedFuture(e)))
        .onSuccess(
            all -> {
              List<LedgerRepository.MonthClose> revisions = all.resultAt(0);
              Optional<Ledger.Evaluated> standing = all.resultAt(1);
              Map<String, Object> model = new HashMap<>(extra);
              model.put("section", "months");
              model.put("month", month.toString());
              model.put(
                  "ended",
                  standing
                      .map(e -> e.month().ended(now))
                      .orElse(
                          !month.isAfter(
                              YearMonth.from(now.atZone(console.zone())).minusMonths(1))));
              standing.ifPresent(e -> model.put("standing", figures(e.json())));
              standing.ifPresent(e -> model.put("standing_outages", outages(e.json())));
              List<Map<String, Object>> rows = new ArrayList<>();
              for (int i = 0; i < revisions.size(); i++) {
                LedgerRepository.MonthClose c = revisions.get(i);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("revision", c.revision());
                row.put("closed_at", console.when(c.closedAt()));
                row.put("closed_by", c.closedBy());
                row.put("figures", figures(c.report()));
                row.put(
                    "changes",
                    i + 1 < revisions.size()
                        ? changes(revisions.get(i + 1).report(), c.report())
                        : List.of());
                rows.add(row);
              }
              model.put("revisions", rows);
              console.render(ctx, status, "month", model);
            })
        .onFailure(ctx::fail);
  }

  private static List<Map<String, Object>> outages(JsonObject report) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : report.getJsonArray("outages", new JsonArray())) {
      JsonObject x = (JsonObject) o;
      out.add(
          Map.of(
              "id", String.valueOf(x.getValue("id")),
              "component", x.getString("component", ""),
              "class", x.getString("class", ""),
              "counted", x.getString("counted_minutes", "")));
    }
    return out;
  }

  /** Each figure that differs between two revisions: "mup 99.500 → 98.100". */
  private static List<Map<String, Object>> changes(JsonObject before, JsonObject after) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String key : FIGURES) {
      Object was = before.getValue(key);
      Object is = after.getValue(key);
      if (was == null ? is != null : !String.valueOf(was).equals(String.valueOf(is))) {
        out.add(Map.of("figure", key, "before", String.valueOf(was), "after", String.valueOf(is)));
      }
    }
    int outagesBefore = before.getJsonArray("outages", new JsonArray()).size();
    int outagesAfter = after.getJsonArray("outages", new JsonArray()).size();
    if (outagesBefore != outagesAfter
        || !before
            .getJsonArray("outages", new JsonArray())
            .equals(after.getJsonArray("outages", new JsonArray()))) {
      out.add(
          Map.of(
              "figure", "outages",
              "before", String.valueOf(outagesBefore),
              "after", String.valueOf(outagesAfter)));
    }
    return out;
  }

  private void close(RoutingContext ctx) {
    YearMonth month = month(ctx);
    ledger
        .close(month, Console.principal(ctx).actor(), console.now())
        .onSuccess(c -> Changes.announce(ctx.vertx()))
        .onSuccess(
            c ->
                Console.seeOther(
                    ctx,
                    "/admin/months/"
                        + month
                        + "?done="
                        + (c.newRevision() ? "month_closed" : "month_unchanged")))
        .onFailure(
            e ->
                Console.failed(
                    ctx, e, (status, error) -> month(ctx, status, Map.of("error", error))));
  }

  private void reportJson(RoutingContext ctx) {
    YearMonth month = month(ctx);
    LedgerRoutes.closed(ledger, month, 0)
        .onSuccess(
            c ->
                ctx.response()
                    .putHeader("Content-Type", "application/json; charset=utf-8")
                    .putHeader(
                        "Content-Disposition",
                        "attachment; filename=\"statusdesk-" + month + "-report.json\"")
                    .end(
                        new JsonObject()
                            .put("revision", c.revision())
                            .put("closed_at", c.closedAt().toString())
                            .put("closed_by", c.closedBy())
                            .put("report", c.report())
                            .encodePrettily()))
        .onFailure(ctx::fail);
  }

  private void entries(RoutingContext ctx) {
    Optional<String> tenant = Optional.ofNullable(Console.field(ctx, "tenant"));
    tenant.ifPresent(Tenant::pathId);
    Optional<String> kind = Optional.ofNullable(Console.field(ctx, "kind"));
    kind.ifPresent(
        k -> {
          if (Set.of("issue", "adjust", "expire", "application", "unrecovered").stream()
              .noneMatch(k::equals)) {
            throw Input.invalid("kind: issue, adjust, expire, application or unrecovered");
          }
        });
    Optional<String> month =
        Optional.ofNullable(Console.field(ctx, "month"))
            .map(m -> Input.month("month", m).toString());
    long before = Input.queryLong(ctx, "before", Long.MAX_VALUE, 1, Long.MAX_VALUE);
    ledger
        .repository()
        .page(new LedgerRepository.Filter(tenant, kind, month), before, PAGE + 1)
        .onSuccess(
            list -> {
              Map<String, Object> model = new HashMap<>();
              model.put("section", "ledger");
              model.put(
                  "entries",
                  list.subList(0, Math.min(PAGE, list.size())).stream().map(this::entry).toList());
              model.put(
                  "filter",
                  Map.of(
                      "tenant",
                      tenant.orElse(""),
                      "kind",
                      kind.orElse(""),
                      "month",
                      month.orElse("")));
              model.put(
                  "kinds", List.of("issue", "adjust", "expire", "application", "unrecovered"));
              StringBuilder query = new StringBuilder();
              tenant.ifPresent(t -> query.append("tenant=").append(Input.urlEncode(t)).append('&'));
              kind.ifPresent(k -> query.append("kind=").append(k).append('&'));
              month.ifPresent(m -> query.append("month=").append(m).append('&'));
              model.put(
                  "next_href",
                  list.size() > PAGE
                      ? "/admin/ledger?" + query + "before=" + list.get(PAGE - 1).id()
                      : "");
              console.render(ctx, "ledger", model);
            })
        .onFailure(ctx::fail);
  }

  private Map<String, Object> entry(LedgerEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("at", console.when(e.createdAt()));
    m.put("tenant", e.tenantId());
    m.put("kind", e.kind().dbValue());
    m.put("amount", e.amountKrw());
    m.put("month", e.month() == null ? "" : e.month());
    m.put("revision", e.revision() == null ? "" : String.valueOf(e.revision()));
    m.put("reason", e.reason() == null ? "" : e.reason());
    m.put("invoice", e.invoiceRef() == null ? "" : e.invoiceRef());
    return m;
  }

  private void tenant(RoutingContext ctx) {
    String id = Tenant.pathId(ctx.pathParam("tenant"));
    ledger
        .credits(id)
        .onSuccess(
            c -> {
              Map<String, Object> model = new HashMap<>();
              model.put("section", "ledger");
              model.put("tenant", id);
              model.put("balance", c.balanceKrw());
              List<Map<String, Object>> rows =
                  new ArrayList<>(c.entries().stream().map(this::entry).toList());
              Collections.reverse(rows);
              model.put("entries", rows);
              console.render(ctx, "ledger-tenant", model);
            })
        .onFailure(ctx::fail);
  }

  private void sla(RoutingContext ctx, int status, Map<String, Object> extra) {
    String lang = Lang.of(ctx);
    Instant now = console.now();
    policies
        .all()
        .onSuccess(
            versions -> {
              Optional<PolicyVersion> inForce = PolicyVersion.inForce(versions, now);
              Map<String, Object> model = new HashMap<>(extra);
              model.put("section", "sla");
              List<Map<String, Object>> rows = new ArrayList<>();
              for (int i = versions.size() - 1; i >= 0; i--) {
                PolicyVersion v = versions.get(i);
                JsonObject json = PolicyRepository.toJson(v);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", v.id());
                row.put("effective_from", console.when(v.effectiveFrom()));
                row.put("published_at", console.when(v.publishedAt()));
                row.put("timezone", json.getString("timezone"));
                row.put("partial_weight", json.getString("partial_weight"));
                row.put("tiers", tiers(v.policy()));
                row.put("text", v.text().in(lang));
                row.put("in_force", inForce.map(f -> f.id() == v.id()).orElse(false));
                row.put("future", v.effectiveFrom().isAfter(now));
                rows.add(row);
              }
              model.put("versions", rows);
              inForce.ifPresent(
                  v ->
                      model.putIfAbsent(
                          "form",
                          Map.of(
                              "timezone", v.policy().timezone().getId(),
                              "partial_weight",
                                  PolicyRepository.toJson(v).getString("partial_weight"),
                              "tiers", tiers(v.policy()),
                              "text", v.text().en(),
                              "text_ko", v.text().ko(),
                              "effective_from",
                                  console.local(
                                      now.plus(PolicyRules.NOTICE).plus(Duration.ofDays(1))))));
              console.render(ctx, status, "sla", model);
            })
        .onFailure(ctx::fail);
  }

  /** Tiers as the form writes them: one {@code min_mup credit_pct} pair a line. */
  private static String tiers(SlaPolicy p) {
    StringBuilder out = new StringBuilder();
    p.tiers()
        .forEach(
            t ->
                out.append(t.minMup().toPlainString())
                    .append(' ')
                    .append(t.creditPct())
                    .append('\n'));
    return out.toString().strip();
  }

  /** The form as the API's body: tiers from their lines. */
  private PolicyRoutes.Proposed proposed(RoutingContext ctx) {
    JsonObject body = console.json(ctx, Set.of("effective_from"));
    String lines = (String) body.remove("tiers");
    JsonArray tiers = new JsonArray();
    if (lines != null) {
      for (String line : lines.split("\\R", -1)) {
        if (line.isBlank()) {
          continue;
        }
        String[] parts = line.strip().split("[\\s,;]+", -1);
        int pct;
        try {
          pct = Integer.parseInt(parts[parts.length - 1]);
          new BigDecimal(parts[0]);
        } catch (NumberFormatException e) {
          throw Input.invalid("tiers: one \"min_mup credit_pct\" pair a line, e.g. 99.0 0");
        }
        if (parts.length != 2) {
          throw Input.invalid("tiers: one \"min_mup credit_pct\" pair a line, e.g. 99.0 0");
        }
        tiers.add(new JsonObject().put("min_mup", parts[0]).put("credit_pct", pct));
      }
    }
    body.put("tiers", tiers);
    return PolicyRoutes.proposed(body, console.now());
  }

  private void check(RoutingContext ctx) {
    Console.attempt(
            () -> {
              PolicyRoutes.Proposed p = proposed(ctx);
              return policies.check(p.policy(), p.effectiveFrom(), console.now());
            })
        .onSuccess(v -> sla(ctx, 200, Map.of("checked", true, "form", Console.echo(ctx))))
        .onFailure(
            e ->
                Console.failed(
                    ctx,
                    e,
                    (status, error) ->
                        sla(ctx, status, Map.of("error", error, "form", Console.echo(ctx)))));
  }

  private void publish(RoutingContext ctx) {
    Console.attempt(
            () -> {
              PolicyRoutes.Proposed p = proposed(ctx);
              return policies.publish(
                  p.policy(),
                  p.text(),
                  p.effectiveFrom(),
                  Console.principal(ctx).actor(),
                  console.now());
            })
        .onSuccess(v -> Changes.announce(ctx.vertx()))
        .onSuccess(v -> Console.seeOther(ctx, "/admin/sla?done=sla_published"))
        .onFailure(
            e ->
                Console.failed(
                    ctx,
                    e,
                    (status, error) ->
                        sla(ctx, status, Map.of("error", error, "form", Console.echo(ctx)))));
  }
}
