package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.statusdesk.statuspage.StatusPageConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What protects the console besides sign-in: security headers on every page (a CSP without inline
 * script, no framing, HSTS behind TLS), the IP allow-list with and without a trusted proxy, and
 * escaping of everything an operator types wherever it is shown.
 */
@ExtendWith(VertxExtension.class)
class ConsoleHardeningTest {
  private static final String XSS = "\"><script>alert('x')</script><img src=x onerror=alert(1)>";
  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneId.of("Asia/Seoul"));

  private ServiceHarness harness;

  @AfterEach
  void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void everyConsolePageCarriesTheSecurityHeadersAndHstsBehindTls(Vertx vertx) throws Exception {
    harness =
        ServiceHarness.start(
            vertx,
            ConsoleSignInTest.CHECKS,
            Map.of(),
            StatusPageConfig.defaults(),
            TrustedProxies.parse("127.0.0.0/8"));
    ConsoleUser admin = ConsoleUser.signedIn(harness, "root@example.com", "admin");
    List<String> pages =
        harness.service.routes().stream()
            .filter(r -> r.startsWith("GET /admin"))
            .map(r -> r.substring(4))
            .filter(p -> !p.contains("{") && !p.endsWith(".csv") && !p.endsWith(".json"))
            .toList();
    assertThat(pages).contains("/admin/overview", "/admin/incidents", "/admin/sign-in");
    for (String page : pages) {
      HttpResponse<Buffer> r = admin.get(page);
      assertThat(r.statusCode()).as(page).isIn(200, 303, 404);
      String csp = r.getHeader("Content-Security-Policy");
      assertThat(csp).as(page).contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
      if (r.statusCode() == 200) {
        assertThat(csp).as(page).contains("script-src 'self'", "default-src 'none'");
        assertThat(r.bodyAsString()).as(page).doesNotContain("<script>").doesNotContain(" style=");
      }
      assertThat(r.getHeader("X-Content-Type-Options")).as(page).isEqualTo("nosniff");
      assertThat(r.getHeader("Referrer-Policy"))
          .as(page)
          .isEqualTo("strict-origin-when-cross-origin");
      assertThat(r.getHeader("Strict-Transport-Security")).as(page).isNull();
    }
    // through a trusted TLS proxy: HSTS, and the session cookie is Secure
    WebClient client = ConsoleUser.client(harness);
    HttpResponse<Buffer> tls =
        get(
            client
                .get(harness.service.httpPort(), "127.0.0.1", "/admin/sign-in")
                .putHeader("X-Forwarded-Proto", "https")
                .send());
    assertThat(tls.getHeader("Strict-Transport-Security")).isEqualTo("max-age=31536000");
    assertThat(tls.cookies())
        .anyMatch(c -> c.startsWith("sd_console_form=") && c.contains("Secure"));
  }

  private HttpResponse<Buffer> from(
      WebClient client, HttpMethod method, String path, Map<String, String> headers)
      throws Exception {
    HttpRequest<Buffer> request =
        client.request(method, harness.service.httpPort(), "127.0.0.1", path);
    headers.forEach(request::putHeader);
    return get(request.send());
  }

  @Test
  void theAllowListAdmitsOnlyItsNetworksAndBelievesForwardingOnlyFromTrustedProxies(Vertx vertx)
      throws Exception {
    harness = ServiceHarness.prepare(vertx, ConsoleSignInTest.CHECKS, Map.of());
    harness.adminAllow = Networks.parse("203.0.113.0/24");
    harness.restart();
    WebClient client = ConsoleUser.client(harness);
    Map<String, String> claim = Map.of("X-Forwarded-For", "203.0.113.9");
    // 127.0.0.1 is not on the list, and nobody is trusted to say otherwise
    assertThat(from(client, HttpMethod.GET, "/admin/sign-in", Map.of()).statusCode())
        .isEqualTo(403);
    assertThat(from(client, HttpMethod.GET, "/admin/sign-in", claim).statusCode()).isEqualTo(403);
    assertThat(from(client, HttpMethod.GET, "/api/v1/incidents", claim).statusCode())
        .isEqualTo(403);
    // the public page and the heartbeats stay open
    assertThat(from(client, HttpMethod.GET, "/health", Map.of()).statusCode()).isEqualTo(200);
    assertThat(
            from(
                    client,
                    HttpMethod.POST,
                    "/api/v1/heartbeats/ticketing/main",
                    Map.of("Authorization", "Bearer a-long-heartbeat-token"))
                .statusCode())
        .isEqualTo(204);

    harness.stop();
    harness.trustedProxies = TrustedProxies.parse("127.0.0.1");
    harness.restart();
    assertThat(from(client, HttpMethod.GET, "/admin/sign-in", claim).statusCode()).isEqualTo(200);
    assertThat(
            from(
                    client,
                    HttpMethod.GET,
                    "/admin/sign-in",
                    Map.of("X-Forwarded-For", "198.51.100.1"))
                .statusCode())
        .isEqualTo(403);
    assertThat(from(client, HttpMethod.GET, "/api/v1/incidents", claim).statusCode())
        .as("allowed through, then asked for a token")
        .isEqualTo(401);
  }

  @Test
  void theAllowListJudgesThePathTheRouterServesNotTheOneTyped(Vertx vertx) throws Exception {
    harness = ServiceHarness.prepare(vertx, ConsoleSignInTest.CHECKS, Map.of());
    harness.adminAllow = Networks.parse("203.0.113.0/24");
    harness.restart();
    WebClient client = ConsoleUser.client(harness);
    String token = harness.token("viewer");
    // the open prefixes, walked out of with dot segments the router removes before matching
    for (String path :
        List.of(
            "/api/v1/heartbeats/../incidents",
            "/api/v1/uptime/../incidents",
            "/api/v1/heartbeats/%2e%2e/incidents",
            "/api/v1/uptime/x/../../../../admin/sign-in")) {
      assertThat(
              from(client, HttpMethod.GET, path, Map.of("Authorization", "Bearer " + token))
                  .statusCode())
          .as(path)
          .isEqualTo(403);
    }
  }

  @Test
  void everythingAnOperatorTypesIsEscapedOnTheConsoleThePublicPageAndTheFeeds(Vertx vertx)
      throws Exception {
    harness = ServiceHarness.start(vertx, ConsoleSignInTest.CHECKS, Map.of());
    ConsoleUser op = ConsoleUser.signedIn(harness, "op@example.com", "operator");
    Instant now = harness.clock.instant();
    HttpResponse<Buffer> opened =
        op.submit(
            "/admin/incidents/new",
            "/admin/incidents",
            Map.of(
                "title", "Title " + XSS,
                "title_ko", "제목 " + XSS,
                "impact_ticketing", "major_outage",
                "started_at", LOCAL.format(now.minusSeconds(600)),
                "status", "investigating",
                "message", "Message " + XSS,
                "message_ko", "메시지 " + XSS));
    assertThat(opened.statusCode()).as(opened.bodyAsString()).isEqualTo(303);
    String incident = opened.getHeader("Location").replaceAll("\\?.*", "");
    String id = incident.substring(incident.lastIndexOf('/') + 1);
    assertThat(
            op.submit(
                    incident,
                    incident + "/edit",
                    Map.of(
                        "title", "Title " + XSS,
                        "impact_ticketing", "major_outage",
                        "postmortem", "Postmortem " + XSS,
                        "postmortem_ko", "사후 분석 " + XSS))
                .statusCode())
        .isEqualTo(303);
    Instant start = now.plus(Duration.ofDays(10));
    HttpResponse<Buffer> window =
        op.submit(
            "/admin/maintenance/new",
            "/admin/maintenance",
            Map.of(
                "title",
                "Window " + XSS,
                "title_ko",
                "점검 " + XSS,
                "description",
                "Description " + XSS,
                "components",
                "ticketing",
                "starts_at",
                LOCAL.format(start),
                "ends_at",
                LOCAL.format(start.plusSeconds(3600)),
                "repeat",
                "weekly",
                "interval",
                "1"));
    assertThat(window.statusCode()).as(window.bodyAsString()).isEqualTo(303);
    String windowPage = window.getHeader("Location").replaceAll("\\?.*", "");
    ConsoleUser billing = ConsoleUser.signedIn(harness, "bill@example.com", "billing");
    assertThat(
            billing
                .submit(
                    "/admin/tenants",
                    "/admin/tenants/acme",
                    Map.of(
                        "name",
                        "Acme " + XSS,
                        "plan",
                        "earth",
                        "members",
                        "3",
                        "status",
                        "current"))
                .statusCode())
        .isEqualTo(303);
    // the note of an outage's exclusion, and the text of an SLA version
    String outage = "/admin/outages/" + harness.count("SELECT id FROM outages");
    assertThat(
            op.submit(
                    outage,
                    outage,
                    Map.of(
                        "class",
                        "major",
                        "started_at",
                        LOCAL.format(now.minusSeconds(600)),
                        "exclusion_reason",
                        "network",
                        "exclusion_note",
                        "Note " + XSS))
                .statusCode())
        .isEqualTo(303);
    assertThat(
            op.submit(
                    "/admin/sla",
                    "/admin/sla",
                    Map.of(
                        "timezone",
                        "Asia/Seoul",
                        "partial_weight",
                        "0.3",
                        "effective_from",
                        LOCAL.format(now.plus(Duration.ofDays(31))),
                        "tiers",
                        "98.0 0\n0 10\n",
                        "text",
                        "Terms " + XSS,
                        "text_ko",
                        "약관 " + XSS))
                .statusCode())
        .isEqualTo(303);

    for (String page :
        List.of(
            "/admin/incidents",
            incident,
            "/admin/overview",
            "/admin/maintenance",
            windowPage,
            outage,
            "/admin/sla",
            "/admin/audit")) {
      assertEscaped(op.get(page), page);
    }
    assertEscaped(billing.get("/admin/tenants?q=acme"), "tenant search");
    assertEscaped(billing.get("/admin/tenants/acme"), "tenant");

    WebClient client = ConsoleUser.client(harness);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                from(client, HttpMethod.GET, "/?lang=en", Map.of())
                    .bodyAsString()
                    .contains("Window &quot;&gt;&lt;script&gt;"));
    for (String page :
        List.of("/?lang=en", "/?lang=ko", "/incidents/" + id + "?lang=en", "/history?lang=ko")) {
      assertEscaped(from(client, HttpMethod.GET, page, Map.of()), page);
    }
    for (String lang : List.of("en", "ko")) {
      assertThat(from(client, HttpMethod.GET, "/sla?lang=" + lang, Map.of()).bodyAsString())
          .doesNotContain("<script>alert", "<img src=x");
    }
    for (String feed : List.of("/history.rss", "/history.atom")) {
      String body = from(client, HttpMethod.GET, feed, Map.of()).bodyAsString();
      assertThat(body).as(feed).doesNotContain("<script>", "<img src=x").contains("&lt;script&gt;");
    }
    // iCalendar is plain text, never HTML: the title stays one line of text, served as such
    HttpResponse<Buffer> ics = from(client, HttpMethod.GET, "/maintenance.ics", Map.of());
    assertThat(ics.getHeader("Content-Type")).startsWith("text/calendar");
    assertThat(ics.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(ics.bodyAsString().lines().filter(l -> l.startsWith("SUMMARY:Window")).toList())
        .isNotEmpty()
        .allMatch(l -> l.contains("<script>"));
  }

  private static void assertEscaped(HttpResponse<Buffer> page, String name) {
    assertThat(page.statusCode()).as(name).isEqualTo(200);
    assertThat(page.bodyAsString())
        .as(name)
        .doesNotContain("<script>alert", "<img src=x", "\"><script")
        .contains("&lt;script&gt;");
  }
}
