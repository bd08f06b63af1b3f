package io.statusdesk.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.statusdesk.app.ServiceHarness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dispatcher against real receivers: a local HTTP server that checks Standard Webhooks
 * signatures and plays Slack, Telegram, JANDI and Teams, and GreenMail as the SMTP server.
 */
@ExtendWith(VertxExtension.class)
class DispatcherTest {
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static GreenMailExtension mail = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", "smtp"));

  private ServiceHarness harness;
  private Receiver receiver;
  private WebClient client;
  private Operator operator;

  @AfterEach
  void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  private void start(Vertx vertx, String yaml) throws Exception {
    harness =
        ServiceHarness.start(
            vertx,
            """
            components:
              - {id: ticketing, name: {en: Ticketing, ko: 티켓팅}, impact: major,
                 heartbeat: {max_silence: 1h, token: a-long-heartbeat-token}}
              - {id: widget, impact: partial,
                 heartbeat: {max_silence: 1h, token: a-long-heartbeat-token}}
            """
                + yaml,
            Map.of("HOOK", receiver.url("/hook"), "BASE", receiver.url("")),
            io.statusdesk.statuspage.StatusPageConfig.defaults(),
            io.statusdesk.app.TrustedProxies.none(),
            Optional.of(Operator.mailTo(mail)));
    client = WebClient.create(vertx);
    operator = new Operator(client, harness);
  }

  private long openIncident(String component) throws Exception {
    return operator.openIncident(component, "degraded_performance", "Slow replies", "응답 지연");
  }

  private String delivery(String column) throws Exception {
    return harness.text("SELECT " + column + " FROM notify_deliveries ORDER BY id LIMIT 1");
  }

  @Test
  void aWebhookIsSignedAndRetriedWithTheSameIdAfterA500(Vertx vertx) throws Exception {
    receiver = Receiver.start(vertx, SECRET);
    receiver.script.add(500);
    start(
        vertx,
        """
        notifications: {first_retry: 1s, max_retry_interval: 2s}
        channels:
          hook: {type: webhook, url: "${HOOK}", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}
        alerts:
          - {channel: hook, events: [incident.opened]}
        """);
    long incident = openIncident("ticketing");
    await().atMost(WAIT).until(() -> receiver.requests.size() == 2);
    await().atMost(WAIT).until(() -> "sent".equals(delivery("state")));
    Receiver.Request first = receiver.requests.get(0);
    Receiver.Request second = receiver.requests.get(1);
    assertThat(first.signed()).isTrue();
    assertThat(second.signed()).isTrue();
    // the receiver drops the repeat by its id: a retry is the same message
    assertThat(second.id()).isEqualTo(first.id()).startsWith("msg_");
    assertThat(second.body()).isEqualTo(first.body());
    JsonObject body = second.json();
    assertThat(body.getString("type")).isEqualTo("incident.opened");
    assertThat(body.getJsonObject("data").getJsonObject("incident").getString("id"))
        .isEqualTo(String.valueOf(incident));
    assertThat(delivery("attempts")).isEqualTo("2");
    assertThat(harness.counter("statusdesk.notifications.sent", "channel", "webhook")).isEqualTo(1);
    assertThat(harness.counter("statusdesk.notifications.failed.attempts", "channel", "webhook"))
        .isEqualTo(1);
    // events nobody routed and nobody subscribed to make no deliveries
    assertThat(harness.count("SELECT count(*) FROM notify_deliveries")).isEqualTo(1);
  }

  @Test
  void anEventAnotherInstanceRecordsWakesTheDispatcherAtOnce(Vertx vertx) throws Exception {
    receiver = Receiver.start(vertx, SECRET);
    start(
        vertx,
        """
        channels:
          hook: {type: webhook, url: "${HOOK}", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}
        alerts:
          - {channel: hook, events: [monitoring.gap]}
        """);
    // another instance (or a hand) writes to the outbox: nothing on this one hears of it but
    // through the table; the second time the dispatcher has surely gone to sleep for a minute
    for (int n = 1; n <= 2; n++) {
      long started = System.nanoTime();
      harness.execute(
          """
          INSERT INTO notify_events (kind, subject, components, payload, occurred_at,
            idempotency_key)
          VALUES ('monitoring.gap', 'gaps:monitor_down', '{ticketing}',
            '{"en": {"gap": {"reason": "monitor_down", "count": 0, "gaps": []}}}', now(),
            'elsewhere-\
          """
              + n
              + "')");
      int delivered = n;
      await().atMost(WAIT).until(() -> receiver.requests.size() == delivered);
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("woken by the outbox's notification, not found by the minute's safety poll")
          .isLessThan(Dispatcher.Options.standard().poll().dividedBy(2));
    }
  }

  @Test
  void aDeliveryFailingPastTheRetryWindowIsADeadLetter(Vertx vertx) throws Exception {
    receiver = Receiver.start(vertx, SECRET);
    receiver.fallback.set(503);
    start(
        vertx,
        """
        notifications: {first_retry: 1s, max_retry_interval: 2s, retry_for: 10s}
        channels:
          hook: {type: webhook, url: "${HOOK}", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}
        alerts:
          - {channel: hook}
        """);
    openIncident("ticketing");
    await().atMost(WAIT).until(() -> "dead".equals(delivery("state")));
    assertThat(delivery("last_error")).isEqualTo("HTTP 503");
    int attempts = Integer.parseInt(delivery("attempts"));
    // 1 s, 2 s, 2 s ... apart, the last no later than 10 s after the first
    assertThat(attempts).isBetween(4, 12);
    assertThat(receiver.requests).hasSize(attempts);
    assertThat(receiver.requests.stream().map(Receiver.Request::id).distinct()).hasSize(1);
    assertThat(harness.counter("statusdesk.notifications.dead.lettered", "channel", "webhook"))
        .isEqualTo(1);
    // a refusal (a 4xx) is not worth retrying: dead at once
    receiver.fallback.set(410);
    openIncident("widget");
    await()
        .atMost(WAIT)
        .until(
            () ->
                harness.count(
                        "SELECT count(*) FROM notify_deliveries WHERE state = 'dead' AND"
                            + " attempts = 1 AND last_error = 'HTTP 410'")
                    == 1);
  }

  @Test
  void chatServicesGetTheirOwnShapes(Vertx vertx) throws Exception {
    receiver = Receiver.start(vertx, null);
    start(
        vertx,
        """
        channels:
          slack: {type: slack, url: "${BASE}/slack/T0/B0/x"}
          tg: {type: telegram, api_url: "${BASE}/telegram", token: "123456:ABC-def_1",
               chat_id: "-1001234"}
          jandi: {type: jandi, url: "${BASE}/jandi/hook", lang: ko}
          teams: {type: teams, url: "${BASE}/teams/flow"}
        alerts:
          - {channel: slack}
          - {channel: tg}
          - {channel: jandi}
          - {channel: teams}
        """);
    openIncident("ticketing");
    await().atMost(WAIT).until(() -> receiver.requests.size() == 4);
    Map<String, Receiver.Request> by =
        receiver.requests.stream()
            .collect(Collectors.toMap(r -> r.path().split("/", -1)[1], r -> r));
    JsonObject slack = by.get("slack").json();
    assertThat(slack.getString("text")).isEqualTo("[Investigating] Slow replies");
    assertThat(slack.getJsonArray("blocks").getJsonObject(0).getString("type")).isEqualTo("header");
    assertThat(
            slack.getJsonArray("blocks").getJsonObject(1).getJsonObject("text").getString("text"))
        .contains("Looking into it.", "Ticketing");
    assertThat(by.get("telegram").path()).isEqualTo("/telegram/bot123456:ABC-def_1/sendMessage");
    assertThat(by.get("telegram").json().getString("chat_id")).isEqualTo("-1001234");
    assertThat(by.get("telegram").json().getString("text")).startsWith("[Investigating] Slow");
    Receiver.Request jandi = by.get("jandi");
    assertThat(jandi.headers().get("Accept")).isEqualTo("application/vnd.tosslab.jandi-v2+json");
    // a Korean team's channel speaks Korean
    assertThat(jandi.json().getString("body")).isEqualTo("[조사 중] 응답 지연");
    assertThat(jandi.json().getJsonArray("connectInfo").getJsonObject(0).getString("description"))
        .contains("확인 중입니다.", "티켓팅");
    JsonObject card =
        by.get("teams")
            .json()
            .getJsonArray("attachments")
            .getJsonObject(0)
            .getJsonObject("content");
    assertThat(card.getString("type")).isEqualTo("AdaptiveCard");
    assertThat(card.getJsonArray("actions").getJsonObject(0).getString("url"))
        .endsWith("/incidents/" + harness.text("SELECT max(id) FROM incidents"));
  }

  @Test
  void emailAlertsCarryBothBodiesAndAStableMessageId(Vertx vertx) throws Exception {
    receiver = Receiver.start(vertx, null);
    start(
        vertx,
        """
        channels:
          ops: {type: email, to: [ops@example.com, oncall@example.com]}
        alerts:
          - {channel: ops, events: [incident.opened], components: [ticketing]}
        """);
    openIncident("widget");
    openIncident("ticketing");
    await().atMost(WAIT).until(() -> mail.getReceivedMessages().length == 2);
    MimeMessage m = mail.getReceivedMessages()[0];
    assertThat(m.getSubject()).isEqualTo("[Investigating] Slow replies");
    assertThat(m.getFrom()[0].toString()).contains("status@status.example.com");
    assertThat(Set.of(m.getAllRecipients()[0].toString(), m.getAllRecipients()[1].toString()))
        .containsExactlyInAnyOrder("ops@example.com", "oncall@example.com");
    long id = Long.parseLong(delivery("id"));
    assertThat(m.getMessageID()).startsWith("<d" + id + ".e").endsWith("@status.example.com>");
    assertThat(m.getHeader("Auto-Submitted", null)).isEqualTo("auto-generated");
    // an alert is no list: nothing to unsubscribe from
    assertThat(m.getHeader("List-Unsubscribe")).isNull();
    MimeMultipart parts = (MimeMultipart) m.getContent();
    String text = GreenMailUtil.getBody(parts.getBodyPart(0));
    String all = GreenMailUtil.getWholeMessage(m);
    assertThat(text).contains("Looking into it.");
    assertThat(all).contains("text/html", "text/plain", "alert route to channel ops");
    assertThat(harness.count("SELECT count(*) FROM notify_deliveries")).isEqualTo(1);
  }

  @Test
  void aRestartInTheMiddleOfAFanOutSendsEveryMessageOnce(Vertx vertx) throws Exception {
    receiver = Receiver.start(vertx, SECRET);
    receiver.delayMs = 50;
    start(vertx, "");
    harness.execute(
        "INSERT INTO notify_subscribers (kind, address, lang, state, token, secret, created_at,"
            + " confirmed_at) SELECT 'webhook', '"
            + receiver.url("/hook")
            + "?n=' || n, 'en', 'active', 't' || n, '"
            + SECRET
            + "', now(), now() FROM generate_series(1, 1200) n");
    openIncident("ticketing");
    await().atMost(WAIT).until(() -> receiver.requests.size() >= 100);
    harness.stop();
    int beforeRestart = receiver.requests.size();
    harness.restart();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                harness.count("SELECT count(*) FROM notify_deliveries WHERE state = 'sent'")
                    == 1200);
    List<String> ids = receiver.requests.stream().map(Receiver.Request::id).toList();
    assertThat(beforeRestart).isLessThan(1200);
    assertThat(ids).hasSize(1200).doesNotHaveDuplicates();
    assertThat(receiver.requests).allMatch(Receiver.Request::signed);
  }
}
