package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What an attacker's burst costs: failed credentials are throttled per client address before any
 * query, valid tokens are looked up once, bodies are read only after the credentials passed.
 */
@ExtendWith(VertxExtension.class)
class AccessLimitsTest {
  static final String HEARTBEAT = "a-long-heartbeat-token";
  private ServiceHarness harness;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    harness =
        ServiceHarness.start(
            vertx,
            """
            components:
              - {id: ticketing, impact: major, heartbeat: {max_silence: 1h, token: %s}}
            """
                .formatted(HEARTBEAT),
            Map.of(),
            TenantViewTest.SIGN_IN,
            TrustedProxies.parse("127.0.0.1"));
    // The limiter gives a failure back every three seconds of the service's clock; stopped,
    // it gives none back while a burst is sent, however slowly a busy machine sends it.
    harness.clock.stop();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  private HttpResponse<Buffer> call(HttpMethod method, String path, String token) throws Exception {
    return callFrom(null, method, path, token);
  }

  /** A call that reached us through the (trusted) proxy on loopback, from {@code client}. */
  private HttpResponse<Buffer> callFrom(
      String address, HttpMethod method, String path, String token) throws Exception {
    HttpRequest<Buffer> request =
        client.request(method, harness.service.httpPort(), "127.0.0.1", path).timeout(20_000);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    if (address != null) {
      request.putHeader("X-Forwarded-For", address);
    }
    return get(request.send());
  }

  private static String wrongToken(int i) {
    return "sd_wrong-token-number-" + i;
  }

  @Test
  void aBurstOfWrongTokensIsThrottledWhileValidTokensStillWork() throws Exception {
    String viewer = harness.token("viewer");
    assertThat(call(HttpMethod.GET, "/api/v1/incidents", viewer).statusCode()).isEqualTo(200);
    for (int i = 0; i < 20; i++) {
      assertThat(call(HttpMethod.GET, "/api/v1/incidents", wrongToken(i)).statusCode())
          .as("failure %d", i)
          .isEqualTo(401);
    }
    HttpResponse<Buffer> throttled = call(HttpMethod.GET, "/api/v1/incidents", wrongToken(99));
    assertThat(throttled.statusCode()).isEqualTo(429);
    // the burst took no time on the stopped clock: one failure is given back in 3 s
    assertThat(throttled.getHeader("Retry-After")).isEqualTo("3");
    assertThat(throttled.bodyAsJsonObject().getString("error")).contains("too many");
    assertThat(call(HttpMethod.GET, "/api/v1/incidents", null).statusCode()).isEqualTo(429);
    // a token that passed before is not a failure, so it is never throttled
    assertThat(call(HttpMethod.GET, "/api/v1/incidents", viewer).statusCode()).isEqualTo(200);

    // the valid token and the 20 wrong ones were looked up; nothing after the limit was reached
    assertThat(harness.counter("statusdesk.auth.token.lookups")).isEqualTo(21);
    assertThat(harness.counter("statusdesk.auth.refusals", "reason", "unknown")).isEqualTo(20);
    assertThat(harness.counter("statusdesk.auth.refusals", "reason", "throttled")).isEqualTo(2);
  }

  @Test
  void concurrentGuessesCannotOutrunTheLimit(Vertx vertx) throws Exception {
    WebClient wide =
        WebClient.create(vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(40));
    List<Future<HttpResponse<Buffer>>> guesses = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      guesses.add(
          wide.get(harness.service.httpPort(), "127.0.0.1", "/api/v1/incidents")
              .bearerTokenAuthentication(wrongToken(i))
              .send());
    }
    get(Future.all(guesses));
    Map<Integer, Long> statuses =
        guesses.stream()
            .collect(Collectors.groupingBy(f -> f.result().statusCode(), Collectors.counting()));
    assertThat(statuses).containsEntry(401, 20L).containsEntry(429, 60L);
    assertThat(harness.counter("statusdesk.auth.token.lookups")).isEqualTo(20);
  }

  @Test
  void throttlingIsPerClientAddress() throws Exception {
    String attacker = "203.0.113.5";
    String colleague = "198.51.100.7";
    for (int i = 0; i < 21; i++) {
      callFrom(attacker, HttpMethod.GET, "/api/v1/incidents", wrongToken(i));
    }
    assertThat(callFrom(attacker, HttpMethod.GET, "/api/v1/incidents", wrongToken(0)).statusCode())
        .isEqualTo(429);
    String billing = harness.token("billing");
    assertThat(callFrom(colleague, HttpMethod.GET, "/api/v1/incidents", billing).statusCode())
        .isEqualTo(200);
    assertThat(callFrom(colleague, HttpMethod.GET, "/api/v1/incidents", wrongToken(0)).statusCode())
        .isEqualTo(401);
    assertThat(
            callFrom("2001:db8:7::1", HttpMethod.GET, "/api/v1/incidents", wrongToken(0))
                .statusCode())
        .isEqualTo(401);
    // the proxy's own address is not the client: it was never charged
    assertThat(call(HttpMethod.GET, "/api/v1/incidents", wrongToken(0)).statusCode())
        .isEqualTo(401);
  }

  @Test
  void heartbeatAndSignInFailuresAreThrottledByTheSameLimiter() throws Exception {
    String beat = "/api/v1/heartbeats/ticketing/main";
    assertThat(call(HttpMethod.POST, beat, HEARTBEAT).statusCode()).isEqualTo(204);
    for (int i = 0; i < 10; i++) {
      assertThat(call(HttpMethod.POST, beat, wrongToken(i)).statusCode()).isEqualTo(401);
    }
    for (int i = 0; i < 10; i++) {
      assertThat(call(HttpMethod.GET, "/tenant/sso?token=not-a-jwt-" + i, null).statusCode())
          .isEqualTo(401);
    }
    assertThat(call(HttpMethod.POST, beat, wrongToken(99)).statusCode()).isEqualTo(429);
    HttpResponse<Buffer> signIn = call(HttpMethod.GET, "/tenant/sso?token=not-a-jwt", null);
    assertThat(signIn.statusCode()).isEqualTo(429);
    assertThat(signIn.getHeader("Retry-After")).isNotBlank();
    // a heartbeat token costs no query: a throttled address may not even try the right one,
    // or throttling would not slow guessing at all
    assertThat(call(HttpMethod.POST, beat, HEARTBEAT).statusCode()).isEqualTo(429);
  }

  @Test
  void aValidTokenIsLookedUpOnceAndAWrongOneOnce() throws Exception {
    String viewer = harness.token("viewer");
    for (int i = 0; i < 10; i++) {
      assertThat(call(HttpMethod.GET, "/api/v1/components", viewer).statusCode()).isEqualTo(200);
    }
    assertThat(harness.counter("statusdesk.auth.token.lookups")).isEqualTo(1);
    for (int i = 0; i < 5; i++) {
      assertThat(call(HttpMethod.GET, "/api/v1/components", wrongToken(0)).statusCode())
          .isEqualTo(401);
    }
    assertThat(harness.counter("statusdesk.auth.token.lookups")).isEqualTo(2);
  }

  @Test
  void metricsNeedATokenOnTheMainPortAndNoneOnTheManagementListener() throws Exception {
    assertThat(call(HttpMethod.GET, "/metrics", null).statusCode()).isEqualTo(401);
    HttpResponse<Buffer> metrics = call(HttpMethod.GET, "/metrics", harness.token("viewer"));
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.bodyAsString())
        .contains("statusdesk_auth_refusals_total{reason=\"missing\"} 1");
    int management = harness.service.managementPort().getAsInt();
    HttpResponse<Buffer> open = get(client.get(management, "127.0.0.1", "/metrics").send());
    assertThat(open.statusCode()).isEqualTo(200);
    assertThat(open.bodyAsString()).contains("statusdesk_auth_token_lookups_total");
    assertThat(get(client.get(management, "127.0.0.1", "/health").send()).statusCode())
        .isEqualTo(200);
    assertThat(get(client.get(management, "127.0.0.1", "/api/v1/checks").send()).statusCode())
        .isEqualTo(404);
  }

  @Test
  void credentialsAreCheckedBeforeAnyBodyIsRead() throws Exception {
    // 31 MB announced, 64 KB sent, no token: the refusal comes without waiting for the rest
    Exchange refused =
        exchange("POST /api/v1/tenants/import", null, "text/csv", 31_000_000, 64 * 1024);
    assertThat(refused.head()).startsWith("HTTP/1.1 401").containsIgnoringCase("connection: close");
    assertThat(refused.closed()).isTrue();

    String operator = harness.token("operator");
    Exchange tooLarge =
        exchange("POST /api/v1/incidents", operator, "application/json", 100 * 1024, 0);
    assertThat(tooLarge.head())
        .startsWith("HTTP/1.1 413")
        .containsIgnoringCase("connection: close");
    assertThat(tooLarge.closed()).isTrue();

    String big = new JsonObject().put("title", "x".repeat(100 * 1024)).encode();
    HttpResponse<Buffer> anonymous =
        get(
            client
                .post(harness.service.httpPort(), "127.0.0.1", "/api/v1/incidents")
                .putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer(big)));
    assertThat(anonymous.statusCode()).isEqualTo(401);
    HttpResponse<Buffer> withToken =
        get(
            client
                .post(harness.service.httpPort(), "127.0.0.1", "/api/v1/incidents")
                .bearerTokenAuthentication(operator)
                .putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer(big)));
    assertThat(withToken.statusCode()).isEqualTo(413);
    assertThat(withToken.bodyAsJsonObject().getString("error")).contains("too large");
    HttpResponse<Buffer> small =
        get(
            client
                .post(harness.service.httpPort(), "127.0.0.1", "/api/v1/incidents")
                .bearerTokenAuthentication(operator)
                .sendJsonObject(new JsonObject().put("title", "t")));
    assertThat(small.statusCode()).isEqualTo(400);
    assertThat(small.bodyAsJsonObject().getString("error")).startsWith("components:");
  }

  /** The response head, and whether the server closed the connection after it. */
  private record Exchange(String head, boolean closed) {}

  /** Sends a request head announcing {@code length} bytes, then only {@code send} of them. */
  private Exchange exchange(String requestLine, String token, String type, int length, int send)
      throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), harness.service.httpPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          (requestLine
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                  + type
                  + "\r\nContent-Length: "
                  + length
                  + "\r\n"
                  + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                  + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[send]);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.write(b);
      }
      boolean closed;
      try {
        while (in.read() >= 0) {
          // the error body, then the end of the stream
        }
        closed = true;
      } catch (SocketException e) {
        closed = e.getMessage().contains("reset");
      }
      return new Exchange(head.toString(StandardCharsets.US_ASCII), closed);
    }
  }
}
