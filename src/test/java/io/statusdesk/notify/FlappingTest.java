package io.statusdesk.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.statusdesk.app.ProbeTarget;
import io.statusdesk.app.ServiceHarness;
import io.statusdesk.app.TrustedProxies;
import io.statusdesk.statuspage.StatusPageConfig;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A flapping component never floods a subscriber: people hear of incident updates only (never of
 * each status change), at most the rate limit's worth, and a message overtaken by a newer one about
 * the same incident while it waited is collapsed.
 */
@ExtendWith(VertxExtension.class)
class FlappingTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int FLAPS = 5;

  @RegisterExtension
  static GreenMailExtension mail = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", "smtp"));

  private ServiceHarness harness;

  @AfterEach
  void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void aFlappingComponentIsCollapsedAndRateLimited(Vertx vertx) throws Exception {
    AtomicInteger answer = new AtomicInteger(200);
    int port = ProbeTarget.listen(vertx, answer);
    harness =
        ServiceHarness.start(
            vertx,
            """
            notifications: {rate_limit: {messages: 3, per: 1h}}
            defaults: {interval: 200ms, timeout: 150ms, failure_threshold: 1, success_threshold: 1}
            components:
              - {id: ticketing, impact: major, url: "http://127.0.0.1:%d/health"}
            """
                .formatted(port),
            Map.of(),
            StatusPageConfig.defaults(),
            TrustedProxies.none(),
            Optional.of(Operator.mailTo(mail)));
    harness.execute(
        "INSERT INTO notify_subscribers (kind, address, lang, state, token, created_at,"
            + " confirmed_at) VALUES ('email', 'watcher@example.com', 'en', 'active',"
            + " 'wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww', now(), now())");
    for (int i = 0; i < FLAPS; i++) {
      long before = harness.count("SELECT count(*) FROM incidents");
      answer.set(503);
      await().atMost(WAIT).until(() -> harness.count("SELECT count(*) FROM incidents") > before);
      answer.set(200);
      await()
          .atMost(WAIT)
          .until(
              () -> harness.count("SELECT count(*) FROM incidents WHERE resolved_at IS NULL") == 0);
    }
    // a probe timing out on a busy machine may have flapped it once more: count what happened
    long flaps = harness.count("SELECT count(*) FROM incidents");
    assertThat(flaps).isGreaterThanOrEqualTo(FLAPS);
    // every open and every resolve was an event, and the status changes were told too (to
    // webhooks and alert routes; a change and its reversal within one second, which the outage
    // record drops as never lasting, is told once) ...
    await()
        .atMost(WAIT)
        .until(
            () ->
                harness.count(
                        "SELECT count(*) FROM notify_events WHERE kind LIKE 'incident.%'"
                            + " AND fanned_out_at IS NOT NULL")
                    == 2 * flaps);
    assertThat(
            harness.count(
                "SELECT count(*) FROM notify_events WHERE kind = 'component.status_changed'"))
        .isBetween(2L, 2 * flaps);
    // ... but the subscriber is told of incident updates only, and at most three times an hour
    await()
        .atMost(WAIT)
        .until(
            () ->
                harness.count(
                        "SELECT count(*) FROM notify_deliveries WHERE state = 'pending'"
                            + " AND last_error IS NULL")
                    == 0);
    await().atMost(WAIT).until(() -> mail.getReceivedMessages().length == 3);
    assertThat(
            harness.text(
                "SELECT string_agg(DISTINCT e.kind, ',') FROM notify_deliveries d"
                    + " JOIN notify_events e ON e.id = d.event_id"))
        .isEqualTo("incident.opened,incident.resolved");
    long collapsed =
        harness.count("SELECT count(*) FROM notify_deliveries WHERE state = 'collapsed'");
    long waiting = harness.count("SELECT count(*) FROM notify_deliveries WHERE state = 'pending'");
    assertThat(collapsed).isPositive();
    long toldSinceSubscribed =
        harness.count(
            "SELECT count(*) FROM notify_events e, notify_subscribers s"
                + " WHERE e.kind LIKE 'incident.%' AND e.recorded_at >= s.confirmed_at");
    assertThat(3 + collapsed + waiting).isEqualTo(toldSinceSubscribed);
    // what still waits is the latest word on each incident: never an opening whose end is known
    assertThat(
            harness.count(
                """
                SELECT count(*) FROM notify_deliveries d JOIN notify_events e ON e.id = d.event_id
                WHERE d.state = 'pending' AND e.kind = 'incident.opened' AND EXISTS (
                  SELECT 1 FROM notify_deliveries n WHERE n.collapse_key = d.collapse_key
                    AND n.id > d.id AND n.state = 'pending')\
                """))
        .isZero();
    assertThat(harness.counter("statusdesk.notifications.collapsed")).isEqualTo((double) collapsed);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(WAIT)
        .until(() -> mail.getReceivedMessages().length == 3);
  }
}
