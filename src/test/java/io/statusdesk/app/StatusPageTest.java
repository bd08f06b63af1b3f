package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
import io.statusdesk.statuspage.StatusPageConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xml.sax.InputSource;

/**
 * The public pages, the Statuspage v2 API, feeds and badges of a running service whose SNS
 * connector is down: languages, caching, escaping, shapes, and what must never be shown.
 */
@ExtendWith(VertxExtension.class)
class StatusPageTest {
  static final String XSS_TITLE = "<script>alert(\"x\")</script> & more";
  static final String XSS_MESSAGE = "<img src=x onerror=alert(1)> stuck queue";
  static final String PROBE_SECRET = "probe-header-secret-value";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private ServiceHarness harness;
  private WebClient client;
  private int targetPort;
  private String operator;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    targetPort = ProbeTarget.listen(vertx, path -> path.startsWith("/sns") ? 503 : 200);
    harness =
        ServiceHarness.start(
            vertx,
            """
            timezone: Asia/Seoul
            defaults: {interval: 200ms, timeout: 150ms, failure_threshold: 2, success_threshold: 2}
            components:
              - id: ticketing
                name: {en: Ticketing, ko: 티켓팅}
                group: Core
                impact: major
                cells:
                  - id: kr-1
                    url: "http://127.0.0.1:%1$d/ticketing/secret-path"
                    headers: {X-Token: %2$s}
                  - {id: kr-2, url: "http://127.0.0.1:%1$d/ticketing/secret-path"}
              - id: sns
                name: {en: "SNS <b>connectors</b>", ko: SNS 연동}
                group: Integrations
                impact: partial
                url: "http://127.0.0.1:%1$d/sns/secret-path"
            """
                .formatted(targetPort, PROBE_SECRET),
            Map.of(),
            new StatusPageConfig(
                Optional.of("https://status.example.com"),
                "https://portal.example.com",
                Optional.empty(),
                Optional.empty()));
    client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    operator = harness.token("operator");
    await()
        .atMost(WAIT)
        .until(
            () ->
                fetch("/api/v2/components.json", null).bodyAsString().contains("\"major_outage\""));
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  HttpResponse<Buffer> fetch(String path, MultiMap headers) throws Exception {
    HttpRequest<Buffer> request = client.get(harness.service.httpPort(), "127.0.0.1", path);
    if (headers != null) {
      request.putHeaders(headers);
    }
    return get(request.send());
  }

  private HttpResponse<Buffer> post(String path, JsonObject body) throws Exception {
    return get(
        client
            .request(HttpMethod.POST, harness.service.httpPort(), "127.0.0.1", path)
            .bearerTokenAuthentication(operator)
            .sendJsonObject(body));
  }

  private static MultiMap headers(String... pairs) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      m.add(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  @Test
  void everyPageInBothLanguagesWithValidatorsAndWithoutProbeDetails() throws Exception {
    HttpResponse<Buffer> korean = fetch("/", headers("Accept-Language", "ko-KR,ko;q=0.9,en;q=0.5"));
    assertThat(korean.statusCode()).isEqualTo(200);
    assertThat(korean.bodyAsString())
        .contains("<html lang=\"ko\">", "헬프데스크 서비스 상태", "SNS 연동", "전면 장애", "KST");
    HttpResponse<Buffer> english = fetch("/?lang=en", headers("Accept-Language", "ko"));
    assertThat(english.bodyAsString())
        .contains(
            "<html lang=\"en\">",
            "Helpdesk status",
            "Major outage",
            "SNS &lt;b&gt;connectors&lt;/b&gt;",
            "Asia/Seoul");
    String cookie =
        english.cookies().stream()
            .filter(c -> c.startsWith("sd_lang=en"))
            .findFirst()
            .orElseThrow();
    assertThat(cookie).contains("SameSite=Lax");
    assertThat(fetch("/", headers("Accept-Language", "ko", "Cookie", "sd_lang=en")).bodyAsString())
        .contains("<html lang=\"en\">");

    for (String lang : List.of("en", "ko")) {
      for (String path : List.of("/", "/history", "/sla", "/embed", "/tenant")) {
        HttpResponse<Buffer> r = fetch(path + "?lang=" + lang, null);
        assertThat(r.statusCode()).as(path).isIn(200, 401);
        assertThat(r.bodyAsString()).as(path).contains("<html lang=\"" + lang + "\">");
        assertThat(r.getHeader("Content-Security-Policy"))
            .as(path)
            .contains("default-src 'none'")
            .contains(
                path.equals("/embed")
                    ? "frame-ancestors https://portal.example.com"
                    : "frame-ancestors 'none'");
      }
    }
    assertThat(fetch("/sla?lang=en", null).bodyAsString())
        .contains("99.0%", "50%", "0.3", "Monthly Uptime Percentage");
    assertThat(fetch("/sla?lang=ko", null).bodyAsString()).contains("월간 가동률");
    // the rounding rule, in both languages
    assertThat(fetch("/sla?lang=en", null).bodyAsString())
        .contains("Credit = floor(monthly fee × credit % / 100) in whole won");
    assertThat(fetch("/sla?lang=ko", null).bodyAsString()).contains("원 단위 미만 버림");
    assertThat(fetch("/history?month=2026-13", null).statusCode()).isEqualTo(400);
    assertThat(fetch("/history?month=2040-01", null).statusCode()).isEqualTo(404);
    assertThat(fetch("/history?month=2999-01", null).statusCode()).isEqualTo(400);

    HttpResponse<Buffer> first = fetch("/api/v2/status.json", null);
    assertThat(first.getHeader("ETag")).isNotBlank();
    assertThat(first.getHeader("Cache-Control")).isEqualTo("public, max-age=15");
    assertThat(first.getHeader("Last-Modified")).isNotBlank();
    assertThat(
            fetch("/api/v2/status.json", headers("If-None-Match", first.getHeader("ETag")))
                .statusCode())
        .isIn(304, 200);
    HttpResponse<Buffer> plain = fetch("/?lang=en", null);
    HttpResponse<Buffer> gzipped = fetch("/?lang=en", headers("Accept-Encoding", "gzip, br"));
    assertThat(plain.getHeader("Content-Encoding")).isNull();
    assertThat(gzipped.getHeader("Content-Encoding")).isEqualTo("gzip");
    assertThat(gzipped.headers().getAll("Vary")).contains("Accept-Encoding");
    assertThat(gzipped.body().length()).isLessThan(plain.body().length() / 2);
    try (var in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body().getBytes()))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo(plain.bodyAsString());
    }
    assertThat(
            fetch("/?lang=en", headers("Accept-Encoding", "gzip;q=0"))
                .getHeader("Content-Encoding"))
        .isNull();
    HttpResponse<Buffer> css = fetch("/static/statusdesk.css", null);
    assertThat(
            fetch("/static/statusdesk.css", headers("If-None-Match", css.getHeader("ETag")))
                .statusCode())
        .isEqualTo(304);
    assertThat(
            fetch(
                    "/static/statusdesk.css",
                    headers("If-Modified-Since", css.getHeader("Last-Modified")))
                .statusCode())
        .isEqualTo(304);

    for (String path : publicPaths()) {
      String body = fetch(path, null).bodyAsString();
      assertThat(body)
          .as(path)
          .doesNotContain(
              "127.0.0.1",
              ":" + targetPort,
              "secret-path",
              PROBE_SECRET,
              ProbeTarget.INTERNAL_DETAIL,
              "db-7.internal");
    }
  }

  static List<String> publicPaths() {
    List<String> paths =
        new ArrayList<>(
            List.of(
                "/",
                "/?lang=ko",
                "/embed",
                "/history",
                "/history?lang=ko",
                "/sla",
                "/history.rss",
                "/history.atom",
                "/maintenance.ics",
                "/badge/status.svg",
                "/badge/sns/status.svg",
                "/badge/sns/uptime-30d.svg",
                "/badge/ticketing/uptime-90d.svg",
                "/api/v1/uptime/sns"));
    for (String doc :
        List.of(
            "status",
            "summary",
            "components",
            "incidents",
            "incidents/unresolved",
            "scheduled-maintenances",
            "scheduled-maintenances/upcoming",
            "scheduled-maintenances/active")) {
      paths.add("/api/v2/" + doc + ".json");
      paths.add("/api/v2/" + doc + ".json?lang=ko");
    }
    return paths;
  }

  @Test
  void markupInIncidentsAndNamesIsShownAsTextEverywhere() throws Exception {
    assertThat(
            post(
                    "/api/v1/incidents",
                    new JsonObject()
                        .put("title", XSS_TITLE)
                        .put("title_ko", XSS_TITLE)
                        .put("components", new JsonArray().add("ticketing"))
                        .put("class", "partial")
                        .put("started_at", Instant.now().minusSeconds(60).toString())
                        .put("status", "identified")
                        .put("message", XSS_MESSAGE))
                .statusCode())
        .isEqualTo(201);
    await().atMost(WAIT).until(() -> fetch("/", null).bodyAsString().contains("stuck queue"));

    for (String lang : List.of("en", "ko")) {
      String html =
          fetch("/?lang=" + lang, null).bodyAsString()
              + fetch("/history?lang=" + lang, null).bodyAsString()
              + fetch("/embed?lang=" + lang, null).bodyAsString();
      assertThat(html)
          .doesNotContain("<script>", "<img src=x", "<b>connectors")
          .contains(
              "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more",
              "&lt;img src=x onerror=alert(1)&gt; stuck queue");
    }
    SyndFeed rss =
        new SyndFeedInput().build(new StringReader(fetch("/history.rss", null).bodyAsString()));
    SyndFeed atom =
        new SyndFeedInput().build(new StringReader(fetch("/history.atom", null).bodyAsString()));
    for (SyndFeed feed : List.of(rss, atom)) {
      SyndEntry entry =
          feed.getEntries().stream()
              .filter(e -> e.getTitle().equals(XSS_TITLE))
              .findFirst()
              .orElseThrow();
      String text =
          entry.getDescription() != null
              ? entry.getDescription().getValue()
              : entry.getContents().get(0).getValue();
      assertThat(text).contains(XSS_MESSAGE);
    }
    assertThat(fetch("/history.rss", null).bodyAsString()).doesNotContain("<script>", "<img");
    String badge = fetch("/badge/sns/status.svg", null).bodyAsString();
    var svg =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new InputSource(new StringReader(badge)));
    assertThat(svg.getElementsByTagName("b").getLength()).isZero();
    assertThat(svg.getElementsByTagName("title").item(0).getTextContent())
        .isEqualTo("SNS <b>connectors</b>: major outage");
    JsonObject unresolved = fetch("/api/v2/incidents/unresolved.json", null).bodyAsJsonObject();
    assertThat(
            unresolved.getJsonArray("incidents").stream()
                .map(i -> ((JsonObject) i).getString("name")))
        .contains(XSS_TITLE);
  }

  @Test
  void theV2DocumentsHaveStatuspagesShapeFieldForField() throws Exception {
    String window = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.HOURS).toString();
    assertThat(
            post(
                    "/api/v1/maintenance",
                    new JsonObject()
                        .put("title", "Database upgrade")
                        .put("title_ko", "데이터베이스 업그레이드")
                        .put("components", new JsonArray().add("*"))
                        .put("starts_at", window)
                        .put("ends_at", Instant.parse(window).plusSeconds(3600).toString()))
                .statusCode())
        .isEqualTo(201);
    await()
        .atMost(WAIT)
        .until(
            () ->
                fetch("/api/v2/scheduled-maintenances/upcoming.json", null)
                    .bodyAsString()
                    .contains("Database upgrade"));
    JsonObject fields =
        new JsonObject(
            new String(
                getClass().getResourceAsStream("/statuspage-v2-fields.json").readAllBytes(),
                StandardCharsets.UTF_8));

    JsonObject summary = fetch("/api/v2/summary.json", null).bodyAsJsonObject();
    assertThat(summary.fieldNames())
        .containsExactlyInAnyOrder(
            "page", "components", "incidents", "scheduled_maintenances", "status");
    assertFields(summary.getJsonObject("page"), fields, "page");
    assertFields(summary.getJsonObject("status"), fields, "status");
    assertThat(fields.getJsonArray("indicators").getList())
        .contains(summary.getJsonObject("status").getString("indicator"));
    assertThat(summary.getJsonObject("status").getString("indicator")).isEqualTo("critical");
    for (Object o : summary.getJsonArray("components")) {
      JsonObject c = (JsonObject) o;
      assertFields(c, fields, c.getBoolean("group") ? "group_component" : "component");
      assertThat(fields.getJsonArray("component_statuses").getList())
          .contains(c.getString("status"));
    }
    for (Object o : summary.getJsonArray("incidents")) {
      JsonObject i = (JsonObject) o;
      assertFields(i, fields, "incident");
      assertThat(fields.getJsonArray("incident_statuses").getList())
          .contains(i.getString("status"));
      assertThat(fields.getJsonArray("impacts").getList()).contains(i.getString("impact"));
      i.getJsonArray("incident_updates")
          .forEach(u -> assertFields((JsonObject) u, fields, "incident_update"));
      i.getJsonArray("components").forEach(c -> assertFields((JsonObject) c, fields, "component"));
    }
    JsonObject maintenance = summary.getJsonArray("scheduled_maintenances").getJsonObject(0);
    assertFields(maintenance, fields, "scheduled_maintenance");
    assertThat(maintenance.getString("status")).isEqualTo("scheduled");
    assertThat(maintenance.getString("impact")).isEqualTo("maintenance");
    assertThat(maintenance.getString("scheduled_for")).isEqualTo(window);

    HttpResponse<Buffer> status = fetch("/api/v2/status.json", null);
    assertThat(status.getHeader("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(status.bodyAsJsonObject().fieldNames()).containsExactlyInAnyOrder("page", "status");
    assertThat(fetch("/api/v2/components.json", null).bodyAsJsonObject().fieldNames())
        .containsExactlyInAnyOrder("page", "components");
    for (String doc : List.of("incidents", "incidents/unresolved")) {
      JsonObject body = fetch("/api/v2/" + doc + ".json", null).bodyAsJsonObject();
      assertThat(body.fieldNames()).containsExactlyInAnyOrder("page", "incidents");
      body.getJsonArray("incidents").forEach(i -> assertFields((JsonObject) i, fields, "incident"));
    }
    for (String doc :
        List.of(
            "scheduled-maintenances",
            "scheduled-maintenances/upcoming",
            "scheduled-maintenances/active")) {
      JsonObject body = fetch("/api/v2/" + doc + ".json", null).bodyAsJsonObject();
      assertThat(body.fieldNames()).containsExactlyInAnyOrder("page", "scheduled_maintenances");
      body.getJsonArray("scheduled_maintenances")
          .forEach(
              m -> {
                assertFields((JsonObject) m, fields, "scheduled_maintenance");
                assertThat(fields.getJsonArray("maintenance_statuses").getList())
                    .contains(((JsonObject) m).getString("status"));
              });
    }
    assertThat(
            fetch("/api/v2/scheduled-maintenances/active.json", null)
                .bodyAsJsonObject()
                .getJsonArray("scheduled_maintenances"))
        .isEmpty();
    assertThat(fetch("/api/v2/summary.json?lang=ko", null).bodyAsString())
        .contains("SNS 연동", "데이터베이스 업그레이드", "주요 시스템 장애");

    Calendar ics =
        new CalendarBuilder()
            .build(new StringReader(fetch("/maintenance.ics", null).bodyAsString()));
    List<VEvent> events = ics.getComponents("VEVENT");
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getSummary().getValue()).isEqualTo("Database upgrade");
    assertThat(Instant.from(events.get(0).getDateTimeStart().getDate()))
        .isEqualTo(Instant.parse(window));
  }

  private static void assertFields(JsonObject object, JsonObject fields, String kind) {
    Set<String> expected = new HashSet<>(fields.getJsonArray(kind).getList());
    assertThat(object.fieldNames())
        .as(kind + " " + object.encode())
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void aRequestFindingTheFactsOverAMinuteOldIsServedThemReadAgain() throws Exception {
    // Nothing rebuilds the page by the clock alone: the first request after a minute waits for it.
    harness.clock.advance(Duration.ofMinutes(2));
    Instant advanced = harness.clock.instant().truncatedTo(ChronoUnit.MILLIS);
    JsonObject page = fetch("/api/v2/status.json", null).bodyAsJsonObject().getJsonObject("page");
    assertThat(Instant.parse(page.getString("updated_at"))).isAfterOrEqualTo(advanced);
  }

  @Test
  void dailyUptimeIsPublicJson() throws Exception {
    JsonObject body = fetch("/api/v1/uptime/sns", null).bodyAsJsonObject();
    assertThat(body.getString("timezone")).isEqualTo("Asia/Seoul");
    JsonArray days = body.getJsonArray("days");
    assertThat(days).isNotEmpty();
    JsonObject today = days.getJsonObject(days.size() - 1);
    assertThat(today.fieldNames())
        .containsExactlyInAnyOrder(
            "date",
            "monitored",
            "uptime_pct",
            "major_minutes",
            "partial_minutes",
            "maintenance_minutes",
            "no_data_minutes");
    // The live status may show the failure a moment before the outage's row reaches the facts,
    // and today's minutes count up to the snapshot's time: a snapshot rebuilt at the outage's
    // write, within its first second, shows 0 until the next rebuild, at the latest when the facts
    // are a minute old.
    await()
        .atMost(WAIT.plusSeconds(60))
        .until(
            () -> {
              JsonArray now =
                  fetch("/api/v1/uptime/sns", null).bodyAsJsonObject().getJsonArray("days");
              return !now.getJsonObject(now.size() - 1).getString("partial_minutes").equals("0");
            });
    // served from the snapshot like every other document: validators, and 304 when unchanged
    var first = fetch("/api/v1/uptime/sns", null);
    assertThat(first.getHeader("Cache-Control")).isEqualTo("public, max-age=15");
    assertThat(
            get(client
                    .get(harness.service.httpPort(), "127.0.0.1", "/api/v1/uptime/sns")
                    .putHeader("If-None-Match", first.getHeader("ETag"))
                    .send())
                .statusCode())
        .isEqualTo(304);
    assertThat(fetch("/api/v1/uptime/sns?from=2026-01-01&to=2027-06-01", null).statusCode())
        .isEqualTo(400);
    assertThat(fetch("/api/v1/uptime/sns?from=yesterday", null).statusCode()).isEqualTo(400);
    assertThat(fetch("/api/v1/uptime/billing", null).statusCode()).isEqualTo(404);
  }
}
