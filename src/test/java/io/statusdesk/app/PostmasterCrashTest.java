package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.statusdesk.store.Database;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The service on its own durable embedded PostgreSQL, whose postmaster is killed under it. */
@ExtendWith(VertxExtension.class)
class PostmasterCrashTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void theServiceRestartsItsDatabaseAndStoresEveryResultProbedMeanwhile(Vertx vertx)
      throws Exception {
    AtomicInteger status = new AtomicInteger(200);
    int port = ProbeTarget.listen(vertx, status);
    Database db = Database.embedded(dir, Database.Durability.DURABLE);
    try {
      db.migrate();
      ServiceHarness harness =
          ServiceHarness.startOn(
              vertx,
              db,
              """
              defaults:
                {interval: 100ms, timeout: 100ms, failure_threshold: 2, success_threshold: 1}
              components:
                - {id: ticketing, impact: major, url: "http://127.0.0.1:%d/"}
              """
                  .formatted(port),
              Map.of());
      WebClient client = WebClient.create(vertx);
      await().atMost(WAIT).until(() -> harness.counter("statusdesk.results.written") > 5);

      long postmaster =
          Long.parseLong(
              Files.readAllLines(dir.resolve("pg").resolve("postmaster.pid")).get(0).trim());
      Instant killedAt = harness.clock.instant();
      long killedNanos = System.nanoTime();
      ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();
      await()
          .atMost(WAIT)
          .until(
              () -> {
                HttpResponse<Buffer> health = health(client, harness);
                return health.statusCode() == 503
                    && "restarting".equals(health.bodyAsJsonObject().getString("database"));
              });
      // The lost LISTEN connection has the supervisor look at once, not at its next 5 s look.
      assertThat(Duration.ofNanos(System.nanoTime() - killedNanos))
          .isLessThan(Duration.ofSeconds(3));
      await().atMost(WAIT).until(() -> health(client, harness).statusCode() == 200);
      Instant healthyAt = harness.clock.instant();
      harness.stop();

      long stored = harness.count("SELECT count(*) FROM probe_results");
      assertThat(stored).isEqualTo((long) harness.counterAfterStop);
      assertThat(harness.count("SELECT sum(up + degraded + down) FROM probe_rollup_minute"))
          .isEqualTo(stored);
      assertThat(
              harness.count(
                  "SELECT count(*) FROM probe_results WHERE probed_at > '"
                      + killedAt
                      + "' AND probed_at < '"
                      + healthyAt
                      + "'"))
          .isPositive();
    } finally {
      db.close();
    }
  }

  private static HttpResponse<Buffer> health(WebClient client, ServiceHarness harness)
      throws Exception {
    return get(client.get(harness.service.httpPort(), "127.0.0.1", "/health").send());
  }
}
