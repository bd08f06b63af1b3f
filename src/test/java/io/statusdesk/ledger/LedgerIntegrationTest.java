package io.statusdesk.ledger;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusdesk.DomainException;
import io.statusdesk.Localized;
import io.statusdesk.outage.OutageRepository;
import io.statusdesk.sla.OutageClass;
import io.statusdesk.sla.SlaPolicy;
import io.statusdesk.store.Database;
import io.statusdesk.store.TestDatabase;
import io.statusdesk.tenant.Plans;
import io.statusdesk.tenant.Tenant;
import io.statusdesk.tenant.TenantRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ledger against the embedded PostgreSQL, driven with explicit instants so the month,
 * the tenants' history and the close all sit where the test puts them.
 */
@ExtendWith(VertxExtension.class)
class LedgerIntegrationTest {
  private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
  private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
  private static final Instant SEPTEMBER = Instant.parse("2026-09-20T00:00:00Z");
  private static final Instant NOVEMBER = Instant.parse("2026-11-05T00:00:00Z");
  private static final Plans PLANS = Plans.standard();

  private String url;
  private Pool pool;
  private LedgerRepository ledger;
  private TenantRepository tenants;
  private long outageId;


  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    url = TestDatabase.fresh();
    pool = Database.external(url).pool(vertx, 4);
    ledger = new LedgerRepository(pool, PLANS);
    tenants = new TenantRepository(pool, ledger);
    get(tenants.write(List.of(
        tenant("acme", "earth", 10, "current"),         // fee 390,000
        tenant("borealis", "continent", 5, "past_due"), // not current: no credit
        tenant("free", "island", 30, "current"),        // free plan: no credit
        tenant("zenith", "universe", 2, "current")),    // fee 118,000
        "billing-test", SEPTEMBER));
    // Eight hours of major outage in October: MUP 98.924, 10 % credit.
    outageId = sql("""
        INSERT INTO outages (component, outage_class, started_at, ended_at, cells, source)
        VALUES ('ticketing', 'major', '2026-10-10T10:00:00+09:00', '2026-10-10T18:00:00+09:00',
          '{kr-1,kr-2}', 'probe') RETURNING id""");
  }

  @AfterEach
  void tearDown() throws Exception {
    get(pool.close());
  }

  private static Tenant tenant(String id, String plan, int members, String status) {
    return Tenant.of(id, id.toUpperCase(), plan, members, status, List.of("kr-1"), PLANS);
  }

  private long sql(String query) throws Exception {
    try (Connection c = TestDatabase.connect(url); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private String entries() throws Exception {
    try (Connection c = TestDatabase.connect(url); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT string_agg(tenant_id || ' ' || kind || ' ' "
             + "|| amount_krw, ', ' ORDER BY id) FROM ledger_entries")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private void reclassify(OutageClass to) throws Exception {
    get(new OutageRepository(pool).change(outageId, new OutageRepository.Change(Optional.of(to),
        Optional.empty(), Optional.empty(), Optional.empty()), "operator-test", NOVEMBER, SEOUL));
  }

  @Test
  void closingTwiceWritesOneSetOfEntries() throws Exception {
    LedgerRepository.Closed first = get(ledger.close(OCTOBER, "billing-test", NOVEMBER));
    assertThat(first.report().getString("mup")).isEqualTo("98.924");
    assertThat(first.report().getInteger("credit_pct")).isEqualTo(10);
    assertThat(first.report().getString("major_minutes")).isEqualTo("480");
    assertThat(first.revision()).isEqualTo(1);
    assertThat(first.entriesWritten()).isEqualTo(2);
    assertThat(entries()).isEqualTo("acme issue 39000, zenith issue 11800");

    LedgerRepository.Closed second = get(ledger.close(OCTOBER, "billing-test", NOVEMBER.plusSeconds(60)));
    assertThat(second.newRevision()).isFalse();
    assertThat(second.revision()).isEqualTo(1);
    assertThat(second.entriesWritten()).isZero();
    assertThat(entries()).isEqualTo("acme issue 39000, zenith issue 11800");
    assertThat(sql("SELECT count(*) FROM month_reports")).isEqualTo(1);
  }

  @Test
  void aReclassificationAfterCloseWritesOnlyTheDifference() throws Exception {
    get(ledger.close(OCTOBER, "billing-test", NOVEMBER));
    reclassify(OutageClass.PARTIAL); // 0.3 x 480 = 144 minutes: MUP 99.677, no credit
    assertThat(sql("SELECT count(*) FROM sla_months_to_reevaluate WHERE month = '2026-10'"))
        .isEqualTo(1);
    LedgerRepository.Closed again = get(ledger.close(OCTOBER, "billing-test", NOVEMBER));
    assertThat(again.revision()).isEqualTo(2);
    assertThat(again.report().getString("mup")).isEqualTo("99.677");
    assertThat(entries()).isEqualTo(
        "acme issue 39000, zenith issue 11800, acme adjust -39000, zenith adjust -11800");
    assertThat(sql("SELECT count(*) FROM sla_months_to_reevaluate")).isZero();

    reclassify(OutageClass.MAJOR);
    get(ledger.close(OCTOBER, "billing-test", NOVEMBER));
    assertThat(entries()).endsWith("acme adjust 39000, zenith adjust 11800");
    assertThat(get(ledger.credits("acme")).balanceKrw()).isEqualTo(39_000);
    assertThat(sql("SELECT max(revision) FROM month_reports")).isEqualTo(3);
  }

  @Test
  void closesRacingFromTwoConnectionsWriteOneSet(Vertx vertx) throws Exception {
    Pool other = Database.external(url).pool(vertx, 2);
    try {
      LedgerRepository rival = new LedgerRepository(other, PLANS);
      List<LedgerRepository.Closed> both = new ArrayList<>();
      Future<LedgerRepository.Closed> a = ledger.close(OCTOBER, "a", NOVEMBER).onSuccess(both::add);
      Future<LedgerRepository.Closed> b = rival.close(OCTOBER, "b", NOVEMBER).onSuccess(both::add);
      get(Future.all(a, b));
      assertThat(both).extracting(LedgerRepository.Closed::entriesWritten)
          .containsExactlyInAnyOrder(2, 0);
      assertThat(entries()).isEqualTo("acme issue 39000, zenith issue 11800");
      assertThat(sql("SELECT count(*) FROM month_reports")).isEqualTo(1);
    } finally {
      get(other.close());
    }
  }

  @Test
  void applicationsAreIdempotentAndNeverExceedTheBalance() throws Exception {
    get(ledger.close(OCTOBER, "billing-test", NOVEMBER));
    LedgerRepository.Applied first = get(ledger.apply("acme", 10_000, "INV-1", "k1", NOVEMBER));
    LedgerRepository.Applied replay = get(ledger.apply("acme", 10_000, "INV-1", "k1", NOVEMBER));
    assertThat(first.created()).isTrue();
    assertThat(replay.created()).isFalse();
    assertThat(replay.entry()).isEqualTo(first.entry());
    assertThat(get(ledger.credits("acme")).balanceKrw()).isEqualTo(29_000);

    assertThatThrownBy(() -> get(ledger.apply("acme", 29_001, "INV-2", "k2", NOVEMBER)))
        .hasCauseInstanceOf(DomainException.class).hasMessageContaining("exceeds the balance of 29000");
    assertThatThrownBy(() -> get(ledger.apply("acme", 5_000, "INV-9", "k1", NOVEMBER)))
        .hasMessageContaining("already used for a different application");
    assertThatThrownBy(() -> get(ledger.apply("nobody", 1, "INV-3", "k3", NOVEMBER)))
        .hasMessageContaining("no tenant nobody");
    get(ledger.apply("acme", 29_000, "INV-2", "k2", NOVEMBER));
    assertThat(get(ledger.credits("acme")).balanceKrw()).isZero();
    assertThat(entries()).isEqualTo("acme issue 39000, zenith issue 11800, "
        + "acme application -10000, acme application -29000");
  }

  @Test
  void terminationExpiresTheRemainingBalanceOnce() throws Exception {
    get(ledger.close(OCTOBER, "billing-test", NOVEMBER));
    get(ledger.apply("zenith", 1_800, "INV-7", "z1", NOVEMBER));
    TenantRepository.Written w = get(tenants.write(
        List.of(tenant("zenith", "universe", 2, "terminated")), "billing-test", NOVEMBER));
    assertThat(w.changed()).isEqualTo(1);
    get(tenants.write(List.of(tenant("zenith", "universe", 2, "terminated")), "billing-test",
        NOVEMBER.plusSeconds(1)));
    assertThat(entries()).endsWith("zenith application -1800, zenith expire -10000");
    assertThat(get(ledger.credits("zenith")).balanceKrw()).isZero();
    // October was settled with the values at its end: the termination does not touch it.
    get(ledger.close(OCTOBER, "billing-test", NOVEMBER.plusSeconds(2)));
    assertThat(sql("SELECT count(*) FROM ledger_entries")).isEqualTo(4);
  }

  @Test
  void theEntryCursorReturnsEveryEntryExactlyOnceWhileWritesGoOn() throws Exception {
    get(ledger.close(OCTOBER, "billing-test", NOVEMBER));
    int writers = 4;
    int perWriter = 40;
    AtomicBoolean writing = new AtomicBoolean(true);
    List<Future<Void>> chains = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < perWriter; i++) {
        String key = writer + "-" + i;
        chain = chain.compose(v -> ledger.apply("acme", 1, "INV-" + key, key, NOVEMBER).mapEmpty());
      }
      chains.add(chain);
    }
    Future<Void> written = Future.all(chains).onComplete(ar -> writing.set(false)).mapEmpty();
    List<Long> seen = new ArrayList<>();
    long cursor = 0;
    while (true) {
      boolean stillWriting = writing.get();
      List<LedgerEntry> page = get(ledger.after(cursor, 7));
      page.forEach(e -> seen.add(e.id()));
      if (!page.isEmpty()) {
        cursor = page.get(page.size() - 1).id();
      } else if (!stillWriting) {
        break;
      }
    }
    get(written);
    assertThat(new HashSet<>(seen)).hasSize(seen.size());
    assertThat(seen).isSorted().hasSize(2 + writers * perWriter);
    assertThat(seen.size()).isEqualTo((int) sql("SELECT count(*) FROM ledger_entries"));
  }

  @Test
  void aMonthIsJudgedByTheVersionInForceOnItsFirstDay() throws Exception {
    PolicyRepository policies = new PolicyRepository(pool);
    SlaPolicy generous = new SlaPolicy(SEOUL, 3, 10, List.of(
        new SlaPolicy.Tier(new java.math.BigDecimal("99.5"), 0),
        new SlaPolicy.Tier(new java.math.BigDecimal("95.0"), 20),
        new SlaPolicy.Tier(java.math.BigDecimal.ZERO, 50)));
    Localized text = new Localized("More generous", "더 관대한");
    // In force from the first second of October (KST): October uses it.
    get(policies.publish(generous, text, Instant.parse("2026-09-30T15:00:00Z"), "operator-test",
        SEPTEMBER));
    // One second later than November's first second: November keeps the generous one.
    SlaPolicy stingy = SlaPolicy.standard(SEOUL);
    assertThatThrownBy(() -> get(policies.publish(stingy, text,
        Instant.parse("2026-10-31T15:00:01Z"), "operator-test", Instant.parse("2026-10-10T00:00:00Z"))))
        .hasMessageContaining("at least 30 days");
    get(policies.publish(stingy, text, Instant.parse("2026-10-31T15:00:01Z"), "operator-test",
        Instant.parse("2026-09-30T00:00:00Z")));
    LedgerRepository.Closed closed = get(ledger.close(OCTOBER, "billing-test", NOVEMBER));
    assertThat(closed.report().getInteger("credit_pct")).isEqualTo(20);
    assertThat(entries()).isEqualTo("acme issue 78000, zenith issue 23600");
    assertThatThrownBy(() -> get(ledger.close(YearMonth.of(2026, 12), "billing-test", NOVEMBER)))
        .hasMessageContaining("has not ended");
  }

  @Test
  void monthsCloseByThemselvesOnceTheGraceHasPassed(Vertx vertx) throws Exception {
    sql("INSERT INTO checks (component, cell, created_at) "
        + "VALUES ('ticketing', 'kr-1', '2026-10-03T00:00:00Z') RETURNING id");
    java.time.Clock clock = java.time.Clock.fixed(Instant.parse("2026-11-03T15:00:00Z"),
        java.time.ZoneOffset.UTC);
    get(vertx.deployVerticle(new MonthCloser(ledger, SEOUL, java.time.Duration.ofDays(3), clock)));
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
        .until(() -> sql("SELECT count(*) FROM month_reports") > 0);
    assertThat(sql("SELECT count(*) FROM month_reports WHERE month = '2026-10' "
        + "AND closed_by = 'statusdesk (automatic close)'")).isEqualTo(1);
    assertThat(sql("SELECT count(*) FROM month_reports")).isEqualTo(1);
    assertThat(entries()).isEqualTo("acme issue 39000, zenith issue 11800");
  }
}
