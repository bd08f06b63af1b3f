package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.store.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tenants, SLA versions and the ledger through the HTTP API billing and operators use. */
@ExtendWith(VertxExtension.class)
class LedgerApiTest {
  private ServiceHarness harness;
  private WebClient client;
  private String billing;
  private String operator;
  private String viewer;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    harness =
        ServiceHarness.start(
            vertx,
            """
            plans: {continent: 19000, earth: 39000, universe: 59000, island: 0}
            components:
              - id: ticketing
                impact: major
                heartbeat: {max_silence: 1h, token: a-long-heartbeat-token}
            """,
            Map.of());
    client = WebClient.create(vertx);
    billing = harness.token("billing");
    operator = harness.token("operator");
    viewer = harness.token("viewer");
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  private HttpResponse<Buffer> call(
      HttpMethod method, String path, String token, Object body, String type) throws Exception {
    HttpRequest<Buffer> request =
        client.request(method, harness.service.httpPort(), "127.0.0.1", path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    if (body == null) {
      return get(request.send());
    }
    return get(request.putHeader("Content-Type", type).sendBuffer(Buffer.buffer(body.toString())));
  }

  private HttpResponse<Buffer> json(HttpMethod method, String path, String token, Object body)
      throws Exception {
    return call(method, path, token, body, "application/json");
  }

  private void sql(String statement) throws Exception {
    try (Connection c = TestDatabase.connect(harness.dbUrl);
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  @Test
  void billingKeepsTenantsVersionedAndImportsAllOrNothing() throws Exception {
    JsonObject acme =
        new JsonObject()
            .put("name", "Acme")
            .put("plan", "earth")
            .put("members", 12)
            .put("status", "current")
            .put("cells", new JsonArray().add("ticketing/main"));
    assertThat(json(HttpMethod.PUT, "/api/v1/tenants/acme", null, acme).statusCode())
        .isEqualTo(401);
    assertThat(json(HttpMethod.PUT, "/api/v1/tenants/acme", operator, acme).statusCode())
        .isEqualTo(403);
    assertThat(json(HttpMethod.PUT, "/api/v1/tenants/acme", viewer, acme).statusCode())
        .isEqualTo(403);
    HttpResponse<Buffer> badPlan =
        json(HttpMethod.PUT, "/api/v1/tenants/acme", billing, acme.copy().put("plan", "galaxy"));
    assertThat(badPlan.statusCode()).isEqualTo(400);
    assertThat(badPlan.bodyAsJsonObject().getString("error")).startsWith("plan:");
    assertThat(
            json(HttpMethod.PUT, "/api/v1/tenants/acme", billing, acme.copy().put("members", 1.5))
                .bodyAsJsonObject()
                .getString("error"))
        .startsWith("members:");
    assertThat(
            json(HttpMethod.PUT, "/api/v1/tenants/a%20b", billing, acme)
                .bodyAsJsonObject()
                .getString("error"))
        .startsWith("id:");
    // the plan's member limit, cells of checks.yaml written component/cell, no future states
    assertThat(
            json(HttpMethod.PUT, "/api/v1/tenants/acme", billing, acme.copy().put("members", 31))
                .bodyAsJsonObject()
                .getString("error"))
        .isEqualTo("members: plan earth allows at most 30");
    assertThat(
            json(
                    HttpMethod.PUT,
                    "/api/v1/tenants/acme",
                    billing,
                    acme.copy().put("plan", "island").put("members", 4))
                .bodyAsJsonObject()
                .getString("error"))
        .isEqualTo("members: plan island allows at most 3");
    for (String cell : List.of("main", "kr-1", "email/main", "ticketing/kr-9")) {
      assertThat(
              json(
                      HttpMethod.PUT,
                      "/api/v1/tenants/acme",
                      billing,
                      acme.copy().put("cells", new JsonArray().add(cell)))
                  .bodyAsJsonObject()
                  .getString("error"))
          .as(cell)
          .startsWith("cells:");
    }
    assertThat(
            json(
                    HttpMethod.PUT,
                    "/api/v1/tenants/acme",
                    billing,
                    acme.copy().put("effective_from", Instant.now().plusSeconds(3600).toString()))
                .bodyAsJsonObject()
                .getString("error"))
        .startsWith("effective_from:");
    assertThat(harness.count("SELECT count(*) FROM tenant_versions")).isZero();

    assertThat(
            json(HttpMethod.PUT, "/api/v1/tenants/acme", billing, acme)
                .bodyAsJsonObject()
                .getBoolean("changed"))
        .isTrue();
    assertThat(
            json(HttpMethod.PUT, "/api/v1/tenants/acme", billing, acme)
                .bodyAsJsonObject()
                .getBoolean("changed"))
        .isFalse();
    assertThat(
            json(HttpMethod.PUT, "/api/v1/tenants/acme", billing, acme.copy().put("members", 13))
                .bodyAsJsonObject()
                .getBoolean("changed"))
        .isTrue();
    assertThat(harness.count("SELECT count(*) FROM tenant_versions")).isEqualTo(2);
    assertThat(
            json(HttpMethod.GET, "/api/v1/tenants/acme", operator, null)
                .bodyAsJsonObject()
                .getInteger("members"))
        .isEqualTo(13);

    String bad =
        """
        id,name,plan,members,status,cells
        b1,B,earth,1,current,
        b2,B,mars,1,current,
        b3,B,earth,x,current,
        """;
    HttpResponse<Buffer> refused =
        call(HttpMethod.POST, "/api/v1/tenants/import", billing, bad, "text/csv");
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.bodyAsJsonObject().getString("error"))
        .contains("line 3: plan:", "line 4: members:");
    assertThat(
            call(HttpMethod.POST, "/api/v1/tenants/import", billing, bad, "application/json")
                .statusCode())
        .isEqualTo(400);
    assertThat(harness.count("SELECT count(*) FROM tenant_versions")).isEqualTo(2);

    StringBuilder csv = new StringBuilder("\uFEFFid,name,plan,members,status,cells\n");
    csv.append("acme,Acme,earth,13,current,ticketing/main\n");
    for (int i = 0; i < 3000; i++) {
      csv.append("t")
          .append(i)
          .append(",\"Tenant, ")
          .append(i)
          .append("\",continent,")
          .append(1 + i % 30)
          .append(",current,ticketing/main\n");
    }
    JsonObject imported =
        call(HttpMethod.POST, "/api/v1/tenants/import", billing, csv, "text/csv")
            .bodyAsJsonObject();
    assertThat(imported.getInteger("changed")).isEqualTo(3000);
    assertThat(imported.getInteger("unchanged")).isEqualTo(1);
    assertThat(harness.text("SELECT name FROM tenant_versions WHERE tenant_id = 't7'"))
        .isEqualTo("Tenant, 7");

    // back-dated: recorded now, in force since October, and October is marked for settling
    JsonObject late =
        json(
                HttpMethod.PUT,
                "/api/v1/tenants/late",
                billing,
                acme.copy().put("effective_from", "2026-10-01T00:00:00+09:00"))
            .bodyAsJsonObject();
    assertThat(late.getString("effective_from")).isEqualTo("2026-09-30T15:00:00Z");
    assertThat(
            harness.text(
                "SELECT array_to_string(reasons, ';') FROM sla_months_to_reevaluate "
                    + "WHERE month = '2026-10'"))
        .isEqualTo("tenant late back-dated");

    // prices: listed with when they took effect; a change never takes effect in the past
    JsonArray prices =
        json(HttpMethod.GET, "/api/v1/plans", billing, null)
            .bodyAsJsonObject()
            .getJsonArray("prices");
    assertThat(prices.stream().map(o -> ((JsonObject) o).getString("plan")))
        .contains("continent", "earth", "island", "universe");
    JsonObject raise = new JsonObject().put("price_per_member_krw", 42_000).put("max_members", 30);
    assertThat(
            json(
                    HttpMethod.POST,
                    "/api/v1/plans/earth/prices",
                    billing,
                    raise.copy().put("effective_from", "2026-01-01T00:00:00Z"))
                .bodyAsJsonObject()
                .getString("error"))
        .startsWith("effective_from: must not be in the past");
    assertThat(
            json(
                    HttpMethod.POST,
                    "/api/v1/plans/earth/prices",
                    operator,
                    raise.copy().put("effective_from", "2099-01-01T00:00:00Z"))
                .statusCode())
        .isEqualTo(403);
    assertThat(
            json(
                    HttpMethod.POST,
                    "/api/v1/plans/earth/prices",
                    billing,
                    raise.copy().put("effective_from", "2099-01-01T00:00:00Z"))
                .statusCode())
        .isEqualTo(201);
    // a typo in the plan's name creates no plan
    HttpResponse<Buffer> typo =
        json(
            HttpMethod.POST,
            "/api/v1/plans/mars/prices",
            billing,
            raise.copy().put("effective_from", "2099-01-01T00:00:00Z"));
    assertThat(typo.statusCode()).isEqualTo(404);
    assertThat(typo.bodyAsJsonObject().getString("error")).startsWith("no plan mars (plans: ");
    // a limit left out stays the one in force: Earth keeps its 30 members
    JsonObject kept =
        json(
                HttpMethod.POST,
                "/api/v1/plans/earth/prices",
                billing,
                new JsonObject()
                    .put("price_per_member_krw", 45_000)
                    .put("effective_from", "2099-06-01T00:00:00Z"))
            .bodyAsJsonObject();
    assertThat(kept.getInteger("max_members")).isEqualTo(30);
    assertThat(
            json(HttpMethod.GET, "/api/v1/plans", billing, null)
                .bodyAsJsonObject()
                .getJsonArray("prices")
                .stream()
                .map(o -> ((JsonObject) o).getString("plan")))
        .doesNotContain("mars");
  }

  @Test
  void aClosedMonthIsReportedAndCreditsCanBeApplied() throws Exception {
    sql(
        """
        UPDATE checks SET created_at = '2026-09-01T00:00:00Z';
        INSERT INTO tenant_versions (tenant_id, valid_from, name, plan, members, status, cells,
          recorded_by)
        VALUES ('acme', '2026-09-01T00:00:00Z', 'Acme', 'earth', 10, 'current', '{ticketing/main}',
          'test'),
               ('free', '2026-09-01T00:00:00Z', 'Free', 'island', 3, 'current', '{}', 'test'),
               ('late', '2026-09-01T00:00:00Z', 'Late', 'earth', 3, 'past_due', '{}', 'test'),
               ('zenith', '2026-09-01T00:00:00Z', 'Zenith', 'universe', 2, 'current', '{}', 'test');
        INSERT INTO outages (component, outage_class, started_at, ended_at, cells, source)
        VALUES ('ticketing', 'major', '2026-10-10T10:00:00+09:00', '2026-10-10T18:00:00+09:00',
          '{}', 'probe');
        """);
    assertThat(json(HttpMethod.POST, "/api/v1/months/2026-10/close", viewer, null).statusCode())
        .isEqualTo(403);
    assertThat(
            json(HttpMethod.POST, "/api/v1/months/2026-13/close", billing, null)
                .bodyAsJsonObject()
                .getString("error"))
        .startsWith("month:");
    assertThat(json(HttpMethod.POST, "/api/v1/months/2099-01/close", billing, null).statusCode())
        .isEqualTo(409);
    assertThat(json(HttpMethod.GET, "/api/v1/months/2026-10/report", billing, null).statusCode())
        .isEqualTo(404);
    // nobody watched August: there is nothing to settle
    HttpResponse<Buffer> unwatched =
        json(HttpMethod.POST, "/api/v1/months/2026-08/close", billing, null);
    assertThat(unwatched.statusCode()).isEqualTo(409);
    assertThat(unwatched.bodyAsJsonObject().getString("error"))
        .contains("ended before monitoring began");

    JsonObject closed =
        json(HttpMethod.POST, "/api/v1/months/2026-10/close", operator, null).bodyAsJsonObject();
    assertThat(closed.getInteger("entries_written")).isEqualTo(2);
    assertThat(closed.getJsonObject("report").getString("no_data_minutes")).isEqualTo("0");
    assertThat(closed.getLong("credited_krw")).isEqualTo(39_000 + 11_800);
    assertThat(
            json(HttpMethod.POST, "/api/v1/months/2026-10/close", billing, null)
                .bodyAsJsonObject()
                .getInteger("entries_written"))
        .isZero();
    JsonObject report =
        json(HttpMethod.GET, "/api/v1/months/2026-10/report", billing, null).bodyAsJsonObject();
    assertThat(report.getInteger("revision")).isEqualTo(1);
    assertThat(report.getJsonObject("report").getString("mup")).isEqualTo("98.924");
    assertThat(report.getJsonObject("report").getJsonArray("outages")).hasSize(1);
    String reportCsv =
        json(HttpMethod.GET, "/api/v1/months/2026-10/report.csv", billing, null).bodyAsString();
    // every tenant, each with the reason it earned nothing
    assertThat(reportCsv.lines().toList())
        .containsExactly(
            "month,revision,mup,credit_pct,tenant_id,plan,members,status,fee_krw,credit_krw,"
                + "zero_reason",
            "2026-10,1,98.924,10,acme,earth,10,current,390000,39000,",
            "2026-10,1,98.924,10,free,island,3,current,0,0,free_plan",
            "2026-10,1,98.924,10,late,earth,3,past_due,117000,0,not_current",
            "2026-10,1,98.924,10,zenith,universe,2,current,118000,11800,");
    assertThat(
            json(HttpMethod.GET, "/api/v1/months/2026-10/report?revision=1", billing, null)
                .bodyAsJsonObject()
                .getInteger("revision"))
        .isEqualTo(1);
    assertThat(
            json(HttpMethod.GET, "/api/v1/months/2026-10/report?revision=2", billing, null)
                .statusCode())
        .isEqualTo(404);

    JsonObject application =
        new JsonObject()
            .put("tenant_id", "acme")
            .put("amount_krw", 9_000)
            .put("invoice_ref", "INV-2026-11-001")
            .put("idempotency_key", "renewal-acme-2026-11");
    assertThat(
            json(HttpMethod.POST, "/api/v1/ledger/applications", operator, application)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            json(
                    HttpMethod.POST,
                    "/api/v1/ledger/applications",
                    billing,
                    application.copy().put("amount_krw", 10.5))
                .bodyAsJsonObject()
                .getString("error"))
        .startsWith("amount_krw:");
    assertThat(
            json(HttpMethod.POST, "/api/v1/ledger/applications", billing, application).statusCode())
        .isEqualTo(201);
    assertThat(
            json(HttpMethod.POST, "/api/v1/ledger/applications", billing, application).statusCode())
        .isEqualTo(200);
    assertThat(
            json(
                    HttpMethod.POST,
                    "/api/v1/ledger/applications",
                    billing,
                    application
                        .copy()
                        .put("amount_krw", 30_001)
                        .put("idempotency_key", "other")
                        .put("invoice_ref", "INV-X"))
                .statusCode())
        .isEqualTo(409);
    // an invoice is credited once, whatever key comes with it
    HttpResponse<Buffer> twice =
        json(
            HttpMethod.POST,
            "/api/v1/ledger/applications",
            billing,
            application.copy().put("idempotency_key", "again"));
    assertThat(twice.statusCode()).isEqualTo(409);
    assertThat(twice.bodyAsJsonObject().getString("error"))
        .startsWith("invoice_ref: INV-2026-11-001 was already credited by entry ");
    // points come first on a renewal: the answer says how much of the invoice they cover
    JsonObject renewal =
        json(
                HttpMethod.POST,
                "/api/v1/ledger/applications",
                billing,
                new JsonObject()
                    .put("tenant_id", "acme")
                    .put("invoice_total_krw", 25_000)
                    .put("invoice_ref", "INV-2026-12-001")
                    .put("idempotency_key", "renewal-acme-2026-12"))
            .bodyAsJsonObject();
    assertThat(renewal.getLong("covered_krw")).isEqualTo(25_000);
    assertThat(renewal.getLong("remaining_invoice_krw")).isZero();
    assertThat(renewal.getLong("balance_krw")).isEqualTo(5_000);
    JsonObject bigger =
        json(
                HttpMethod.POST,
                "/api/v1/ledger/applications",
                billing,
                new JsonObject()
                    .put("tenant_id", "acme")
                    .put("invoice_total_krw", 25_000)
                    .put("invoice_ref", "INV-2027-01-001")
                    .put("idempotency_key", "renewal-acme-2027-01"))
            .bodyAsJsonObject();
    assertThat(bigger.getLong("covered_krw")).isEqualTo(5_000);
    assertThat(bigger.getLong("remaining_invoice_krw")).isEqualTo(20_000);
    assertThat(bigger.getLong("balance_krw")).isZero();
    JsonObject credits =
        json(HttpMethod.GET, "/api/v1/tenants/acme/credits", billing, null).bodyAsJsonObject();
    assertThat(credits.getLong("balance_krw")).isZero();
    assertThat(credits.getJsonArray("entries")).hasSize(4);
    assertThat(json(HttpMethod.GET, "/api/v1/tenants/nobody/credits", billing, null).statusCode())
        .isEqualTo(404);

    // text a spreadsheet would run as a formula is exported as text
    assertThat(
            json(
                    HttpMethod.POST,
                    "/api/v1/ledger/applications",
                    billing,
                    new JsonObject()
                        .put("tenant_id", "zenith")
                        .put("amount_krw", 800)
                        .put("invoice_ref", "=HYPERLINK(\"x\")")
                        .put("idempotency_key", "z-1"))
                .statusCode())
        .isEqualTo(201);
    JsonObject page =
        json(HttpMethod.GET, "/api/v1/ledger/entries?limit=2", billing, null).bodyAsJsonObject();
    assertThat(page.getJsonArray("entries")).hasSize(2);
    assertThat(page.getBoolean("has_more")).isTrue();
    JsonObject rest =
        json(
                HttpMethod.GET,
                "/api/v1/ledger/entries?after=" + page.getString("next_cursor"),
                billing,
                null)
            .bodyAsJsonObject();
    assertThat(rest.getJsonArray("entries")).hasSize(4);
    assertThat(rest.getBoolean("has_more")).isFalse();
    assertThat(rest.getJsonArray("entries").getJsonObject(0).getString("kind"))
        .isEqualTo("application");
    assertThat(json(HttpMethod.GET, "/api/v1/ledger/entries?after=-1", billing, null).statusCode())
        .isEqualTo(400);
    // a cursor that was never issued would skip entries that come later: refused
    HttpResponse<Buffer> ahead =
        json(
            HttpMethod.GET,
            "/api/v1/ledger/entries?after=" + (Long.parseLong(rest.getString("next_cursor")) + 1),
            billing,
            null);
    assertThat(ahead.statusCode()).isEqualTo(400);
    assertThat(ahead.bodyAsJsonObject().getString("error")).contains("was never issued");
    List<String> ledgerCsv =
        json(HttpMethod.GET, "/api/v1/ledger/entries.csv", billing, null)
            .bodyAsString()
            .lines()
            .toList();
    assertThat(ledgerCsv).hasSize(7);
    assertThat(ledgerCsv.get(0))
        .isEqualTo(
            "id,created_at,tenant_id,kind,amount_krw,month,revision,reason,fee_krw,credit_pct,"
                + "invoice_ref,invoice_total_krw,idempotency_key");
    assertThat(ledgerCsv.get(1)).endsWith(",acme,issue,39000,2026-10,1,issue,390000,10,,,");
    assertThat(ledgerCsv.get(3))
        .endsWith(
            ",acme,application,-9000,,,\"invoice INV-2026-11-001\","
                + ",,INV-2026-11-001,,renewal-acme-2026-11");
    assertThat(ledgerCsv.get(6))
        .contains(",zenith,application,-800,,,")
        .endsWith(",\"'=HYPERLINK(\"\"x\"\")\",,z-1");
  }

  @Test
  void slaVersionsThatReduceBenefitsNeedThirtyDaysNotice() throws Exception {
    JsonObject stingy = Fixtures.reducingSla("Less", "적게");
    Instant soon = Instant.now().plusSeconds(10 * 86_400);
    Instant later = Instant.now().plusSeconds(31 * 86_400);
    assertThat(
            json(
                    HttpMethod.POST,
                    "/api/v1/sla/policies",
                    billing,
                    stingy.copy().put("effective_from", soon.toString()))
                .statusCode())
        .isEqualTo(403);
    HttpResponse<Buffer> refused =
        json(
            HttpMethod.POST,
            "/api/v1/sla/policies",
            operator,
            stingy.copy().put("effective_from", soon.toString()));
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.bodyAsJsonObject().getString("error")).contains("30 days");
    assertThat(
            json(
                    HttpMethod.POST,
                    "/api/v1/sla/policies",
                    operator,
                    stingy
                        .copy()
                        .put("partial_weight", "zero")
                        .put("effective_from", later.toString()))
                .bodyAsJsonObject()
                .getString("error"))
        .startsWith("partial_weight:");
    assertThat(
            json(
                    HttpMethod.POST,
                    "/api/v1/sla/policies",
                    operator,
                    stingy.copy().put("effective_from", later.toString()))
                .statusCode())
        .isEqualTo(201);
    JsonArray versions =
        json(HttpMethod.GET, "/api/v1/sla/policies", viewer, null)
            .bodyAsJsonObject()
            .getJsonArray("policies");
    assertThat(versions).hasSize(2);
    assertThat(versions.getJsonObject(0).getString("partial_weight")).isEqualTo("0.3");
    assertThat(
            versions.getJsonObject(1).getJsonArray("tiers").getJsonObject(0).getString("min_mup"))
        .isEqualTo("98.0");
  }
}
