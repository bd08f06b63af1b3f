package io.statusdesk.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure rules of notifications: signatures, retries, quiet hours, routes, addresses. */
class NotifyRulesTest {
  private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

  @Test
  void signaturesMatchTheStandardWebhooksTestVector() {
    // the example of the Standard Webhooks specification
    String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    String body = "{\"test\": 2432232314}";
    String signature =
        WebhookSignature.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body);
    assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    assertThat(
            WebhookSignature.verify(
                secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body, "v1,old " + signature))
        .isTrue();
    assertThat(
            WebhookSignature.verify(
                secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265331, body, signature))
        .isFalse();
    String fresh = WebhookSignature.newSecret();
    assertThat(WebhookSignature.validSecret(fresh)).isTrue();
    assertThat(WebhookSignature.validSecret("whsec_c2hvcnQ=")).isFalse();
    assertThat(WebhookSignature.validSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).isFalse();
  }

  @ParameterizedTest(name = "attempt {0} -> about {1}")
  @CsvSource({"1, PT30S", "2, PT1M", "3, PT2M", "8, PT1H", "20, PT1H"})
  void retriesDoubleUpToTheMaximumWithAFifthOfJitter(int attempt, Duration expected) {
    Backoff b = Backoff.standard();
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    Duration low = Duration.between(now, b.next(attempt, now, now, () -> 0.0).orElseThrow());
    Duration high = Duration.between(now, b.next(attempt, now, now, () -> 0.999999).orElseThrow());
    assertThat(low).isEqualTo(Duration.ofMillis(Math.round(expected.toMillis() * 0.8)));
    assertThat(high.toMillis())
        .isBetween(expected.toMillis() * 119 / 100, expected.toMillis() * 6 / 5);
  }

  @Test
  void noAttemptIsMadePastTheRetryWindow() {
    Backoff b = new Backoff(Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofHours(2));
    Instant created = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(b.next(3, created, created.plus(Duration.ofMinutes(100)), () -> 0.5)).isPresent();
    assertThat(b.next(9, created, created.plus(Duration.ofMinutes(100)), () -> 0.5)).isEmpty();
  }

  @ParameterizedTest(name = "{0} at {1} (Seoul) -> {2}")
  @CsvSource({
    "22:00-08:00, 2026-05-01T21:59:00, 2026-05-01T21:59:00",
    "22:00-08:00, 2026-05-01T22:00:00, 2026-05-02T08:00:00",
    "22:00-08:00, 2026-05-02T03:10:00, 2026-05-02T08:00:00",
    "22:00-08:00, 2026-05-02T08:00:00, 2026-05-02T08:00:00",
    "12:00-13:00, 2026-05-02T12:30:00, 2026-05-02T13:00:00",
    "12:00-13:00, 2026-05-02T13:30:00, 2026-05-02T13:30:00",
  })
  void quietHoursHoldMessagesUntilTheyEnd(String span, String at, String released) {
    QuietHours quiet = QuietHours.parse(span);
    Instant when = java.time.LocalDateTime.parse(at).atZone(SEOUL).toInstant();
    assertThat(quiet.release(when, SEOUL))
        .isEqualTo(java.time.LocalDateTime.parse(released).atZone(SEOUL).toInstant());
    assertThat(QuietHours.parse("22:00-08:00"))
        .isEqualTo(new QuietHours(LocalTime.of(22, 0), LocalTime.of(8, 0)));
    assertThatThrownBy(() -> QuietHours.parse("08:00-08:00"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void routesCarryTheirKindsAndComponents() {
    AlertRoute all = new AlertRoute("a", Set.of(), Set.of(), Optional.empty());
    AlertRoute some =
        new AlertRoute("b", Set.of(EventKind.INCIDENT_OPENED), Set.of("email"), Optional.empty());
    assertThat(all.carries(EventKind.MONITORING_GAP, List.of("x"))).isTrue();
    // a tenant's statement and a subscriber's own mail never go to an alert channel
    assertThat(all.carries(EventKind.STATEMENT_ISSUED, List.of())).isFalse();
    assertThat(all.carries(EventKind.SUBSCRIPTION_CONFIRM, List.of())).isFalse();
    assertThat(some.carries(EventKind.INCIDENT_OPENED, List.of("email", "ticketing"))).isTrue();
    assertThat(some.carries(EventKind.INCIDENT_OPENED, List.of("ticketing"))).isFalse();
    assertThat(some.carries(EventKind.INCIDENT_RESOLVED, List.of("email"))).isFalse();
    // service-wide events reach every route
    assertThat(some.carries(EventKind.INCIDENT_OPENED, List.of())).isTrue();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "' Ops@Example.COM ', ops@example.com",
    "first.last+tag@sub.example.co.kr, first.last+tag@sub.example.co.kr",
    "no-at-sign.example.com, !",
    "two@@example.com, !",
    "a@b, !",
    "dot.@example.com, !",
    "'a b@example.com', !",
    "'a@example.com\nBcc: x@evil.example', !",
  })
  void addressesAreOneMailboxInLowerCase(String text, String expected) {
    if (expected.equals("!")) {
      assertThatThrownBy(() -> EmailAddress.parse(text))
          .isInstanceOf(IllegalArgumentException.class);
    } else {
      assertThat(EmailAddress.parse(text)).isEqualTo(expected);
    }
  }

  @Test
  void mailSettingsComeFromAUrlAndAFromAddress() {
    MailSettings m =
        MailSettings.parse(
            "smtp://status%40example.com:p%3Ass@mail.example.com:587?starttls=required",
            "Example Status <Status@Example.com>");
    assertThat(m.host()).isEqualTo("mail.example.com");
    assertThat(m.port()).isEqualTo(587);
    assertThat(m.security()).isEqualTo(MailSettings.Security.STARTTLS_REQUIRED);
    assertThat(m.user()).contains("status@example.com");
    assertThat(m.password()).contains("p:ss");
    assertThat(m.fromAddress()).isEqualTo("status@example.com");
    assertThat(m.domain()).isEqualTo("example.com");
    assertThat(m.toString()).doesNotContain("p:ss");
    MailSettings tls = MailSettings.parse("smtps://mail.example.com", "status@example.com");
    assertThat(tls.port()).isEqualTo(465);
    assertThat(tls.security()).isEqualTo(MailSettings.Security.TLS);
    assertThatThrownBy(() -> MailSettings.parse("http://mail.example.com", "a@example.com"))
        .hasMessageStartingWith("STATUSDESK_SMTP_URL:");
    assertThatThrownBy(() -> MailSettings.parse("smtp://mail.example.com", null))
        .hasMessageStartingWith("STATUSDESK_MAIL_FROM: required");
    assertThatThrownBy(() -> MailSettings.parse("smtp://mail.example.com?tls=1", "a@example.com"))
        .hasMessageContaining("starttls");
  }

  /** A webhook's URL is a secret (whoever knows it can post): operators see only its host. */
  @ParameterizedTest
  @CsvSource({
    "webhook, https://hooks.example.com/T00/B00/s3cr3t?key=x, hooks.example.com",
    "webhook, http://127.0.0.1:8080/hook, 127.0.0.1",
    "webhook, not a url, ?",
    "email, ann@example.com, ann@example.com"
  })
  void subscribersAreShownSafely(String kind, String address, String shown) {
    assertThat(Subscription.shown(kind, address)).isEqualTo(shown);
  }
}
