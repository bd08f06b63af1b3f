package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every metric follows Prometheus' naming rules, the ones {@code promtool check metrics} applies:
 * help text, {@code _total} on counters only, base units spelled out, no histogram suffix on a
 * plain metric. Where promtool is installed it is asked too.
 */
@ExtendWith(VertxExtension.class)
class MetricsLintTest {
  private static final Pattern TYPE = Pattern.compile("# TYPE (\\S+) (\\S+)");
  private static final Pattern HELP = Pattern.compile("# HELP (\\S+) (.*)");
  private static final Pattern ABBREVIATED =
      Pattern.compile("_(ns|us|ms|kb|mb|gb|sec|secs|min|mins|hr|hrs|pct)(_|$)");

  static List<String> lint(String exposition) {
    Map<String, String> types = new HashMap<>();
    Map<String, String> help = new HashMap<>();
    for (String line : exposition.lines().toList()) {
      Matcher t = TYPE.matcher(line);
      if (t.matches()) {
        types.put(t.group(1), t.group(2));
      }
      Matcher h = HELP.matcher(line);
      if (h.matches()) {
        help.put(h.group(1), h.group(2));
      }
    }
    List<String> problems = new ArrayList<>();
    types.forEach(
        (name, type) -> {
          if (help.getOrDefault(name, "").isBlank()) {
            problems.add(name + ": no help text");
          }
          if (!name.matches("[a-z_][a-z0-9_]*")) {
            problems.add(name + ": not snake_case");
          }
          if (ABBREVIATED.matcher(name).find()) {
            problems.add(name + ": abbreviated unit");
          }
          if (type.equals("counter") && !name.endsWith("_total")) {
            problems.add(name + ": a counter without _total");
          }
          if (!type.equals("counter") && name.endsWith("_total")) {
            problems.add(name + ": _total on a " + type);
          }
          if (!type.equals("histogram")
              && !type.equals("summary")
              && name.matches(".*_(count|sum|bucket)$")) {
            problems.add(name + ": histogram suffix on a " + type);
          }
        });
    return problems;
  }

  @Test
  void everyMetricPassesTheLinter(Vertx vertx) throws Exception {
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
      String metrics =
          get(WebClient.create(vertx)
                  .get(harness.service.managementPort().getAsInt(), "127.0.0.1", "/metrics")
                  .send())
              .bodyAsString();
      assertThat(metrics).contains("process_cpu_seconds_total", "statusdesk_probes_in_flight");
      assertThat(lint(metrics)).isEmpty();
      File promtool = new File("/usr/bin/promtool");
      if (promtool.canExecute()) {
        Process check =
            new ProcessBuilder(promtool.getPath(), "check", "metrics")
                .redirectErrorStream(true)
                .start();
        check.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
        check.getOutputStream().close();
        String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(said).as("promtool check metrics").isBlank();
      }
    }
  }

  @Test
  void theLinterCatchesWhatPromtoolCatches() {
    assertThat(
            lint(
                """
                # HELP a_ns_total x
                # TYPE a_ns_total counter
                # TYPE no_help gauge
                # HELP b x
                # TYPE b counter
                # HELP c_count x
                # TYPE c_count gauge
                """))
        .containsExactlyInAnyOrder(
            "a_ns_total: abbreviated unit",
            "no_help: no help text",
            "b: a counter without _total",
            "c_count: histogram suffix on a gauge");
  }
}
