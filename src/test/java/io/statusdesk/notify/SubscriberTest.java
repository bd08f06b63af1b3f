package io.statusdesk.notify;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.statusdesk.app.ServiceHarness;
import io.statusdesk.app.TrustedProxies;
import io.statusdesk.statuspage.StatusPageConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Public subscribers end to end against GreenMail: the form, double opt-in, what they receive,
 * one-click unsubscribe, the manage page, a form that reveals nothing and rate limits.
 */
@ExtendWith(VertxExtension.class)
class SubscriberTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PUBLIC_URL = "https://status.example.com";
  private static final Pattern FORM_TOKEN =
      Pattern.compile("name=\"form_token\" value=\"([^\"]+)\"");

  @RegisterExtension
  static GreenMailExtension mail = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", "smtp"));

  private ServiceHarness harness;
  private WebClient client;
  private Operator operator;
  private String origin;

  @AfterEach
  void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private void start(Vertx vertx) throws Exception {
    harness =
        ServiceHarness.start(
            vertx,
            """
            components:
              - {id: ticketing, name: {en: Ticketing, ko: 티켓팅}, impact: major,
                 heartbeat: {max_silence: 1h, token: a-long-heartbeat-token}}
              - {id: widget, name: {en: Chat widget, ko: 채팅 위젯}, impact: partial,
                 heartbeat: {max_silence: 1h, token: a-long-heartbeat-token}}
            """,
            Map.of(),
            new StatusPageConfig(
                Optional.of(PUBLIC_URL), "'self'", Optional.empty(), Optional.empty()),
            TrustedProxies.none(),
            Optional.of(Operator.mailTo(mail)));
    client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    operator = new Operator(client, harness);
    origin = "http://127.0.0.1:" + harness.service.httpPort();
  }

  private HttpResponse<Buffer> page(String path) throws Exception {
    return get(
        client
            .get(harness.service.httpPort(), "127.0.0.1", path)
            .putHeader("Accept", "text/html")
            .send());
  }

  /** Posts a form as a browser on the status page would. */
  private HttpResponse<Buffer> post(String path, MultiMap form, String cookie) throws Exception {
    var request =
        client
            .post(harness.service.httpPort(), "127.0.0.1", path)
            .putHeader("Accept", "text/html")
            .putHeader("Origin", origin);
    if (cookie != null) {
      request.putHeader("Cookie", cookie);
    }
    return get(request.sendForm(form));
  }

  /** Fills in and sends the whole subscribe form, as the page serves it. */
  private HttpResponse<Buffer> subscribe(String email, String lang, String... components)
      throws Exception {
    HttpResponse<Buffer> form = page("/subscribe");
    assertThat(form.statusCode()).isEqualTo(200);
    assertThat(form.getHeader("Cache-Control")).isEqualTo("no-store");
    String cookie = form.cookies().get(0).split(";", -1)[0];
    assertThat(form.cookies().get(0))
        .containsIgnoringCase("SameSite=Strict")
        .containsIgnoringCase("HttpOnly");
    Matcher token = FORM_TOKEN.matcher(form.bodyAsString());
    assertThat(token.find()).isTrue();
    MultiMap fields =
        MultiMap.caseInsensitiveMultiMap()
            .add("form_token", token.group(1))
            .add("email", email)
            .add("lang", lang);
    Arrays.stream(components).forEach(c -> fields.add("components", c));
    if (components.length == 0) {
      fields.add("all", "1");
    }
    return post("/subscribe", fields, cookie);
  }

  private long openIncident(String component, String title) throws Exception {
    return operator.openIncident(component, "partial_outage", title, null);
  }

  private static String to(MimeMessage m) {
    try {
      return GreenMailUtil.getAddressList(m.getAllRecipients());
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private MimeMessage[] mails() {
    return mail.getReceivedMessages();
  }

  private static String link(MimeMessage m, String path) {
    Matcher found =
        Pattern.compile(Pattern.quote(path) + "\\?token=([A-Za-z0-9_-]{43})")
            .matcher(Mails.text(m));
    assertThat(found.find()).as(path + " in the message").isTrue();
    return found.group(1);
  }

  @Test
  void doubleOptInEndToEnd(Vertx vertx) throws Exception {
    start(vertx);
    assertThat(page("/").bodyAsString()).contains("action=\"/subscribe\"");
    HttpResponse<Buffer> sent = subscribe("Reader@Example.com", "ko", "widget");
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(200);
    assertThat(sent.bodyAsString()).contains("reader@example.com");
    await().atMost(WAIT).until(() -> mails().length == 1);
    MimeMessage confirmation = mails()[0];
    assertThat(confirmation.getSubject()).isEqualTo("헬프데스크 서비스 상태 구독을 확인해 주세요");
    assertThat(confirmation.getAllRecipients()[0].toString()).isEqualTo("reader@example.com");
    // asking is no subscription: no list headers yet
    assertThat(confirmation.getHeader("List-Unsubscribe")).isNull();
    String token = link(confirmation, "/subscribe/confirm");
    // a link scanner following the link changes nothing
    assertThat(page("/subscribe/confirm?token=" + token).statusCode()).isEqualTo(200);
    assertThat(harness.text("SELECT state FROM notify_subscribers")).isEqualTo("pending");
    openIncident("widget", "Not yet subscribed");
    HttpResponse<Buffer> confirmed =
        post("/subscribe/confirm", MultiMap.caseInsensitiveMultiMap().add("token", token), null);
    assertThat(confirmed.statusCode()).isEqualTo(200);
    assertThat(harness.text("SELECT state FROM notify_subscribers")).isEqualTo("active");

    openIncident("ticketing", "Someone else's component");
    openIncident("widget", "Widget trouble");
    await().atMost(WAIT).until(() -> mails().length == 2);
    MimeMessage update = mails()[1];
    assertThat(update.getSubject()).isEqualTo("[조사 중] Widget trouble");
    assertThat(update.getHeader("List-Unsubscribe", null))
        .isEqualTo("<" + PUBLIC_URL + "/unsubscribe?token=" + token + ">");
    assertThat(update.getHeader("List-Unsubscribe-Post", null))
        .isEqualTo("List-Unsubscribe=One-Click");
    assertThat(update.getMessageID()).endsWith("@status.example.com>");
    assertThat(link(update, "/subscription")).isEqualTo(token);
    // the incidents before the confirmation and on other components were not sent
    await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> mails().length == 2);
  }

  @Test
  void theFormRevealsNothingAndLimitsWhoAsksTooOften(Vertx vertx) throws Exception {
    start(vertx);
    harness.execute(
        "INSERT INTO notify_subscribers (kind, address, lang, components, state, token,"
            + " created_at, confirmed_at) VALUES ('email', 'known@example.com', 'en', '{widget}',"
            + " 'active', 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk', now(), now())");
    HttpResponse<Buffer> known = subscribe("known@example.com", "en");
    HttpResponse<Buffer> fresh = subscribe("fresh@example.com", "en");
    assertThat(known.statusCode()).isEqualTo(fresh.statusCode()).isEqualTo(200);
    assertThat(known.bodyAsString().replace("known", "fresh")).isEqualTo(fresh.bodyAsString());
    await().atMost(WAIT).until(() -> mails().length == 2);
    MimeMessage note =
        Arrays.stream(mails()).filter(m -> to(m).contains("known")).findFirst().orElseThrow();
    // the subscriber hears that someone asked, with its manage link; its choices stay
    assertThat(note.getSubject()).isEqualTo("Your subscription to Helpdesk status");
    assertThat(link(note, "/subscription"))
        .isEqualTo("kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk");
    assertThat(
            harness.text("SELECT components::text FROM notify_subscribers WHERE address LIKE 'k%'"))
        .isEqualTo("{widget}");

    // another site's page cannot post the form, and a post without a token only shows the form
    HttpResponse<Buffer> forged =
        get(
            client
                .post(harness.service.httpPort(), "127.0.0.1", "/subscribe")
                .putHeader("Accept", "text/html")
                .putHeader("Origin", "https://evil.example")
                .sendForm(MultiMap.caseInsensitiveMultiMap().add("email", "victim@example.com")));
    assertThat(forged.statusCode()).isEqualTo(403);
    HttpResponse<Buffer> shortForm =
        post(
            "/subscribe",
            MultiMap.caseInsensitiveMultiMap().add("email", "victim@example.com").add("lang", "en"),
            null);
    assertThat(shortForm.statusCode()).isEqualTo(200);
    assertThat(shortForm.bodyAsString()).contains("value=\"victim@example.com\"", "form_token");
    assertThat(harness.count("SELECT count(*) FROM notify_subscribers")).isEqualTo(2);

    // three confirmation mails to one address, then silence (the same answer every time)
    for (int i = 0; i < 3; i++) {
      assertThat(subscribe("pest@example.com", "en").statusCode()).isEqualTo(200);
    }
    await()
        .atMost(WAIT)
        .until(() -> Arrays.stream(mails()).filter(m -> to(m).contains("pest")).count() == 3);
    // ten requests from one client address, then 429: this client made 5 so far
    for (int i = 0; i < 5; i++) {
      assertThat(subscribe("other" + i + "@example.com", "en").statusCode()).isEqualTo(200);
    }
    assertThat(subscribe("one-more@example.com", "en").statusCode()).isEqualTo(429);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(WAIT)
        .until(() -> Arrays.stream(mails()).filter(m -> to(m).contains("pest")).count() == 3);
  }

  @Test
  void oneClickUnsubscribeLeavesOnlyAHash(Vertx vertx) throws Exception {
    start(vertx);
    String token = "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu";
    harness.execute(
        "INSERT INTO notify_subscribers (kind, address, lang, state, token, created_at,"
            + " confirmed_at) VALUES ('email', 'leaver@example.com', 'en', 'active', '"
            + token
            + "', now(), now())");
    openIncident("ticketing", "First");
    await().atMost(WAIT).until(() -> mails().length == 1);
    String unsubscribe = mails()[0].getHeader("List-Unsubscribe", null);
    // the manage page shows the choices; saving them keeps the subscription
    assertThat(page("/subscription?token=" + token).bodyAsString())
        .contains("value=\"widget\"", "leaver@example.com");
    HttpResponse<Buffer> saved =
        post(
            "/subscription",
            MultiMap.caseInsensitiveMultiMap()
                .add("token", token)
                .add("components", "ticketing")
                .add("lang", "ko"),
            null);
    assertThat(saved.statusCode()).isEqualTo(200);
    assertThat(harness.text("SELECT components::text || lang FROM notify_subscribers"))
        .isEqualTo("{ticketing}ko");
    // RFC 8058: the mail provider POSTs from its own servers, no cookie, no origin
    String url =
        unsubscribe
            .substring(1, unsubscribe.length() - 1)
            .replace(PUBLIC_URL, "http://127.0.0.1:" + harness.service.httpPort());
    HttpResponse<Buffer> left =
        get(
            client
                .postAbs(url)
                .putHeader("Content-Type", "application/x-www-form-urlencoded")
                .sendBuffer(Buffer.buffer("List-Unsubscribe=One-Click")));
    assertThat(left.statusCode()).isEqualTo(200);
    assertThat(harness.count("SELECT count(*) FROM notify_subscribers")).isZero();
    assertThat(harness.count("SELECT count(*) FROM notify_deliveries")).isZero();
    assertThat(
            harness.text(
                "SELECT encode(address_hash, 'hex') || ' ' || reason FROM notify_suppressions"))
        .isEqualTo(
            java.util.HexFormat.of().formatHex(EmailAddress.hash("leaver@example.com"))
                + " unsubscribed");
    // twice, or with a made-up token: the same answer
    assertThat(get(client.postAbs(url).send()).statusCode()).isEqualTo(200);
    assertThat(page("/subscription?token=" + token).statusCode()).isEqualTo(404);
    openIncident("ticketing", "Second");
    await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> mails().length == 1);
  }

  @Test
  void anExpiredConfirmationLinkConfirmsNothing(Vertx vertx) throws Exception {
    start(vertx);
    assertThat(subscribe("late@example.com", "en").statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> mails().length == 1);
    String token = link(mails()[0], "/subscribe/confirm");
    harness.execute(
        "UPDATE notify_subscribers SET confirm_expires_at = now() - interval '1 second'");
    HttpResponse<Buffer> late =
        post("/subscribe/confirm", MultiMap.caseInsensitiveMultiMap().add("token", token), null);
    assertThat(late.statusCode()).isEqualTo(404);
    assertThat(late.bodyAsString()).contains("48 hours");
    assertThat(harness.text("SELECT state FROM notify_subscribers")).isEqualTo("pending");
  }

  @Test
  void personalDataIsExportedAndErasedByAddress(Vertx vertx) throws Exception {
    start(vertx);
    harness.execute(
        "INSERT INTO notify_subscribers (kind, address, lang, state, token, created_at,"
            + " confirmed_at) VALUES ('email', 'person@example.com', 'ko', 'active',"
            + " 'ppppppppppppppppppppppppppppppppppppppppppp', now(), now());"
            + " INSERT INTO notify_contacts (tenant_id, address, lang, created_at)"
            + " VALUES ('acme', 'person@example.com', 'en', now())");
    openIncident("widget", "Something");
    await().atMost(WAIT).until(() -> mails().length == 1);
    // The mail server has it a moment before the dispatcher records it as sent.
    await()
        .atMost(WAIT)
        .until(
            () ->
                harness.count("SELECT count(*) FROM notify_deliveries WHERE state = 'sent'") == 1);
    JsonObject export =
        get(client
                .post(harness.service.httpPort(), "127.0.0.1", "/api/v1/personal-data/export")
                .bearerTokenAuthentication(operator.token)
                .sendJsonObject(new JsonObject().put("address", "Person@Example.com")))
            .bodyAsJsonObject();
    assertThat(export.getJsonArray("subscriptions").getJsonObject(0).getString("lang"))
        .isEqualTo("ko");
    assertThat(export.getJsonArray("tenant_contacts").getJsonObject(0).getString("tenant_id"))
        .isEqualTo("acme");
    assertThat(export.getJsonObject("messages").getJsonObject("sent").getLong("count"))
        .isEqualTo(1);
    assertThat(export.getValue("suppressed")).isNull();
    HttpResponse<Buffer> erased =
        get(
            client
                .post(harness.service.httpPort(), "127.0.0.1", "/api/v1/personal-data/erase")
                .bearerTokenAuthentication(operator.token)
                .sendJsonObject(new JsonObject().put("address", "person@example.com")));
    assertThat(erased.bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("subscriptions", 1).put("tenant_contacts", 1));
    assertThat(harness.count("SELECT count(*) FROM notify_deliveries")).isZero();
    assertThat(harness.text("SELECT string_agg(entity_id, ',') FROM audit_log"))
        .doesNotContain("person");
    JsonObject after =
        get(client
                .post(harness.service.httpPort(), "127.0.0.1", "/api/v1/personal-data/export")
                .bearerTokenAuthentication(operator.token)
                .sendJsonObject(new JsonObject().put("address", "person@example.com")))
            .bodyAsJsonObject();
    assertThat(after.getJsonArray("subscriptions")).isEmpty();
    assertThat(after.getJsonObject("suppressed").getString("reason")).isEqualTo("erased");
    // a viewer may not see personal data
    assertThat(
            get(client
                    .post(harness.service.httpPort(), "127.0.0.1", "/api/v1/personal-data/export")
                    .bearerTokenAuthentication(harness.token("viewer"))
                    .sendJsonObject(new JsonObject().put("address", "person@example.com")))
                .statusCode())
        .isEqualTo(403);
  }

  @Test
  void operatorsAddWebhookSubscribersThatReceiveSignedEvents(Vertx vertx) throws Exception {
    start(vertx);
    Receiver receiver = Receiver.start(vertx, null);
    try {
      HttpResponse<Buffer> added =
          get(
              client
                  .post(harness.service.httpPort(), "127.0.0.1", "/api/v1/subscribers/webhooks")
                  .bearerTokenAuthentication(operator.token)
                  .sendJsonObject(
                      new JsonObject()
                          .put("url", receiver.url("/statusdesk"))
                          .put("components", new JsonArray().add("widget"))));
      assertThat(added.statusCode()).as(added.bodyAsString()).isEqualTo(201);
      String secret = added.bodyAsJsonObject().getString("secret");
      assertThat(WebhookSignature.validSecret(secret)).isTrue();
      openIncident("ticketing", "Not for it");
      openIncident("widget", "For it");
      await().atMost(WAIT).until(() -> receiver.requests.size() == 1);
      Receiver.Request got = receiver.requests.get(0);
      assertThat(
              WebhookSignature.verify(
                  secret,
                  got.id(),
                  Long.parseLong(got.headers().get("webhook-timestamp")),
                  got.body(),
                  got.headers().get("webhook-signature")))
          .isTrue();
      assertThat(got.json().getJsonObject("data").getJsonObject("incident").getString("name"))
          .isEqualTo("For it");
      JsonObject listed =
          get(client
                  .get(harness.service.httpPort(), "127.0.0.1", "/api/v1/subscribers?kind=webhook")
                  .bearerTokenAuthentication(operator.token)
                  .send())
              .bodyAsJsonObject();
      JsonObject hook = listed.getJsonArray("subscribers").getJsonObject(0);
      assertThat(hook.getString("url")).isEqualTo(receiver.url("/statusdesk"));
      assertThat(hook.containsKey("secret")).isFalse();
      assertThat(
              get(client
                      .delete(
                          harness.service.httpPort(),
                          "127.0.0.1",
                          "/api/v1/subscribers/" + hook.getLong("id"))
                      .bearerTokenAuthentication(operator.token)
                      .send())
                  .statusCode())
          .isEqualTo(204);
      assertThat(harness.count("SELECT count(*) FROM notify_subscribers")).isZero();
    } finally {
      receiver.close();
    }
  }
}
