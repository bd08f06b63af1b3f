package io.statusdesk.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.statusdesk.store.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The overview as an operator reads it during trouble: which cell fails, on which condition and
 * with what actual value, only the failing ones on request, monitoring gaps, and a cell's 24-hour
 * latency from the minute rollups (nothing older).
 */
@ExtendWith(VertxExtension.class)
class ConsoleOverviewTest {
  @Test
  void theOverviewShowsTheFailingCellItsConditionGapsAndADaysLatency(Vertx vertx) throws Exception {
    int port = ProbeTarget.listen(vertx, path -> path.equals("/down") ? 500 : 200);
    try (ServiceHarness harness =
        ServiceHarness.start(
            vertx,
            """
            defaults: {interval: 500ms, timeout: 400ms}
            components:
              - id: ticketing
                impact: major
                url: "http://127.0.0.1:%d/down"
              - id: search
                impact: partial
                url: "http://127.0.0.1:%d/up"
            """
                .formatted(port, port),
            Map.of())) {
      ConsoleUser viewer = ConsoleUser.signedIn(harness, "view@example.com", "viewer");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  viewer.get("/admin/overview").bodyAsString().contains("id=\"failing-count\">1<"));
      String page = viewer.get("/admin/overview").bodyAsString();
      assertThat(row(page, "ticketing-main"))
          .contains("class=\"state-failing\"")
          .as("the condition and the actual status")
          .containsPattern("<code>[^<]*500[^<]*</code>");
      assertThat(row(page, "search-main")).contains("class=\"state-healthy\"");
      String failing = viewer.get("/admin/overview?failing=1").bodyAsString();
      assertThat(failing).contains("id=\"cell-ticketing-main\"").doesNotContain("cell-search-main");

      Instant now = harness.clock.instant();
      Instant hourAgo = now.minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
      Instant dayAndMore = now.minus(Duration.ofHours(30)).truncatedTo(ChronoUnit.MINUTES);
      try (Connection c = TestDatabase.connect(harness.dbUrl);
          Statement s = c.createStatement()) {
        for (Instant minute : new Instant[] {hourAgo, dayAndMore}) {
          s.execute(
              """
              INSERT INTO probe_rollup_minute (check_id, location, minute, up, degraded, down,
                latency_sum_ms, latency_max_ms, last_at)
              SELECT id, 'local', '%s', 2, 0, 1, 300, 200, '%s' FROM checks
              WHERE component = 'ticketing'\
              """
                  .formatted(minute, minute));
        }
        s.execute(
            """
            INSERT INTO monitoring_gaps (check_id, location, started_at, ended_at, reason)
            SELECT id, 'local', '%s', '%s', 'monitor_down' FROM checks WHERE component = 'search'\
            """
                .formatted(hourAgo, hourAgo.plusSeconds(300)));
      }
      assertThat(viewer.get("/admin/overview").bodyAsString())
          .containsPattern("id=\"gaps\"[\\s\\S]*search/main[\\s\\S]*monitor");

      JsonObject chart =
          new JsonObject(viewer.get("/admin/overview/ticketing/main/latency.json").bodyAsString());
      List<Long> minutes =
          chart.getJsonArray("minutes").stream().map(n -> ((Number) n).longValue()).toList();
      int at = minutes.indexOf(hourAgo.getEpochSecond());
      assertThat(at).as("the rollup of an hour ago").isNotNegative();
      assertThat(chart.getJsonArray("avg_ms").getValue(at).toString()).isEqualTo("100");
      assertThat(chart.getJsonArray("max_ms").getInteger(at)).isEqualTo(200);
      assertThat(minutes).doesNotContain(dayAndMore.getEpochSecond());
      assertThat(viewer.get("/admin/overview/ticketing/main").bodyAsString())
          .contains(
              "id=\"cell-error\"", "data-src=\"/admin/overview/ticketing/main/latency.json\"");
    }
  }

  /** The table row of one cell. */
  private static String row(String page, String cell) {
    var m = Pattern.compile("<tr id=\"cell-" + cell + "\">[\\s\\S]*?</tr>").matcher(page);
    assertThat(m.find()).as(cell).isTrue();
    return m.group();
  }
}
