package io.statusdesk.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppConfigTest {
  private static AppConfig config(Map<String, String> env) throws ConfigException {
    return AppConfig.fromEnvironment(env::get);
  }

  @Test
  void metricsListenOnLoopbackAndNoProxyIsTrustedByDefault() throws Exception {
    AppConfig config = config(Map.of());
    assertThat(config.management()).contains(new AppConfig.HostPort("127.0.0.1", 9400));
    assertThat(config.trustedProxies().trusts("127.0.0.1")).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          off              | -         | 0
          OFF              | -         | 0
          127.0.0.1:0      | 127.0.0.1 | 0
          0.0.0.0:9500     | 0.0.0.0   | 9500
          [::1]:9400       | ::1       | 9400
          metrics.lan:9400 | metrics.lan | 9400
          """)
  void theManagementListener(String value, String host, int port) throws Exception {
    Optional<AppConfig.HostPort> management =
        config(Map.of("STATUSDESK_MANAGEMENT_ADDR", value)).management();
    assertThat(management)
        .isEqualTo(
            host == null ? Optional.empty() : Optional.of(new AppConfig.HostPort(host, port)));
  }

  @Test
  void trustedProxiesAreParsed() throws Exception {
    AppConfig config = config(Map.of("STATUSDESK_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7"));
    assertThat(config.trustedProxies().trusts("10.200.0.1")).isTrue();
    assertThat(config.trustedProxies().trusts("192.0.2.7")).isTrue();
    assertThat(config.trustedProxies().trusts("192.0.2.8")).isFalse();
  }

  @Test
  void badValuesNameTheirVariable() {
    assertThatThrownBy(
            () ->
                config(
                    Map.of(
                        "STATUSDESK_MANAGEMENT_ADDR",
                        "9400",
                        "STATUSDESK_TRUSTED_PROXIES",
                        "10.0.0.0/8, lb.internal")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        "STATUSDESK_TRUSTED_PROXIES: 'lb.internal' is not an IP address or CIDR",
                        "STATUSDESK_MANAGEMENT_ADDR: must be host:port (e.g. 127.0.0.1:9400) or"
                            + " off, not '9400'"));
    assertThatThrownBy(() -> config(Map.of("STATUSDESK_MANAGEMENT_ADDR", "127.0.0.1:70000")))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void mailIsOptionalButComesWholeWhenAsked() throws Exception {
    assertThat(config(Map.of()).mail()).isEmpty();
    assertThat(
            config(
                    Map.of(
                        "STATUSDESK_SMTP_URL", "smtp://relay.example.com:587",
                        "STATUSDESK_MAIL_FROM", "status@example.com"))
                .mail()
                .orElseThrow()
                .host())
        .isEqualTo("relay.example.com");
    assertThatThrownBy(() -> config(Map.of("STATUSDESK_SMTP_URL", "smtp://relay.example.com")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        "STATUSDESK_MAIL_FROM: required with STATUSDESK_SMTP_URL, e.g."
                            + " status@example.com"));
    assertThatThrownBy(() -> config(Map.of("STATUSDESK_MAIL_FROM", "status@example.com")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("STATUSDESK_MAIL_FROM: set STATUSDESK_SMTP_URL too");
  }

  @Test
  void theSmtpTrustFileIsCheckedAtStart(@TempDir Path dir) throws Exception {
    Path ca = dir.resolve("ca.pem");
    Files.writeString(ca, PEM);
    Map<String, String> mail =
        Map.of(
            "STATUSDESK_SMTP_URL", "smtps://relay.internal:465",
            "STATUSDESK_MAIL_FROM", "status@example.com");
    Map<String, String> env = new HashMap<>(mail);
    env.put("STATUSDESK_SMTP_TRUST", ca.toString());
    assertThat(config(env).mail().orElseThrow().trust()).contains(ca);
    assertThat(config(mail).mail().orElseThrow().trust()).isEmpty();

    env.put("STATUSDESK_SMTP_TRUST", dir.resolve("missing.pem").toString());
    assertThatThrownBy(() -> config(env))
        .hasMessageContaining("STATUSDESK_SMTP_TRUST: cannot read " + dir.resolve("missing.pem"));
    Path notPem = dir.resolve("key.txt");
    Files.writeString(notPem, "not a certificate");
    env.put("STATUSDESK_SMTP_TRUST", notPem.toString());
    assertThatThrownBy(() -> config(env))
        .hasMessageContaining("STATUSDESK_SMTP_TRUST: " + notPem + " is not a PEM file");
    env.put("STATUSDESK_SMTP_TRUST", ca.toString());
    env.put("STATUSDESK_SMTP_URL", "smtp://127.0.0.1:25?starttls=off");
    assertThatThrownBy(() -> config(env)).hasMessageContaining("?starttls=off");
    assertThatThrownBy(() -> config(Map.of("STATUSDESK_SMTP_TRUST", ca.toString())))
        .hasMessageContaining("STATUSDESK_SMTP_TRUST: set STATUSDESK_SMTP_URL too");
  }

  /** A self-signed certificate (CN=Relay Test CA), as a private relay's CA hands it out. */
  private static final String PEM =
      """
      -----BEGIN CERTIFICATE-----
      MIIBWjCCAQGgAwIBAgIJAKP59QI6qWQzMAoGCCqGSM49BAMCMBgxFjAUBgNVBAMT
      DVJlbGF5IFRlc3QgQ0EwIBcNMjYxMTMwMTMyMzAzWhgPMjEyNjExMDYxMzIzMDNa
      MBgxFjAUBgNVBAMTDVJlbGF5IFRlc3QgQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMB
      BwNCAASqpYkikMV6YpNgIjgVFzzM3JQbCKH7Gjy0WHRQw+3i72cvmRneykYPKjxy
      qzcFZZQkSulcqaUP39CK4Bjb/w8AozIwMDAdBgNVHQ4EFgQUOt6/UKfmeXR++LOH
      JNmVG+qfup0wDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiBZWrRd
      eFohH6rtHivnbeTBL0RyQ5PxecBWEUDQtpruMAIgRAh58ahpWjF0n8Bhvj/2VcbL
      /zBggMQclLuQ+QX1M6I=
      -----END CERTIFICATE-----
      """;
}
