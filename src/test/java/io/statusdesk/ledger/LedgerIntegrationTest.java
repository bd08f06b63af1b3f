package io.statusdesk.ledger;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusdesk.DomainException;
import io.statusdesk.Localized;
import io.statusdesk.outage.Incidents;
import io.statusdesk.outage.OutageEdit;
import io.statusdesk.outage.OutageImpact;
import io.statusdesk.outage.OutageNotices;
import io.statusdesk.outage.OutageRecord;
import io.statusdesk.outage.OutageRepository;
import io.statusdesk.sla.OutageClass;
import io.statusdesk.sla.SlaPolicy;
import io.statusdesk.store.Database;
import io.statusdesk.store.TestDatabase;
import io.statusdesk.tenant.Plan;
import io.statusdesk.tenant.PlanRepository;
import io.statusdesk.tenant.Plans;
import io.statusdesk.tenant.Tenant;
import io.statusdesk.tenant.TenantRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ledger against the embedded PostgreSQL, driven with explicit instants so the month, the
 * tenants' history and the close all sit where the test puts them.
 */
@ExtendWith(VertxExtension.class)
class LedgerIntegrationTest {
  private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
  private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
  private static final Instant SEPTEMBER = Instant.parse("2026-09-20T00:00:00Z");
  private static final Instant NOVEMBER = Instant.parse("2026-11-05T00:00:00Z");
  private String url;
  private Pool pool;
  private Ledger ledger;
  private TenantRepository tenants;
  private PlanRepository plans;
  private long outageId;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    url = TestDatabase.fresh();
    pool = Database.external(url).pool(vertx, 4);
    ledger = new Ledger(pool);
    tenants = new TenantRepository(pool, ledger, SEOUL);
    plans = new PlanRepository(pool);
    get(plans.recordConfigured(Plans.standard(), SEPTEMBER));
    // monitoring began in September
    sql(
        "INSERT INTO checks (component, cell, created_at) "
            + "VALUES ('ticketing', 'kr-1', '2026-09-01T00:00:00Z') RETURNING id");
    get(
        tenants.write(
            List.of(
                tenant("acme", "earth", 10, "current"), // fee 390,000
                tenant("borealis", "continent", 5, "past_due"), // not current: no credit
                tenant("free", "island", 3, "current"), // free plan: no credit
                tenant("zenith", "universe", 2, "current")), // fee 118,000
            "billing-test",
            SEPTEMBER,
            SEPTEMBER));
    // Eight hours of major outage in October: MUP 98.924, 10 % credit.
    outageId =
        sql(
            """
            INSERT INTO outages (component, outage_class, started_at, ended_at, cells, source)
            VALUES ('ticketing', 'major', '2026-10-10T10:00:00+09:00', '2026-10-10T18:00:00+09:00',
              '{kr-1,kr-2}', 'probe') RETURNING id\
            """);
  }

  @AfterEach
  void tearDown() throws Exception {
    get(pool.close());
  }

  private static Tenant tenant(String id, String plan, int members, String status) {
    return Tenant.of(
        id, id.toUpperCase(Locale.ROOT), plan, members, status, List.of("ticketing/kr-1"));
  }

  private long sql(String query) throws Exception {
    try (Connection c = TestDatabase.connect(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private String text(String query) throws Exception {
    try (Connection c = TestDatabase.connect(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private Future<Ledger.Applied> apply(String tenant, long amount, String invoice, String key) {
    return ledger.apply(
        new Applications.Request(tenant, invoice, key, Optional.of(amount), Optional.empty()),
        NOVEMBER);
  }

  private String entries() throws Exception {
    try (Connection c = TestDatabase.connect(url);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT string_agg(tenant_id || ' ' || kind || ' ' "
                    + "|| amount_krw, ', ' ORDER BY id) FROM ledger_entries")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private void reclassify(OutageClass to) throws Exception {
    get(
        outages()
            .change(
                outageId,
                new OutageEdit(
                    Optional.of(to), Optional.empty(), Optional.empty(), Optional.empty()),
                "operator-test",
                NOVEMBER,
                SEOUL));
  }

  private OutageRepository outages() {
    return new OutageRepository(pool, new OutageNotices(List.of(), SEOUL, "http://localhost"));
  }

  @Test
  void thePreviewOfAChangeIsWhatTheCloseAfterItFindsAndWritesNothing() throws Exception {
    long audited = sql("SELECT count(*) FROM audit_log");
    OutageRecord before = get(outages().get(outageId)).orElseThrow();
    OutageEdit edit =
        new OutageEdit(
            Optional.of(OutageClass.PARTIAL), Optional.empty(), Optional.empty(), Optional.empty());
    List<OutageImpact.MonthEffect> effects =
        get(
            ledger.preview(
                new Incidents.Proposal(before, edit.applyTo(before, NOVEMBER)), NOVEMBER, SEOUL));
    assertThat(effects).hasSize(1);
    OutageImpact.MonthEffect october = effects.get(0);
    assertThat(october.month()).isEqualTo(OCTOBER);
    assertThat(october.judged()).isTrue();
    assertThat(october.mupBefore()).isEqualTo("98.924");
    assertThat(october.creditPctBefore()).isEqualTo(10);
    assertThat(october.creditsBeforeKrw()).isEqualTo(39_000 + 11_800);
    assertThat(october.mupAfter()).isEqualTo("99.677");
    assertThat(october.creditPctAfter()).isZero();
    assertThat(october.creditsAfterKrw()).isZero();
    assertThat(sql("SELECT count(*) FROM audit_log")).isEqualTo(audited);
    assertThat(sql("SELECT count(*) FROM sla_months_to_reevaluate")).isZero();
    assertThat(text("SELECT outage_class FROM outages")).isEqualTo("major");

    // the close, once the change is made, finds exactly what the preview said
    reclassify(OutageClass.PARTIAL);
    Ledger.Closed closed = get(ledger.close(OCTOBER, "billing-test", NOVEMBER));
    assertThat(closed.report().getString("mup")).isEqualTo(october.mupAfter());
    assertThat(closed.report().getInteger("credit_pct")).isEqualTo(october.creditPctAfter());
    assertThat(closed.creditedKrw()).isEqualTo(october.creditsAfterKrw());
  }

  @Test
  void closingTwiceWritesOneSetOfEntries() throws Exception {
    Ledger.Closed first = get(ledger.close(OCTOBER, "billing-test", NOVEMBER));
    assertThat(first.report().getString("mup")).isEqualTo("98.924");
    assertThat(first.report().getInteger("credit_pct")).isEqualTo(10);
    assertThat(first.report().getString("major_minutes")).isEqualTo("480");
    assertThat(first.revision()).isEqualTo(1);
    assertThat(first.entriesWritten()).isEqualTo(2);
    assertThat(entries()).isEqualTo("acme issue 39000, zenith issue 11800");

    Ledger.Closed second = get(ledger.close(OCTOBER, "billing-test", NOVEMBER.plusSeconds(60)));
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
    Ledger.Closed again = get(ledger.close(OCTOBER, "billing-test", NOVEMBER));
    assertThat(again.revision()).isEqualTo(2);
    assertThat(again.report().getString("mup")).isEqualTo("99.677");
    assertThat(entries())
        .isEqualTo(
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
      Ledger rival = new Ledger(other);
      List<Ledger.Closed> both = new ArrayList<>();
      Future<Ledger.Closed> a = ledger.close(OCTOBER, "a", NOVEMBER).onSuccess(both::add);
      Future<Ledger.Closed> b = rival.close(OCTOBER, "b", NOVEMBER).onSuccess(both::add);
      get(Future.all(a, b));
      assertThat(both).extracting(Ledger.Closed::entriesWritten).containsExactlyInAnyOrder(2, 0);
      assertThat(entries()).isEqualTo("acme issue 39000, zenith issue 11800");
      assertThat(sql("SELECT count(*) FROM month_reports")).isEqualTo(1);
    } finally {
      get(other.close());
    }
  }

  @Test
  void applicationsAreIdempotentAndNeverExceedTheBalance() throws Exception {
    get(ledger.close(OCTOBER, "billing-test", NOVEMBER));
    Ledger.Applied first = get(apply("acme", 10_000, "INV-1", "k1"));
    Ledger.Applied replay = get(apply("acme", 10_000, "INV-1", "k1"));
    assertThat(first.created()).isTrue();
    assertThat(replay.created()).isFalse();
    assertThat(replay.entry()).isEqualTo(first.entry());
    assertThat(get(ledger.credits("acme")).balanceKrw()).isEqualTo(29_000);

    assertThatThrownBy(() -> get(apply("acme", 29_001, "INV-2", "k2")))
        .hasCauseInstanceOf(DomainException.class)
        .hasMessageContaining("exceeds the balance of 29000");
    assertThatThrownBy(() -> get(apply("acme", 5_000, "INV-9", "k1")))
        .hasMessageContaining("already used for a different application");
    assertThatThrownBy(() -> get(apply("nobody", 1, "INV-3", "k3")))
        .hasMessageContaining("no tenant nobody");
    // one invoice is credited once, whatever the key
    assertThatThrownBy(() -> get(apply("acme", 1_000, "INV-1", "k9")))
        .hasMessageContaining("INV-1 was already credited by entry " + first.entry().get().id());
    // keys belong to a tenant: zenith may use acme's key
    assertThat(get(apply("zenith", 800, "Z-1", "k1")).created()).isTrue();
    get(apply("acme", 29_000, "INV-2", "k2"));
    assertThat(get(ledger.credits("acme")).balanceKrw()).isZero();
    assertThat(entries())
        .isEqualTo(
            "acme issue 39000, zenith issue 11800, "
                + "acme application -10000, zenith application -800, acme application -29000");
  }

  @Test
  void terminationExpiresTheRemainingBalanceOnce() throws Exception {
    get(ledger.close(OCTOBER, "billing-test", NOVEMBER));
    get(apply("zenith", 1_800, "INV-7", "z1"));
    TenantRepository.Written w =
        get(
            tenants.write(
                List.of(tenant("zenith", "universe", 2, "terminated")),
                "billing-test",
                NOVEMBER,
                NOVEMBER));
    assertThat(w.changed()).isEqualTo(1);
    get(
        tenants.write(
            List.of(tenant("zenith", "universe", 2, "terminated")),
            "billing-test",
            NOVEMBER.plusSeconds(1),
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
        chain = chain.compose(v -> apply("acme", 1, "INV-" + key, key).mapEmpty());
      }
      chains.add(chain);
    }
    Future<Void> written = Future.all(chains).onComplete(ar -> writing.set(false)).mapEmpty();
    List<Long> seen = new ArrayList<>();
    long cursor = 0;
    while (true) {
      boolean stillWriting = writing.get();
      Ledger.Page page = get(ledger.after(cursor, 7));
      page.entries().forEach(e -> seen.add(e.id()));
      cursor = page.nextCursor();
      if (page.entries().isEmpty() && !stillWriting) {
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
    SlaPolicy generous =
        new SlaPolicy(
            SEOUL,
            3,
            10,
            List.of(
                new SlaPolicy.Tier(new BigDecimal("99.5"), 0),
                new SlaPolicy.Tier(new BigDecimal("95.0"), 20),
                new SlaPolicy.Tier(BigDecimal.ZERO, 50)));
    Localized text = new Localized("More generous", "더 관대한");
    // In force from the first second of October (KST): October uses it.
    get(
        policies.publish(
            generous, text, Instant.parse("2026-09-30T15:00:00Z"), "operator-test", SEPTEMBER));
    // One second later than November's first second: November keeps the generous one.
    SlaPolicy stingy = SlaPolicy.standard(SEOUL);
    assertThatThrownBy(
            () ->
                get(
                    policies.publish(
                        stingy,
                        text,
                        Instant.parse("2026-10-31T15:00:01Z"),
                        "operator-test",
                        Instant.parse("2026-10-10T00:00:00Z"))))
        .hasMessageContaining("at least 30 days");
    get(
        policies.publish(
            stingy,
            text,
            Instant.parse("2026-10-31T15:00:01Z"),
            "operator-test",
            Instant.parse("2026-09-30T00:00:00Z")));
    Ledger.Closed closed = get(ledger.close(OCTOBER, "billing-test", NOVEMBER));
    assertThat(closed.report().getInteger("credit_pct")).isEqualTo(20);
    assertThat(entries()).isEqualTo("acme issue 78000, zenith issue 23600");
    assertThatThrownBy(() -> get(ledger.close(YearMonth.of(2026, 12), "billing-test", NOVEMBER)))
        .hasMessageContaining("has not ended");
  }

  @Test
  void monthsCloseByThemselvesOnceTheGraceHasPassed(Vertx vertx) throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-11-03T15:00:00Z"), ZoneOffset.UTC);
    get(vertx.deployVerticle(new MonthCloser(ledger, SEOUL, Duration.ofDays(3), clock)));
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> sql("SELECT count(*) FROM month_reports WHERE month = '2026-10'") > 0);
    // every month since monitoring began in September, each once
    assertThat(
            text(
                "SELECT string_agg(month || ' ' || closed_by, ', ' ORDER BY month) "
                    + "FROM month_reports"))
        .isEqualTo(
            String.join(
                ", ",
                "2026-09 statusdesk (automatic close)",
                "2026-10 statusdesk (automatic close)"));
    assertThat(entries()).isEqualTo("acme issue 39000, zenith issue 11800");
  }

  private String reasons() throws Exception {
    try (Connection c = TestDatabase.connect(url);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT string_agg(tenant_id || ' ' || kind || ' r'"
                    + " || coalesce(revision::text, '-') || ' ' || reason, ', ' ORDER BY id)"
                    + " FROM ledger_entries")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /**
   * Rule 7: an outage an operator recorded for what the probes missed counts in full, even where
   * the monitor was down; the probe outage loses the gap's seconds.
   */
  @Test
  void aManualOutageInAMonitoringGapCountsInFull() throws Exception {
    long check = sql("SELECT id FROM checks WHERE component = 'ticketing'");
    sql(
        """
        INSERT INTO monitoring_gaps (check_id, location, started_at, ended_at, reason)
        VALUES (%d, 'local', '2026-10-20T23:40:00+09:00', '2026-10-20T23:55:00+09:00',
          'monitor_down') RETURNING id\
        """
            .formatted(check));
    sql(
        """
        INSERT INTO outages (component, outage_class, started_at, ended_at, cells, source)
        VALUES ('email', 'major', '2026-10-20T23:45:00+09:00', '2026-10-20T23:50:00+09:00',
          '{}', 'manual') RETURNING id\
        """);
    Ledger.Closed closed = get(ledger.close(OCTOBER, "billing-test", NOVEMBER));
    // 480 minutes of the probe outage plus all 5 of the manual one, none lost to the gap
    assertThat(closed.report().getString("major_minutes")).isEqualTo("485");
    assertThat(closed.report().getString("no_data_minutes")).isEqualTo("15");
  }

  /** Rule 8: prices change only from now on, so re-closing October never moves its fees. */
  @Test
  void aPriceChangeNeverMovesAClosedMonth() throws Exception {
    get(ledger.close(OCTOBER, "billing-test", NOVEMBER));
    Plans raised =
        new Plans(
            Map.of(
                "earth", new Plan("earth", 42_500, OptionalInt.of(30)),
                "universe", new Plan("universe", 61_871, OptionalInt.empty())));
    assertThat(get(plans.recordConfigured(raised, NOVEMBER))).isEqualTo(2);
    assertThat(get(plans.recordConfigured(raised, NOVEMBER.plusSeconds(60)))).isZero();
    reclassify(OutageClass.MAJOR); // marks October; nothing about it changed
    Ledger.Closed again = get(ledger.close(OCTOBER, "billing-test", NOVEMBER.plusSeconds(120)));
    assertThat(again.entriesWritten()).isZero();
    assertThat(entries()).isEqualTo("acme issue 39000, zenith issue 11800");
    // the new price settles the months it is in force for
    assertThat(
            get(plans.all())
                .feeKrw(tenant("acme", "earth", 10, "current"), NOVEMBER.plusSeconds(1)))
        .isEqualTo(425_000);
  }

  /**
   * Points are not cash: a correction downwards takes back only what is left, writes off the rest
   * as unrecovered, and a correction back up restores the write-off before new points.
   */
  @Test
  void aDownwardCorrectionNeverTakesTheBalanceBelowZero() throws Exception {
    get(ledger.close(OCTOBER, "billing-test", NOVEMBER));
    get(apply("acme", 30_000, "INV-1", "a1")); // acme: 9,000 left
    get(
        tenants.write(
            List.of(tenant("zenith", "universe", 2, "terminated")),
            "billing-test",
            NOVEMBER,
            NOVEMBER)); // zenith's 11,800 expire
    reclassify(OutageClass.PARTIAL); // October now earns nothing
    Ledger.Closed lowered = get(ledger.close(OCTOBER, "billing-test", NOVEMBER));
    assertThat(entries())
        .isEqualTo(
            "acme issue 39000, zenith issue 11800, "
                + "acme application -30000, zenith expire -11800, "
                + "acme adjust -9000, acme unrecovered -30000, zenith unrecovered -11800");
    assertThat(lowered.entriesWritten()).isEqualTo(3);
    assertThat(get(ledger.credits("acme")).balanceKrw()).isZero();
    assertThat(get(ledger.credits("zenith")).balanceKrw()).isZero();
    assertThat(reasons())
        .contains(
            "acme unrecovered r2 points already spent or expired; "
                + "reclassified outage "
                + outageId
                + " as partial");

    reclassify(OutageClass.MAJOR); // October earns 10 % again
    get(ledger.close(OCTOBER, "billing-test", NOVEMBER));
    // acme still holds the 30,000 it spent: only the 9,000 taken back come back as points;
    // zenith is terminated, so what comes back expires at once
    assertThat(entries())
        .endsWith("acme unrecovered 30000, acme adjust 9000, " + "zenith unrecovered 11800");
    assertThat(get(ledger.credits("acme")).balanceKrw()).isEqualTo(9_000);
    assertThat(get(ledger.credits("zenith")).balanceKrw()).isZero();
  }

  /** A tenant recorded late, back-dated into October, is credited for October. */
  @Test
  void aBackDatedTenantIsCreditedForTheMonthItReaches() throws Exception {
    get(ledger.close(OCTOBER, "billing-test", NOVEMBER));
    get(
        tenants.write(
            List.of(tenant("late", "earth", 4, "current")),
            "billing-test",
            Instant.parse("2026-10-01T00:00:00+09:00"),
            NOVEMBER));
    assertThat(sql("SELECT count(*) FROM sla_months_to_reevaluate WHERE month = '2026-10'"))
        .isEqualTo(1);
    Ledger.Closed again = get(ledger.close(OCTOBER, "billing-test", NOVEMBER));
    assertThat(again.newRevision()).isFalse();
    assertThat(entries()).endsWith("late issue 15600");
    assertThat(reasons()).endsWith("late issue r1 tenant late back-dated");
    assertThat(reasons()).startsWith("acme issue r1 issue");
  }

  @Test
  void aMonthThatEndedBeforeMonitoringBeganIsNeverClosed() throws Exception {
    assertThatThrownBy(() -> get(ledger.close(YearMonth.of(2026, 8), "billing-test", NOVEMBER)))
        .hasMessageContaining("ended before monitoring began");
    assertThat(sql("SELECT count(*) FROM month_reports")).isZero();
  }

  @Test
  void theCursorRefusesWhatItNeverIssuedAndSaysWhenMoreFollows() throws Exception {
    get(ledger.close(OCTOBER, "billing-test", NOVEMBER));
    long last = get(ledger.repository().lastId());
    Ledger.Page first = get(ledger.after(0, 1));
    assertThat(first.entries()).hasSize(1);
    assertThat(first.hasMore()).isTrue();
    Ledger.Page second = get(ledger.after(first.nextCursor(), 1));
    assertThat(second.nextCursor()).isEqualTo(last);
    assertThat(second.hasMore()).isFalse();
    assertThat(get(ledger.after(last, 10)).entries()).isEmpty();
    assertThatThrownBy(() -> get(ledger.after(last + 1, 10)))
        .hasMessageContaining("cursor " + (last + 1) + " was never issued");
  }

  @Test
  void aCloseCountsEveryEntryItWritesAndEveryRevisionStaysReadable() throws Exception {
    get(
        tenants.write(
            List.of(tenant("zenith", "universe", 2, "terminated")),
            "billing-test",
            NOVEMBER,
            NOVEMBER));
    // zenith was current at October's end: credited, and expired at once, as terminated now
    Ledger.Closed closed = get(ledger.close(OCTOBER, "billing-test", NOVEMBER));
    assertThat(entries()).isEqualTo("acme issue 39000, zenith issue 11800, zenith expire -11800");
    assertThat(closed.entriesWritten()).isEqualTo(3);
    reclassify(OutageClass.PARTIAL);
    get(ledger.close(OCTOBER, "billing-test", NOVEMBER));
    assertThat(get(ledger.repository().report(OCTOBER, 1)).orElseThrow().report().getString("mup"))
        .isEqualTo("98.924");
    assertThat(get(ledger.repository().report(OCTOBER, 2)).orElseThrow().report().getString("mup"))
        .isEqualTo("99.677");
    assertThat(get(ledger.repository().report(OCTOBER, 0)).orElseThrow().revision()).isEqualTo(2);
    assertThat(get(ledger.repository().report(OCTOBER, 3))).isEmpty();
  }
}
