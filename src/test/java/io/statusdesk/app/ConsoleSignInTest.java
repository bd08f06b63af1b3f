package io.statusdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Signing in to the console over HTTP: the set-up link, the second factor, sessions (new id at
 * sign-in, idle and absolute expiry, sign-out), CSRF, lockout, replayed codes and recovery codes.
 */
@ExtendWith(VertxExtension.class)
class ConsoleSignInTest {
  static final String CHECKS =
      """
      components:
        - id: ticketing
          name: Ticketing
          impact: major
          heartbeat: {max_silence: 1h, token: a-long-heartbeat-token}
      """;

  private ServiceHarness harness;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    harness = ServiceHarness.start(vertx, CHECKS, Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  @Test
  void aSetUpLinkEnrolsOnceAndLeadsToASignedInConsole() throws Exception {
    String link = ConsoleUser.invite(harness, "ops@example.com", "operator");
    assertThat(link).matches("http://127\\.0\\.0\\.1:\\d+/admin/setup\\?token=[A-Za-z0-9_-]{43}");
    ConsoleUser user = ConsoleUser.anonymous(harness, "ops@example.com");
    HttpResponse<Buffer> done = user.setUp(link, "correct horse battery staple");
    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(user.recoveryCodes).hasSize(10).doesNotHaveDuplicates();
    assertThat(harness.count("SELECT count(*) FROM recovery_codes WHERE used_at IS NULL"))
        .isEqualTo(10);
    assertThat(harness.text("SELECT password_hash FROM accounts"))
        .startsWith("$argon2id$v=19$m=19456,t=2,p=1$");

    // the link worked once
    assertThat(user.get(link.substring(link.indexOf("/admin"))).statusCode()).isEqualTo(404);

    HttpResponse<Buffer> signIn = user.signIn("correct horse battery staple", user.code());
    assertThat(signIn.statusCode()).isEqualTo(303);
    assertThat(signIn.getHeader("Location")).isEqualTo("/admin/overview");
    String cookie =
        signIn.cookies().stream()
            .filter(c -> c.startsWith("sd_console="))
            .findFirst()
            .orElseThrow();
    assertThat(cookie)
        .containsIgnoringCase("HttpOnly")
        .containsIgnoringCase("SameSite=Strict")
        .contains("Path=/admin")
        .doesNotContainIgnoringCase("Secure");
    HttpResponse<Buffer> overview = user.get("/admin/overview");
    assertThat(overview.statusCode()).isEqualTo(200);
    assertThat(overview.bodyAsString()).contains("ops@example.com", "Ticketing");
  }

  @Test
  void anonymousPagesGoToSignInAndComeBack() throws Exception {
    ConsoleUser nobody = ConsoleUser.anonymous(harness, "nobody@example.com");
    HttpResponse<Buffer> r = nobody.get("/admin/overview?failing=1");
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.getHeader("Location"))
        .isEqualTo("/admin/sign-in?next=%2Fadmin%2Foverview%3Ffailing%3D1");
  }

  @Test
  void theSessionIdChangesAtSignInAndTheOldOneStopsWorking() throws Exception {
    ConsoleUser user = ConsoleUser.signedIn(harness, "ops@example.com", "operator");
    String first = user.session();
    // an attacker's planted id is never adopted
    user.cookies.put("sd_console", "planted-by-someone-else");
    assertThat(user.signIn(user.password, user.code()).statusCode()).isEqualTo(303);
    assertThat(user.session()).isNotEqualTo("planted-by-someone-else").isNotEqualTo(first);
    String second = user.session();
    // signing in again with a live session replaces it
    assertThat(user.signIn(user.password, user.recoveryCodes.get(0)).statusCode()).isEqualTo(303);
    assertThat(user.session()).isNotEqualTo(second);
    user.cookies.put("sd_console", second);
    assertThat(user.get("/admin/overview").statusCode()).isEqualTo(303);
  }

  @Test
  void aSessionOutlivesARestartOfTheService() throws Exception {
    ConsoleUser user = ConsoleUser.signedIn(harness, "ops@example.com", "operator");
    harness.stop();
    harness.restart();
    HttpResponse<Buffer> after = user.get("/admin/overview");
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.bodyAsString()).contains("ops@example.com");
  }

  @Test
  void signOutEndsTheSessionOnTheServer() throws Exception {
    ConsoleUser user = ConsoleUser.signedIn(harness, "ops@example.com", "operator");
    String session = user.session();
    HttpResponse<Buffer> out = user.submit("/admin/overview", "/admin/sign-out", Map.of());
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(harness.count("SELECT count(*) FROM console_sessions")).isZero();
    user.cookies.put("sd_console", session);
    assertThat(user.get("/admin/overview").statusCode()).isEqualTo(303);
  }

  @Test
  void aFormWithoutItsTokenIsRefusedAndChangesNothing() throws Exception {
    ConsoleUser admin = ConsoleUser.signedIn(harness, "root@example.com", "admin");
    long accounts = harness.count("SELECT count(*) FROM accounts");
    Map<String, String> invite = Map.of("email", "new@example.com", "role", "viewer");
    assertThat(admin.post("/admin/accounts", null, invite).statusCode()).isEqualTo(403);
    assertThat(admin.post("/admin/accounts", "forged", invite).statusCode()).isEqualTo(403);
    // another session's token is no good either
    ConsoleUser other = ConsoleUser.signedIn(harness, "root2@example.com", "admin");
    String othersToken = ConsoleUser.csrf(other.get("/admin/accounts").bodyAsString());
    assertThat(admin.post("/admin/accounts", othersToken, invite).statusCode()).isEqualTo(403);
    assertThat(harness.count("SELECT count(*) FROM accounts")).isEqualTo(accounts + 1);
    // the sign-in form needs its own token too
    ConsoleUser stranger = ConsoleUser.anonymous(harness, "root@example.com");
    assertThat(
            stranger
                .post(
                    "/admin/sign-in",
                    null,
                    Map.of(
                        "email",
                        "root@example.com",
                        "password",
                        admin.password,
                        "code",
                        admin.code()))
                .statusCode())
        .isEqualTo(403);
    // with the page's token it works
    assertThat(admin.submit("/admin/accounts", "/admin/accounts", invite).statusCode())
        .isEqualTo(201);
    assertThat(harness.count("SELECT count(*) FROM accounts")).isEqualTo(accounts + 2);
  }

  @Test
  void sessionsEndAfterThirtyIdleMinutesAndTwelveHoursAtMost() throws Exception {
    ConsoleUser user = ConsoleUser.signedIn(harness, "ops@example.com", "operator");
    harness.clock.advance(Duration.ofMinutes(29));
    assertThat(user.get("/admin/overview").statusCode()).isEqualTo(200);
    harness.clock.advance(Duration.ofMinutes(29));
    assertThat(user.get("/admin/overview").statusCode()).as("used 29 min ago").isEqualTo(200);
    harness.clock.advance(Duration.ofMinutes(31));
    assertThat(user.get("/admin/overview").statusCode()).as("idle 31 min").isEqualTo(303);
    assertThat(harness.count("SELECT count(*) FROM console_sessions")).isZero();

    assertThat(user.signIn(user.password, user.code()).statusCode()).isEqualTo(303);
    for (int i = 0; i < 24; i++) {
      harness.clock.advance(Duration.ofMinutes(29));
      assertThat(user.get("/admin/overview").statusCode())
          .as("after %d x 29 min", i + 1)
          .isEqualTo(200);
    }
    harness.clock.advance(Duration.ofMinutes(29));
    assertThat(user.get("/admin/overview").statusCode()).as("12 h after sign-in").isEqualTo(303);
  }

  @Test
  void repeatedFailuresLockTheAccountWithBackOffAndAreAudited() throws Exception {
    ConsoleUser user = ConsoleUser.enrol(harness, "ops@example.com", "operator");
    for (int i = 0; i < 4; i++) {
      assertThat(user.signIn("wrong password here", "000000").statusCode()).isEqualTo(401);
    }
    HttpResponse<Buffer> fifth = user.signIn("wrong password here", "000000");
    assertThat(fifth.statusCode()).isEqualTo(401);
    // locked: even the right password is refused, and says for how long
    HttpResponse<Buffer> locked = user.signIn(user.password, "000000");
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.getHeader("Retry-After")).isNotNull();
    assertThat(locked.bodyAsString()).contains("try again in 1 min");
    assertThat(
            harness.count("SELECT count(*) FROM audit_log WHERE action = 'account.sign_in_failed'"))
        .isEqualTo(4);
    assertThat(harness.count("SELECT count(*) FROM audit_log WHERE action = 'account.locked'"))
        .isEqualTo(1);
    // a wrong try after the lock locks it twice as long
    harness.clock.advance(Duration.ofSeconds(61));
    assertThat(user.signIn("wrong password here", "000000").statusCode()).isEqualTo(401);
    harness.clock.advance(Duration.ofSeconds(61));
    assertThat(user.signIn(user.password, "000000").statusCode()).isEqualTo(429);
    harness.clock.advance(Duration.ofSeconds(60));
    assertThat(user.signIn(user.password, user.code()).statusCode()).isEqualTo(303);
    assertThat(harness.count("SELECT failed_signins FROM accounts")).isZero();
  }

  @Test
  void anAuthenticatorCodeWorksOnceEvenWithinItsStep() throws Exception {
    ConsoleUser user = ConsoleUser.enrol(harness, "ops@example.com", "operator");
    String code = user.code();
    assertThat(user.signIn(user.password, code).statusCode()).isEqualTo(303);
    assertThat(user.signIn(user.password, code).statusCode()).isEqualTo(401);
    assertThat(harness.count("SELECT count(*) FROM console_sessions")).isEqualTo(1);
  }

  @Test
  void aRecoveryCodeWorksOnce() throws Exception {
    ConsoleUser user = ConsoleUser.enrol(harness, "ops@example.com", "operator");
    String recovery = user.recoveryCodes.get(3);
    assertThat(user.signIn(user.password, recovery.toUpperCase(Locale.ROOT)).statusCode())
        .isEqualTo(303);
    assertThat(user.signIn(user.password, recovery).statusCode()).isEqualTo(401);
    assertThat(user.signIn(user.password, user.recoveryCodes.get(4)).statusCode()).isEqualTo(303);
    assertThat(harness.count("SELECT count(*) FROM recovery_codes WHERE used_at IS NOT NULL"))
        .isEqualTo(2);
  }

  @Test
  void aWrongPasswordAndAnUnknownEmailGetTheSameAnswer() throws Exception {
    ConsoleUser user = ConsoleUser.enrol(harness, "ops@example.com", "operator");
    String wrong = user.signIn("not the password!", user.code()).bodyAsString();
    ConsoleUser ghost = ConsoleUser.anonymous(harness, "ghost@example.com");
    String unknown = ghost.signIn("not the password!", "123456").bodyAsString();
    assertThat(wrong).contains("the email, password or code is not right");
    assertThat(unknown).contains("the email, password or code is not right");
  }
}
