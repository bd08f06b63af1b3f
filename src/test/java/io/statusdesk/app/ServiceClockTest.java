package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;
import static org.awaitility.Awaitility.await;

import io.statusdesk.probe.CheckHealth.State;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The service dates what it records and decides by its clock only, never by the database's or the
 * system's, so a test that moves the clock sees every part of the service move with it.
 */
@ExtendWith(VertxExtension.class)
class ServiceClockTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String CELL = "ticketing/kr-1";
  private ServiceHarness harness;

  @AfterEach
  void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private State state() {
    var status = harness.status(CELL);
    return status == null ? null : status.health().state();
  }

  @Test
  void onAClockADayAheadMonitoringBeginsAndStaticFilesChangeByThatClock(Vertx vertx)
      throws Exception {
    int port = ProbeTarget.listen(vertx, new AtomicInteger(200));
    harness = ServiceHarness.prepare(vertx, ProbeIntegrationTest.httpChecks(port), Map.of());
    Instant ahead = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
    harness.clock.set(ahead);
    harness.restart();

    Instant monitored =
        Instant.ofEpochMilli(
            Long.parseLong(
                harness.text(
                    "SELECT (extract(epoch FROM min(created_at)) * 1000)::bigint FROM checks")));
    String modified =
        get(WebClient.create(vertx)
                .get(harness.service.httpPort(), "127.0.0.1", "/static/statusdesk.css")
                .send())
            .getHeader("Last-Modified");
    Instant now = harness.clock.instant();
    assertSoftly(
        soft -> {
          soft.assertThat(monitored).as("monitoring began").isBetween(ahead, now);
          soft.assertThat(Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(modified)))
              .as("the stylesheet's Last-Modified")
              .isBetween(ahead, now);
        });
  }

  /** The replay after a restart reaches back two days of the service's clock. */
  @Test
  void aRestartMoreThanTwoDaysLaterRediscoversACellInsteadOfResumingIt(Vertx vertx)
      throws Exception {
    int port = ProbeTarget.listen(vertx, new AtomicInteger(503));
    harness = ServiceHarness.start(vertx, ProbeIntegrationTest.httpChecks(port), Map.of());
    await().atMost(WAIT).until(() -> state() == State.FAILING);
    harness.stop();

    harness.clock.advance(Duration.ofDays(2).plusHours(1));
    Instant restarted = harness.clock.instant();
    harness.restart();
    assertThat(state()).isEqualTo(State.UNKNOWN);
    await().atMost(WAIT).until(() -> state() == State.FAILING);
    assertThat(harness.status(CELL).health().since()).isAfterOrEqualTo(restarted);
  }
}
