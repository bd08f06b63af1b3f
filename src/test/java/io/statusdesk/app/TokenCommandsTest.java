package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.statusdesk.store.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code token create|list|revoke}: unique names, no secrets shown, revocation at once. */
@ExtendWith(VertxExtension.class)
class TokenCommandsTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int token(Map<String, String> env, String... args) {
    out.reset();
    err.reset();
    return Main.run(
        Stream.concat(Stream.of("token"), Stream.of(args)).toArray(String[]::new),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        env::get);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8).trim();
  }

  @Test
  void whereTheServiceNeverRanNothingIsCreatedAndTheDirectoryLookedInIsNamed(@TempDir Path dir) {
    Path data = dir.resolve("data");
    Map<String, String> env = Map.of("STATUSDESK_DATA_DIR", data.toString());
    for (List<String> command :
        List.of(
            List.of("create", "--role", "operator", "--name", "ops"),
            List.of("list"),
            List.of("revoke", "ops"))) {
      assertThat(token(env, command.toArray(String[]::new))).as("%s", command).isEqualTo(1);
      assertThat(err())
          .startsWith(
              "statusdesk: no service data in "
                  + data.toAbsolutePath()
                  + " (it holds no database cluster pg/)");
      assertThat(out()).isEmpty();
    }
    assertThat(Files.exists(data)).isFalse();
  }

  @Test
  void namesAreUniqueAndTheListShowsNoSecret() {
    Map<String, String> env = Map.of("STATUSDESK_DB_URL", TestDatabase.fresh());
    assertThat(token(env, "create", "--role", "billing", "--name", "finance")).isZero();
    String secret = out().trim();
    assertThat(secret).startsWith("sd_");
    assertThat(token(env, "create", "--role", "operator", "--name", "finance")).isEqualTo(1);
    assertThat(err()).isEqualTo("statusdesk: a token named finance exists");
    assertThat(token(env, "create", "--role", "viewer", "--name", "two words")).isEqualTo(2);
    assertThat(err()).startsWith("--name must be 1 to 100 of A-Z a-z 0-9 . _ @ -");

    assertThat(token(env, "list")).isZero();
    List<String> lines = out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).matches("NAME +ROLE +CREATED +LAST USED +REVOKED");
    assertThat(lines.get(1))
        .matches("finance +billing +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +- +-");
    assertThat(out()).doesNotContain(secret.substring(3, 12));
  }

  @Test
  void aRevokedTokenIsRefusedAtOnceByARunningServiceThatCachedIt(Vertx vertx) throws Exception {
    try (ServiceHarness harness =
        ServiceHarness.start(
            vertx,
            """
            components:
              - id: ticketing
                impact: major
                heartbeat: {max_silence: 1h, token: a-long-heartbeat-token}
            """,
            Map.of())) {
      Map<String, String> env = Map.of("STATUSDESK_DB_URL", harness.dbUrl);
      assertThat(token(env, "create", "--role", "viewer", "--name", "dashboard")).isZero();
      String secret = out().trim();
      WebClient client = WebClient.create(vertx);
      int port = harness.service.httpPort();
      for (int i = 0; i < 2; i++) {
        assertThat(
                get(client
                        .get(port, "127.0.0.1", "/api/v1/components")
                        .bearerTokenAuthentication(secret)
                        .send())
                    .statusCode())
            .isEqualTo(200);
      }
      assertThat(token(env, "list")).isZero();
      String at = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";
      assertThat(out().lines().skip(1).findFirst().orElseThrow())
          .as("last used")
          .matches("dashboard +viewer +" + at + " +" + at + " +-");

      assertThat(token(env, "revoke", "dashboard")).isZero();
      assertThat(err()).isEqualTo("token 'dashboard' revoked");
      // the service cached the token for 30 s; the revocation reaches it at once
      await()
          .atMost(Duration.ofSeconds(3))
          .until(
              () ->
                  get(client
                              .get(port, "127.0.0.1", "/api/v1/components")
                              .bearerTokenAuthentication(secret)
                              .send())
                          .statusCode()
                      == 401);

      assertThat(token(env, "revoke", "dashboard")).isZero();
      assertThat(err()).startsWith("token 'dashboard' was already revoked at ");
      assertThat(token(env, "revoke", "nobody")).isEqualTo(1);
      assertThat(err()).isEqualTo("statusdesk: no token named nobody");
      // who made and revoked it, once each: the second revocation changed nothing
      assertThat(
              harness.text(
                  "SELECT string_agg(action || ' ' || entity_id || ' ' || actor, ', ' ORDER BY id)"
                      + " FROM audit_log WHERE entity = 'token' AND entity_id = 'dashboard'"))
          .isEqualTo(
              "token.create dashboard cli:"
                  + System.getProperty("user.name")
                  + ", token.revoke dashboard cli:"
                  + System.getProperty("user.name"));
    }
  }
}
