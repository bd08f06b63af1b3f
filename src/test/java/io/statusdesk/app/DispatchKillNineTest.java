package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.statusdesk.notify.Receiver;
import io.statusdesk.store.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service killed with {@code kill -9} in the middle of sending an incident to its webhook
 * subscribers: the next service sends what was left once the dead one's lease ran out, and a
 * message the dead one sent but could not mark is sent again with the same {@code webhook-id}, so a
 * receiver that drops repeats sees each message once.
 */
@ExtendWith(VertxExtension.class)
class DispatchKillNineTest {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final int SUBSCRIBERS = 1500;
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern LISTENING =
      Pattern.compile("statusdesk listening on http://127\\.0\\.0\\.1:(\\d+)");
  private static final String YAML =
      """
      components:
        - {id: ticketing, impact: major,
           heartbeat: {max_silence: 1h, token: a-long-heartbeat-token}}
      """;

  @TempDir Path dir;

  private Process child;
  private ServiceHarness harness;
  private Receiver receiver;

  @AfterEach
  void stop() throws Exception {
    if (child != null) {
      child.destroyForcibly().waitFor();
    }
    if (harness != null) {
      harness.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void aServiceKilledMidDispatchLosesNothingAndRepeatsOnlyUnderTheSameId(Vertx vertx)
      throws Exception {
    receiver = Receiver.start(vertx, SECRET);
    receiver.delayMs = 20;
    String url = TestDatabase.fresh();
    // the service that takes over; made now for its token command, started after the kill
    harness = ServiceHarness.prepareOn(vertx, url, YAML, Map.of());
    Files.writeString(dir.resolve("checks.yaml"), YAML);
    Path err = dir.resolve("err.txt");
    ProcessBuilder serve =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty(
                    "surefire.test.class.path", System.getProperty("java.class.path")),
                Main.class.getName(),
                "serve")
            .directory(dir.toFile())
            .redirectOutput(dir.resolve("out.txt").toFile())
            .redirectError(err.toFile());
    serve
        .environment()
        .putAll(
            Map.of(
                "STATUSDESK_DB_URL", url,
                "STATUSDESK_HTTP_PORT", "0",
                "STATUSDESK_MANAGEMENT_ADDR", "off",
                "STATUSDESK_DATA_DIR", dir.resolve("data").toString(),
                "STATUSDESK_ALLOW_UNSAFE_DB", "true"));
    child = serve.start();
    Matcher listening = LISTENING.matcher("");
    await()
        .atMost(WAIT)
        .until(() -> listening.reset(Files.readString(err, StandardCharsets.UTF_8)).find());
    int port = Integer.parseInt(listening.group(1));

    try (var c = TestDatabase.connect(url);
        var s = c.createStatement()) {
      s.execute(
          "INSERT INTO notify_subscribers (kind, address, lang, state, token, secret,"
              + " created_at, confirmed_at) SELECT 'webhook', '"
              + receiver.url("/hook")
              + "?n=' || n, 'en', 'active', 't' || n, '"
              + SECRET
              + "', now(), now() FROM generate_series(1, "
              + SUBSCRIBERS
              + ") n");
    }
    HttpResponse<Buffer> opened =
        get(
            WebClient.create(vertx)
                .post(port, "127.0.0.1", "/api/v1/incidents")
                .bearerTokenAuthentication(harness.token("operator"))
                .sendJsonObject(
                    new JsonObject()
                        .put("title", "Slow replies")
                        .put("impacts", new JsonObject().put("ticketing", "degraded_performance"))
                        .put("started_at", Instant.now().minusSeconds(60).toString())
                        .put("status", "investigating")
                        .put("message", "Looking into it.")));
    assertThat(opened.statusCode()).as(opened.bodyAsString()).isEqualTo(201);
    await().atMost(WAIT).until(() -> receiver.requests.size() >= 150);
    child.destroyForcibly().waitFor();
    int beforeKill = receiver.requests.size();
    assertThat(beforeKill).isLessThan(SUBSCRIBERS);

    // the next service starts past the dead one's lease (two minutes) instead of waiting for it
    harness.clock.advance(Duration.ofMinutes(3));
    harness.restart();
    await()
        .atMost(WAIT)
        .until(
            () ->
                harness.count("SELECT count(*) FROM notify_deliveries WHERE state = 'sent'")
                    == SUBSCRIBERS);
    List<Receiver.Request> got = List.copyOf(receiver.requests);
    Map<String, Set<String>> bodiesById =
        got.stream()
            .collect(
                Collectors.groupingBy(
                    Receiver.Request::id,
                    Collectors.mapping(Receiver.Request::body, Collectors.toSet())));
    assertThat(bodiesById).hasSize(SUBSCRIBERS);
    assertThat(bodiesById.values()).allMatch(bodies -> bodies.size() == 1);
    assertThat(got).allMatch(Receiver.Request::signed);
    assertThat(got.stream().map(Receiver.Request::path).distinct()).containsExactly("/hook");
    // what the dead service sent but did not mark is all that came twice
    assertThat(got.size() - SUBSCRIBERS).isLessThanOrEqualTo(beforeKill);
  }
}
