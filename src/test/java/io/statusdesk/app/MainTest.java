package io.statusdesk.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.statusdesk.store.Database;
import io.statusdesk.store.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        name -> null);
  }

  @Test
  void checkConfigSummarisesAValidFile() {
    assertThat(run("check-config", "checks.yaml")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .matches("checks\\.yaml: ok: \\d+ components, \\d+ cells, time zone Asia/Seoul\\R");
  }

  @Test
  void checkConfigPrintsFileLineMessageAndExitsOne(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "components:\n  - id: a\n    impact: major\n    url: tcp://x:25\n");
    assertThat(run("check-config", bad.toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8).trim())
        .isEqualTo(
            bad + ":4: component 'a': a tcp cell needs conditions, e.g. [CONNECTED] == true");
  }

  @Test
  void unknownCommandsShowUsage() {
    assertThat(run("launch")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: statusdesk");
  }

  @Test
  void agentRefusesBadArgumentsBeforeProbingAnything(@TempDir Path dir) throws Exception {
    Path checks = dir.resolve("checks.yaml");
    Files.writeString(
        checks,
        """
        locations: [seoul, frankfurt]
        components:
          - {id: a, impact: major, url: http://127.0.0.1:9/}
        """);
    String file = checks.toString();
    assertThat(run("agent", "--location", "seoul", "--token", "t", "--checks", file)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: statusdesk");
    assertThat(run("agent", "--location", "Seoul", "--server", "http://s", "--token", "t"))
        .isEqualTo(2);
    assertThat(run("agent", "--location", "seoul", "--server", "ftp://s", "--token", "t"))
        .isEqualTo(2);
    assertThat(
            run(
                "agent",
                "--location",
                "tokyo",
                "--server",
                "http://s",
                "--token",
                "t",
                "--checks",
                file))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--location: must match [a-z0-9-]{1,32}, not 'Seoul'")
        .contains("--server: the service's http(s) URL")
        .contains(
            "--location: 'tokyo' is not one of the locations in the checks file"
                + " (seoul, frankfurt)");
  }

  @Test
  void badEnvironmentStopsServeWithAMessageNotAStackTrace() {
    int code =
        Main.run(
            new String[] {"serve"},
            new PrintStream(out),
            new PrintStream(err),
            name -> name.equals("STATUSDESK_HTTP_PORT") ? "eighty" : null);
    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8).trim())
        .isEqualTo("STATUSDESK_HTTP_PORT: must be a whole number from 0 to 65535, not 'eighty'");
  }

  @Test
  void serveRefusesEmailChannelsWithoutAMailServer(@TempDir Path dir) throws Exception {
    Path checks = dir.resolve("checks.yaml");
    Files.writeString(
        checks,
        """
        components:
          - {id: a, impact: major, url: http://127.0.0.1:9/}
        channels:
          ops-mail: {type: email, to: ops@example.com}
        """);
    int code =
        Main.run(
            new String[] {"serve", "--checks", checks.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            name -> null);
    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8).trim())
        .isEqualTo(
            checks
                + ": channel 'ops-mail' sends email: set STATUSDESK_SMTP_URL and"
                + " STATUSDESK_MAIL_FROM");
  }

  @Test
  void serveRefusesADatabaseThatCanLoseAcknowledgedWrites(@TempDir Path dir) throws Exception {
    Path checks = dir.resolve("checks.yaml");
    Files.writeString(
        checks, "components:\n  - {id: a, impact: major, url: http://127.0.0.1:9/}\n");
    // The shared test server runs without fsync and synchronous commit, on purpose.
    Map<String, String> env =
        Map.of("STATUSDESK_DB_URL", TestDatabase.fresh(), "STATUSDESK_HTTP_PORT", "0");
    int code =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60),
            () ->
                Main.run(
                    new String[] {"serve", "--checks", checks.toString()},
                    new PrintStream(out),
                    new PrintStream(err),
                    env::get));
    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8).trim())
        .isEqualTo(
            "statusdesk: the database runs with fsync=off, synchronous_commit=off: a crash can lose"
                + " writes it has acknowledged; use a durable PostgreSQL, or set"
                + " STATUSDESK_ALLOW_UNSAFE_DB=true for tests and throwaway demos");
  }

  @Test
  void theDurabilityCheckAcceptsAnUnsafeDatabaseOnlyWhenAllowed() throws Exception {
    Database unsafe = Database.external(TestDatabase.fresh());
    assertThat(Main.durabilityRefusal(unsafe, false))
        .get()
        .asString()
        .contains("fsync=off, synchronous_commit=off");
    assertThat(Main.durabilityRefusal(unsafe, true)).isEmpty();
    assertThat(
            AppConfig.fromEnvironment(Map.of("STATUSDESK_ALLOW_UNSAFE_DB", "true")::get)
                .allowUnsafeDb())
        .isTrue();
    assertThat(AppConfig.fromEnvironment(name -> null).allowUnsafeDb()).isFalse();
    assertThat(
            Main.run(
                new String[] {"serve"},
                new PrintStream(out),
                new PrintStream(err),
                Map.of("STATUSDESK_ALLOW_UNSAFE_DB", "yes")::get))
        .isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8).trim())
        .isEqualTo("STATUSDESK_ALLOW_UNSAFE_DB: must be true or false, not 'yes'");
  }

  /** Every command's output is for people and pipes: no logging start-up notes, no colours. */
  @Test
  void noCommandPrintsLoggingNoiseOrColourEscapes(@TempDir Path dir) throws Exception {
    Path checks = dir.resolve("checks.yaml");
    Files.writeString(
        checks,
        "components:\n  - {id: a, impact: major, "
            + "heartbeat: {max_silence: 1h, token: a-long-heartbeat-token}}\n");
    String db = TestDatabase.fresh();
    try (var c = TestDatabase.connect(db);
        var s = c.createStatement()) {
      s.execute(
          "INSERT INTO tenant_versions (tenant_id, valid_from, name, plan, members, status, cells,"
              + " recorded_by) VALUES ('acme', now(), 'Acme', 'earth', 1, 'current', '{}', 't')");
    }
    Map<String, String> env =
        Map.of(
            "STATUSDESK_DB_URL",
            db,
            "STATUSDESK_HTTP_PORT",
            "0",
            "STATUSDESK_MANAGEMENT_ADDR",
            "off",
            "STATUSDESK_ALLOW_UNSAFE_DB",
            "true",
            "STATUSDESK_SSO_SECRET",
            TenantViewTest.SECRET);
    String vectors = Path.of("src/test/resources/sla-vectors.json").toAbsolutePath().toString();
    List<List<String>> commands =
        List.of(
            List.of("help"),
            List.of("check-config", checks.toString()),
            List.of("sla", "evaluate", vectors),
            List.of("token", "create", "--role", "billing", "--name", "quiet"),
            List.of("token", "list"),
            List.of("token", "revoke", "quiet"),
            List.of("tenant", "sign-in-url", "acme"));
    for (List<String> command : commands) {
      assertQuiet(command, Cli.run(dir, env, command.toArray(String[]::new)), 0);
    }
    Cli.Run serve =
        Cli.run(
            dir, env, err -> err.contains("listening on"), "serve", "--checks", checks.toString());
    // stopped by SIGTERM, as a JVM service is: 128 + 15, after the orderly stop
    assertQuiet(List.of("serve"), serve, 143);
    assertThat(serve.err()).contains("stopping");
  }

  private static void assertQuiet(List<String> command, Cli.Run run, int exit) {
    assertThat(run.exit()).as("%s exit: %s", command, run.err()).isEqualTo(exit);
    assertThat(run.out() + run.err())
        .as(String.join(" ", command))
        .doesNotContain("SLF4J")
        .doesNotContain("\u001b[");
  }
}
