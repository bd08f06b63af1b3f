package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What admins do to people and tokens in the console, and the limits around sign-in that are not
 * about one account: set-up links that expire, failures charged to the client's address, roles
 * changed, accounts disabled and re-enabled, second factors reset, API tokens created with an
 * expiry, used and revoked.
 */
@ExtendWith(VertxExtension.class)
class ConsoleAccountsTest {
  private static final Pattern LINK =
      Pattern.compile("id=\"setup-link\" class=\"secret\">([^<]+)<");
  private static final Pattern TOKEN =
      Pattern.compile("id=\"token-value\" class=\"secret\">([^<]+)<");

  private ServiceHarness harness;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    harness = ServiceHarness.start(vertx, ConsoleSignInTest.CHECKS, Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  private long id(String email) throws Exception {
    return harness.count("SELECT id FROM accounts WHERE email = '" + email + "'");
  }

  private static String find(Pattern pattern, HttpResponse<Buffer> page) {
    Matcher m = pattern.matcher(page.bodyAsString());
    assertThat(m.find()).as(page.bodyAsString()).isTrue();
    return m.group(1);
  }

  @Test
  void aSetUpLinkWorksForTwentyFourHoursAndNoLonger() throws Exception {
    String link = ConsoleUser.invite(harness, "late@example.com", "viewer");
    String path = link.substring(link.indexOf("/admin"));
    ConsoleUser late = ConsoleUser.anonymous(harness, "late@example.com");
    harness.clock.advance(Duration.ofHours(23).plusMinutes(59));
    assertThat(late.get(path).statusCode()).as("after 23 h 59 min").isEqualTo(200);
    harness.clock.advance(Duration.ofMinutes(2));
    assertThat(late.get(path).statusCode()).as("after 24 h 1 min").isEqualTo(404);
    assertThat(harness.count("SELECT count(*) FROM accounts WHERE password_hash IS NOT NULL"))
        .isZero();
  }

  @Test
  void failuresFromOneAddressAreThrottledWhicheverEmailsTheyTry() throws Exception {
    ConsoleUser user = ConsoleUser.enrol(harness, "ops@example.com", "operator");
    // 20 guesses at as many addresses: no account locks, the address runs out of tries
    for (int i = 0; i < 20; i++) {
      ConsoleUser guess = ConsoleUser.anonymous(harness, "guess" + i + "@example.com");
      assertThat(guess.signIn("some password guess", "123456").statusCode())
          .as("guess %d", i + 1)
          .isEqualTo(401);
    }
    HttpResponse<Buffer> throttled = user.signIn(user.password, user.code());
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.getHeader("Retry-After")).isNotNull();
    assertThat(harness.count("SELECT count(*) FROM console_sessions")).isZero();
    assertThat(harness.count("SELECT failed_signins FROM accounts")).isZero();
    // one more try every 3 seconds
    harness.clock.advance(Duration.ofSeconds(4));
    assertThat(user.signIn(user.password, user.code()).statusCode()).isEqualTo(303);
  }

  @Test
  void anAdminChangesARoleDisablesEnablesAndResetsAnAccount() throws Exception {
    ConsoleUser admin = ConsoleUser.signedIn(harness, "root@example.com", "admin");
    ConsoleUser op = ConsoleUser.signedIn(harness, "ops@example.com", "operator");
    long ops = id("ops@example.com");
    assertThat(op.get("/admin/incidents/new").statusCode()).isEqualTo(200);

    // a new role counts from the next request of the sessions already open
    assertThat(
            admin
                .submit(
                    "/admin/accounts", "/admin/accounts/" + ops + "/role", Map.of("role", "viewer"))
                .statusCode())
        .isEqualTo(303);
    assertThat(op.get("/admin/incidents/new").statusCode()).isEqualTo(403);
    assertThat(op.get("/admin/incidents").statusCode()).isEqualTo(200);

    // disabled: signed out at once and cannot sign in
    assertThat(
            admin
                .submit("/admin/accounts", "/admin/accounts/" + ops + "/disable", Map.of())
                .statusCode())
        .isEqualTo(303);
    assertThat(op.get("/admin/incidents").statusCode()).isEqualTo(303);
    assertThat(harness.count("SELECT count(*) FROM console_sessions WHERE account_id = " + ops))
        .isZero();
    assertThat(op.signIn(op.password, op.code()).statusCode()).isEqualTo(401);
    assertThat(
            admin
                .submit("/admin/accounts", "/admin/accounts/" + ops + "/enable", Map.of())
                .statusCode())
        .isEqualTo(303);
    assertThat(op.signIn(op.password, op.code()).statusCode()).isEqualTo(303);
    assertThat(op.get("/admin/incidents").statusCode()).isEqualTo(200);

    // reset: sessions end, the old password and recovery codes are gone, a new link sets it up
    HttpResponse<Buffer> reset =
        admin.submit("/admin/accounts", "/admin/accounts/" + ops + "/reset", Map.of());
    assertThat(reset.statusCode()).isEqualTo(200);
    String link = find(LINK, reset);
    assertThat(op.get("/admin/incidents").statusCode()).isEqualTo(303);
    String oldRecovery = op.recoveryCodes.get(0);
    assertThat(op.signIn(op.password, op.code()).statusCode()).isEqualTo(401);
    assertThat(op.signIn(op.password, oldRecovery).statusCode()).isEqualTo(401);
    op.recoveryCodes.clear();
    assertThat(op.setUp(link, "a brand new passphrase here").statusCode()).isEqualTo(200);
    assertThat(op.recoveryCodes).hasSize(10).doesNotContain(oldRecovery);
    assertThat(op.signIn(op.password, op.code()).statusCode()).isEqualTo(303);

    // agents are programs with tokens: no account has their role
    HttpResponse<Buffer> agent =
        admin.submit(
            "/admin/accounts",
            "/admin/accounts",
            Map.of("email", "bot@example.com", "role", "agent"));
    assertThat(agent.statusCode()).isEqualTo(400);
    assertThat(agent.bodyAsString()).contains("role must be admin, operator, billing or viewer");

    // an admin never changes their own account
    long root = id("root@example.com");
    HttpResponse<Buffer> self =
        admin.submit("/admin/accounts", "/admin/accounts/" + root + "/disable", Map.of());
    assertThat(self.statusCode()).isEqualTo(409);
    assertThat(self.bodyAsString()).contains("admins cannot change their own account");
    assertThat(admin.get("/admin/accounts").statusCode()).isEqualTo(200);

    assertThat(
            harness.count(
                "SELECT count(*) FROM audit_log WHERE actor = 'root@example.com (admin)'"
                    + " AND action IN ('account.role', 'account.disable', 'account.enable',"
                    + " 'account.reset') AND entity_id = '"
                    + ops
                    + "'"))
        .isEqualTo(4);
  }

  private HttpResponse<Buffer> api(WebClient client, String token) throws Exception {
    return get(
        client
            .get(harness.service.httpPort(), "127.0.0.1", "/api/v1/incidents")
            .bearerTokenAuthentication(token)
            .send());
  }

  @Test
  void apiTokensAreCreatedUsedExpiredAndRevokedFromTheConsole() throws Exception {
    ConsoleUser admin = ConsoleUser.signedIn(harness, "root@example.com", "admin");
    String expires = LocalDate.now(ZoneOffset.UTC).plusDays(2).toString();
    HttpResponse<Buffer> created =
        admin.submit(
            "/admin/tokens",
            "/admin/tokens",
            Map.of("name", "ci-bot", "role", "operator", "expires", expires));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String bot = find(TOKEN, created);
    HttpResponse<Buffer> badName =
        admin.submit(
            "/admin/tokens", "/admin/tokens", Map.of("name", "two words", "role", "viewer"));
    assertThat(badName.statusCode()).isEqualTo(400);
    assertThat(badName.bodyAsString()).contains("name: 1 to 100 of");
    assertThat(admin.get("/admin/tokens").bodyAsString()).doesNotContain(bot);

    WebClient client = ConsoleUser.client(harness);
    assertThat(api(client, bot).statusCode()).isEqualTo(200);
    assertThat(harness.count("SELECT count(*) FROM api_tokens WHERE last_used_at IS NOT NULL"))
        .isEqualTo(1);
    assertThat(admin.get("/admin/tokens").bodyAsString())
        .as("the last use shown beside the revoke button")
        .containsPattern("</td><td>\\d{4}-[^<]+</td>\\s*<td><form[^>]*/admin/tokens/ci-bot/revoke");

    HttpResponse<Buffer> other =
        admin.submit(
            "/admin/tokens",
            "/admin/tokens",
            Map.of("name", "deploys", "role", "viewer", "expires", expires));
    String deploys = find(TOKEN, other);
    assertThat(api(client, deploys).statusCode()).isEqualTo(200);
    assertThat(admin.submit("/admin/tokens", "/admin/tokens/deploys/revoke", Map.of()).statusCode())
        .isEqualTo(303);
    await().atMost(Duration.ofSeconds(10)).until(() -> api(client, deploys).statusCode() == 401);
    assertThat(
            harness.count(
                "SELECT count(*) FROM audit_log WHERE actor = 'root@example.com (admin)'"
                    + " AND action IN ('token.create', 'token.revoke')"))
        .isEqualTo(3);

    // the expiry holds to the second, even for a token looked up (and cached) just before it
    Instant expiry =
        Instant.ofEpochSecond(
            harness.count(
                "SELECT extract(epoch FROM expires_at)::bigint FROM api_tokens"
                    + " WHERE name = 'ci-bot'"));
    harness.clock.set(expiry.minusSeconds(10));
    assertThat(api(client, bot).statusCode()).isEqualTo(200);
    harness.clock.set(expiry.plusSeconds(1));
    assertThat(api(client, bot).statusCode()).as("a second after its expiry").isEqualTo(401);
  }
}
