package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.statuspage.StatusPageConfig;
import io.statusdesk.store.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tenant sign-in through the helpdesk and the tenant's own page, never anyone else's. */
@ExtendWith(VertxExtension.class)
class TenantViewTest {
  static final String SECRET = "a-shared-secret-of-at-least-32-characters";

  /** Public page settings that take HS256 sign-in tokens signed with {@link #SECRET}. */
  static final StatusPageConfig SIGN_IN =
      new StatusPageConfig(Optional.empty(), "'self'", Optional.of(SECRET), Optional.empty());

  static final String CHECKS =
      """
      components:
        - id: ticketing
          name: {en: Ticketing, ko: 티켓팅}
          impact: major
          heartbeat: {max_silence: 1h, token: a-long-heartbeat-token}
      """;
  private ServiceHarness harness;
  private WebClient client;

  @AfterEach
  void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private void startWith(Vertx vertx, StatusPageConfig config) throws Exception {
    harness = ServiceHarness.start(vertx, CHECKS, Map.of(), config);
    client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    try (Connection c = TestDatabase.connect(harness.dbUrl);
        Statement s = c.createStatement()) {
      s.execute(
          """
          INSERT INTO tenant_versions (tenant_id, valid_from, name, plan, members, status, cells,
            recorded_by)
          VALUES ('acme', '2026-09-01T00:00:00Z', 'Acme Support', 'earth', 10, 'current', '{kr-1}',
            't'),
                 ('globex', '2026-09-01T00:00:00Z', 'Globex Helpdesk', 'universe', 3, 'current',
                   '{kr-2}', 't');
          INSERT INTO ledger_entries (tenant_id, kind, amount_krw, month, fee_krw, credit_pct,
            created_at)
          VALUES ('acme', 'issue', 39000, '2026-10', 390000, 10, '2026-11-04T00:00:00Z'),
                 ('globex', 'issue', 17700, '2026-10', 177000, 10, '2026-11-04T00:00:00Z');
          """);
    }
  }

  private HttpResponse<Buffer> fetch(String path, String cookie) throws Exception {
    var request = client.get(harness.service.httpPort(), "127.0.0.1", path);
    if (cookie != null) {
      request.putHeader("Cookie", cookie);
    }
    return get(request.send());
  }

  @Test
  void aTenantSignsInOnceAndSeesOnlyItsOwnFigures(Vertx vertx) throws Exception {
    startWith(vertx, SIGN_IN);
    JWTAuth helpdesk = helpdesk(vertx);
    String token =
        helpdesk.generateToken(
            new JsonObject().put("sub", "acme"), new JWTOptions().setExpiresInSeconds(300));

    assertThat(fetch("/tenant", null).statusCode()).isEqualTo(401);
    HttpResponse<Buffer> signedIn = fetch("/tenant/sso?token=" + token, null);
    assertThat(signedIn.statusCode()).isEqualTo(302);
    assertThat(signedIn.getHeader("Location")).isEqualTo("/tenant");
    String setCookie = signedIn.cookies().get(0);
    assertThat(setCookie.toLowerCase(Locale.ROOT))
        .startsWith("sd_tenant=")
        .contains("httponly", "samesite=lax", "path=/tenant");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));

    HttpResponse<Buffer> page = fetch("/tenant?lang=en", cookie);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Cache-Control")).isEqualTo("private, no-store");
    assertThat(page.bodyAsString())
        .contains(
            "Acme Support", "39000", "2026-10", "earth", "kr-1", "Scheduled time", "Credit tier")
        .doesNotContain("Globex", "17700", "kr-2");
    assertThat(fetch("/tenant?lang=ko", cookie).bodyAsString()).contains("크레딧 잔액", "Acme Support");
    // monitoring began today: earlier months show no figures, never a spotless 100 %
    YearMonth thisMonth = YearMonth.now(ZoneId.of("Asia/Seoul"));
    String body = page.bodyAsString();
    String previous = body.substring(body.indexOf("id=\"month-" + thisMonth.minusMonths(1)));
    previous = previous.substring(0, previous.indexOf("</details>"));
    assertThat(body).contains("id=\"month-" + thisMonth + "\"");
    assertThat(previous).contains("not monitored").doesNotContain("MUP", "100.000");
    // the month in progress says which SLA version judges it, the fee, and why no credit
    assertThat(body)
        .contains(
            "Judged by the version in force from 2026-01-01 00:00 KST",
            "Fee 390000 KRW",
            "no credit: uptime met the SLA",
            "in progress (as it stands now)");
    String csv = fetch("/tenant/credits.csv", cookie).bodyAsString();
    assertThat(csv.lines().findFirst().orElseThrow())
        .isEqualTo("created_at,kind,amount_krw,month,invoice_ref,reason,balance_krw");
    assertThat(csv).contains("issue,39000,2026-10,,,39000").doesNotContain("17700");
    assertThat(fetch("/tenant/credits.csv", null).statusCode()).isEqualTo(401);

    HttpResponse<Buffer> replay = fetch("/tenant/sso?token=" + token, null);
    assertThat(replay.statusCode()).isEqualTo(401);
    assertThat(replay.bodyAsJsonObject().getString("error")).contains("already used");
    // a person clicking a spent link gets a page in their language, not JSON
    HttpResponse<Buffer> clicked =
        get(
            client
                .get(harness.service.httpPort(), "127.0.0.1", "/tenant/sso?token=" + token)
                .putHeader("Accept", "text/html,application/xhtml+xml")
                .putHeader("Accept-Language", "ko-KR,ko;q=0.9")
                .send());
    assertThat(clicked.statusCode()).isEqualTo(401);
    assertThat(clicked.getHeader("Content-Type")).startsWith("text/html");
    assertThat(clicked.bodyAsString())
        .contains("<html lang=\"ko\">", "로그인이 필요합니다", "헬프데스크에서", "already used")
        .doesNotContain("{\"error\"");

    String expired =
        helpdesk.generateToken(
            new JsonObject()
                .put("sub", "acme")
                .put("exp", Instant.now().minusSeconds(120).getEpochSecond()),
            new JWTOptions());
    String noExpiry = helpdesk.generateToken(new JsonObject().put("sub", "acme"), new JWTOptions());
    String fresh =
        helpdesk.generateToken(
            new JsonObject().put("sub", "acme"), new JWTOptions().setExpiresInSeconds(300));
    String tampered =
        fresh.substring(0, fresh.lastIndexOf('.') + 1)
            + new StringBuilder(fresh.substring(fresh.lastIndexOf('.') + 1)).reverse();
    String forged =
        JWTAuth.create(
                vertx,
                new JWTAuthOptions()
                    .addPubSecKey(
                        new PubSecKeyOptions()
                            .setAlgorithm("HS256")
                            .setBuffer("another-secret-of-at-least-32-characters!!")))
            .generateToken(
                new JsonObject().put("sub", "globex"), new JWTOptions().setExpiresInSeconds(300));
    String[] claims = fresh.split("\\.", -1);
    String otherTenant =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                new JsonObject(
                        new String(
                            Base64.getUrlDecoder().decode(claims[1]), StandardCharsets.UTF_8))
                    .put("sub", "globex")
                    .encode()
                    .getBytes(StandardCharsets.UTF_8));
    String swapped = claims[0] + "." + otherTenant + "." + claims[2];
    for (String bad : new String[] {expired, noExpiry, tampered, forged, swapped, "not-a-jwt"}) {
      assertThat(fetch("/tenant/sso?token=" + bad, null).statusCode()).as(bad).isEqualTo(401);
    }
    String unknown =
        helpdesk.generateToken(
            new JsonObject().put("sub", "nobody"), new JWTOptions().setExpiresInSeconds(300));
    assertThat(fetch("/tenant/sso?token=" + unknown, null).statusCode()).isEqualTo(403);
    String tooLong =
        helpdesk.generateToken(
            new JsonObject().put("sub", "acme"), new JWTOptions().setExpiresInSeconds(86_400));
    assertThat(fetch("/tenant/sso?token=" + tooLong, null).statusCode()).isEqualTo(401);

    HttpResponse<Buffer> out =
        get(
            client
                .post(harness.service.httpPort(), "127.0.0.1", "/tenant/sign-out")
                .putHeader("Cookie", cookie)
                .send());
    assertThat(out.statusCode()).isEqualTo(302);
    assertThat(fetch("/tenant", cookie).statusCode()).isEqualTo(401);
  }

  @Test
  void aSpentTokenCannotBeReEncodedAndClaimsOfTheWrongTypeAreRefused(Vertx vertx) throws Exception {
    startWith(vertx, SIGN_IN);
    JWTAuth helpdesk = helpdesk(vertx);
    String token =
        helpdesk.generateToken(
            new JsonObject().put("sub", "acme"), new JWTOptions().setExpiresInSeconds(300));
    assertThat(fetch("/tenant/sso?token=" + token, null).statusCode()).isEqualTo(302);
    // the signature's last base64url character carries 2 spare bits: a sibling character
    // decodes to the same signature, and so does a padded signature
    char last = token.charAt(token.length() - 1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char sibling = alphabet.charAt(alphabet.indexOf(last) ^ 1);
    String siblingToken = token.substring(0, token.length() - 1) + sibling;
    for (String replay : new String[] {siblingToken, token + "=", token}) {
      HttpResponse<Buffer> r = fetch("/tenant/sso?token=" + replay, null);
      assertThat(r.statusCode()).as(replay).isEqualTo(401);
      assertThat(r.bodyAsJsonObject().getString("error")).as(replay).contains("already used");
    }

    long exp = Instant.now().plusSeconds(300).getEpochSecond();
    for (JsonObject claims :
        new JsonObject[] {
          new JsonObject().put("sub", "acme").put("exp", String.valueOf(exp)),
          new JsonObject().put("sub", "acme").put("exp", exp + 0.5),
          new JsonObject().put("sub", "acme").put("exp", new JsonObject().put("at", exp)),
          new JsonObject().put("sub", "acme").put("exp", new JsonArray().add(exp)),
          new JsonObject().put("sub", 42).put("exp", exp),
          new JsonObject().put("sub", new JsonObject()).put("exp", exp)
        }) {
      HttpResponse<Buffer> r = fetch("/tenant/sso?token=" + signed(claims), null);
      assertThat(r.statusCode()).as(claims.encode()).isEqualTo(401);
    }
  }

  /**
   * Expiry and not-before are judged by the service's clock, as the token's lifetime is, with 30
   * seconds of leeway for the helpdesk's clock.
   */
  @Test
  void signInTokensAreJudgedByTheServiceClock(Vertx vertx) throws Exception {
    startWith(vertx, SIGN_IN);
    harness.clock.advance(Duration.ofHours(2));
    Instant now = harness.clock.instant();
    String expired =
        signed(
            new JsonObject().put("sub", "acme").put("exp", now.minusSeconds(300).getEpochSecond()));
    assertThat(fetch("/tenant/sso?token=" + expired, null).statusCode()).isEqualTo(401);
    String withinLeeway =
        signed(
            new JsonObject().put("sub", "acme").put("exp", now.minusSeconds(10).getEpochSecond()));
    assertThat(fetch("/tenant/sso?token=" + withinLeeway, null).statusCode()).isEqualTo(302);
    // valid ten minutes from now by the system's clock, and already by the service's
    String valid =
        signed(
            new JsonObject()
                .put("sub", "acme")
                .put("nbf", Instant.now().plusSeconds(600).getEpochSecond())
                .put("exp", now.plusSeconds(300).getEpochSecond()));
    assertThat(fetch("/tenant/sso?token=" + valid, null).statusCode()).isEqualTo(302);
    String notYet =
        signed(
            new JsonObject()
                .put("sub", "acme")
                .put("nbf", now.plusSeconds(600).getEpochSecond())
                .put("exp", now.plusSeconds(900).getEpochSecond()));
    assertThat(fetch("/tenant/sso?token=" + notYet, null).statusCode()).isEqualTo(401);
  }

  /** An HS256 token with exactly these claims, whatever their types. */
  private static String signed(JsonObject claims) throws Exception {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String input =
        b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void rs256TokensSignedByTheHelpdesksPrivateKeyAreAccepted(Vertx vertx) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    String publicPem = pem("PUBLIC KEY", keys.getPublic().getEncoded());
    String privatePem = pem("PRIVATE KEY", keys.getPrivate().getEncoded());
    startWith(
        vertx,
        new StatusPageConfig(Optional.empty(), "'self'", Optional.empty(), Optional.of(publicPem)));
    JWTAuth helpdesk =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(privatePem)));
    String token =
        helpdesk.generateToken(
            new JsonObject().put("sub", "globex"),
            new JWTOptions().setAlgorithm("RS256").setExpiresInSeconds(120));
    HttpResponse<Buffer> signedIn = fetch("/tenant/sso?token=" + token, null);
    assertThat(signedIn.statusCode()).isEqualTo(302);
    String cookie = signedIn.cookies().get(0).split(";", -1)[0];
    assertThat(signedIn.cookies().get(0)).doesNotContain("Secure");
    assertThat(fetch("/tenant", cookie).bodyAsString())
        .contains("Globex Helpdesk", "17700")
        .doesNotContain("Acme");
    String hs256 =
        JWTAuth.create(
                vertx,
                new JWTAuthOptions()
                    .addPubSecKey(
                        new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(publicPem)))
            .generateToken(
                new JsonObject().put("sub", "globex"), new JWTOptions().setExpiresInSeconds(120));
    assertThat(fetch("/tenant/sso?token=" + hs256, null).statusCode()).isEqualTo(401);
  }

  /** The helpdesk's side of {@link #SIGN_IN}: what signs tenants in. */
  static JWTAuth helpdesk(Vertx vertx) {
    return JWTAuth.create(
        vertx,
        new JWTAuthOptions()
            .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.UTF_8)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
