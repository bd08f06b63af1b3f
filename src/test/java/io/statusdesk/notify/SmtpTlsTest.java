package io.statusdesk.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.statusdesk.app.ServiceHarness;
import io.statusdesk.app.TrustedProxies;
import io.statusdesk.statuspage.StatusPageConfig;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mail over TLS to a private relay whose CA STATUSDESK_SMTP_TRUST names: from the first byte
 * (smtps) and after STARTTLS; a relay without STARTTLS when it is required, and a relay whose
 * certificate the CA did not sign, are delivery failures with a clear last error, retried and then
 * dead letters, never a hang and never mail sent in the clear.
 */
@ExtendWith(VertxExtension.class)
class SmtpTlsTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String CHECKS =
      """
      notifications: {first_retry: 1s, max_retry_interval: 2s, retry_for: 10s}
      components:
        - {id: ticketing, impact: major,
           heartbeat: {max_silence: 1h, token: a-long-heartbeat-token}}
      channels:
        ops: {type: email, to: ops@example.com}
      alerts:
        - {channel: ops, events: [incident.opened]}
      """;

  @TempDir static Path dir;
  private static Certificates certificates;

  /** A relay that does not offer STARTTLS at all. */
  @RegisterExtension
  static GreenMailExtension plain = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", "smtp"));

  private ServiceHarness harness;
  private TlsRelay relay;

  @BeforeAll
  static void certificates() throws Exception {
    certificates = Certificates.make(dir);
  }

  @AfterEach
  void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
    if (relay != null) {
      relay.close();
    }
  }

  private void start(Vertx vertx, String url) throws Exception {
    harness =
        ServiceHarness.start(
            vertx,
            CHECKS,
            Map.of(),
            StatusPageConfig.defaults(),
            TrustedProxies.none(),
            Optional.of(
                MailSettings.parse(url, "status@status.example.com", certificates.ca.toString())));
    new Operator(WebClient.create(vertx), harness)
        .openIncident("ticketing", "major_outage", "Down", null);
  }

  private String delivery(String column) throws Exception {
    return harness.text("SELECT " + column + " FROM notify_deliveries");
  }

  @Test
  void smtpsDeliversToARelayThePrivateCaSigned(Vertx vertx) throws Exception {
    relay = TlsRelay.smtps(certificates.relay, Certificates.PASSWORD);
    start(vertx, "smtps://localhost:" + relay.port());
    await().atMost(WAIT).until(() -> "sent".equals(delivery("state")));
    assertThat(relay.messages).hasSize(1);
    assertThat(relay.messages.get(0).overTls()).isTrue();
    assertThat(relay.messages.get(0).data()).contains("Subject: ", "Down");
  }

  @Test
  void startTlsRequiredDeliversOverTls(Vertx vertx) throws Exception {
    relay = TlsRelay.startTls(certificates.relay, Certificates.PASSWORD);
    start(vertx, "smtp://127.0.0.1:" + relay.port() + "?starttls=required");
    await().atMost(WAIT).until(() -> "sent".equals(delivery("state")));
    assertThat(relay.messages).hasSize(1);
    assertThat(relay.messages.get(0).overTls()).isTrue();
  }

  @Test
  void startTlsRequiredAgainstARelayWithoutItIsRetriedThenADeadLetter(Vertx vertx)
      throws Exception {
    start(vertx, "smtp://127.0.0.1:" + plain.getSmtp().getPort() + "?starttls=required");
    await().atMost(WAIT).until(() -> "dead".equals(delivery("state")));
    assertThat(delivery("last_error")).startsWith("smtp: ").containsIgnoringCase("starttls");
    assertThat(Integer.parseInt(delivery("attempts"))).isGreaterThan(1);
    assertThat(plain.getReceivedMessages()).isEmpty();
  }

  @Test
  void aCertificateTheCaDidNotSignIsRefusedWithAClearError(Vertx vertx) throws Exception {
    relay = TlsRelay.smtps(certificates.rogue, Certificates.PASSWORD);
    start(vertx, "smtps://localhost:" + relay.port());
    await().atMost(WAIT).until(() -> "dead".equals(delivery("state")));
    assertThat(delivery("last_error")).startsWith("smtp: ").containsIgnoringCase("certificate");
    assertThat(relay.messages).isEmpty();
  }

  @Test
  void aCertificateTheCaSignedForAnotherHostIsRefused(Vertx vertx) throws Exception {
    relay = TlsRelay.smtps(certificates.elsewhere, Certificates.PASSWORD);
    start(vertx, "smtps://localhost:" + relay.port());
    await().atMost(WAIT).until(() -> !"pending".equals(delivery("state")));
    assertThat(delivery("state")).isEqualTo("dead");
    assertThat(delivery("last_error"))
        .startsWith("smtp: the relay's TLS certificate was refused")
        .contains("localhost");
    assertThat(relay.messages).isEmpty();
  }
}
