package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.statusdesk.store.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The console's pages doing their work over HTTP as a browser sends it: maintenance warnings that
 * must be confirmed, ending and cancelling windows; incident updates in both languages, resolving
 * and hiding; the tenant import's line-numbered errors; SLA versions checked before they are
 * published; the audit log's filters and its CSV.
 */
@ExtendWith(VertxExtension.class)
class ConsolePagesTest {
  static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneId.of("Asia/Seoul"));

  private ServiceHarness harness;
  private WebClient web;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    harness = ServiceHarness.start(vertx, ConsoleSignInTest.CHECKS, Map.of());
    web = ConsoleUser.client(harness);
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  private HttpResponse<Buffer> anonymous(String path) throws Exception {
    return get(web.get(harness.service.httpPort(), "127.0.0.1", path).send());
  }

  private Map<String, String> window(String title, Instant start) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("title", title);
    form.put("description", "Upkeep");
    form.put("components", "ticketing");
    form.put("starts_at", LOCAL.format(start));
    form.put("ends_at", LOCAL.format(start.plus(Duration.ofHours(1))));
    form.put("repeat", "none");
    return form;
  }

  private static String path(HttpResponse<Buffer> redirect) {
    return redirect.getHeader("Location").replaceAll("\\?.*", "");
  }

  @Test
  void maintenanceOnShortNoticeWaitsForConfirmationThenEndsEarlyOrIsCancelled() throws Exception {
    ConsoleUser op = ConsoleUser.signedIn(harness, "op@example.com", "operator");
    Instant now = harness.clock.instant();
    Map<String, String> soon = window("Soon", now.plus(Duration.ofMinutes(10)));
    HttpResponse<Buffer> warned = op.submit("/admin/maintenance/new", "/admin/maintenance", soon);
    assertThat(warned.statusCode()).isEqualTo(409);
    assertThat(warned.bodyAsString())
        .contains("id=\"warning-short_notice\"", "id=\"warning-starts_soon\"")
        .contains("name=\"confirmed\" value=\"1\"");
    assertThat(harness.count("SELECT count(*) FROM maintenance_windows")).isZero();

    soon.put("confirmed", "1");
    HttpResponse<Buffer> saved = op.submit("/admin/maintenance/new", "/admin/maintenance", soon);
    assertThat(saved.statusCode()).as(saved.bodyAsString()).isEqualTo(303);
    String first = path(saved);
    // under way: ending it now shortens it to now
    harness.clock.advance(Duration.ofMinutes(15));
    assertThat(op.submit(first, first + "/end", Map.of()).statusCode()).isEqualTo(303);
    Instant ended =
        Instant.ofEpochSecond(
            harness.count(
                "SELECT floor(extract(epoch FROM ends_at))::bigint FROM maintenance_windows"
                    + " WHERE title_en = 'Soon'"));
    assertThat(ended).isBetween(now.plus(Duration.ofMinutes(10)), harness.clock.instant());

    // three weeks ahead: no warning, saved at once; then cancelled
    HttpResponse<Buffer> later =
        op.submit(
            "/admin/maintenance/new",
            "/admin/maintenance",
            window("Later", now.plus(Duration.ofDays(21))));
    assertThat(later.statusCode()).as(later.bodyAsString()).isEqualTo(303);
    String second = path(later);
    assertThat(op.submit(second, second + "/cancel", Map.of()).statusCode()).isEqualTo(303);
    assertThat(op.get(second).bodyAsString())
        .contains("<strong>cancelled</strong>")
        .doesNotContain("cancel-maintenance");
    assertThat(
            harness.count(
                "SELECT count(*) FROM maintenance_windows"
                    + " WHERE title_en = 'Later' AND cancelled_at IS NOT NULL"))
        .isEqualTo(1);
    assertThat(harness.count("SELECT count(*) FROM audit_log WHERE action LIKE 'maintenance.%'"))
        .isEqualTo(4);
  }

  @Test
  void anIncidentIsUpdatedInBothLanguagesResolvedAndHidden() throws Exception {
    ConsoleUser op = ConsoleUser.signedIn(harness, "op@example.com", "operator");
    HttpResponse<Buffer> opened =
        op.submit(
            "/admin/incidents/new",
            "/admin/incidents",
            Map.of(
                "title", "Tickets are slow",
                "impact_ticketing", "degraded_performance",
                "started_at", LOCAL.format(harness.clock.instant().minusSeconds(600)),
                "status", "investigating",
                "message", "Looking into it"));
    assertThat(opened.statusCode()).as(opened.bodyAsString()).isEqualTo(303);
    String incident = path(opened);
    String id = incident.substring(incident.lastIndexOf('/') + 1);
    assertThat(
            op.submit(
                    incident,
                    incident + "/updates",
                    Map.of(
                        "status", "resolved",
                        "message", "Fixed the queue",
                        "message_ko", "대기열을 고쳤습니다"))
                .statusCode())
        .isEqualTo(303);
    assertThat(op.get(incident).bodyAsString())
        .contains("Fixed the queue")
        .doesNotContain("id=\"update-form\"");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> anonymous("/incidents/" + id + "?lang=ko").bodyAsString().contains("대기열을"));
    assertThat(anonymous("/incidents/" + id + "?lang=en").bodyAsString())
        .contains("Fixed the queue");

    assertThat(
            op.submit(
                    incident,
                    incident + "/edit",
                    Map.of(
                        "title", "Tickets are slow",
                        "impact_ticketing", "degraded_performance",
                        "hidden", "on",
                        "hidden_reason", "opened by mistake"))
                .statusCode())
        .isEqualTo(303);
    assertThat(op.get(incident).bodyAsString()).contains("class=\"badge\"");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> anonymous("/incidents/" + id + "?lang=en").statusCode() == 404);
    assertThat(anonymous("/history?lang=en").bodyAsString()).doesNotContain("Tickets are slow");
  }

  @Test
  void aTenantImportListsEveryBadLineAndWritesNothingUntilItIsClean() throws Exception {
    ConsoleUser billing = ConsoleUser.signedIn(harness, "bill@example.com", "billing");
    String bad =
        """
        id,name,plan,members,status,cells
        acme,Acme,earth,12,current,
        beta,Beta,no-such-plan,3,current,
        gamma,Gamma,earth,-1,current,
        """;
    HttpResponse<Buffer> refused =
        billing.upload("/admin/tenants/import", "/admin/tenants/import", bad, Map.of());
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.bodyAsString())
        .contains("id=\"import-errors\"")
        .containsPattern("<li>line 3: [^<]*plan")
        .containsPattern("<li>line 4: [^<]*members");
    assertThat(harness.count("SELECT count(*) FROM tenant_versions")).isZero();

    HttpResponse<Buffer> imported =
        billing.upload(
            "/admin/tenants/import",
            "/admin/tenants/import",
            "id,name,plan,members,status,cells\nacme,Acme,earth,12,current,\n",
            Map.of());
    assertThat(imported.statusCode()).as(imported.bodyAsString()).isEqualTo(200);
    assertThat(imported.bodyAsString()).contains("id=\"import-result\"");
    assertThat(harness.count("SELECT count(*) FROM tenant_versions WHERE tenant_id = 'acme'"))
        .isEqualTo(1);
    assertThat(billing.get("/admin/tenants?q=acm").bodyAsString()).contains("/admin/tenants/acme");
  }

  private static Map<String, String> stingy(Instant effective) {
    return Map.of(
        "timezone", "Asia/Seoul",
        "partial_weight", "0.3",
        "effective_from", LOCAL.format(effective),
        "tiers", "98.0 0\n0 10\n",
        "text", "Less",
        "text_ko", "적게");
  }

  @Test
  void anSlaVersionIsCheckedBeforeItIsPublishedAndTheThirtyDayRuleHolds() throws Exception {
    ConsoleUser op = ConsoleUser.signedIn(harness, "op@example.com", "operator");
    long versions = harness.count("SELECT count(*) FROM sla_policies");
    Instant now = harness.clock.instant();
    Map<String, String> tooSoon = stingy(now.plus(Duration.ofDays(10)));
    HttpResponse<Buffer> checked = op.submit("/admin/sla", "/admin/sla/check", tooSoon);
    assertThat(checked.statusCode()).isEqualTo(409);
    assertThat(checked.bodyAsString()).contains("at least 30 days after it is published");
    assertThat(op.submit("/admin/sla", "/admin/sla", tooSoon).statusCode()).isEqualTo(409);
    assertThat(harness.count("SELECT count(*) FROM sla_policies")).isEqualTo(versions);

    Map<String, String> noticed = stingy(now.plus(Duration.ofDays(31)));
    HttpResponse<Buffer> fine = op.submit("/admin/sla", "/admin/sla/check", noticed);
    assertThat(fine.statusCode()).isEqualTo(200);
    assertThat(fine.bodyAsString()).contains("id=\"sla-checked\"");
    assertThat(harness.count("SELECT count(*) FROM sla_policies")).isEqualTo(versions);
    assertThat(op.submit("/admin/sla", "/admin/sla", noticed).statusCode()).isEqualTo(303);
    assertThat(harness.count("SELECT count(*) FROM sla_policies")).isEqualTo(versions + 1);
  }

  @Test
  void theAuditLogFiltersByActorAndActionAndItsCsvHoldsTheSameRows() throws Exception {
    ConsoleUser op = ConsoleUser.signedIn(harness, "op@example.com", "operator");
    ConsoleUser billing = ConsoleUser.signedIn(harness, "bill@example.com", "billing");
    Instant now = harness.clock.instant();
    for (String title : List.of("One", "Two")) {
      op.submit(
          "/admin/maintenance/new",
          "/admin/maintenance",
          window(title, now.plus(Duration.ofDays(20))));
    }
    billing.submit(
        "/admin/tenants",
        "/admin/tenants/acme",
        Map.of("name", "Acme", "plan", "earth", "members", "3", "status", "current"));

    String page =
        billing.get("/admin/audit?actor=op%40example.com&action=maintenance").bodyAsString();
    assertThat(page.split("<td>maintenance.create</td>", -1)).hasSize(3);
    assertThat(page).doesNotContain("tenant.", "account.");
    assertThat(billing.get("/admin/audit?action=tenant").bodyAsString())
        .contains("bill@example.com")
        .doesNotContain("<td>maintenance.create</td>");
    String tomorrow = LOCAL.format(now.plus(Duration.ofDays(1))).substring(0, 10);
    assertThat(billing.get("/admin/audit?action=maintenance&from=" + tomorrow).bodyAsString())
        .doesNotContain("<td>maintenance.create</td>");

    HttpResponse<Buffer> csv = billing.get("/admin/audit.csv?actor=op%40example.com&action=main");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.getHeader("Content-Type")).startsWith("text/csv");
    List<String> lines = csv.bodyAsString().lines().toList();
    assertThat(lines.get(0)).isEqualTo("id,at,actor,action,entity,entity_id,before,after");
    assertThat(lines.subList(1, lines.size()))
        .hasSize(2)
        .allMatch(
            l ->
                l.matches(
                    "\\d+,[^,]+,\"?op@example\\.com \\(operator\\)\"?,maintenance\\.create,.*"));
  }

  @Test
  void aPastMonthIsClosedThenRevisedWithWhatChangedAndItsDownloadsAreTheApis() throws Exception {
    billedSinceLongAgo();
    ConsoleUser billing = ConsoleUser.signedIn(harness, "bill@example.com", "billing");
    String month = YearMonth.now(ZoneId.of("Asia/Seoul")).minusMonths(1).toString();
    String page = "/admin/months/" + month;
    assertThat(billing.get(page).bodyAsString()).contains("id=\"close-month\"");
    HttpResponse<Buffer> closed = billing.submit(page, page + "/close", Map.of());
    assertThat(closed.getHeader("Location"))
        .as(closed.statusCode() + " " + closed.bodyAsString())
        .isEqualTo(page + "?done=month_closed");
    assertThat(billing.get(page).bodyAsString())
        .contains("id=\"revision-1\"", "bill@example.com", "id=\"report-csv\"");
    HttpResponse<Buffer> again = billing.submit(page, page + "/close", Map.of());
    assertThat(again.getHeader("Location")).isEqualTo(page + "?done=month_unchanged");
    assertThat(billing.get(page).bodyAsString()).doesNotContain("id=\"revision-2\"");
    // an outage found later in that month: closing again makes a revision saying what changed
    ConsoleUser op = ConsoleUser.signedIn(harness, "op@example.com", "operator");
    Instant mid =
        YearMonth.parse(month).atDay(15).atTime(10, 0).atZone(ZoneId.of("Asia/Seoul")).toInstant();
    HttpResponse<Buffer> late =
        op.submit(
            "/admin/incidents/new",
            "/admin/incidents",
            Map.of(
                "title", "Found in the logs",
                "impact_ticketing", "major_outage",
                "started_at", LOCAL.format(mid),
                "status", "resolved",
                "resolved_at", LOCAL.format(mid.plus(Duration.ofHours(12))),
                "message", "Down for twelve hours"));
    assertThat(late.statusCode()).as(late.bodyAsString()).isEqualTo(303);
    assertThat(billing.submit(page, page + "/close", Map.of()).getHeader("Location"))
        .isEqualTo(page + "?done=month_closed");
    assertThat(billing.get(page).bodyAsString())
        .containsPattern("id=\"revision-2\"[\\s\\S]*<ul class=\"changes\"><li>[^<]+→");
    // the credit the late outage earned: in the ledger's entries, filtered, and the balance
    long balance =
        harness.count("SELECT sum(amount_krw) FROM ledger_entries WHERE tenant_id = 'acme'");
    assertThat(balance).as("acme's credit for twelve hours down").isPositive();
    assertThat(billing.get("/admin/ledger/tenants/acme").bodyAsString())
        .contains("id=\"balance\">" + balance + "<");
    assertThat(billing.get("/admin/ledger?tenant=acme&month=" + month).bodyAsString())
        .contains(">acme</a>");
    assertThat(billing.get("/admin/ledger?tenant=zenith").bodyAsString())
        .doesNotContain(">acme</a>");
    assertThat(billing.get("/admin/months").bodyAsString()).contains("/admin/months/" + month);

    String token = harness.token("billing");
    for (String download : List.of("report.csv", "report.json")) {
      HttpResponse<Buffer> console = billing.get(page + "/" + download);
      HttpResponse<Buffer> api =
          get(
              web.get(
                      harness.service.httpPort(),
                      "127.0.0.1",
                      "/api/v1/months/" + month + "/" + download.replace("report.json", "report"))
                  .bearerTokenAuthentication(token)
                  .send());
      assertThat(console.statusCode()).as(download).isEqualTo(200);
      assertThat(console.getHeader("Content-Disposition")).as(download).startsWith("attachment");
      if (download.endsWith(".csv")) {
        assertThat(console.bodyAsString()).isEqualTo(api.bodyAsString()).contains("acme");
      } else {
        assertThat(console.bodyAsJsonObject().getJsonObject("report"))
            .isEqualTo(api.bodyAsJsonObject().getJsonObject("report"));
      }
    }
  }

  /** A tenant and monitoring since long ago, so that months are judged and closed. */
  private void billedSinceLongAgo() throws Exception {
    try (Connection c = TestDatabase.connect(harness.dbUrl);
        Statement s = c.createStatement()) {
      s.execute(
          """
          INSERT INTO tenant_versions
            (tenant_id, valid_from, name, plan, members, status, cells, recorded_by)
          VALUES ('acme', '2020-01-01T00:00:00Z', 'Acme', 'earth', 10, 'current', '{}', 't')\
          """);
      // a month can be closed only once monitoring had begun before it ended
      s.execute("UPDATE checks SET created_at = '2020-01-01T00:00:00Z'");
    }
  }

  @Test
  void anOutageIsRetimedAndExcludedWithAReasonAfterAPreviewThatWritesNothing() throws Exception {
    billedSinceLongAgo();
    ConsoleUser op = ConsoleUser.signedIn(harness, "op@example.com", "operator");
    Instant started = harness.clock.instant().minus(Duration.ofHours(2));
    HttpResponse<Buffer> opened =
        op.submit(
            "/admin/incidents/new",
            "/admin/incidents",
            Map.of(
                "title", "Ticketing is down",
                "impact_ticketing", "major_outage",
                "started_at", LOCAL.format(started),
                "status", "investigating",
                "message", "Down"));
    assertThat(opened.statusCode()).as(opened.bodyAsString()).isEqualTo(303);
    long id = harness.count("SELECT id FROM outages");
    String outage = "/admin/outages/" + id;
    Map<String, String> change =
        Map.of(
            "class", "major",
            "started_at", LOCAL.format(started.plus(Duration.ofMinutes(30))),
            "exclusion_reason", "network",
            "exclusion_note", "carrier fibre cut");
    HttpResponse<Buffer> preview = op.submit(outage, outage + "/preview", change);
    assertThat(preview.statusCode()).isEqualTo(200);
    assertThat(preview.bodyAsString()).contains("id=\"preview-table\"", "mup-after changed");
    assertThat(harness.count("SELECT count(*) FROM outages WHERE exclusion IS NULL")).isEqualTo(1);

    HttpResponse<Buffer> saved = op.submit(outage, outage, change);
    assertThat(saved.getHeader("Location")).isEqualTo(outage + "?done=outage_changed");
    assertThat(harness.text("SELECT exclusion || ' ' || exclusion_note FROM outages"))
        .isEqualTo("network carrier fibre cut");
    assertThat(
            harness.count(
                "SELECT extract(epoch FROM started_at)::bigint FROM outages WHERE id = " + id))
        .isEqualTo(started.plus(Duration.ofMinutes(30)).getEpochSecond());
    assertThat(
            harness.count(
                "SELECT count(*) FROM audit_log WHERE action = 'outage.change'"
                    + " AND actor = 'op@example.com (operator)'"))
        .isEqualTo(1);
  }
}
