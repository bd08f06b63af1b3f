package io.statusdesk.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.statusdesk.app.ServiceHarness;
import io.statusdesk.app.TrustedProxies;
import io.statusdesk.statuspage.StatusPageConfig;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mail goes through a server that wants a login with the user and password of STATUSDESK_SMTP_URL;
 * a refused login is a dead letter at once, not a day of retries.
 */
@ExtendWith(VertxExtension.class)
class SmtpAuthTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static GreenMailExtension mail =
      new GreenMailExtension(new ServerSetup(0, "127.0.0.1", "smtp"))
          .withConfiguration(
              GreenMailConfiguration.aConfig()
                  .withUser("status@status.example.com", "status", "s3cret"));

  private ServiceHarness harness;

  @AfterEach
  void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private MailSettings login(String password) {
    return MailSettings.parse(
        "smtp://status:" + password + "@127.0.0.1:" + mail.getSmtp().getPort() + "?starttls=off",
        "status@status.example.com");
  }

  @Test
  void mailIsSentWithTheUrlsLoginAndARefusedLoginIsADeadLetter(Vertx vertx) throws Exception {
    harness =
        ServiceHarness.start(
            vertx,
            """
            components:
              - {id: ticketing, impact: major,
                 heartbeat: {max_silence: 1h, token: a-long-heartbeat-token}}
            channels:
              ops: {type: email, to: ops@example.com}
            alerts:
              - {channel: ops, events: [incident.opened]}
            """,
            Map.of(),
            StatusPageConfig.defaults(),
            TrustedProxies.none(),
            Optional.of(login("s3cret")));
    Operator operator = new Operator(WebClient.create(vertx), harness);
    operator.openIncident("ticketing", "major_outage", "Down", null);
    await().atMost(WAIT).until(() -> mail.getReceivedMessages().length == 1);
    assertThat(mail.getReceivedMessages()[0].getSubject()).contains("Down");

    harness.stop();
    harness.mail = Optional.of(login("wrong"));
    harness.restart();
    operator.openIncident("ticketing", "major_outage", "Down again", null);
    await()
        .atMost(WAIT)
        .until(
            () ->
                harness.count("SELECT count(*) FROM notify_deliveries WHERE state = 'dead'") == 1);
    assertThat(harness.text("SELECT last_error FROM notify_deliveries WHERE state = 'dead'"))
        .startsWith("smtp: ")
        .contains("535");
    assertThat(harness.count("SELECT attempts FROM notify_deliveries WHERE state = 'dead'"))
        .isEqualTo(1);
    assertThat(mail.getReceivedMessages()).hasSize(1);
  }
}
