package io.statusdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), name -> null);
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
        .isEqualTo(bad + ":4: component 'a': a tcp cell needs conditions, e.g. [CONNECTED] == true");
  }

  @Test
  void unknownCommandsShowUsage() {
    assertThat(run("launch")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: statusdesk");
  }

  @Test
  void badEnvironmentStopsServeWithAMessageNotAStackTrace() {
    int code = Main.run(new String[] {"serve"}, new PrintStream(out), new PrintStream(err),
        name -> name.equals("STATUSDESK_HTTP_PORT") ? "eighty" : null);
    assertThat(code).isEqualTo(1);
    assertThat(err.toString().trim())
        .isEqualTo("STATUSDESK_HTTP_PORT: must be a whole number from 0 to 65535, not 'eighty'");
  }
}
