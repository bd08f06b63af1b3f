package io.statusdesk.store;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.statusdesk.DomainException;
import io.statusdesk.ledger.Applications;
import io.statusdesk.ledger.Ledger;
import io.statusdesk.probe.Outcome;
import io.statusdesk.probe.ProbeRepository;
import io.statusdesk.probe.ProbeResult;
import io.statusdesk.tenant.PlanRepository;
import io.statusdesk.tenant.Plans;
import io.statusdesk.tenant.Tenant;
import io.statusdesk.tenant.TenantRepository;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos proof on a durable embedded cluster of the test's own: ledger applications, month closes
 * and probe-result batches stream in while {@code kill -9} hits the postmaster three times; the
 * supervisor restarts it each time. Afterwards, on the same data directory started afresh, every
 * write that was acknowledged is there and nothing is there twice.
 */
@ExtendWith(VertxExtension.class)
class KillNineTest {
  private static final Duration WAIT = Duration.ofSeconds(45);
  private static final Instant RECORDED = Instant.parse("2026-08-20T00:00:00Z");
  private static final Instant CLOSED_AT = Instant.parse("2026-11-05T00:00:00Z");
  private static final List<YearMonth> MONTHS =
      List.of(YearMonth.of(2026, 9), YearMonth.of(2026, 10));

  @TempDir Path dir;

  @Test
  void everyAcknowledgedWriteSurvivesKillNineOfThePostmasterExactlyOnce(Vertx vertx)
      throws Exception {
    Database db = Database.embedded(dir, Database.Durability.DURABLE);
    String url = db.url();
    Workload work;
    try {
      db.migrate();
      Pool pool = db.pool(vertx, 4);
      List<Integer> checks = seed(pool, url);
      work = new Workload(vertx, pool, checks);
      work.start();
      for (int kill = 0; kill < 3; kill++) {
        int rows = work.ackedRows.size();
        int applications = work.ackedApplications.size();
        await()
            .atMost(WAIT)
            .until(
                () ->
                    work.ackedRows.size() > rows + 200
                        && work.ackedApplications.size() > applications + 20);
        long postmaster = postmaster();
        ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();
        await().atMost(WAIT).until(() -> postmaster() != postmaster && !db.restarting());
      }
      int rows = work.ackedRows.size();
      await().atMost(WAIT).until(() -> work.ackedRows.size() > rows + 200);
      get(work.stop());
      get(pool.close());
    } finally {
      db.close();
    }

    try (Database again = Database.embedded(dir, Database.Durability.DURABLE);
        Connection c = TestDatabase.connect(again.url());
        Statement s = c.createStatement()) {
      Set<String> rows = new HashSet<>();
      try (ResultSet rs =
          s.executeQuery(
              "SELECT check_id || '/' || "
                  + "(extract(epoch FROM probed_at) * 1000)::bigint FROM probe_results")) {
        while (rs.next()) {
          rows.add(rs.getString(1));
        }
      }
      Set<String> lost = new HashSet<>(work.ackedRows);
      lost.removeAll(rows);
      assertThat(lost).as("acknowledged probe results that are gone").isEmpty();
      assertThat(count(s, "SELECT sum(up + degraded + down) FROM probe_rollup_minute"))
          .as("rollups count each stored result once")
          .isEqualTo(rows.size());

      Map<String, Long> keys = new HashMap<>();
      try (ResultSet rs =
          s.executeQuery(
              "SELECT idempotency_key, count(*) FROM ledger_entries "
                  + "WHERE kind = 'application' GROUP BY 1")) {
        while (rs.next()) {
          keys.put(rs.getString(1), rs.getLong(2));
        }
      }
      Set<String> lostApplications = new HashSet<>(work.ackedApplications.keySet());
      lostApplications.removeAll(keys.keySet());
      assertThat(lostApplications).as("acknowledged applications that are gone").isEmpty();
      assertThat(
              count(
                  s,
                  "SELECT count(*) FROM (SELECT invoice_ref FROM ledger_entries "
                      + "WHERE kind = 'application' GROUP BY 1 HAVING count(*) > 1) d"))
          .isZero();
      assertThat(
              text(
                  s,
                  "SELECT string_agg(month || ' ' || tenant_id || ' ' || kind || ' ' || total, ', '"
                      + " ORDER BY month, tenant_id) FROM (SELECT month, tenant_id, kind,"
                      + " sum(amount_krw) AS total FROM ledger_entries WHERE month IS NOT NULL"
                      + " GROUP BY 1, 2, 3) e"))
          .isEqualTo(
              "2026-09 acme issue 39000, 2026-09 zenith issue "
                  + "11800, 2026-10 acme issue 39000, 2026-10 zenith issue 11800");
      assertThat(
              text(
                  s,
                  "SELECT string_agg(month || ' r' || revision, ', ' ORDER BY month) "
                      + "FROM month_reports"))
          .isEqualTo("2026-09 r1, 2026-10 r1");
      assertThat(
              count(
                  s,
                  "SELECT count(*) FROM (SELECT tenant_id FROM ledger_entries "
                      + "GROUP BY 1 HAVING sum(amount_krw) < 0) b"))
          .isZero();
      System.out.printf(
          "kill -9 x3: probe results acknowledged %d, stored %d; applications "
              + "acknowledged %d, stored %d; closes acknowledged %d%n",
          work.ackedRows.size(),
          rows.size(),
          work.ackedApplications.size(),
          keys.size(),
          work.ackedCloses.size());
    }
  }

  private long postmaster() throws Exception {
    Path pid = dir.resolve("pg").resolve("postmaster.pid");
    return Files.exists(pid) ? Long.parseLong(Files.readAllLines(pid).get(0).trim()) : -1;
  }

  /** Two tenants paying since August, and an eight-hour major outage in each month. */
  private static List<Integer> seed(Pool pool, String url) throws Exception {
    get(new PlanRepository(pool).recordConfigured(Plans.standard(), RECORDED));
    get(
        new TenantRepository(pool, new Ledger(pool), ZoneId.of("Asia/Seoul"))
            .write(
                List.of(
                    Tenant.of("acme", "ACME", "earth", 10, "current", List.of("ticketing/kr-1")),
                    Tenant.of(
                        "zenith", "ZENITH", "universe", 2, "current", List.of("ticketing/kr-1"))),
                "chaos-test",
                RECORDED,
                RECORDED));
    List<Integer> checks = new ArrayList<>();
    try (Connection c = TestDatabase.connect(url);
        Statement s = c.createStatement()) {
      for (YearMonth m : MONTHS) {
        s.execute(
            "INSERT INTO outages (component, outage_class, started_at, ended_at, cells, "
                + "source) VALUES ('ticketing', 'major', '"
                + m
                + "-10T10:00:00+09:00', '"
                + m
                + "-10T18:00:00+09:00', '{kr-1}', 'probe')");
      }
      try (ResultSet rs =
          s.executeQuery(
              "INSERT INTO checks (component, cell, created_at) SELECT 'ticketing', 'kr-' || n,"
                  + " '2026-08-01T00:00:00Z' FROM generate_series(1, 4) n RETURNING id")) {
        while (rs.next()) {
          checks.add(rs.getInt(1));
        }
      }
    }
    return checks;
  }

  private static long count(Statement s, String sql) throws Exception {
    return Long.parseLong(text(s, sql));
  }

  private static String text(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /**
   * Two streams that retry each write until it is acknowledged, as the service's writers do, and
   * note what was: probe-result batches, and closes of both months followed by applications of 1
   * KRW (each tenth one re-closes October, which must write nothing).
   */
  private static final class Workload {
    final Set<String> ackedRows = ConcurrentHashMap.newKeySet();
    final Map<String, Long> ackedApplications = new ConcurrentHashMap<>();
    final List<Ledger.Closed> ackedCloses = new CopyOnWriteArrayList<>();
    private final Vertx vertx;
    private final ProbeRepository probes;
    private final Ledger ledger;
    private final List<Integer> checks;
    private final Promise<Void> probesDone = Promise.promise();
    private final Promise<Void> ledgerDone = Promise.promise();
    private final Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private volatile boolean stopped;
    private long nextMs;

    Workload(Vertx vertx, Pool pool, List<Integer> checks) {
      this.vertx = vertx;
      this.probes = new ProbeRepository(pool);
      this.ledger = new Ledger(pool);
      this.checks = checks;
    }

    void start() {
      vertx.runOnContext(
          v -> {
            probeLoop();
            closeAll(0).onComplete(ar -> applyLoop(0));
          });
    }

    Future<Void> stop() {
      stopped = true;
      return Future.all(probesDone.future(), ledgerDone.future()).mapEmpty();
    }

    private void probeLoop() {
      if (stopped) {
        probesDone.tryComplete();
        return;
      }
      List<ProbeResult> batch = new ArrayList<>();
      for (int i = 0; i < 10; i++, nextMs++) {
        for (int check : checks) {
          batch.add(new ProbeResult(check, "chaos", base.plusMillis(nextMs), Outcome.UP, 5, null));
        }
      }
      untilAcked(() -> probes.write(batch, List.of(), List.of(), List.of()))
          .onComplete(
              ar -> {
                if (ar.succeeded()) {
                  batch.forEach(
                      r -> ackedRows.add(r.checkId() + "/" + r.probedAt().toEpochMilli()));
                }
                probeLoop();
              });
    }

    private Future<Void> closeAll(int i) {
      if (i == MONTHS.size()) {
        return Future.succeededFuture();
      }
      return untilAcked(() -> ledger.close(MONTHS.get(i), "chaos-test", CLOSED_AT))
          .onSuccess(ackedCloses::add)
          .compose(c -> closeAll(i + 1));
    }

    private void applyLoop(int n) {
      if (stopped) {
        ledgerDone.tryComplete();
        return;
      }
      String key = "k" + n;
      Future<?> step =
          untilAcked(
                  () ->
                      ledger.apply(
                          new Applications.Request(
                              n % 2 == 0 ? "acme" : "zenith",
                              "INV-" + n,
                              key,
                              Optional.of(1L),
                              Optional.empty()),
                          CLOSED_AT))
              .onSuccess(a -> ackedApplications.put(key, a.entry().orElseThrow().id()));
      if (n % 10 == 9) {
        step =
            step.compose(
                a ->
                    untilAcked(() -> ledger.close(MONTHS.get(1), "chaos-test", CLOSED_AT))
                        .onSuccess(ackedCloses::add));
      }
      step.onComplete(ar -> applyLoop(n + 1));
    }

    /** Retries a write the database did not acknowledge, until it does or the test stops. */
    private <T> Future<T> untilAcked(Supplier<Future<T>> write) {
      return write
          .get()
          .recover(
              e -> {
                if (e instanceof DomainException) {
                  ledgerDone.tryFail(e);
                  probesDone.tryFail(e);
                  return Future.failedFuture(e);
                }
                if (stopped) {
                  return Future.failedFuture(e);
                }
                Promise<T> retried = Promise.promise();
                vertx.setTimer(50, id -> untilAcked(write).onComplete(retried));
                return retried.future();
              });
    }
  }
}
