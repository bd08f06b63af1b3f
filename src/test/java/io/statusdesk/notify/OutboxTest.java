package io.statusdesk.notify;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.statusdesk.app.Fixtures;
import io.statusdesk.app.ProbeTarget;
import io.statusdesk.app.ServiceHarness;
import io.statusdesk.store.Database;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every change people are told about writes its event in the transaction that makes the change:
 * operators' incidents, updates, overrides, maintenance and SLA versions alike; a refused change
 * writes none, a rolled-back transaction leaves none, and a key recorded twice is one event.
 */
@ExtendWith(VertxExtension.class)
class OutboxTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private ServiceHarness harness;
  private WebClient client;
  private String operator;

  @AfterEach
  void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private void start(Vertx vertx) throws Exception {
    harness =
        ServiceHarness.start(
            vertx,
            """
            components:
              - {id: ticketing, impact: major,
                 heartbeat: {max_silence: 1h, token: a-long-heartbeat-token}}
              - id: widget
                name: {en: Chat widget, ko: 채팅 위젯}
                impact: partial
                heartbeat: {max_silence: 1h, token: a-long-heartbeat-token}
            """,
            Map.of());
    client = WebClient.create(vertx);
    operator = harness.token("operator");
  }

  private HttpResponse<Buffer> call(HttpMethod method, String path, JsonObject body)
      throws Exception {
    var request =
        client
            .request(method, harness.service.httpPort(), "127.0.0.1", path)
            .bearerTokenAuthentication(operator);
    return get(body == null ? request.send() : request.sendJsonObject(body));
  }

  private int update(long incident, String status, String message) throws Exception {
    return call(
            HttpMethod.POST,
            "/api/v1/incidents/" + incident + "/updates",
            new JsonObject().put("status", status).put("message", message))
        .statusCode();
  }

  /** The events recorded so far, oldest first, as {@code kind key payload}. */
  private List<JsonObject> events() throws Exception {
    List<JsonObject> out = new ArrayList<>();
    try (Connection c = io.statusdesk.store.TestDatabase.connect(harness.dbUrl);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT kind, subject, components, payload, idempotency_key FROM notify_events"
                    + " ORDER BY id")) {
      while (rs.next()) {
        out.add(
            new JsonObject()
                .put("kind", rs.getString(1))
                .put("subject", rs.getString(2))
                .put("components", new JsonArray(List.of((Object[]) rs.getArray(3).getArray())))
                .put("payload", new JsonObject(rs.getString(4)))
                .put("key", rs.getString(5)));
      }
    }
    return out;
  }

  private List<String> kinds() throws Exception {
    return events().stream().map(e -> e.getString("kind")).toList();
  }

  @Test
  void operatorsChangesRecordTheirEventsInBothLanguages(Vertx vertx) throws Exception {
    start(vertx);
    HttpResponse<Buffer> created =
        call(
            HttpMethod.POST,
            "/api/v1/incidents",
            new JsonObject()
                .put("title", "Chat widget down")
                .put("title_ko", "채팅 위젯 장애")
                .put("impacts", new JsonObject().put("widget", "major_outage"))
                .put("started_at", Instant.now().minusSeconds(300).toString())
                .put("status", "identified")
                .put("message", "A bad deploy.")
                .put("message_ko", "잘못된 배포입니다."));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    long id = created.bodyAsJsonObject().getLong("id");
    JsonObject opened = events().get(0);
    assertThat(opened.getString("kind")).isEqualTo("incident.opened");
    assertThat(opened.getString("subject")).isEqualTo("incident:" + id);
    assertThat(opened.getJsonArray("components")).containsExactly("widget");
    JsonObject en = opened.getJsonObject("payload").getJsonObject("en").getJsonObject("incident");
    JsonObject ko = opened.getJsonObject("payload").getJsonObject("ko").getJsonObject("incident");
    // the Statuspage v2 incident, as /api/v2/incidents.json shows it
    assertThat(en.getString("name")).isEqualTo("Chat widget down");
    assertThat(ko.getString("name")).isEqualTo("채팅 위젯 장애");
    assertThat(en.getString("status")).isEqualTo("identified");
    assertThat(en.getString("impact")).isEqualTo("critical");
    assertThat(en.getString("shortlink")).endsWith("/incidents/" + id);
    assertThat(en.getJsonArray("components").getJsonObject(0).getString("name"))
        .isEqualTo("Chat widget");
    assertThat(ko.getJsonArray("components").getJsonObject(0).getString("name")).isEqualTo("채팅 위젯");
    assertThat(en.getJsonArray("components").getJsonObject(0).getString("status"))
        .isEqualTo("major_outage");
    assertThat(ko.getJsonArray("incident_updates").getJsonObject(0).getString("body"))
        .isEqualTo("잘못된 배포입니다.");

    assertThat(update(id, "monitoring", "Fixed; watching.")).isEqualTo(201);
    assertThat(update(id, "resolved", "All good.")).isEqualTo(201);
    // a resolved incident takes no more updates: refused, and nothing is told
    assertThat(update(id, "monitoring", "Again?")).isEqualTo(409);
    assertThat(kinds()).containsExactly("incident.opened", "incident.updated", "incident.resolved");
    JsonObject resolved =
        events().get(2).getJsonObject("payload").getJsonObject("en").getJsonObject("incident");
    assertThat(resolved.getJsonArray("incident_updates")).hasSize(3);
    assertThat(resolved.getJsonArray("components").getJsonObject(0).getString("status"))
        .isEqualTo("operational");

    Instant start = Instant.now().plus(Duration.ofDays(2));
    HttpResponse<Buffer> window =
        call(
            HttpMethod.POST,
            "/api/v1/maintenance",
            new JsonObject()
                .put("title", "Database upgrade")
                .put("title_ko", "데이터베이스 업그레이드")
                .put("components", new JsonArray().add("ticketing"))
                .put("starts_at", start.toString())
                .put("ends_at", start.plus(Duration.ofHours(1)).toString()));
    assertThat(window.statusCode()).as(window.bodyAsString()).isEqualTo(201);
    long windowId = window.bodyAsJsonObject().getLong("id");
    call(
        HttpMethod.PATCH,
        "/api/v1/maintenance/" + windowId,
        new JsonObject().put("title", "Database upgrade (longer)"));
    call(HttpMethod.DELETE, "/api/v1/maintenance/" + windowId, null);
    call(HttpMethod.DELETE, "/api/v1/maintenance/" + windowId, null);
    List<JsonObject> all = events();
    assertThat(all.subList(3, all.size()).stream().map(e -> e.getString("kind")))
        .containsExactly("maintenance.scheduled", "maintenance.changed", "maintenance.cancelled");
    JsonObject scheduled = all.get(3).getJsonObject("payload").getJsonObject("ko");
    assertThat(scheduled.getBoolean("short_notice")).isTrue();
    assertThat(scheduled.getJsonObject("scheduled_maintenance").getString("name"))
        .isEqualTo("데이터베이스 업그레이드");
    assertThat(scheduled.getJsonObject("scheduled_maintenance").getString("status"))
        .isEqualTo("scheduled");
    assertThat(all.get(3).getJsonArray("components")).containsExactly("ticketing");

    assertThat(
            call(
                    HttpMethod.PUT,
                    "/api/v1/components/ticketing/status",
                    new JsonObject()
                        .put("status", "degraded_performance")
                        .put("until", Instant.now().plus(Duration.ofHours(1)).toString()))
                .statusCode())
        .isEqualTo(200);
    JsonObject changed = events().get(6);
    assertThat(changed.getString("kind")).isEqualTo("component.status_changed");
    JsonObject update =
        changed.getJsonObject("payload").getJsonObject("en").getJsonObject("component_update");
    assertThat(update.getString("old_status")).isEqualTo("operational");
    assertThat(update.getString("new_status")).isEqualTo("degraded_performance");

    JsonObject sla =
        Fixtures.reducingSla("Less", "적게")
            .put("effective_from", Instant.now().plus(Duration.ofDays(31)).toString());
    assertThat(call(HttpMethod.POST, "/api/v1/sla/policies", sla).statusCode()).isEqualTo(201);
    JsonObject published = events().get(7);
    assertThat(published.getString("kind")).isEqualTo("sla.published");
    JsonObject version =
        published.getJsonObject("payload").getJsonObject("ko").getJsonObject("sla_version");
    assertThat(version.getString("text")).isEqualTo("적게");
    assertThat(version.getBoolean("reduces_benefits")).isTrue();
    assertThat(version.getLong("notice_days")).isEqualTo(30);
  }

  @Test
  void probeOutagesTellOnceEvenWhenTheServiceRestarts(Vertx vertx) throws Exception {
    AtomicInteger answer = new AtomicInteger(200);
    int port = ProbeTarget.listen(vertx, answer);
    harness =
        ServiceHarness.start(
            vertx,
            """
            defaults: {interval: 200ms, timeout: 150ms, failure_threshold: 2, success_threshold: 2}
            components:
              - {id: ticketing, impact: major, url: "http://127.0.0.1:%d/health"}
            """
                .formatted(port),
            Map.of());
    answer.set(503);
    await()
        .atMost(WAIT)
        .until(() -> kinds().containsAll(List.of("incident.opened", "component.status_changed")));
    answer.set(200);
    await().atMost(WAIT).until(() -> kinds().contains("incident.resolved"));
    await().atMost(WAIT).until(() -> kinds().size() == 4);
    List<JsonObject> told = events();
    JsonObject down =
        told.stream()
            .filter(e -> e.getString("kind").equals("component.status_changed"))
            .findFirst()
            .orElseThrow()
            .getJsonObject("payload")
            .getJsonObject("en");
    assertThat(down.getJsonObject("component_update").getString("new_status"))
        .isEqualTo("major_outage");
    assertThat(down.getJsonObject("component").getString("id")).isEqualTo("ticketing");
    harness.stop();
    harness.restart();
    await()
        .pollDelay(Duration.ofSeconds(2))
        .atMost(WAIT)
        .until(() -> harness.status("ticketing/main") != null);
    // a slow restart may leave a monitoring gap to tell of; the outage is told of only once
    assertThat(events().stream().filter(e -> !e.getString("kind").equals("monitoring.gap")))
        .isEqualTo(told);
  }

  @Test
  void anEventCommitsWithItsTransactionAndOnlyOnce(Vertx vertx) throws Exception {
    String url = io.statusdesk.store.TestDatabase.fresh();
    Pool pool = Database.external(url).pool(vertx, 2);
    try {
      Event event =
          Event.of(
              EventKind.MONTH_CLOSED,
              "month:2026-01",
              List.of(),
              lang -> new JsonObject().put("lang", lang),
              Instant.parse("2026-02-04T00:00:00Z"),
              "month:2026-01:revision:1");
      Throwable rolledBack =
          get(
              pool.withTransaction(
                      conn ->
                          Outbox.record(conn, event)
                              .compose(v -> io.vertx.core.Future.failedFuture("the change failed")))
                  .map(v -> (Throwable) null)
                  .otherwise(e -> e));
      assertThat(rolledBack).hasMessage("the change failed");
      assertThat(count(url)).isZero();
      get(pool.withTransaction(conn -> Outbox.record(conn, event)));
      get(pool.withTransaction(conn -> Outbox.recordAll(conn, List.of(event, event))));
      assertThat(count(url)).isEqualTo(1);
    } finally {
      get(pool.close());
    }
  }

  private static long count(String url) throws Exception {
    try (Connection c = io.statusdesk.store.TestDatabase.connect(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM notify_events")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
