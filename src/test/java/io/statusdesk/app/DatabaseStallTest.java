package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.statusdesk.store.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** A PostgreSQL that stops answering without closing its connections. */
@ExtendWith(VertxExtension.class)
class DatabaseStallTest {
  private ServiceHarness harness;
  private TcpProxy proxy;

  @AfterEach
  void stop() throws Exception {
    if (proxy != null) {
      proxy.restore();
    }
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void operatorCallsAnswer503QuicklyWhileThePublicPageKeepsServing(Vertx vertx) throws Exception {
    TcpProxy.ProxiedDatabase db = TcpProxy.database(vertx);
    proxy = db.proxy();
    harness =
        ServiceHarness.startOn(
            vertx,
            db.url(),
            db.viaProxy(),
            """
            components:
              - id: ticketing
                impact: major
                heartbeat: {max_silence: 1h, token: a-long-heartbeat-token}
            """,
            Map.of());
    WebClient client = WebClient.create(vertx);
    int port = harness.service.httpPort();
    String operator = harness.token("operator");
    assertThat(
            get(client
                    .get(port, "127.0.0.1", "/api/v1/incidents")
                    .bearerTokenAuthentication(operator)
                    .send())
                .statusCode())
        .isEqualTo(200);

    proxy.stall();
    long started = System.nanoTime();
    HttpResponse<Buffer> stalled =
        get(
            client
                .get(port, "127.0.0.1", "/api/v1/incidents")
                .bearerTokenAuthentication(operator)
                .timeout(30_000)
                .send());
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(stalled.statusCode()).isEqualTo(503);
    // ended when the health check found the database down (within about two seconds), not by
    // the request's own deadline
    assertThat(took).isLessThan(Duration.ofMillis(DatabaseDeadline.DEADLINE_MS));
    assertThat(stalled.getHeader("Retry-After")).isNotBlank();
    assertThat(stalled.bodyAsJsonObject().getString("error"))
        .isEqualTo("database unavailable, retry later");

    // known down: answered at once, writes included
    started = System.nanoTime();
    HttpResponse<Buffer> write =
        get(
            client
                .post(port, "127.0.0.1", "/api/v1/incidents")
                .bearerTokenAuthentication(operator)
                .timeout(30_000)
                .sendJsonObject(new JsonObject().put("title", "x")));
    assertThat(write.statusCode()).isEqualTo(503);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    assertThat(get(client.get(port, "127.0.0.1", "/tenant").timeout(30_000).send()).statusCode())
        .isEqualTo(503);
    assertThat(get(client.get(port, "127.0.0.1", "/").timeout(30_000).send()).statusCode())
        .isEqualTo(200);
    // the daily uptime API is a public document served from the snapshot too
    assertThat(
            get(client.get(port, "127.0.0.1", "/api/v1/uptime/ticketing").timeout(30_000).send())
                .statusCode())
        .isEqualTo(200);
    assertThat(
            get(client
                    .post(port, "127.0.0.1", "/api/v1/heartbeats/ticketing/main")
                    .bearerTokenAuthentication("a-long-heartbeat-token")
                    .timeout(30_000)
                    .send())
                .statusCode())
        .isEqualTo(204);

    proxy.restore();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                get(client
                            .get(port, "127.0.0.1", "/api/v1/incidents")
                            .bearerTokenAuthentication(operator)
                            .timeout(30_000)
                            .send())
                        .statusCode()
                    == 200);
  }

  @Test
  void aQueryThatHangsWhileTheDatabaseAnswersIsCutOffAtTheDeadline(Vertx vertx) throws Exception {
    harness =
        ServiceHarness.start(
            vertx,
            """
            components:
              - {id: ticketing, impact: major, url: "http://127.0.0.1:1/"}
            """,
            Map.of());
    WebClient client = WebClient.create(vertx);
    int port = harness.service.httpPort();
    String viewer = harness.token("viewer");
    try (Connection lock = TestDatabase.connect(harness.dbUrl);
        Statement s = lock.createStatement()) {
      lock.setAutoCommit(false);
      s.execute("LOCK TABLE incidents IN ACCESS EXCLUSIVE MODE");
      long started = System.nanoTime();
      HttpResponse<Buffer> hung =
          get(
              client
                  .get(port, "127.0.0.1", "/api/v1/incidents")
                  .bearerTokenAuthentication(viewer)
                  .timeout(60_000)
                  .send());
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertThat(hung.statusCode()).isEqualTo(503);
      assertThat(hung.getHeader("Retry-After")).isNotBlank();
      assertThat(took)
          .isBetween(
              Duration.ofMillis(DatabaseDeadline.DEADLINE_MS - 500),
              Duration.ofMillis(DatabaseDeadline.DEADLINE_MS + 10_000));
      // the database itself answers: calls that do not touch the locked table are served
      assertThat(
              get(client
                      .get(port, "127.0.0.1", "/api/v1/outages?month=2026-11")
                      .bearerTokenAuthentication(viewer)
                      .send())
                  .statusCode())
          .isEqualTo(200);
      lock.rollback();
    }
    assertThat(
            get(client
                    .get(port, "127.0.0.1", "/api/v1/incidents")
                    .bearerTokenAuthentication(viewer)
                    .send())
                .statusCode())
        .isEqualTo(200);

    // a token lookup that hangs is cut off too, and finishing after the 503 logs no error
    String fresh = harness.token("operator");
    ListAppender<ILoggingEvent> router = new ListAppender<>();
    router.start();
    Logger routerLog = (Logger) LoggerFactory.getLogger("io.vertx.ext.web.RoutingContext");
    routerLog.addAppender(router);
    try (Connection lock = TestDatabase.connect(harness.dbUrl);
        Statement s = lock.createStatement()) {
      lock.setAutoCommit(false);
      s.execute("LOCK TABLE api_tokens IN ACCESS EXCLUSIVE MODE");
      assertThat(
              get(client
                      .get(port, "127.0.0.1", "/api/v1/incidents")
                      .bearerTokenAuthentication(fresh)
                      .timeout(60_000)
                      .send())
                  .statusCode())
          .isEqualTo(503);
      lock.rollback();
    } finally {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  get(client
                              .get(port, "127.0.0.1", "/api/v1/incidents")
                              .bearerTokenAuthentication(fresh)
                              .send())
                          .statusCode()
                      == 200);
      routerLog.detachAppender(router);
    }
    assertThat(router.list).extracting(ILoggingEvent::getFormattedMessage).isEmpty();
  }
}
