package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.ledger.Ledger;
import io.statusdesk.store.Database;
import io.statusdesk.store.TestDatabase;
import io.statusdesk.tenant.PlanRepository;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code serve --demo}'s last month: billing closes it and credits exactly who pays. */
@ExtendWith(VertxExtension.class)
class DemoModeTest {
  private static final String COUNTS =
      """
      SELECT (SELECT count(*) FROM tenant_versions) || ' ' || (SELECT count(*) FROM incidents)
        || ' ' || (SELECT count(*) FROM incident_updates) || ' ' || (SELECT count(*) FROM outages)
        || ' ' || (SELECT count(*) FROM maintenance_windows) || ' ' || (SELECT count(*) FROM checks)
        || ' ' || (SELECT count(*) FROM audit_log)\
      """;

  @Test
  void lastMonthCreditsTheCurrentPayingTenantsAndARestartSeedsNothingTwice(Vertx vertx)
      throws Exception {
    String url = TestDatabase.fresh();
    Database database = Database.external(url);
    ChecksConfig checks = DemoMode.bundledChecks(name -> "DEMO_PORT".equals(name) ? "9" : null);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    YearMonth last = YearMonth.from(now.atZone(checks.timezone())).minusMonths(1);
    Pool pool = database.pool(vertx, 2);
    get(new PlanRepository(pool).recordConfigured(checks.billing().plans(), now));

    DemoMode.seed(vertx, database, checks, true, clock);
    String seeded = text(url, COUNTS);
    assertThat(seeded).isEqualTo("6 4 8 4 2 14 1");
    assertThat(
            text(
                url,
                "SELECT count(*) FROM demo_seeds WHERE month = '"
                    + last
                    + "' AND cardinality(outages) = 4 AND cardinality(tenants) = 6"))
        .isEqualTo("1");

    // nothing watched the time from last month's end until the demo first ran: no data, not green
    Instant monthStart = last.plusMonths(1).atDay(1).atStartOfDay(checks.timezone()).toInstant();
    assertThat(
            text(
                url,
                "SELECT count(*) || ' ' || count(DISTINCT check_id) FROM monitoring_gaps WHERE"
                    + " reason = 'monitor_down' AND started_at = '"
                    + monthStart
                    + "' AND ended_at = '"
                    + now
                    + "'"))
        .isEqualTo("14 14");

    Ledger.Closed closed = get(new Ledger(pool).close(last, "billing", clock.instant()));
    JsonObject report = closed.report();
    // 7 h major + (3 h + 2 h) x 0.3; the excluded outage and the announced window count nothing
    assertThat(report.getValue("dt_minutes").toString()).isEqualTo("510");
    assertThat(report.getInteger("credit_pct")).isEqualTo(10);
    assertThat(issued(url, last))
        .containsExactly(
            Map.entry("demo-continent", 22_800L),
            Map.entry("demo-earth", 97_500L),
            Map.entry("demo-universe", 472_000L));
    assertThat(closed.entriesWritten()).isEqualTo(3);

    // a restart of the demo: nothing is recorded twice, the month stays settled as it was
    DemoMode.seed(vertx, database, checks, true, clock);
    assertThat(text(url, COUNTS)).isEqualTo(seeded);
    assertThat(text(url, "SELECT count(*) FROM monitoring_gaps")).isEqualTo("14");
    assertThat(get(new Ledger(pool).close(last, "billing", clock.instant())).entriesWritten())
        .isZero();
    pool.close();
  }

  private static Map<String, Long> issued(String url, YearMonth month) throws Exception {
    Map<String, Long> out = new LinkedHashMap<>();
    try (Connection c = TestDatabase.connect(url);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT tenant_id, amount_krw FROM ledger_entries WHERE "
                    + "kind = 'issue' AND month = '"
                    + month
                    + "' ORDER BY tenant_id")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2));
      }
    }
    return out;
  }

  private static String text(String url, String sql) throws Exception {
    try (Connection c = TestDatabase.connect(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
