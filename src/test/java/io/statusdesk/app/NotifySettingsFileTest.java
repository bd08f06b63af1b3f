package io.statusdesk.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.statusdesk.notify.AlertRoute;
import io.statusdesk.notify.Channel;
import io.statusdesk.notify.Destination;
import io.statusdesk.notify.EventKind;
import io.statusdesk.notify.NotifySettings;
import io.statusdesk.notify.QuietHours;
import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** checks.yaml's notifications, channels and alert routes, and their errors with lines. */
class NotifySettingsFileTest {
  private static final String COMPONENTS =
      """
      components:
        - {id: ticketing, impact: major, url: http://a/}
        - {id: email, impact: partial, url: http://b/}
      """;
  private static final Map<String, String> ENV =
      Map.of(
          "SLACK_URL", "https://hooks.slack.example/services/T0/B0/x",
          "WHSEC", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
          "TG_TOKEN", "123456:ABC-DEF_ghi");

  private static NotifySettings parse(String yaml) throws ConfigException {
    return ChecksFile.parse("checks.yaml", COMPONENTS + yaml, ENV::get).notifications();
  }

  @Test
  void readsChannelsAndRoutes() throws Exception {
    NotifySettings s =
        parse(
            """
            notifications:
              retry_for: 6h
              first_retry: 10s
              max_retry_interval: 30m
              rate_limit: {messages: 3, per: 15m}
              reminders: [2d, 2h]
            channels:
              ops-slack: {type: slack, url: "${SLACK_URL}", lang: ko}
              ops-mail: {type: email, to: [Ops@Example.com, oncall@example.com]}
              ops-hook: {type: webhook, url: "https://hooks.example/in", secret: "${WHSEC}"}
              ops-tg: {type: telegram, token: "${TG_TOKEN}", chat_id: "-1001234"}
              ops-jandi: {type: jandi, url: "https://wh.jandi.com/connect-api/webhook/1/x"}
              ops-teams: {type: teams, url: "https://prod.example.logic.azure.com/workflows/x"}
            alerts:
              - {channel: ops-slack}
              - channel: ops-mail
                events: [incident.opened, certificate.expiring]
                components: [ticketing]
                quiet_hours: 22:00-08:00
            """);
    assertThat(s.retry().giveUpAfter()).isEqualTo(Duration.ofHours(6));
    assertThat(s.retry().first()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.retry().max()).isEqualTo(Duration.ofMinutes(30));
    assertThat(s.rateLimit().messages()).isEqualTo(3);
    assertThat(s.rateLimit().per()).isEqualTo(Duration.ofMinutes(15));
    assertThat(s.reminders()).containsExactly(Duration.ofDays(2), Duration.ofHours(2));
    assertThat(s.channels().get("ops-slack"))
        .isEqualTo(new Channel(new Destination.Slack(URI.create(ENV.get("SLACK_URL"))), "ko"));
    assertThat(s.channels().get("ops-mail").destination())
        .isEqualTo(new Destination.Email(List.of("ops@example.com", "oncall@example.com")));
    assertThat(s.channels().get("ops-mail").lang()).isEqualTo("en");
    assertThat(s.channels().get("ops-tg").destination())
        .isEqualTo(
            new Destination.Telegram(
                Destination.Telegram.DEFAULT_API, "123456:ABC-DEF_ghi", "-1001234"));
    assertThat(s.channels().get("ops-hook").destination()).isInstanceOf(Destination.Webhook.class);
    assertThat(s.emailChannels()).containsExactly("ops-mail");
    assertThat(s.alerts())
        .containsExactly(
            new AlertRoute("ops-slack", Set.of(), Set.of(), Optional.empty()),
            new AlertRoute(
                "ops-mail",
                Set.of(EventKind.INCIDENT_OPENED, EventKind.CERTIFICATE_EXPIRING),
                Set.of("ticketing"),
                Optional.of(new QuietHours(LocalTime.of(22, 0), LocalTime.of(8, 0)))));
  }

  @Test
  void withoutTheSectionsNothingIsRoutedAndTheStandardsApply() throws Exception {
    NotifySettings s = parse("");
    assertThat(s).isEqualTo(NotifySettings.defaults());
    assertThat(s.reminders())
        .containsExactly(Duration.ofDays(7), Duration.ofHours(24), Duration.ofHours(1));
  }

  private static final String SLACK = "channels:\n  x: {type: slack, url: 'https://a/'}\n";

  static Stream<Arguments> errors() {
    return Stream.of(
        arguments(
            "channels:\n  x: {type: pager, url: 'https://a/'}",
            5,
            "channel 'x': type must be one of email, jandi, slack, teams, telegram, webhook"),
        arguments("channels:\n  x: {type: slack}", 5, "channel 'x': needs a url"),
        arguments(
            "channels:\n  x: {type: slack, url: 'ftp://a/'}",
            5,
            "channel 'x': url must be an http(s) URL"),
        arguments(
            "channels:\n  x: {type: slack, url: 'https://a/', token: t}",
            5,
            "unknown key 'token' in channel 'x'"),
        arguments(
            "channels:\n  x: {type: webhook, url: 'https://a/', secret: 'abc'}",
            5,
            "secret must be whsec_ followed by"),
        arguments(
            "channels:\n  x: {type: email, to: [not-an-address]}",
            5,
            "channel 'x': not an email address"),
        arguments(
            "channels:\n  x: {type: telegram, token: '${TG_TOKEN}', chat_id: 'abc'}",
            5,
            "chat_id is a number"),
        arguments(
            "channels:\n  X_Y: {type: slack, url: 'https://a/'}",
            5,
            "channel names match [a-z0-9-]+"),
        arguments("alerts:\n  - {channel: nowhere}", 5, "no channel 'nowhere' under channels:"),
        arguments(
            SLACK + "alerts:\n  - {channel: x, events: [incident.exploded]}",
            7,
            "unknown event 'incident.exploded'"),
        arguments(
            SLACK + "alerts:\n  - {channel: x, events: [statement.issued]}",
            7,
            "unknown event 'statement.issued'"),
        arguments(
            SLACK + "alerts:\n  - {channel: x, components: [billing]}",
            7,
            "no component 'billing'"),
        arguments(
            SLACK + "alerts:\n  - {channel: x, quiet_hours: '10pm-8am'}",
            7,
            "quiet_hours must look like 22:00-08:00"),
        arguments("notifications:\n  retry_for: 5s", 5, "retry_for must be between 10s and 7d"),
        arguments(
            "notifications:\n  first_retry: 2h",
            5,
            "first_retry must be at least 1s and at most max_retry_interval"),
        arguments(
            "notifications:\n  rate_limit: {messages: 0, per: 1h}",
            5,
            "rate_limit.messages must be between 1 and 1000"),
        arguments("notifications:\n  reminders: [7d, 7d]", 5, "reminder 7d is listed twice"),
        arguments("notifications:\n  reminders: 7d", 5, "reminders must be a list of durations"),
        arguments("notifications:\n  retries: 3", 5, "unknown key 'retries' in notifications"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("errors")
  void reportsEachErrorWithItsLine(String yaml, int line, String message) {
    String errors;
    try {
      parse(yaml);
      throw new AssertionError("expected errors");
    } catch (ConfigException e) {
      errors = String.join("\n", e.errors());
    }
    assertThat(errors).contains(message);
    assertThat(errors.lines().filter(l -> l.contains(message)).findFirst().orElseThrow())
        .startsWith("checks.yaml:" + line + ": ");
  }
}
