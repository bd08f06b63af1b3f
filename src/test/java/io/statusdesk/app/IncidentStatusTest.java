package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Statuspage semantics: an open incident holds its components' statuses, whatever the probes see;
 * operators edit, hide and override; every incident has a page of its own.
 */
@ExtendWith(VertxExtension.class)
class IncidentStatusTest {
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
    int port = ProbeTarget.listen(vertx, new AtomicInteger(200));
    harness =
        ServiceHarness.start(
            vertx,
            """
            timezone: Asia/Seoul
            defaults: {interval: 200ms, timeout: 150ms, failure_threshold: 2, success_threshold: 2}
            components:
              - {id: ticketing, impact: major, url: "http://127.0.0.1:%d/health"}
              - id: widget
                name: {en: Chat widget, ko: 채팅 위젯}
                impact: partial
                url: "http://127.0.0.1:%d/health"
            """
                .formatted(port, port),
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

  private HttpResponse<Buffer> page(String path) throws Exception {
    return get(client.get(harness.service.httpPort(), "127.0.0.1", path).send());
  }

  private String status(String component) throws Exception {
    JsonObject summary = page("/api/v2/summary.json").bodyAsJsonObject();
    return summary.getJsonArray("components").stream()
        .map(o -> (JsonObject) o)
        .filter(c -> c.getString("id").equals(component))
        .findFirst()
        .orElseThrow()
        .getString("status");
  }

  private String indicator() throws Exception {
    return page("/api/v2/status.json")
        .bodyAsJsonObject()
        .getJsonObject("status")
        .getString("indicator");
  }

  @Test
  void anOpenIncidentSetsItsComponentsStatusUntilItIsHiddenOrResolved(Vertx vertx)
      throws Exception {
    start(vertx);
    await().atMost(WAIT).until(() -> status("widget").equals("operational"));
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
                .put("message", "A bad deploy.\nRolling back.")
                .put("message_ko", "잘못된 배포입니다."));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    long id = created.bodyAsJsonObject().getLong("id");
    // the probes see it healthy; the incident says it is down
    await().atMost(WAIT).until(() -> status("widget").equals("major_outage"));
    assertThat(indicator()).isEqualTo("critical");
    assertThat(
            call(HttpMethod.GET, "/api/v1/components", null)
                .bodyAsJsonObject()
                .getJsonArray("components")
                .getJsonObject(1)
                .getString("probe_status"))
        .isEqualTo("operational");
    // a partial-impact component's outage is partial in the SLA, whatever the page shows
    assertThat(harness.text("SELECT outage_class FROM outages WHERE incident_id = " + id))
        .isEqualTo("partial");
    JsonObject v2 =
        page("/api/v2/incidents/unresolved.json")
            .bodyAsJsonObject()
            .getJsonArray("incidents")
            .getJsonObject(0);
    assertThat(v2.getString("impact")).isEqualTo("critical");
    assertThat(v2.getString("shortlink")).endsWith("/incidents/" + id);

    // its own page, in both languages, with its whole story
    HttpResponse<Buffer> own = page("/incidents/" + id + "?lang=en");
    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(own.bodyAsString())
        .contains("Chat widget down", "Chat widget", "Major outage", "A bad deploy.", "Duration");
    assertThat(page("/incidents/" + id + "?lang=ko").bodyAsString())
        .contains("채팅 위젯 장애", "잘못된 배포입니다.", "전면 장애");
    SyndFeed rss = new SyndFeedInput().build(new StringReader(page("/history.rss").bodyAsString()));
    String link = rss.getEntries().get(0).getLink();
    assertThat(link).endsWith("/incidents/" + id);
    assertThat(rss.getEntries().get(0).getUri()).isEqualTo(link);
    assertThat(page(link.substring(link.indexOf("/incidents/"))).statusCode()).isEqualTo(200);

    // edited: milder impact, a postmortem
    HttpResponse<Buffer> edited =
        call(
            HttpMethod.PATCH,
            "/api/v1/incidents/" + id,
            new JsonObject()
                .put("impacts", new JsonObject().put("widget", "degraded_performance"))
                .put("postmortem", "A config flag was flipped.")
                .put("title", "Chat widget slow"));
    assertThat(edited.statusCode()).as(edited.bodyAsString()).isEqualTo(200);
    await().atMost(WAIT).until(() -> status("widget").equals("degraded_performance"));
    await()
        .atMost(WAIT)
        .until(
            () -> page("/incidents/" + id).bodyAsString().contains("A config flag was flipped."));

    // hidden as recorded in error: gone from the page and feeds, kept in the database
    assertThat(
            call(HttpMethod.PATCH, "/api/v1/incidents/" + id, new JsonObject().put("hidden", true))
                .statusCode())
        .isEqualTo(400);
    assertThat(
            call(
                    HttpMethod.PATCH,
                    "/api/v1/incidents/" + id,
                    new JsonObject()
                        .put("hidden", true)
                        .put("hidden_reason", "Opened for the wrong product"))
                .statusCode())
        .isEqualTo(200);
    await().atMost(WAIT).until(() -> status("widget").equals("operational"));
    assertThat(page("/incidents/" + id).statusCode()).isEqualTo(404);
    assertThat(page("/api/v2/incidents.json").bodyAsString()).doesNotContain("Chat widget slow");
    assertThat(page("/history.rss").bodyAsString()).doesNotContain("Chat widget slow");
    assertThat(harness.count("SELECT count(*) FROM incidents WHERE hidden_at IS NOT NULL"))
        .isEqualTo(1);
    assertThat(harness.count("SELECT count(*) FROM audit_log WHERE action = 'incident.edit'"))
        .isEqualTo(2);
    // still in the SLA until excluded, which "mistaken" now does
    long outage = harness.count("SELECT id FROM outages WHERE incident_id = " + id);
    assertThat(
            call(
                    HttpMethod.PATCH,
                    "/api/v1/outages/" + outage,
                    new JsonObject()
                        .put(
                            "exclusion",
                            new JsonObject()
                                .put("reason", "mistaken")
                                .put("note", "Opened for the wrong product")))
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void aStatusSetByHandExpiresByItself(Vertx vertx) throws Exception {
    start(vertx);
    await().atMost(WAIT).until(() -> status("ticketing").equals("operational"));
    assertThat(
            call(
                    HttpMethod.PUT,
                    "/api/v1/components/ticketing/status",
                    new JsonObject()
                        .put("status", "partial_outage")
                        .put("until", harness.clock.instant().minusSeconds(1).toString()))
                .statusCode())
        .isEqualTo(400);
    assertThat(
            call(
                    HttpMethod.PUT,
                    "/api/v1/components/billing/status",
                    new JsonObject()
                        .put("status", "partial_outage")
                        .put("until", harness.clock.instant().plusSeconds(60).toString()))
                .statusCode())
        .isEqualTo(404);
    HttpResponse<Buffer> set =
        call(
            HttpMethod.PUT,
            "/api/v1/components/ticketing/status",
            new JsonObject()
                .put("status", "under_maintenance")
                .put("note", "Emergency patch")
                .put("until", harness.clock.instant().plusSeconds(60).toString()));
    assertThat(set.statusCode()).as(set.bodyAsString()).isEqualTo(200);
    await().atMost(WAIT).until(() -> status("ticketing").equals("under_maintenance"));
    assertThat(indicator()).isEqualTo("maintenance");
    harness.clock.advance(Duration.ofSeconds(61));
    await().atMost(WAIT).until(() -> status("ticketing").equals("operational"));
    // and one can end it early
    call(
        HttpMethod.PUT,
        "/api/v1/components/ticketing/status",
        new JsonObject()
            .put("status", "degraded_performance")
            .put("until", harness.clock.instant().plusSeconds(600).toString()));
    await().atMost(WAIT).until(() -> status("ticketing").equals("degraded_performance"));
    assertThat(call(HttpMethod.DELETE, "/api/v1/components/ticketing/status", null).statusCode())
        .isEqualTo(204);
    await().atMost(WAIT).until(() -> status("ticketing").equals("operational"));
  }
}
