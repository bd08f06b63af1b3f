package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.statusdesk.notify.MailSettings;
import io.statusdesk.notify.Mails;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tenants' statements and SLA notices: a tenant sets its statement addresses in the tenant view, a
 * month close mails each paying tenant its statement (once per revision), and a new SLA version
 * reaches every tenant contact the moment it is published.
 */
@ExtendWith(VertxExtension.class)
class StatementsTest {
  private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static GreenMailExtension mail = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", "smtp"));

  private ServiceHarness harness;
  private WebClient client;

  @AfterEach
  void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private HttpResponse<Buffer> call(HttpMethod method, String path, String token, JsonObject body)
      throws Exception {
    var request =
        client
            .request(method, harness.service.httpPort(), "127.0.0.1", path)
            .bearerTokenAuthentication(token);
    return get(body == null ? request.send() : request.sendJsonObject(body));
  }

  private static String to(MimeMessage m) {
    try {
      return m.getAllRecipients()[0].toString();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<MimeMessage> to(String address) {
    return Arrays.stream(mail.getReceivedMessages()).filter(m -> to(m).equals(address)).toList();
  }

  @Test
  void paidTenantsGetTheirStatementAndEveryContactTheSlaNotice(Vertx vertx) throws Exception {
    harness =
        ServiceHarness.start(
            vertx,
            """
            plans: {continent: 19000, earth: 39000, universe: 59000, island: 0}
            components:
              - {id: ticketing, name: {en: Ticketing, ko: 티켓팅}, impact: major,
                 heartbeat: {max_silence: 1h, token: a-long-heartbeat-token}}
            channels:
              ops: {type: email, to: ops@example.com}
            alerts:
              - {channel: ops, events: [month.closed]}
            """,
            Map.of(),
            TenantViewTest.SIGN_IN,
            TrustedProxies.none(),
            Optional.of(
                MailSettings.parse(
                    "smtp://127.0.0.1:" + mail.getSmtp().getPort() + "?starttls=off",
                    "status@status.example.com")));
    client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    String billing = harness.token("billing");
    String operator = harness.token("operator");
    YearMonth month = YearMonth.now(SEOUL).minusMonths(1);
    Instant since = month.minusMonths(1).atDay(1).atStartOfDay(SEOUL).toInstant();
    Instant outage = month.atDay(10).atTime(10, 0).atZone(SEOUL).toInstant();
    harness.execute("UPDATE checks SET created_at = '" + since + "'");
    harness.execute(
        "INSERT INTO outages (component, outage_class, started_at, ended_at, cells, source)"
            + " VALUES ('ticketing', 'major', '"
            + outage
            + "', '"
            + outage.plus(Duration.ofHours(8))
            + "', '{main}', 'probe')");
    for (String[] t :
        List.of(
            new String[] {"acme", "earth", "10", "current"},
            new String[] {"zenith", "universe", "2", "current"},
            new String[] {"free", "island", "3", "current"},
            new String[] {"late", "earth", "5", "past_due"})) {
      HttpResponse<Buffer> put =
          call(
              HttpMethod.PUT,
              "/api/v1/tenants/" + t[0],
              billing,
              new JsonObject()
                  .put("name", t[0].toUpperCase(java.util.Locale.ROOT))
                  .put("plan", t[1])
                  .put("members", Integer.parseInt(t[2]))
                  .put("status", t[3])
                  .put("effective_from", since.toString()));
      assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(200);
    }

    // acme signs in from the helpdesk and sets two addresses, in Korean
    String sso =
        TenantViewTest.helpdesk(vertx)
            .generateToken(
                new JsonObject().put("sub", "acme"), new JWTOptions().setExpiresInSeconds(300));
    HttpResponse<Buffer> signedIn =
        get(client.get(harness.service.httpPort(), "127.0.0.1", "/tenant/sso?token=" + sso).send());
    String cookie = signedIn.cookies().get(0).split(";", -1)[0];
    String origin = "http://127.0.0.1:" + harness.service.httpPort();
    MultiMap form =
        MultiMap.caseInsensitiveMultiMap()
            .add("addresses", "Billing@Acme.example\ncto@acme.example")
            .add("lang", "ko");
    HttpResponse<Buffer> forged =
        get(
            client
                .post(harness.service.httpPort(), "127.0.0.1", "/tenant/contacts")
                .putHeader("Cookie", cookie)
                .putHeader("Origin", "https://evil.example")
                .sendForm(form));
    assertThat(forged.statusCode()).isEqualTo(403);
    HttpResponse<Buffer> saved =
        get(
            client
                .post(harness.service.httpPort(), "127.0.0.1", "/tenant/contacts")
                .putHeader("Cookie", cookie)
                .putHeader("Origin", origin)
                .sendForm(form));
    assertThat(saved.statusCode()).as(saved.bodyAsString()).isEqualTo(302);
    assertThat(
            get(client
                    .get(harness.service.httpPort(), "127.0.0.1", "/tenant?lang=en")
                    .putHeader("Cookie", cookie)
                    .send())
                .bodyAsString())
        .contains("billing@acme.example\ncto@acme.example", "Statement addresses");
    harness.execute(
        "INSERT INTO notify_contacts (tenant_id, address, lang, created_at) VALUES"
            + " ('zenith', 'ops@zenith.example', 'en', now()),"
            + " ('free', 'owner@free.example', 'en', now()),"
            + " ('late', 'ap@late.example', 'en', now())");

    HttpResponse<Buffer> closed =
        call(HttpMethod.POST, "/api/v1/months/" + month + "/close", billing, null);
    assertThat(closed.statusCode()).as(closed.bodyAsString()).isEqualTo(200);
    await()
        .atMost(WAIT)
        .until(
            () ->
                to("billing@acme.example").size() == 1
                    && to("cto@acme.example").size() == 1
                    && to("ops@zenith.example").size() == 1
                    && to("ops@example.com").size() == 1);
    MimeMessage acme = to("billing@acme.example").get(0);
    assertThat(acme.getSubject()).isEqualTo(month + " SLA 명세서");
    // 8 hours down in a month: MUP below 99 %, the 10 % tier: 10 x 39,000 x 10 % = 39,000 KRW
    assertThat(Mails.text(acme)).contains("39,000 KRW", "390,000 KRW", "티켓팅", "영향 있음");
    MimeMessage zenith = to("ops@zenith.example").get(0);
    assertThat(zenith.getSubject()).isEqualTo("Your SLA statement for " + month);
    assertThat(Mails.text(zenith)).contains("11,800 KRW", "Balance: 11,800 KRW", "Ticketing");
    assertThat(to("ops@example.com").get(0).getSubject())
        .isEqualTo("Month " + month + " closed (revision 1)");

    // closing the same facts again writes nothing and tells nobody; free and late tenants earn
    // nothing and get no statement
    call(HttpMethod.POST, "/api/v1/months/" + month + "/close", billing, null);
    JsonObject sla =
        Fixtures.reducingSla("Credits start lower.", "크레딧 기준이 낮아집니다.")
            .put(
                "effective_from",
                Instant.now().plus(Duration.ofDays(45)).plus(Duration.ofHours(1)).toString());
    assertThat(call(HttpMethod.POST, "/api/v1/sla/policies", operator, sla).statusCode())
        .isEqualTo(201);
    await()
        .atMost(WAIT)
        .until(
            () ->
                to("owner@free.example").size() == 1
                    && to("ap@late.example").size() == 1
                    && to("billing@acme.example").size() == 2
                    && to("ops@zenith.example").size() == 2);
    MimeMessage notice = to("owner@free.example").get(0);
    assertThat(notice.getSubject()).startsWith("The SLA changes on ");
    assertThat(Mails.text(notice))
        .contains("reduces a benefit", "published 45 days before", "Credits start lower.");
    assertThat(Mails.text(to("cto@acme.example").get(1))).contains("크레딧 기준이 낮아집니다.");
    // and nothing else comes: the second close told nobody
    await()
        .pollDelay(Duration.ofSeconds(2))
        .atMost(WAIT)
        .until(() -> mail.getReceivedMessages().length >= 9);
    assertThat(Arrays.stream(mail.getReceivedMessages()).map(StatementsTest::to).sorted())
        .containsExactly(
            "ap@late.example",
            "billing@acme.example",
            "billing@acme.example",
            "cto@acme.example",
            "cto@acme.example",
            "ops@example.com",
            "ops@zenith.example",
            "ops@zenith.example",
            "owner@free.example");
  }
}
