package io.statusdesk.ledger;

import io.statusdesk.store.Sql;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * SQL of the credit ledger and month reports; the rules live in {@link Settlement} and {@link
 * Applications}, the order of steps in {@link Ledger}. Every transaction that inserts entries first
 * takes {@link #lock}, which makes closes mutually exclusive and keeps entry ids in commit order
 * (the billing cursor never skips an entry that commits late).
 */
public final class LedgerRepository {
  private static final long LEDGER_LOCK = 0x5D_1E_D6_E5L;
  private static final int INSERT_CHUNK = 20_000;
  private static final String ENTRY_COLUMNS =
      """
      id, tenant_id, kind, amount_krw, month, fee_krw, credit_pct, invoice_ref, invoice_total_krw,
      idempotency_key, revision, reason, created_at\
      """;

  private final Pool pool;

  public LedgerRepository(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  static Future<Void> lock(SqlConnection conn) {
    return conn.preparedQuery("SELECT pg_advisory_xact_lock($1)")
        .execute(Tuple.of(LEDGER_LOCK))
        .mapEmpty();
  }

  /** What the ledger holds for each tenant credited in {@code month}. */
  static Future<Map<String, Settlement.Held>> held(SqlClient client, YearMonth month) {
    return client
        .preparedQuery(
            """
            SELECT tenant_id,
              coalesce(sum(amount_krw) FILTER (WHERE kind <> 'unrecovered'), 0) AS granted,
              coalesce(sum(amount_krw) FILTER (WHERE kind = 'unrecovered'), 0) AS unrecovered,
              bool_or(kind = 'issue') AS issued
            FROM ledger_entries WHERE month = $1 GROUP BY tenant_id\
            """)
        .execute(Tuple.of(month.toString()))
        .map(
            rows -> {
              Map<String, Settlement.Held> out = new HashMap<>();
              rows.forEach(
                  r ->
                      out.put(
                          r.getString("tenant_id"),
                          new Settlement.Held(
                              r.getLong("granted"),
                              r.getLong("unrecovered"),
                              r.getBoolean("issued"))));
              return out;
            });
  }

  /** The balances of {@code tenantIds} (entries that move the balance only). */
  static Future<Map<String, Long>> balances(SqlClient client, List<String> tenantIds) {
    if (tenantIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return client
        .preparedQuery(
            """
            SELECT tenant_id, sum(amount_krw) AS balance FROM ledger_entries
            WHERE tenant_id = ANY($1) AND kind <> 'unrecovered' GROUP BY tenant_id\
            """)
        .execute(Tuple.of(tenantIds.toArray(String[]::new)))
        .map(
            rows -> {
              Map<String, Long> out = new HashMap<>();
              rows.forEach(r -> out.put(r.getString("tenant_id"), r.getLong("balance")));
              return out;
            });
  }

  /** One tenant's balance, or empty if no such tenant was ever recorded. */
  static Future<Optional<Long>> balance(SqlClient client, String tenantId) {
    return client
        .preparedQuery(
            """
            SELECT EXISTS (SELECT 1 FROM tenant_versions WHERE tenant_id = $1) AS known,
              (SELECT coalesce(sum(amount_krw), 0) FROM ledger_entries
               WHERE tenant_id = $1 AND kind <> 'unrecovered') AS balance\
            """)
        .execute(Tuple.of(tenantId))
        .map(
            rows -> {
              Row r = rows.iterator().next();
              return r.getBoolean("known") ? Optional.of(r.getLong("balance")) : Optional.empty();
            });
  }

  /** Why {@code month} was marked for settling again, as of now. */
  static Future<List<String>> marks(SqlClient client, YearMonth month) {
    return client
        .preparedQuery("SELECT reasons FROM sla_months_to_reevaluate WHERE month = $1")
        .execute(Tuple.of(month.toString()))
        .map(rows -> rows.size() == 0 ? List.of() : Sql.strings(rows.iterator().next(), "reasons"));
  }

  static Future<Void> clearMarks(SqlConnection conn, YearMonth month, Instant now) {
    return conn.preparedQuery(
            "DELETE FROM sla_months_to_reevaluate WHERE month = $1 AND marked_at <= $2")
        .execute(Tuple.of(month.toString(), Sql.ts(now)))
        .mapEmpty();
  }

  /** A stored month report revision. */
  public record MonthClose(
      int revision, Instant closedAt, String closedBy, long policyId, JsonObject report) {}

  /** The given revision of {@code month}'s report, or the latest when {@code revision} is 0. */
  public static Future<Optional<MonthClose>> report(
      SqlClient client, YearMonth month, int revision) {
    return client
        .preparedQuery(
            """
            SELECT revision, closed_at, closed_by, policy_id, report FROM month_reports
            WHERE month = $1 AND ($2 = 0 OR revision = $2) ORDER BY revision DESC LIMIT 1\
            """)
        .execute(Tuple.of(month.toString(), revision))
        .map(rows -> Sql.first(rows, LedgerRepository::monthClose));
  }

  private static MonthClose monthClose(Row r) {
    return new MonthClose(
        r.getInteger("revision"),
        Sql.instant(r, "closed_at"),
        r.getString("closed_by"),
        r.getLong("policy_id"),
        (JsonObject) r.getValue("report"));
  }

  public Future<Optional<MonthClose>> report(YearMonth month, int revision) {
    return report(pool, month, revision);
  }

  /** Every stored revision of {@code month}, newest first. */
  public Future<List<MonthClose>> revisions(YearMonth month) {
    return pool.preparedQuery(
            """
            SELECT revision, closed_at, closed_by, policy_id, report FROM month_reports
            WHERE month = $1 ORDER BY revision DESC\
            """)
        .execute(Tuple.of(month.toString()))
        .map(
            rows -> {
              List<MonthClose> out = new ArrayList<>();
              rows.forEach(r -> out.add(monthClose(r)));
              return out;
            });
  }

  /** Which entries to list: one tenant's, one kind, one month; an empty part takes all. */
  public record Filter(Optional<String> tenant, Optional<String> kind, Optional<String> month) {}

  /** Entries newest first with ids below {@code before} that pass {@code filter}. */
  public Future<List<LedgerEntry>> page(Filter filter, long before, int limit) {
    return list(
        pool,
        """
        WHERE id < $1 AND ($3::text IS NULL OR tenant_id = $3) AND ($4::text IS NULL OR kind = $4)
          AND ($5::text IS NULL OR month = $5)
        ORDER BY id DESC LIMIT $2\
        """,
        Tuple.of(
            before,
            limit,
            filter.tenant().orElse(null),
            filter.kind().orElse(null),
            filter.month().orElse(null)));
  }

  /** Stores a new revision unless the latest equals this one; positive = new, negative = kept. */
  static Future<Integer> storeReport(
      SqlConnection conn,
      YearMonth month,
      long policyId,
      int creditPct,
      JsonObject json,
      String actor,
      Instant now) {
    return conn.preparedQuery(
            """
            SELECT revision, report = $2::jsonb AS same FROM month_reports
            WHERE month = $1 ORDER BY revision DESC LIMIT 1\
            """)
        .execute(Tuple.of(month.toString(), json))
        .compose(
            rows -> {
              Row latest = rows.size() == 0 ? null : rows.iterator().next();
              if (latest != null && latest.getBoolean("same")) {
                return Future.succeededFuture(-latest.getInteger("revision"));
              }
              int revision = latest == null ? 1 : latest.getInteger("revision") + 1;
              return conn.preparedQuery(
                      """
                      INSERT INTO month_reports (month, revision, closed_at, closed_by, policy_id,
                        credit_pct, report)
                      VALUES ($1, $2, $3, $4, $5, $6, $7)\
                      """)
                  .execute(
                      Tuple.of(
                          month.toString(),
                          revision,
                          Sql.ts(now),
                          actor,
                          policyId,
                          creditPct,
                          json))
                  .map(revision);
            });
  }

  /** Inserts a close's entries, in order, each carrying the revision and the reason. */
  static Future<Integer> insert(
      SqlConnection conn,
      YearMonth month,
      int revision,
      String reason,
      List<Settlement.Entry> entries,
      Instant now) {
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < entries.size(); from += INSERT_CHUNK) {
      List<Settlement.Entry> chunk =
          entries.subList(from, Math.min(entries.size(), from + INSERT_CHUNK));
      chain =
          chain.compose(
              v ->
                  conn.preparedQuery(
                          """
                          INSERT INTO ledger_entries (tenant_id, kind, amount_krw, month, fee_krw,
                            credit_pct, revision, reason, created_at)
                          SELECT t.tenant_id, t.kind, t.amount, $4, t.fee, t.pct, $6,
                            CASE WHEN t.kind = 'unrecovered' THEN
                              'points already spent or expired; ' || $7
                              ELSE $7 END, $5
                          FROM unnest($1::text[], $2::text[], $3::bigint[], $8::bigint[], $9::int[])
                            WITH ORDINALITY AS t(tenant_id, kind, amount, fee, pct, n)
                          ORDER BY t.n\
                          """)
                      .execute(
                          Tuple.wrap(
                              new Object[] {
                                chunk.stream()
                                    .map(Settlement.Entry::tenantId)
                                    .toArray(String[]::new),
                                chunk.stream().map(e -> e.kind().dbValue()).toArray(String[]::new),
                                chunk.stream()
                                    .map(Settlement.Entry::amountKrw)
                                    .toArray(Long[]::new),
                                month.toString(),
                                Sql.ts(now),
                                revision,
                                reason,
                                chunk.stream().map(Settlement.Entry::feeKrw).toArray(Long[]::new),
                                chunk.stream()
                                    .map(Settlement.Entry::creditPct)
                                    .toArray(Integer[]::new)
                              }))
                      .mapEmpty());
    }
    return chain.map(entries.size());
  }

  /**
   * Expires the remaining balance of those of {@code tenantIds} whose latest state is terminated;
   * answers how many entries it wrote.
   */
  static Future<Integer> expire(SqlConnection conn, List<String> tenantIds, Instant at) {
    if (tenantIds.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return conn.preparedQuery(
            """
            WITH status AS (
              SELECT DISTINCT ON (tenant_id) tenant_id, status FROM tenant_versions
              WHERE tenant_id = ANY($1) ORDER BY tenant_id, valid_from DESC
            )
            INSERT INTO ledger_entries (tenant_id, kind, amount_krw, reason, created_at)
            SELECT e.tenant_id, 'expire', -sum(e.amount_krw), 'tenant terminated', $2
            FROM ledger_entries e JOIN status s USING (tenant_id)
            WHERE s.status = 'terminated' AND e.tenant_id = ANY($1) AND e.kind <> 'unrecovered'
            GROUP BY e.tenant_id HAVING sum(e.amount_krw) > 0
            ORDER BY e.tenant_id\
            """)
        .execute(Tuple.of(tenantIds.toArray(String[]::new), Sql.ts(at)))
        .map(rows -> rows.rowCount());
  }

  /** The entry recorded under {@code key} for {@code tenantId}, if any. */
  static Future<Optional<LedgerEntry>> byKey(SqlClient client, String tenantId, String key) {
    return one(client, "WHERE tenant_id = $1 AND idempotency_key = $2", Tuple.of(tenantId, key));
  }

  /** The application already recorded for an invoice of {@code tenantId}, if any. */
  static Future<Optional<LedgerEntry>> byInvoice(
      SqlClient client, String tenantId, String invoiceRef) {
    return one(
        client,
        "WHERE tenant_id = $1 AND invoice_ref = $2 AND kind = 'application'",
        Tuple.of(tenantId, invoiceRef));
  }

  private static Future<Optional<LedgerEntry>> one(SqlClient client, String where, Tuple args) {
    return client
        .preparedQuery("SELECT " + ENTRY_COLUMNS + " FROM ledger_entries " + where)
        .execute(args)
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(entry(rows.iterator().next())));
  }

  static Future<LedgerEntry> insertApplication(
      SqlConnection conn, Applications.Request r, long amountKrw, Instant now) {
    return conn.preparedQuery(
            """
            INSERT INTO ledger_entries (tenant_id, kind, amount_krw, invoice_ref,
              invoice_total_krw, idempotency_key, reason, created_at)
            VALUES ($1, 'application', $2, $3, $4, $5, $6, $7) RETURNING\
            """
                + "\n"
                + ENTRY_COLUMNS)
        .execute(
            Tuple.of(
                r.tenantId(),
                -amountKrw,
                r.invoiceRef(),
                r.invoiceTotalKrw().orElse(null),
                r.idempotencyKey(),
                "invoice " + r.invoiceRef(),
                Sql.ts(now)))
        .map(rows -> entry(rows.iterator().next()));
  }

  /** Every entry of a tenant, oldest first. */
  public Future<List<LedgerEntry>> entries(String tenantId) {
    return list(pool, "WHERE tenant_id = $1 ORDER BY id", Tuple.of(tenantId));
  }

  /** Entries after {@code cursor} in commit order, at most {@code limit}. */
  public Future<List<LedgerEntry>> after(long cursor, int limit) {
    return list(pool, "WHERE id > $1 ORDER BY id LIMIT $2", Tuple.of(cursor, limit));
  }

  /** The id of the newest entry, 0 when there is none: the end of every cursor. */
  public Future<Long> lastId() {
    return pool.query("SELECT coalesce(max(id), 0) FROM ledger_entries")
        .execute()
        .map(rows -> rows.iterator().next().getLong(0));
  }

  private static Future<List<LedgerEntry>> list(SqlClient client, String where, Tuple args) {
    return client
        .preparedQuery("SELECT " + ENTRY_COLUMNS + " FROM ledger_entries " + where)
        .execute(args)
        .map(
            rows -> {
              List<LedgerEntry> out = new ArrayList<>(rows.size());
              rows.forEach(r -> out.add(entry(r)));
              return out;
            });
  }

  /** One tenant's net credit per month (issue, adjust and unrecovered entries). */
  public Future<Map<String, Long>> creditsByMonth(String tenantId) {
    return pool.preparedQuery(
            """
            SELECT month, sum(amount_krw) AS credit FROM ledger_entries
            WHERE tenant_id = $1 AND month IS NOT NULL GROUP BY month\
            """)
        .execute(Tuple.of(tenantId))
        .map(
            rows -> {
              Map<String, Long> out = new HashMap<>();
              rows.forEach(r -> out.put(r.getString("month"), r.getLong("credit")));
              return out;
            });
  }

  /** Months that ended by {@code lastEligible}, from {@code from}, unclosed or marked. */
  public Future<List<YearMonth>> monthsToClose(YearMonth from, YearMonth lastEligible) {
    return pool.preparedQuery(
            """
            SELECT to_char(m, 'YYYY-MM') AS month
            FROM generate_series(to_date($1, 'YYYY-MM'), to_date($2, 'YYYY-MM'),
              interval '1 month') m
            WHERE NOT EXISTS (SELECT 1 FROM month_reports r WHERE r.month = to_char(m, 'YYYY-MM'))
               OR EXISTS (SELECT 1 FROM sla_months_to_reevaluate x
                 WHERE x.month = to_char(m, 'YYYY-MM'))
            ORDER BY 1\
            """)
        .execute(Tuple.of(from.toString(), lastEligible.toString()))
        .map(
            rows -> {
              List<YearMonth> out = new ArrayList<>();
              rows.forEach(r -> out.add(YearMonth.parse(r.getString("month"))));
              return out;
            });
  }

  /** Every closed month's latest figures and the SLA version that judged it, newest first. */
  public static Future<List<ClosedMonth>> closedMonths(SqlClient client) {
    return client
        .query(
            """
            SELECT DISTINCT ON (month) month, revision, report->>'mup' AS mup, credit_pct,
              policy_id
            FROM month_reports ORDER BY month DESC, revision DESC\
            """)
        .execute()
        .map(
            rows -> {
              List<ClosedMonth> out = new ArrayList<>();
              rows.forEach(
                  r ->
                      out.add(
                          new ClosedMonth(
                              YearMonth.parse(r.getString("month")),
                              r.getString("mup"),
                              r.getInteger("credit_pct"),
                              r.getInteger("revision"),
                              r.getLong("policy_id"))));
              return out;
            });
  }

  /** When the service first monitored anything, if it has. */
  public static Future<Optional<Instant>> monitoringSince(SqlClient client) {
    return client
        .query("SELECT min(created_at) AS since FROM checks")
        .execute()
        .map(rows -> Optional.ofNullable(Sql.instant(rows.iterator().next(), "since")));
  }

  private static LedgerEntry entry(Row r) {
    return new LedgerEntry(
        r.getLong("id"),
        r.getString("tenant_id"),
        LedgerEntry.Kind.valueOf(r.getString("kind").toUpperCase(Locale.ROOT)),
        r.getLong("amount_krw"),
        r.getString("month"),
        r.getLong("fee_krw"),
        r.getInteger("credit_pct"),
        r.getString("invoice_ref"),
        r.getLong("invoice_total_krw"),
        r.getString("idempotency_key"),
        r.getInteger("revision"),
        r.getString("reason"),
        Sql.instant(r, "created_at"));
  }
}
