package io.statusdesk.ledger;

import io.statusdesk.Compute;
import io.statusdesk.DomainException;
import io.statusdesk.maintenance.MaintenanceCalendar;
import io.statusdesk.maintenance.MaintenanceRepository;
import io.statusdesk.maintenance.Window;
import io.statusdesk.outage.OutageRecord;
import io.statusdesk.outage.OutageRepository;
import io.statusdesk.probe.ProbeRepository;
import io.statusdesk.sla.MonthEvaluation;
import io.statusdesk.sla.MonthReport;
import io.statusdesk.sla.NoData;
import io.statusdesk.sla.PolicyVersion;
import io.statusdesk.store.Sql;
import io.statusdesk.tenant.Plans;
import io.statusdesk.tenant.Tenant;
import io.statusdesk.tenant.TenantRepository;
import io.statusdesk.tenant.TenantStatus;
import io.statusdesk.tenant.TerminationHook;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SQL of the credit ledger: month close, applications, expiry and the billing reads. Every
 * transaction that inserts entries first takes {@link #LEDGER_LOCK}, which makes closes
 * mutually exclusive (two racing closes write one set of entries) and keeps entry ids in commit
 * order (the billing cursor never skips an entry that commits late).
 */
public final class LedgerRepository implements TerminationHook {
  static final long LEDGER_LOCK = 0x5D_1E_D6_E5L;
  private static final int INSERT_CHUNK = 20_000;
  private static final String ENTRY_COLUMNS = """
      id, tenant_id, kind, amount_krw, month, fee_krw, credit_pct, invoice_ref, idempotency_key,
      created_at""";

  private final Pool pool;
  private final Plans plans;

  public LedgerRepository(Pool pool, Plans plans) {
    this.pool = pool;
    this.plans = plans;
  }

  /** What a close did: the report revision in force, and whether this close wrote anything. */
  public record Closed(YearMonth month, int revision, boolean newRevision, int entriesWritten,
      long creditedKrw, JsonObject report) {}

  /**
   * Closes {@code month}: evaluates it from the facts as they stand, stores the report if it
   * changed, and writes for each tenant only the difference between the credit it is due (at
   * the month's end values) and what the ledger already holds for that month.
   */
  public Future<Closed> close(YearMonth month, String actor, Instant now) {
    return pool.withTransaction(conn -> lock(conn)
        .compose(v -> evaluate(conn, month, now, true))
        .compose(e -> {
          Future<List<Tenant>> tenants = TenantRepository.asOf(conn, e.end());
          Future<Map<String, Credited>> credited = credited(conn, month);
          return Future.all(tenants, credited).compose(all -> Compute.run(() ->
              deltas(e.report().evaluation(), tenants.result(), credited.result())))
              .compose(deltas -> storeReport(conn, month, e.version(), e.report(), e.json(),
                  actor, now)
                .compose(revision -> insertDeltas(conn, month, deltas, now)
                    .compose(n -> terminated(conn, deltas.stream().filter(d -> d.amount > 0)
                        .map(d -> d.tenantId).toList(), now).map(n))
                    .compose(n -> conn.preparedQuery(
                            "DELETE FROM sla_months_to_reevaluate WHERE month = $1 AND marked_at <= $2")
                        .execute(Tuple.of(month.toString(), Sql.ts(now)))
                        .map(r -> new Closed(month, Math.abs(revision), revision > 0,
                            deltas.size(), deltas.stream().mapToLong(d -> d.amount).sum(),
                            e.json())))));
        }));
  }

  /** A month judged from the facts as they stand, as a close would store it. */
  public record Evaluated(PolicyVersion version, Instant end, MonthReport report,
      JsonObject json) {}

  /**
   * Evaluates {@code month} at {@code now}: up to its end once it has ended, else up to now (a
   * month in progress, as a tenant sees it). {@code ended} refuses a month still in progress.
   */
  public Future<Evaluated> evaluate(SqlClient client, YearMonth month, Instant now,
      boolean ended) {
    return PolicyRepository.all(client).compose(versions -> {
      PolicyVersion version = PolicyVersion.forMonth(versions, month).orElseThrow(() ->
          new DomainException(DomainException.Kind.CONFLICT,
              "no SLA version was in force in " + month));
      Instant start = month.atDay(1).atStartOfDay(version.policy().timezone()).toInstant();
      Instant end = month.plusMonths(1).atDay(1).atStartOfDay(version.policy().timezone())
          .toInstant();
      if (ended && end.isAfter(now)) {
        return Future.failedFuture(new DomainException(DomainException.Kind.CONFLICT,
            "month " + month + " has not ended"));
      }
      Instant until = end.isAfter(now) ? now : end;
      Future<List<OutageRecord>> outages = OutageRepository.overlapping(client, start, end);
      Future<List<Window>> windows = MaintenanceRepository.all(client);
      Future<List<NoData>> noData = ProbeRepository.unobserved(client, start, end);
      return Future.all(outages, windows, noData).compose(all -> Compute.run(() -> {
        MonthReport report = MonthReport.of(month, version.policy(),
            outages.result().stream().map(OutageRecord::toSla).toList(),
            new MaintenanceCalendar(version.policy().timezone(), windows.result())
                .forSla(start, end),
            noData.result(), until);
        return new Evaluated(version, end, report,
            ReportJson.of(month, version, report, outages.result()));
      }));
    });
  }

  /** As {@link #evaluate(SqlClient, YearMonth, Instant, boolean)} on the pool. */
  public Future<Evaluated> evaluate(YearMonth month, Instant now) {
    return evaluate(pool, month, now, false);
  }

  /** One tenant's net credit per month (issue and adjust entries). */
  public Future<Map<String, Long>> creditsByMonth(String tenantId) {
    return pool.preparedQuery("""
            SELECT month, sum(amount_krw) AS credit FROM ledger_entries
            WHERE tenant_id = $1 AND month IS NOT NULL GROUP BY month""")
        .execute(Tuple.of(tenantId))
        .map(rows -> {
          Map<String, Long> out = new HashMap<>();
          rows.forEach(r -> out.put(r.getString("month"), r.getLong("credit")));
          return out;
        });
  }

  /** What the ledger holds for one tenant and month. */
  private record Credited(long amount, boolean issued) {}

  /** One entry a close writes. */
  private record Delta(String tenantId, LedgerEntry.Kind kind, long amount, long fee, int pct) {}

  private List<Delta> deltas(MonthEvaluation evaluation, List<Tenant> tenants,
      Map<String, Credited> credited) {
    List<Delta> out = new ArrayList<>();
    Map<String, Credited> left = new HashMap<>(credited);
    for (Tenant t : tenants) {
      long fee = t.feeKrw(plans);
      long due = evaluation.creditKrw(fee, t.status() == TenantStatus.CURRENT && fee > 0);
      Credited have = left.remove(t.id());
      delta(out, t.id(), due, have, fee, evaluation.creditPct());
    }
    left.forEach((id, have) -> delta(out, id, 0, have, 0, evaluation.creditPct()));
    return out;
  }

  private static void delta(List<Delta> out, String tenantId, long due, Credited have, long fee,
      int pct) {
    long held = have == null ? 0 : have.amount;
    if (due != held) {
      boolean issued = have != null && have.issued;
      out.add(new Delta(tenantId, issued || due < held ? LedgerEntry.Kind.ADJUST
          : LedgerEntry.Kind.ISSUE, due - held, fee, pct));
    }
  }

  private static Future<Map<String, Credited>> credited(SqlClient client, YearMonth month) {
    return client.preparedQuery("""
            SELECT tenant_id, sum(amount_krw) AS amount, bool_or(kind = 'issue') AS issued
            FROM ledger_entries WHERE month = $1 GROUP BY tenant_id""")
        .execute(Tuple.of(month.toString()))
        .map(rows -> {
          Map<String, Credited> out = new HashMap<>();
          rows.forEach(r -> out.put(r.getString("tenant_id"),
              new Credited(r.getLong("amount"), r.getBoolean("issued"))));
          return out;
        });
  }

  /** Stores a new revision unless the latest equals this one; positive = new, negative = kept. */
  private static Future<Integer> storeReport(SqlConnection conn, YearMonth month,
      PolicyVersion version, MonthReport report, JsonObject json, String actor, Instant now) {
    return conn.preparedQuery("""
            SELECT revision, report = $2::jsonb AS same FROM month_reports
            WHERE month = $1 ORDER BY revision DESC LIMIT 1""")
        .execute(Tuple.of(month.toString(), json))
        .compose(rows -> {
          Row latest = rows.size() == 0 ? null : rows.iterator().next();
          if (latest != null && latest.getBoolean("same")) {
            return Future.succeededFuture(-latest.getInteger("revision"));
          }
          int revision = latest == null ? 1 : latest.getInteger("revision") + 1;
          return conn.preparedQuery("""
                  INSERT INTO month_reports (month, revision, closed_at, closed_by, policy_id,
                    credit_pct, report)
                  VALUES ($1, $2, $3, $4, $5, $6, $7)""")
              .execute(Tuple.of(month.toString(), revision, Sql.ts(now), actor, version.id(),
                  report.evaluation().creditPct(), json))
              .map(revision);
        });
  }

  private static Future<Integer> insertDeltas(SqlConnection conn, YearMonth month,
      List<Delta> deltas, Instant now) {
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < deltas.size(); from += INSERT_CHUNK) {
      List<Delta> chunk = deltas.subList(from, Math.min(deltas.size(), from + INSERT_CHUNK));
      chain = chain.compose(v -> conn.preparedQuery("""
              INSERT INTO ledger_entries (tenant_id, kind, amount_krw, month, fee_krw, credit_pct,
                created_at)
              SELECT t.tenant_id, t.kind, t.amount, $4, t.fee, t.pct, $5
              FROM unnest($1::text[], $2::text[], $3::bigint[], $6::bigint[], $7::int[])
                WITH ORDINALITY AS t(tenant_id, kind, amount, fee, pct, n)
              ORDER BY t.n""")
          .execute(Tuple.of(
              chunk.stream().map(Delta::tenantId).toArray(String[]::new),
              chunk.stream().map(d -> d.kind.dbValue()).toArray(String[]::new),
              chunk.stream().map(Delta::amount).toArray(Long[]::new),
              month.toString(), Sql.ts(now),
              chunk.stream().map(Delta::fee).toArray(Long[]::new),
              chunk.stream().map(Delta::pct).toArray(Integer[]::new)))
          .mapEmpty());
    }
    return chain.map(deltas.size());
  }

  /** Expires the remaining balance of those of {@code tenantIds} that are now terminated. */
  @Override
  public Future<Void> terminated(SqlConnection conn, List<String> tenantIds, Instant at) {
    if (tenantIds.isEmpty()) {
      return Future.succeededFuture();
    }
    return lock(conn).compose(v -> conn.preparedQuery("""
            WITH status AS (
              SELECT DISTINCT ON (tenant_id) tenant_id, status FROM tenant_versions
              WHERE tenant_id = ANY($1) ORDER BY tenant_id, valid_from DESC
            )
            INSERT INTO ledger_entries (tenant_id, kind, amount_krw, created_at)
            SELECT e.tenant_id, 'expire', -sum(e.amount_krw), $2
            FROM ledger_entries e JOIN status s USING (tenant_id)
            WHERE s.status = 'terminated' AND e.tenant_id = ANY($1)
            GROUP BY e.tenant_id HAVING sum(e.amount_krw) > 0
            ORDER BY e.tenant_id""")
        .execute(Tuple.of(tenantIds.toArray(String[]::new), Sql.ts(at)))
        .mapEmpty());
  }

  /** The result of recording an application: the entry, and whether this call created it. */
  public record Applied(LedgerEntry entry, boolean created) {}

  /**
   * Records credits applied to a renewal or upgrade. The idempotency key makes a retried call
   * return the first entry; more than the balance is refused.
   */
  public Future<Applied> apply(String tenantId, long amountKrw, String invoiceRef, String key,
      Instant now) {
    return pool.withTransaction(conn -> lock(conn)
        .compose(v -> conn.preparedQuery("SELECT " + ENTRY_COLUMNS
                + " FROM ledger_entries WHERE idempotency_key = $1")
            .execute(Tuple.of(key)))
        .compose(rows -> {
          if (rows.size() > 0) {
            LedgerEntry first = entry(rows.iterator().next());
            if (first.tenantId().equals(tenantId) && first.amountKrw() == -amountKrw
                && first.invoiceRef().equals(invoiceRef)) {
              return Future.succeededFuture(new Applied(first, false));
            }
            return Future.failedFuture(new DomainException(DomainException.Kind.CONFLICT,
                "idempotency_key: already used for a different application"));
          }
          return balance(conn, tenantId).compose(balance -> {
            if (balance.isEmpty()) {
              return Future.failedFuture(DomainException.notFound("no tenant " + tenantId));
            }
            if (amountKrw > balance.get()) {
              return Future.failedFuture(new DomainException(DomainException.Kind.CONFLICT,
                  "amount_krw: exceeds the balance of " + balance.get() + " KRW"));
            }
            return conn.preparedQuery("""
                    INSERT INTO ledger_entries (tenant_id, kind, amount_krw, invoice_ref,
                      idempotency_key, created_at)
                    VALUES ($1, 'application', $2, $3, $4, $5) RETURNING """ + "\n" + ENTRY_COLUMNS)
                .execute(Tuple.of(tenantId, -amountKrw, invoiceRef, key, Sql.ts(now)))
                .map(r -> new Applied(entry(r.iterator().next()), true));
          });
        }));
  }

  /** A tenant's balance, or empty if no such tenant was ever recorded. */
  private static Future<Optional<Long>> balance(SqlClient client, String tenantId) {
    return client.preparedQuery("""
            SELECT EXISTS (SELECT 1 FROM tenant_versions WHERE tenant_id = $1) AS known,
              (SELECT coalesce(sum(amount_krw), 0) FROM ledger_entries WHERE tenant_id = $1) AS balance""")
        .execute(Tuple.of(tenantId))
        .map(rows -> {
          Row r = rows.iterator().next();
          return r.getBoolean("known") ? Optional.of(r.getLong("balance")) : Optional.empty();
        });
  }

  /** A tenant's balance and every entry, oldest first. */
  public record Credits(String tenantId, long balanceKrw, List<LedgerEntry> entries) {}

  public Future<Credits> credits(String tenantId) {
    return balance(pool, tenantId).compose(balance -> balance.isEmpty()
        ? Future.failedFuture(DomainException.notFound("no tenant " + tenantId))
        : pool.preparedQuery("SELECT " + ENTRY_COLUMNS
                + " FROM ledger_entries WHERE tenant_id = $1 ORDER BY id")
            .execute(Tuple.of(tenantId))
            .map(rows -> {
              List<LedgerEntry> entries = new ArrayList<>();
              rows.forEach(r -> entries.add(entry(r)));
              return new Credits(tenantId, balance.get(), entries);
            }));
  }

  /** Entries after {@code cursor} in commit order, at most {@code limit}. */
  public Future<List<LedgerEntry>> after(long cursor, int limit) {
    return pool.preparedQuery("SELECT " + ENTRY_COLUMNS
            + " FROM ledger_entries WHERE id > $1 ORDER BY id LIMIT $2")
        .execute(Tuple.of(cursor, limit))
        .map(rows -> {
          List<LedgerEntry> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(entry(r)));
          return out;
        });
  }

  /** A closed month: the latest report revision and when it was closed. */
  public record MonthClose(int revision, Instant closedAt, String closedBy, JsonObject report) {}

  public Future<Optional<MonthClose>> report(YearMonth month) {
    return pool.preparedQuery("""
            SELECT revision, closed_at, closed_by, report FROM month_reports
            WHERE month = $1 ORDER BY revision DESC LIMIT 1""")
        .execute(Tuple.of(month.toString()))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next())
            .map(r -> new MonthClose(r.getInteger("revision"), Sql.instant(r, "closed_at"),
                r.getString("closed_by"), (JsonObject) r.getValue("report"))));
  }

  /** One tenant's credit for a month: the net of its issue and adjust entries. */
  public record MonthCredit(String tenantId, long feeKrw, int creditPct, long creditKrw) {}

  /** Tenants credited for {@code month} in tenant order, after {@code afterTenant}. */
  public Future<List<MonthCredit>> monthCredits(YearMonth month, String afterTenant, int limit) {
    return pool.preparedQuery("""
            SELECT tenant_id, (array_agg(fee_krw ORDER BY id DESC))[1] AS fee_krw,
              (array_agg(credit_pct ORDER BY id DESC))[1] AS credit_pct,
              sum(amount_krw) AS credit_krw
            FROM ledger_entries WHERE month = $1 AND tenant_id > $2
            GROUP BY tenant_id ORDER BY tenant_id LIMIT $3""")
        .execute(Tuple.of(month.toString(), afterTenant, limit))
        .map(rows -> {
          List<MonthCredit> out = new ArrayList<>();
          rows.forEach(r -> out.add(new MonthCredit(r.getString("tenant_id"),
              r.getLong("fee_krw"), r.getInteger("credit_pct"), r.getLong("credit_krw"))));
          return out;
        });
  }

  /** Months that have ended by {@code now}, need a close, and are not older than {@code from}. */
  public Future<List<YearMonth>> monthsToClose(YearMonth from, YearMonth lastEligible) {
    return pool.preparedQuery("""
            SELECT to_char(m, 'YYYY-MM') AS month
            FROM generate_series(to_date($1, 'YYYY-MM'), to_date($2, 'YYYY-MM'), interval '1 month') m
            WHERE NOT EXISTS (SELECT 1 FROM month_reports r WHERE r.month = to_char(m, 'YYYY-MM'))
               OR EXISTS (SELECT 1 FROM sla_months_to_reevaluate x WHERE x.month = to_char(m, 'YYYY-MM'))
            ORDER BY 1""")
        .execute(Tuple.of(from.toString(), lastEligible.toString()))
        .map(rows -> {
          List<YearMonth> out = new ArrayList<>();
          rows.forEach(r -> out.add(YearMonth.parse(r.getString("month"))));
          return out;
        });
  }

  /** Every closed month's latest figures, newest first. */
  public static Future<List<io.statusdesk.statuspage.StatusFacts.MonthSummary>> closedMonths(
      SqlClient client) {
    return client.query("""
            SELECT DISTINCT ON (month) month, revision, report->>'mup' AS mup, credit_pct
            FROM month_reports ORDER BY month DESC, revision DESC""")
        .execute()
        .map(rows -> {
          List<io.statusdesk.statuspage.StatusFacts.MonthSummary> out = new ArrayList<>();
          rows.forEach(r -> out.add(new io.statusdesk.statuspage.StatusFacts.MonthSummary(
              r.getString("month"), r.getString("mup"), r.getInteger("credit_pct"),
              r.getInteger("revision"))));
          return out;
        });
  }

  /** The first month the service monitored anything, if it has. */
  public Future<Optional<Instant>> monitoringSince() {
    return pool.query("SELECT min(created_at) AS since FROM checks").execute()
        .map(rows -> Optional.ofNullable(Sql.instant(rows.iterator().next(), "since")));
  }

  private static Future<Void> lock(SqlConnection conn) {
    return conn.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(LEDGER_LOCK))
        .mapEmpty();
  }

  private static LedgerEntry entry(Row r) {
    return new LedgerEntry(r.getLong("id"), r.getString("tenant_id"),
        LedgerEntry.Kind.valueOf(r.getString("kind").toUpperCase(java.util.Locale.ROOT)),
        r.getLong("amount_krw"), r.getString("month"), r.getLong("fee_krw"),
        r.getInteger("credit_pct"), r.getString("invoice_ref"), r.getString("idempotency_key"),
        Sql.instant(r, "created_at"));
  }
}
