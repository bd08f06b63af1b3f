import io.statusdesk.ledger.Ledger;
import io.statusdesk.store.Database;
import io.statusdesk.tenant.PlanRepository;
import io.statusdesk.tenant.Plans;
import io.statusdesk.tenant.Tenant;
import io.statusdesk.tenant.TenantRepository;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/** See run.sh. Prints the time of a first close, an idempotent re-close and a delta re-close. */
public class CloseBench {
  public static void main(String[] args) throws Exception {
    int tenantCount = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int outageCount = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    int windowCount = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    YearMonth month = YearMonth.of(2026, 10);
    Instant monthStart = Instant.parse("2026-09-30T15:00:00Z");
    Instant closeAt = Instant.parse("2026-11-04T00:00:00Z");
    Random random = new Random(42);

    String url = System.getenv("STATUSDESK_DB_URL");
    Database db;
    if (url == null) {
      Path dir = Path.of("target", "bench-close");
      if (Files.exists(dir)) {
        try (var walk = Files.walk(dir)) {
          walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      db = Database.embedded(dir, Database.Durability.DURABLE);
    } else {
      db = Database.external(url);
    }
    db.migrate();
    Vertx vertx = Vertx.vertx();
    Pool pool = db.pool(vertx, 4);
    Ledger ledger = new Ledger(pool);
    TenantRepository tenants = new TenantRepository(pool, ledger, ZoneId.of("Asia/Seoul"));
    new PlanRepository(pool).recordConfigured(Plans.standard(), monthStart).await();

    String[] planNames = {"continent", "earth", "universe", "island"};
    String[] statuses = {"current", "current", "current", "current", "past_due"};
    List<Tenant> all = new ArrayList<>(tenantCount);
    for (int i = 0; i < tenantCount; i++) {
      all.add(
          Tenant.of(
              String.format("t%06d", i),
              "Tenant " + i,
              planNames[random.nextInt(planNames.length)],
              1 + random.nextInt(200),
              statuses[random.nextInt(statuses.length)],
              List.of("ticketing/kr-" + (1 + i % 4))));
    }
    long t0 = System.nanoTime();
    Instant before = monthStart.minusSeconds(86_400 * 30);
    tenants.write(all, "bench", before, before).await();
    long importMs = (System.nanoTime() - t0) / 1_000_000;

    String jdbc = "jdbc:postgresql://" + db.url().substring(db.url().indexOf('@') + 1);
    String[] components = {"ticketing", "email", "portal", "widget", "sns", "bots"};
    try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres")) {
      try (Statement s = c.createStatement()) {
        // monitored since before the month, so it can be settled
        s.execute(
            "INSERT INTO checks (component, cell, created_at) VALUES ('ticketing', 'kr-1', '"
                + before
                + "')");
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              """
              INSERT INTO outages (component, outage_class, started_at, ended_at, cells, source,
                exclusion, exclusion_note)
              VALUES (?, ?, ?::timestamptz, ?::timestamptz, '{kr-1}', 'probe', ?, ?)\
              """)) {
        for (int i = 0; i < outageCount; i++) {
          Instant start = monthStart.plusSeconds(random.nextInt(31 * 86_400 - 7_200));
          boolean excluded = i % 25 == 0;
          ps.setString(1, components[random.nextInt(components.length)]);
          ps.setString(2, i % 3 == 0 ? "major" : "partial");
          ps.setString(3, start.toString());
          ps.setString(4, start.plusSeconds(60 + random.nextInt(3_600)).toString());
          ps.setString(5, excluded ? "network" : null);
          ps.setString(6, excluded ? "carrier fibre cut" : null);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              """
              INSERT INTO maintenance_windows (title_en, description_en, components, starts_at,
                ends_at, created_at)
              VALUES ('Upgrade', '', ?, ?::timestamptz, ?::timestamptz, ?::timestamptz)\
              """)) {
        for (int i = 0; i < windowCount; i++) {
          Instant start = monthStart.plusSeconds((long) i * 3 * 86_400 + 3_600);
          ps.setArray(
              1, c.createArrayOf("text", new String[] {i % 2 == 0 ? "*" : components[i % 6]}));
          ps.setString(2, start.toString());
          ps.setString(3, start.plusSeconds(7_200).toString());
          ps.setString(4, start.minusSeconds(8 * 86_400).toString());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }

    System.out.printf(
        "tenants %,d (import %,d ms), outages %d, windows %d, month %s%n",
        tenantCount, importMs, outageCount, windowCount, month);
    report("first close", ledger, month, closeAt, jdbc);
    report("second close (idempotent)", ledger, month, closeAt.plusSeconds(60), jdbc);
    try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres");
        Statement s = c.createStatement()) {
      s.execute(
          "UPDATE outages SET outage_class = 'major' WHERE id IN "
              + "(SELECT id FROM outages WHERE outage_class = 'partial' ORDER BY id LIMIT 60)");
    }
    report("re-close after 60 reclassifications", ledger, month, closeAt.plusSeconds(120), jdbc);
    pool.close().await();
    vertx.close().await();
    db.close();
  }

  private static void report(String what, Ledger ledger, YearMonth month, Instant at, String jdbc)
      throws Exception {
    long t0 = System.nanoTime();
    Ledger.Closed closed = ledger.close(month, "bench", at).await();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    long entries;
    try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM ledger_entries")) {
      rs.next();
      entries = rs.getLong(1);
    }
    System.out.printf(
        "%-38s %,7d ms  MUP %s  credit %d%%  entries written %,d (ledger %,d)"
            + "  report revision %d%s%n",
        what,
        ms,
        closed.report().getString("mup"),
        closed.report().getInteger("credit_pct"),
        closed.entriesWritten(),
        entries,
        closed.revision(),
        closed.newRevision() ? " (new)" : "");
  }
}
