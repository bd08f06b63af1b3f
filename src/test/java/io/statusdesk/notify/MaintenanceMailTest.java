package io.statusdesk.notify;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.statusdesk.app.ServiceHarness;
import io.statusdesk.app.TrustedProxies;
import io.statusdesk.statuspage.StatusPageConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Subscribers hear of maintenance on the components they chose, by mail: its announcement (a late
 * one labelled so), a reminder at its instant on the service's clock, and its start; subscribers of
 * other components hear nothing.
 */
@ExtendWith(VertxExtension.class)
class MaintenanceMailTest {
  private static final Duration WAIT = Duration.ofSeconds(45);

  @RegisterExtension
  static GreenMailExtension mail = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", "smtp"));

  private ServiceHarness harness;

  @AfterEach
  void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private static String subjectAndTo(MimeMessage m) {
    try {
      return m.getAllRecipients()[0] + ": " + m.getSubject();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> received() {
    return Arrays.stream(mail.getReceivedMessages())
        .map(MaintenanceMailTest::subjectAndTo)
        .toList();
  }

  @Test
  void subscribersHearOfTheirComponentsMaintenanceAtItsInstants(Vertx vertx) throws Exception {
    harness =
        ServiceHarness.start(
            vertx,
            """
            components:
              - {id: ticketing, name: {en: Ticketing, ko: 티켓팅}, impact: major,
                 heartbeat: {max_silence: 30d, token: a-long-heartbeat-token}}
              - {id: widget, name: {en: Chat widget, ko: 채팅 위젯}, impact: partial,
                 heartbeat: {max_silence: 30d, token: a-long-heartbeat-token}}
            """,
            Map.of(),
            StatusPageConfig.defaults(),
            TrustedProxies.none(),
            Optional.of(Operator.mailTo(mail)));
    harness.execute(
        "INSERT INTO notify_subscribers (kind, address, lang, components, state, token,"
            + " created_at, confirmed_at) VALUES"
            + " ('email', 'widget@example.com', 'en', '{widget}', 'active', repeat('w', 43),"
            + "  now() - interval '1 day', now() - interval '1 day'),"
            + " ('email', 'ticketing@example.com', 'en', '{ticketing}', 'active', repeat('t', 43),"
            + "  now() - interval '1 day', now() - interval '1 day')");
    Operator operator = new Operator(WebClient.create(vertx), harness);
    Instant start =
        harness.clock.instant().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.MINUTES);
    HttpResponse<Buffer> window =
        get(
            WebClient.create(vertx)
                .post(harness.service.httpPort(), "127.0.0.1", "/api/v1/maintenance")
                .bearerTokenAuthentication(operator.token)
                .sendJsonObject(
                    new JsonObject()
                        .put("title", "Widget upgrade")
                        .put("components", new JsonArray().add("widget"))
                        .put("starts_at", start.toString())
                        .put("ends_at", start.plus(Duration.ofHours(1)).toString())));
    assertThat(window.statusCode()).as(window.bodyAsString()).isEqualTo(201);
    await().atMost(WAIT).until(() -> received().size() == 1);
    MimeMessage announced = mail.getReceivedMessages()[0];
    assertThat(subjectAndTo(announced))
        .isEqualTo("widget@example.com: Scheduled maintenance: Widget upgrade");
    // announced under three days ahead: short of the seven days aimed for, and it says so
    assertThat(Mails.text(announced)).contains("Widget upgrade", "Short notice: announced 2 days");

    harness.clock.set(start.minus(Duration.ofHours(24)));
    await().atMost(WAIT).until(() -> received().size() == 2);
    assertThat(received().get(1))
        .isEqualTo("widget@example.com: Maintenance in 24 hours: Widget upgrade");
    harness.clock.set(start.plus(Duration.ofMinutes(1)));
    await().atMost(WAIT).until(() -> received().size() == 3);
    // the hour's reminder and the start fell due together: only the latest is told
    assertThat(received().get(2))
        .isEqualTo("widget@example.com: Maintenance started: Widget upgrade");
    await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> received().size() == 3);
  }
}
