package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.store.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A billing month from start to finish through the API, every entry worked out by hand: October
 * 2026 (KST) has 44,640 minutes, and one 8-hour major outage (480 minutes) puts its MUP at 98.924
 * %, the 10 % tier.
 */
@ExtendWith(VertxExtension.class)
class BillingScenarioTest {
  private ServiceHarness harness;
  private WebClient client;
  private String billing;
  private String operator;

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  private JsonObject call(HttpMethod method, String path, String token, JsonObject body, int status)
      throws Exception {
    var request =
        client
            .request(method, harness.service.httpPort(), "127.0.0.1", path)
            .bearerTokenAuthentication(token);
    HttpResponse<Buffer> r = get(body == null ? request.send() : request.sendJsonObject(body));
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.bodyAsString()).isEqualTo(status);
    return r.bodyAsJsonObject();
  }

  private long sql(String statement) throws Exception {
    try (Connection c = TestDatabase.connect(harness.dbUrl);
        Statement s = c.createStatement()) {
      if (!s.execute(statement)) {
        return 0;
      }
      ResultSet rs = s.getResultSet();
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Every entry as "tenant kind amount r<revision> <reason>", oldest first. */
  private List<String> entries() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = TestDatabase.connect(harness.dbUrl);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT tenant_id, kind, amount_krw, "
                    + "coalesce('r' || revision, '-'), reason FROM ledger_entries ORDER BY id")) {
      while (rs.next()) {
        out.add(
            rs.getString(1)
                + " "
                + rs.getString(2)
                + " "
                + rs.getLong(3)
                + " "
                + rs.getString(4)
                + " "
                + rs.getString(5));
      }
    }
    return out;
  }

  private JsonObject tenant(String plan, int members, String status, String since) {
    return new JsonObject()
        .put("name", "Tenant")
        .put("plan", plan)
        .put("members", members)
        .put("status", status)
        .put("effective_from", since);
  }

  @Test
  void closePricesBackDateReclassifyAndCloseAgain(Vertx vertx) throws Exception {
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
    sql("UPDATE checks SET created_at = '2026-09-01T00:00:00Z'");
    long outage =
        sql(
            """
            INSERT INTO outages (component, outage_class, started_at, ended_at, cells, source)
            VALUES ('ticketing', 'major', '2026-10-10T10:00:00+09:00', '2026-10-10T18:00:00+09:00',
              '{main}', 'probe') RETURNING id\
            """);
    String september = "2026-09-01T00:00:00+09:00";
    call(
        HttpMethod.PUT,
        "/api/v1/tenants/acme",
        billing,
        tenant("earth", 10, "current", september),
        200); // fee 10 x 39,000 = 390,000; credit 39,000
    call(
        HttpMethod.PUT,
        "/api/v1/tenants/zenith",
        billing,
        tenant("universe", 2, "current", september),
        200); // fee 2 x 59,000 = 118,000; credit 11,800
    call(
        HttpMethod.PUT,
        "/api/v1/tenants/free",
        billing,
        tenant("island", 3, "current", september),
        200); // free plan: nothing

    // 1. October closes: 10 % for each current, paying tenant
    JsonObject first = call(HttpMethod.POST, "/api/v1/months/2026-10/close", billing, null, 200);
    assertThat(first.getJsonObject("report").getString("mup")).isEqualTo("98.924");
    assertThat(first.getJsonObject("report").getInteger("credit_pct")).isEqualTo(10);
    assertThat(entries())
        .containsExactly("acme issue 39000 r1 issue", "zenith issue 11800 r1 issue");

    // 2. acme spends 30,000 of its 39,000 on its renewal
    call(
        HttpMethod.POST,
        "/api/v1/ledger/applications",
        billing,
        new JsonObject()
            .put("tenant_id", "acme")
            .put("amount_krw", 30_000)
            .put("invoice_ref", "INV-1")
            .put("idempotency_key", "renewal-1"),
        201);

    // 3. Earth gets dearer from now on: October keeps the price it was settled with
    call(
        HttpMethod.POST,
        "/api/v1/plans/earth/prices",
        billing,
        new JsonObject()
            .put("price_per_member_krw", 45_000)
            .put("max_members", 30)
            .put("effective_from", harness.clock.instant().plusSeconds(3600).toString()),
        201);
    assertThat(
            call(HttpMethod.POST, "/api/v1/months/2026-10/close", billing, null, 200)
                .getInteger("entries_written"))
        .isZero();

    // 4. a tenant recorded late is back-dated into October: 4 x 39,000 = 156,000, credit 15,600
    call(
        HttpMethod.PUT,
        "/api/v1/tenants/late",
        billing,
        tenant("earth", 4, "current", "2026-10-01T00:00:00+09:00"),
        200);
    JsonObject backDated =
        call(HttpMethod.POST, "/api/v1/months/2026-10/close", billing, null, 200);
    assertThat(backDated.getInteger("revision")).isEqualTo(1);
    assertThat(backDated.getInteger("entries_written")).isEqualTo(1);

    // 5. the outage was partial after all: 0.3 x 480 = 144 minutes, MUP 99.677 %, no credit.
    //    acme has 9,000 left to take back and 30,000 spent; the others have it all.
    call(
        HttpMethod.PATCH,
        "/api/v1/outages/" + outage,
        operator,
        new JsonObject().put("class", "partial"),
        200);
    JsonObject again = call(HttpMethod.POST, "/api/v1/months/2026-10/close", billing, null, 200);
    assertThat(again.getJsonObject("report").getString("mup")).isEqualTo("99.677");
    assertThat(again.getInteger("revision")).isEqualTo(2);
    assertThat(again.getInteger("entries_written")).isEqualTo(4);
    String why = "reclassified outage " + outage + " as partial";
    assertThat(entries())
        .containsExactly(
            "acme issue 39000 r1 issue",
            "zenith issue 11800 r1 issue",
            "acme application -30000 - invoice INV-1",
            "late issue 15600 r1 tenant late back-dated",
            "acme adjust -9000 r2 " + why,
            "acme unrecovered -30000 r2 points already spent or expired; " + why,
            "late adjust -15600 r2 " + why,
            "zenith adjust -11800 r2 " + why);

    // balances never go below zero, and every revision stays readable
    for (String id : List.of("acme", "late", "zenith")) {
      assertThat(
              call(HttpMethod.GET, "/api/v1/tenants/" + id + "/credits", billing, null, 200)
                  .getLong("balance_krw"))
          .as(id)
          .isZero();
    }
    assertThat(
            call(HttpMethod.GET, "/api/v1/months/2026-10/report?revision=1", billing, null, 200)
                .getJsonObject("report")
                .getString("mup"))
        .isEqualTo("98.924");
    assertThat(
            call(HttpMethod.POST, "/api/v1/months/2026-10/close", billing, null, 200)
                .getInteger("entries_written"))
        .isZero();
  }
}
