package io.statusdesk.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.statusdesk.app.ServiceHarness;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An alert route's quiet hours hold its messages until they end, by the service's clock in the
 * contract time zone, while a route without them is told at once.
 */
@ExtendWith(VertxExtension.class)
class QuietHoursTest {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** 23:00 in Seoul, inside 22:00-08:00. */
  private static final Instant LATE = Instant.parse("2026-12-01T14:00:00Z");

  /** 08:00 the next morning in Seoul. */
  private static final Instant MORNING = Instant.parse("2026-12-01T23:00:00Z");

  private ServiceHarness harness;
  private Receiver receiver;

  @AfterEach
  void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  private long arrived(String path) {
    return receiver.requests.stream().filter(r -> r.path().equals(path)).count();
  }

  @Test
  void aQuietRouteHoldsItsMessageUntilMorning(Vertx vertx) throws Exception {
    receiver = Receiver.start(vertx, SECRET);
    harness =
        ServiceHarness.start(
            vertx,
            """
            timezone: Asia/Seoul
            components:
              - {id: ticketing, impact: major,
                 heartbeat: {max_silence: 30d, token: a-long-heartbeat-token}}
            channels:
              night: {type: webhook, url: "${BASE}/night", secret: "${SECRET}"}
              day: {type: webhook, url: "${BASE}/day", secret: "${SECRET}"}
            alerts:
              - {channel: night, events: [incident.opened], quiet_hours: "22:00-08:00"}
              - {channel: day, events: [incident.opened]}
            """,
            Map.of("BASE", receiver.url(""), "SECRET", SECRET));
    harness.clock.set(LATE);
    new Operator(WebClient.create(vertx), harness)
        .openIncident("ticketing", "major_outage", "Down at night", null);
    await().atMost(WAIT).until(() -> arrived("/day") == 1);
    // held until the quiet hours end, not retried or dropped
    assertThat(
            harness.count(
                "SELECT count(*) FROM notify_deliveries WHERE recipient = 'r:night'"
                    + " AND state = 'pending' AND attempts = 0 AND next_attempt_at = '"
                    + MORNING
                    + "'"))
        .isEqualTo(1);
    await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> arrived("/night") == 0);

    harness.clock.set(MORNING.minusSeconds(60));
    await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> arrived("/night") == 0);
    harness.clock.set(MORNING);
    await().atMost(WAIT).until(() -> arrived("/night") == 1);
    assertThat(receiver.requests).allMatch(Receiver.Request::signed).hasSize(2);
  }
}
