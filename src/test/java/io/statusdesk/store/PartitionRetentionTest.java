package io.statusdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Raw results live in day partitions created ahead of time and dropped after retention. */
class PartitionRetentionTest {
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

  @Test
  void createsDaysAheadAndDropsOnlyThosePastRetention() throws Exception {
    String url = TestDatabase.fresh();
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    try (Connection c = TestDatabase.connect(url);
        Statement s = c.createStatement()) {
      for (int daysAgo : new int[] {40, 31, 29}) {
        LocalDate d = today.minusDays(daysAgo);
        s.execute(
            "CREATE TABLE probe_results_"
                + DAY.format(d)
                + " PARTITION OF probe_results "
                + "FOR VALUES FROM ('"
                + d
                + " 00:00Z') TO ('"
                + d.plusDays(1)
                + " 00:00Z')");
      }
      s.execute("INSERT INTO checks (component, cell) VALUES ('a', 'main')");
      s.execute(
          "INSERT INTO probe_results VALUES (1, 'x', now() - interval '29 days', 'up', 1, null)");
      s.execute("SELECT maintain_probe_partitions(30, 3)");
      s.execute("SELECT maintain_probe_partitions(30, 3)"); // idempotent

      List<String> names = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE"
                  + " i.inhparent = 'probe_results'::regclass ORDER BY 1")) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
      assertThat(names)
          .doesNotContain(
              "probe_results_" + DAY.format(today.minusDays(40)),
              "probe_results_" + DAY.format(today.minusDays(31)));
      assertThat(names)
          .contains(
              "probe_results_default",
              "probe_results_" + DAY.format(today.minusDays(29)),
              "probe_results_" + DAY.format(today.minusDays(1)),
              "probe_results_" + DAY.format(today),
              "probe_results_" + DAY.format(today.plusDays(3)));
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM probe_results_default")) {
        rs.next();
        assertThat(rs.getLong(1)).as("rows routed to day partitions").isZero();
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM probe_results")) {
        rs.next();
        assertThat(rs.getLong(1)).as("the 29-day-old row is kept").isEqualTo(1);
      }
    }
  }
}
