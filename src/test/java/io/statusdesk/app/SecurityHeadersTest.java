package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.store.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Security headers on every kind of answer, and what a forwarded request may claim. */
@ExtendWith(VertxExtension.class)
class SecurityHeadersTest {
  private ServiceHarness harness;
  private WebClient client;
  private JWTAuth helpdesk;

  /** One request of each kind of answer the service gives, and the status it must get. */
  private record Kind(String name, HttpMethod method, String path, String role, int status) {}

  private static final List<Kind> KINDS =
      List.of(
          new Kind("public page", HttpMethod.GET, "/", null, 200),
          new Kind("stylesheet", HttpMethod.GET, "/static/statusdesk.css", null, 200),
          new Kind("v2 JSON", HttpMethod.GET, "/api/v2/summary.json", null, 200),
          new Kind("badge", HttpMethod.GET, "/badge/status.svg", null, 200),
          new Kind("feed", HttpMethod.GET, "/history.rss", null, 200),
          new Kind("tenant page, signed out", HttpMethod.GET, "/tenant", null, 401),
          new Kind("tenant CSV, signed out", HttpMethod.GET, "/tenant/credits.csv", null, 401),
          new Kind("API JSON", HttpMethod.GET, "/api/v1/incidents", "viewer", 200),
          new Kind("API without token", HttpMethod.GET, "/api/v1/incidents", null, 401),
          new Kind("API wrong role", HttpMethod.GET, "/api/v1/audit", "viewer", 403),
          new Kind("CSV export", HttpMethod.GET, "/api/v1/ledger/entries.csv", "billing", 200),
          new Kind("heartbeat", HttpMethod.POST, "/api/v1/heartbeats/ticketing/main", "beat", 204),
          new Kind("health", HttpMethod.GET, "/health", null, 200),
          new Kind("metrics", HttpMethod.GET, "/metrics", "viewer", 200),
          new Kind("not found", HttpMethod.GET, "/nope", null, 404),
          new Kind("bad request", HttpMethod.GET, "/history?month=2026-13", null, 400));

  @AfterEach
  void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private void startWith(Vertx vertx, TrustedProxies proxies) throws Exception {
    harness =
        ServiceHarness.start(
            vertx,
            """
            components:
              - id: ticketing
                impact: major
                heartbeat: {max_silence: 1h, token: a-long-heartbeat-token}
            """,
            Map.of(),
            TenantViewTest.SIGN_IN,
            proxies);
    client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    helpdesk = TenantViewTest.helpdesk(vertx);
    try (Connection c = TestDatabase.connect(harness.dbUrl);
        Statement s = c.createStatement()) {
      s.execute(
          """
          INSERT INTO tenant_versions
            (tenant_id, valid_from, name, plan, members, status, cells, recorded_by)
          VALUES ('acme', '2026-09-01T00:00:00Z', 'Acme', 'earth', 10, 'current', '{kr-1}', 't')
          """);
    }
  }

  private HttpResponse<Buffer> send(
      HttpMethod method, String path, String token, Map<String, String> headers) throws Exception {
    HttpRequest<Buffer> request =
        client.request(method, harness.service.httpPort(), "127.0.0.1", path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    headers.forEach(request::putHeader);
    return get(request.send());
  }

  private Map<String, String> tokens() {
    return Map.of(
        "viewer",
        harness.token("viewer"),
        "billing",
        harness.token("billing"),
        "beat",
        "a-long-heartbeat-token");
  }

  private String signInToken() {
    return helpdesk.generateToken(
        new JsonObject().put("sub", "acme").put("jti", UUID.randomUUID().toString()),
        new JWTOptions().setExpiresInSeconds(300));
  }

  @Test
  void everyKindOfAnswerCarriesTheSecurityHeadersAndNoHstsOverPlainHttp(Vertx vertx)
      throws Exception {
    startWith(vertx, TrustedProxies.none());
    Map<String, String> tokens = tokens();
    for (Kind kind : KINDS) {
      // an untrusted peer claiming TLS is not believed
      HttpResponse<Buffer> r =
          send(
              kind.method(),
              kind.path(),
              kind.role() == null ? null : tokens.get(kind.role()),
              Map.of("X-Forwarded-Proto", "https"));
      assertThat(r.statusCode()).as(kind.name()).isEqualTo(kind.status());
      assertThat(r.getHeader("X-Content-Type-Options")).as(kind.name()).isEqualTo("nosniff");
      assertThat(r.getHeader("Referrer-Policy"))
          .as(kind.name())
          .isEqualTo("strict-origin-when-cross-origin");
      assertThat(r.getHeader("Content-Security-Policy"))
          .as(kind.name())
          .contains("default-src 'none'", "frame-ancestors 'none'");
      assertThat(r.getHeader("Strict-Transport-Security")).as(kind.name()).isNull();
    }
    HttpResponse<Buffer> signedIn =
        send(
            HttpMethod.GET,
            "/tenant/sso?token=" + signInToken(),
            null,
            Map.of("X-Forwarded-Proto", "https"));
    assertThat(signedIn.statusCode()).isEqualTo(302);
    assertThat(signedIn.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(signedIn.cookies().get(0)).doesNotContainIgnoringCase("secure");
    String cookie = signedIn.cookies().get(0).split(";", -1)[0];
    HttpResponse<Buffer> page = send(HttpMethod.GET, "/tenant", null, Map.of("Cookie", cookie));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(page.getHeader("Content-Security-Policy")).contains("default-src 'none'");
    HttpResponse<Buffer> csv =
        send(HttpMethod.GET, "/tenant/credits.csv", null, Map.of("Cookie", cookie));
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @Test
  void behindATrustedTlsProxyEveryAnswerGetsHstsAndTheSessionCookieIsSecure(Vertx vertx)
      throws Exception {
    startWith(vertx, TrustedProxies.parse("127.0.0.0/8"));
    Map<String, String> tokens = tokens();
    for (Kind kind : KINDS) {
      HttpResponse<Buffer> r =
          send(
              kind.method(),
              kind.path(),
              kind.role() == null ? null : tokens.get(kind.role()),
              Map.of("X-Forwarded-Proto", "https", "X-Forwarded-For", "198.51.100.7"));
      assertThat(r.statusCode()).as(kind.name()).isEqualTo(kind.status());
      assertThat(r.getHeader("Strict-Transport-Security"))
          .as(kind.name())
          .isEqualTo("max-age=31536000");
      assertThat(r.getHeader("X-Content-Type-Options")).as(kind.name()).isEqualTo("nosniff");
    }
    assertThat(
            send(HttpMethod.GET, "/", null, Map.of("X-Forwarded-Proto", "http"))
                .getHeader("Strict-Transport-Security"))
        .isNull();
    HttpResponse<Buffer> signedIn =
        send(
            HttpMethod.GET,
            "/tenant/sso?token=" + signInToken(),
            null,
            Map.of("X-Forwarded-Proto", "https"));
    assertThat(signedIn.statusCode()).isEqualTo(302);
    assertThat(signedIn.cookies().get(0)).containsIgnoringCase("secure");
    assertThat(signedIn.getHeader("Strict-Transport-Security")).isEqualTo("max-age=31536000");
    HttpResponse<Buffer> plain =
        send(HttpMethod.GET, "/tenant/sso?token=" + signInToken(), null, Map.of());
    assertThat(plain.cookies().get(0)).doesNotContainIgnoringCase("secure");
  }
}
