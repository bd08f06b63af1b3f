package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.store.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What an operator's worst day sends: instants at the ends of time, NUL bytes in every text field,
 * a stored row no calendar can place. Each gets a 400 naming its field and changes nothing, and
 * nothing stored can keep the service from starting.
 */
@ExtendWith(VertxExtension.class)
class HostileInputTest {
  private static final String NUL = "a\u0000b";
  private ServiceHarness harness;
  private WebClient client;
  private String operator;
  private String billing;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    harness =
        ServiceHarness.start(
            vertx,
            """
            components:
              - id: ticketing
                impact: major
                heartbeat: {max_silence: 1h, token: a-long-heartbeat-token}
              - id: email
                impact: major
                heartbeat: {max_silence: 1h, token: a-long-heartbeat-token}
            """,
            Map.of());
    // A request that wedged an event loop would never answer: the client gives up instead.
    client = WebClient.create(vertx, new WebClientOptions().setIdleTimeout(15));
    operator = harness.token("operator");
    billing = harness.token("billing");
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  private HttpResponse<Buffer> call(HttpMethod method, String path, String token, JsonObject body)
      throws Exception {
    var request =
        client
            .request(method, harness.service.httpPort(), "127.0.0.1", path)
            .bearerTokenAuthentication(token)
            .timeout(15_000);
    return get(body == null ? request.send() : request.sendJsonObject(body));
  }

  private static JsonObject incident() {
    return new JsonObject()
        .put("title", "Email delays")
        .put("title_ko", "이메일 지연")
        .put("components", new JsonArray().add("email"))
        .put("class", "partial")
        .put("started_at", Instant.now().minusSeconds(600).toString())
        .put("status", "investigating")
        .put("message", "Looking into it")
        .put("message_ko", "확인 중입니다");
  }

  private static JsonObject window() {
    Instant start = Instant.now().plus(Duration.ofDays(10));
    return new JsonObject()
        .put("title", "Upgrade")
        .put("description", "Database upgrade")
        .put("components", new JsonArray().add("email"))
        .put("starts_at", start.toString())
        .put("ends_at", start.plusSeconds(3600).toString());
  }

  private static JsonObject policy(String effectiveFrom) {
    return new JsonObject()
        .put("timezone", "Asia/Seoul")
        .put("partial_weight", "0.3")
        .put(
            "tiers",
            new JsonArray()
                .add(new JsonObject().put("min_mup", "99.5").put("credit_pct", 0))
                .add(new JsonObject().put("min_mup", "99.0").put("credit_pct", 10))
                .add(new JsonObject().put("min_mup", "95.0").put("credit_pct", 25))
                .add(new JsonObject().put("min_mup", "0").put("credit_pct", 50)))
        .put("text", "More credit")
        .put("text_ko", "더 많은 크레딧")
        .put("effective_from", effectiveFrom);
  }

  private void assertRefused(HttpResponse<Buffer> r, String field) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getString("error")).startsWith(field + ":");
  }

  private void assertNothingWritten() throws Exception {
    for (String table :
        List.of(
            "incidents",
            "incident_updates",
            "outages",
            "maintenance_windows",
            "audit_log WHERE action NOT LIKE 'token.%'",
            "sla_months_to_reevaluate",
            "tenant_versions",
            "ledger_entries")) {
      assertThat(harness.count("SELECT count(*) FROM " + table)).as(table).isZero();
    }
    assertThat(harness.count("SELECT count(*) FROM sla_policies")).isEqualTo(1);
  }

  @Test
  void instantsAtTheEndsOfTimeAreRefusedBeforeAnyWork() throws Exception {
    for (String when :
        List.of("-999999999-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "1999-12-31T23:59:59Z")) {
      assertRefused(
          call(HttpMethod.POST, "/api/v1/incidents", operator, incident().put("started_at", when)),
          "started_at");
    }
    assertRefused(
        call(
            HttpMethod.POST,
            "/api/v1/incidents",
            operator,
            incident().put("status", "resolved").put("resolved_at", "+999999999-12-31T23:59:59Z")),
        "resolved_at");
    for (String when : List.of("+999999999-12-31T23:59:59Z", "2100-01-01T00:00:00Z")) {
      assertRefused(
          call(HttpMethod.POST, "/api/v1/sla/policies", operator, policy(when)), "effective_from");
    }
    // a version that would already be in force is a mistake, not a server error
    assertRefused(
        call(HttpMethod.POST, "/api/v1/sla/policies", operator, policy("2020-01-01T00:00:00Z")),
        "effective_from");
    assertRefused(
        call(
            HttpMethod.POST,
            "/api/v1/maintenance",
            operator,
            window()
                .put("starts_at", Instant.now().plus(Duration.ofDays(800)).toString())
                .put(
                    "ends_at",
                    Instant.now().plus(Duration.ofDays(800)).plusSeconds(60).toString())),
        "starts_at");
    assertRefused(call(HttpMethod.GET, "/api/v1/outages?month=9999-12", operator, null), "month");
    assertNothingWritten();
  }

  @Test
  void aMisspeltFieldIsRefusedOnEveryWriteInsteadOfIgnored() throws Exception {
    long prices = harness.count("SELECT count(*) FROM plan_prices");
    assertRefused(
        call(HttpMethod.POST, "/api/v1/incidents", operator, incident().put("zzz", 1)), "zzz");
    assertRefused(
        call(HttpMethod.POST, "/api/v1/maintenance", operator, window().put("zzz", 1)), "zzz");
    assertRefused(
        call(
            HttpMethod.PUT,
            "/api/v1/tenants/typo-co",
            billing,
            new JsonObject()
                .put("name", "Typo Co")
                .put("plan", "earth")
                .put("members", 5)
                .put("status", "current")
                .put("effective_form", "2026-10-01T00:00:00+09:00")),
        "effective_form");
    assertRefused(
        call(
            HttpMethod.POST,
            "/api/v1/ledger/applications",
            billing,
            new JsonObject()
                .put("tenant_id", "acme")
                .put("amount_krw", 10)
                .put("invoice_ref", "INV-1")
                .put("idempotency_key", "k-1")
                .put("zzz", 1)),
        "zzz");
    assertRefused(
        call(
            HttpMethod.POST,
            "/api/v1/plans/earth/prices",
            billing,
            new JsonObject()
                .put("price_per_member_krw", 1000)
                .put("effective_from", Instant.now().plus(Duration.ofDays(40)).toString())
                .put("max_member", 30)),
        "max_member");
    assertRefused(
        call(
            HttpMethod.PUT,
            "/api/v1/components/email/status",
            operator,
            new JsonObject()
                .put("status", "major_outage")
                .put("until", Instant.now().plusSeconds(600).toString())
                .put("zzz", 1)),
        "zzz");
    assertRefused(
        call(
            HttpMethod.POST,
            "/api/v1/sla/policies",
            operator,
            policy(Instant.now().plus(Duration.ofDays(40)).toString()).put("zzz", 1)),
        "zzz");
    assertRefused(
        call(
            HttpMethod.POST,
            "/api/v1/subscribers/webhooks",
            operator,
            new JsonObject().put("url", "https://hooks.example.com/x").put("componets", "email")),
        "componets");
    assertRefused(
        call(
            HttpMethod.POST,
            "/api/v1/personal-data/erase",
            operator,
            new JsonObject().put("address", "a@example.com").put("zzz", 1)),
        "zzz");
    assertNothingWritten();
    assertThat(harness.count("SELECT count(*) FROM notify_subscribers")).isZero();
    assertThat(harness.count("SELECT count(*) FROM plan_prices")).isEqualTo(prices);
    assertThat(harness.count("SELECT count(*) FROM component_status_overrides")).isZero();
  }

  @Test
  void partialUpdatesRefuseUnknownAndMissingFields() throws Exception {
    assertRefused(
        call(HttpMethod.PATCH, "/api/v1/outages/1", operator, new JsonObject().put("clas", "x")),
        "clas");
    assertRefused(
        call(HttpMethod.PATCH, "/api/v1/outages/1", operator, new JsonObject()), "request body");
    assertRefused(
        call(HttpMethod.PATCH, "/api/v1/incidents/1", operator, new JsonObject().put("titel", "x")),
        "titel");
    assertRefused(
        call(HttpMethod.PATCH, "/api/v1/incidents/1", operator, new JsonObject()), "request body");
    assertNothingWritten();
  }

  @Test
  void controlCharactersInAnyTextFieldAreRefusedNamingTheField() throws Exception {
    for (String field : List.of("title", "title_ko", "message", "message_ko")) {
      assertRefused(
          call(HttpMethod.POST, "/api/v1/incidents", operator, incident().put(field, NUL)), field);
    }
    assertRefused(
        call(
            HttpMethod.POST,
            "/api/v1/incidents",
            operator,
            incident().put("components", new JsonArray().add("email\u0000"))),
        "components");
    for (String field : List.of("message", "message_ko")) {
      assertRefused(
          call(
              HttpMethod.POST,
              "/api/v1/incidents/1/updates",
              operator,
              new JsonObject()
                  .put("status", "identified")
                  .put("message", "Found it")
                  .put(field, NUL)),
          field);
    }
    assertRefused(
        call(
            HttpMethod.PATCH,
            "/api/v1/outages/1",
            operator,
            new JsonObject()
                .put("exclusion", new JsonObject().put("reason", "network").put("note", NUL))),
        "note");
    for (String field : List.of("title", "title_ko", "description", "description_ko", "rrule")) {
      assertRefused(
          call(HttpMethod.POST, "/api/v1/maintenance", operator, window().put(field, NUL)), field);
    }
    // a line break is fine in a paragraph, never in a title
    assertRefused(
        call(HttpMethod.POST, "/api/v1/maintenance", operator, window().put("title", "two\nlines")),
        "title");
    assertRefused(
        call(
            HttpMethod.POST,
            "/api/v1/sla/policies",
            operator,
            policy(Instant.now().plus(Duration.ofDays(40)).toString()).put("text_ko", NUL)),
        "text_ko");
    assertRefused(
        call(
            HttpMethod.PUT,
            "/api/v1/tenants/acme",
            billing,
            new JsonObject()
                .put("name", NUL)
                .put("plan", "earth")
                .put("members", 3)
                .put("status", "current")),
        "name");
    JsonObject application =
        new JsonObject()
            .put("tenant_id", "acme")
            .put("amount_krw", 10)
            .put("invoice_ref", "INV-1")
            .put("idempotency_key", "k-1");
    for (String field : List.of("invoice_ref", "idempotency_key")) {
      assertRefused(
          call(
              HttpMethod.POST,
              "/api/v1/ledger/applications",
              billing,
              application.copy().put(field, NUL)),
          field);
    }
    // path parameters reach queries too: they are checked, never passed on as they are
    assertThat(call(HttpMethod.GET, "/api/v1/tenants/a%00b", billing, null).statusCode())
        .isEqualTo(404);
    assertThat(call(HttpMethod.GET, "/api/v1/tenants/a%00b/credits", billing, null).statusCode())
        .isEqualTo(404);
    assertNothingWritten();
  }

  @Test
  void aStoredRowNoCalendarCanPlaceNeverStopsTheServiceFromStarting() throws Exception {
    harness.stop();
    try (Connection c = TestDatabase.connect(harness.dbUrl);
        Statement s = c.createStatement()) {
      // what an unbounded API stored before: constraints added since refuse new rows like it
      s.execute("ALTER TABLE sla_policies DROP CONSTRAINT sla_policies_effective_from_bounded");
      s.execute("ALTER TABLE maintenance_windows DROP CONSTRAINT maintenance_windows_bounded");
      s.execute(
          """
          INSERT INTO sla_policies (timezone, partial_weight_num, partial_weight_den, tiers,
            text_en, text_ko, published_at, effective_from, published_by)
          SELECT timezone, partial_weight_num, partial_weight_den, tiers, text_en, text_ko,
            now(), 'infinity', 'test' FROM sla_policies\
          """);
      s.execute(
          """
          INSERT INTO maintenance_windows (title_en, description_en, components, starts_at,
            ends_at, created_at)
          VALUES ('far', '', '{email}', '275000-01-01', 'infinity', now())\
          """);
    }
    harness.restart();
    HttpResponse<Buffer> page =
        get(client.get(harness.service.httpPort(), "127.0.0.1", "/sla").send());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(
            get(client
                    .get(
                        harness.service.httpPort(),
                        "127.0.0.1",
                        "/api/v2/scheduled-maintenances.json")
                    .send())
                .statusCode())
        .isEqualTo(200);
    assertThat(
            call(HttpMethod.GET, "/api/v1/sla/policies", operator, null)
                .bodyAsJsonObject()
                .getJsonArray("policies"))
        .hasSize(1);
  }
}
