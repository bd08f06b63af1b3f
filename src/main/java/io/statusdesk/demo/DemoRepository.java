package io.statusdesk.demo;

import io.statusdesk.demo.DemoData.DemoOutage;
import io.statusdesk.demo.DemoData.DemoWindow;
import io.statusdesk.store.ChangeLog;
import io.statusdesk.store.Sql;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL of the demo: records a month's {@link DemoData} once, in one transaction, and notes every row
 * it wrote in {@code demo_seeds}.
 */
public final class DemoRepository {
  private final Pool pool;

  public DemoRepository(Pool pool) {
    this.pool = pool;
  }

  /** What one seeding wrote. */
  public record Seeded(int tenants, int outages, int maintenance, int checks) {}

  /**
   * Records {@code data} unless its month was seeded before (then answers zeros and writes
   * nothing). Tenants that exist already are left as they are; the given cells ({@code
   * component/cell}) are dated as monitored from the month's first second, or earlier if they were;
   * the month is marked for settling again, in case it was closed before.
   */
  public Future<Seeded> seed(DemoData data, List<String> cells, Instant now) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    """
                    INSERT INTO demo_seeds (month, seeded_at) VALUES ($1, $2)
                    ON CONFLICT (month) DO NOTHING RETURNING month\
                    """)
                .execute(Tuple.of(data.month().toString(), Sql.ts(now)))
                .compose(
                    first ->
                        first.size() == 0
                            ? Future.succeededFuture(new Seeded(0, 0, 0, 0))
                            : record(conn, data, cells, now)));
  }

  private static Future<Seeded> record(
      SqlConnection conn, DemoData data, List<String> cells, Instant now) {
    List<Long> incidents = new ArrayList<>();
    List<Long> outages = new ArrayList<>();
    List<Long> windows = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (DemoOutage outage : data.outages()) {
      chain =
          chain.compose(
              v ->
                  outage(conn, outage)
                      .map(
                          ids -> {
                            incidents.add(ids[0]);
                            outages.add(ids[1]);
                            return null;
                          }));
    }
    for (DemoWindow window : data.maintenance()) {
      chain =
          chain.compose(
              v ->
                  window(conn, window)
                      .map(
                          id -> {
                            windows.add(id);
                            return null;
                          }));
    }
    return chain
        .compose(v -> tenants(conn, data, now))
        .compose(
            tenants ->
                checks(conn, cells, data.monitoringSince())
                    .compose(checks -> unwatched(conn, checks, data, now).map(checks))
                    .compose(
                        checks ->
                            conn.preparedQuery(
                                    """
                                    UPDATE demo_seeds SET tenants = $2, incidents = $3,
                                      outages = $4, maintenance = $5, checks = $6
                                    WHERE month = $1\
                                    """)
                                .execute(
                                    Tuple.of(
                                        data.month().toString(),
                                        tenants.toArray(String[]::new),
                                        incidents.toArray(Long[]::new),
                                        outages.toArray(Long[]::new),
                                        windows.toArray(Long[]::new),
                                        checks.toArray(Integer[]::new)))
                                .compose(
                                    x ->
                                        ChangeLog.markMonths(
                                            conn, List.of(data.month()), now, "demo data recorded"))
                                .map(
                                    x ->
                                        new Seeded(
                                            tenants.size(),
                                            outages.size(),
                                            windows.size(),
                                            checks.size()))));
  }

  /** The outage, its resolved incident and the incident's two updates: {incident, outage}. */
  private static Future<long[]> outage(SqlConnection conn, DemoOutage o) {
    JsonObject impacts = new JsonObject().put(o.component(), o.impact());
    return conn.preparedQuery(
            """
            INSERT INTO incidents (title_en, title_ko, components, outage_class, status, source,
              started_at, resolved_at, created_at, impacts)
            VALUES ($1, $2, $3, $4, 'resolved', 'probe', $5, $6, $5, $7) RETURNING id\
            """)
        .execute(
            Tuple.of(
                o.titleEn(),
                o.titleKo(),
                new String[] {o.component()},
                o.outageClass(),
                Sql.ts(o.start()),
                Sql.ts(o.end()),
                impacts))
        .map(rows -> rows.iterator().next().getLong("id"))
        .compose(
            incident ->
                conn.preparedQuery(
                        """
                        INSERT INTO incident_updates (incident_id, status, message_en, message_ko,
                          created_at)
                        VALUES ($1, 'investigating', $2, $3, $4), ($1, 'resolved', $5, $6, $7)\
                        """)
                    .execute(
                        Tuple.of(
                            incident,
                            o.titleEn() + ".",
                            o.titleKo() + ".",
                            Sql.ts(o.start()),
                            o.messageEn(),
                            o.messageKo(),
                            Sql.ts(o.end())))
                    .compose(
                        v ->
                            conn.preparedQuery(
                                    """
                                    INSERT INTO outages (component, outage_class, started_at,
                                      ended_at, cells, source, incident_id, exclusion,
                                      exclusion_note)
                                    VALUES ($1, $2, $3, $4, $5, 'probe', $6, $7, $8) RETURNING id\
                                    """)
                                .execute(
                                    Tuple.of(
                                        o.component(),
                                        o.outageClass(),
                                        Sql.ts(o.start()),
                                        Sql.ts(o.end()),
                                        o.cells().stream()
                                            .map(c -> c.substring(c.indexOf('/') + 1))
                                            .toArray(String[]::new),
                                        incident,
                                        o.exclusion().map(e -> e.reason()).orElse(null),
                                        o.exclusion().map(e -> e.note()).orElse(null))))
                    .map(rows -> rows.iterator().next().getLong("id"))
                    .compose(
                        outage ->
                            o.exclusion().isEmpty()
                                ? Future.succeededFuture(outage)
                                : ChangeLog.audit(
                                        conn,
                                        DemoData.ACTOR,
                                        "outage.exclude",
                                        "outage",
                                        String.valueOf(outage),
                                        null,
                                        new JsonObject()
                                            .put("exclusion", o.exclusion().get().reason())
                                            .put("note", o.exclusion().get().note()),
                                        o.end())
                                    .map(outage))
                    .map(outage -> new long[] {incident, outage}));
  }

  private static Future<Long> window(SqlConnection conn, DemoWindow w) {
    return conn.preparedQuery(
            """
            INSERT INTO maintenance_windows (title_en, title_ko, description_en, description_ko,
              components, starts_at, ends_at, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id\
            """)
        .execute(
            Tuple.of(
                w.titleEn(),
                w.titleKo(),
                w.descriptionEn(),
                w.descriptionKo(),
                w.components().toArray(String[]::new),
                Sql.ts(w.start()),
                Sql.ts(w.end()),
                Sql.ts(w.announced())))
        .map(rows -> rows.iterator().next().getLong("id"));
  }

  /** The demo tenants that are not there yet, from {@link DemoData#tenantsSince}. */
  private static Future<List<String>> tenants(SqlConnection conn, DemoData data, Instant now) {
    return conn.preparedQuery(
            """
            INSERT INTO tenant_versions (tenant_id, valid_from, name, plan, members, status, cells,
              recorded_by, recorded_at)
            SELECT i.id, $7, i.name, i.plan, i.members, i.status, string_to_array(i.cells, ';'),
              $8, $9
            FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[])
              AS i(id, name, plan, members, status, cells)
            WHERE NOT EXISTS (SELECT 1 FROM tenant_versions v WHERE v.tenant_id = i.id)
            RETURNING tenant_id\
            """)
        .execute(
            Tuple.of(
                data.tenants().stream().map(t -> t.id()).toArray(String[]::new),
                data.tenants().stream().map(t -> t.name()).toArray(String[]::new),
                data.tenants().stream().map(t -> t.plan()).toArray(String[]::new),
                data.tenants().stream().map(t -> t.members()).toArray(Integer[]::new),
                data.tenants().stream().map(t -> t.status().dbValue()).toArray(String[]::new),
                data.tenants().stream()
                    .map(t -> String.join(";", t.cells()))
                    .toArray(String[]::new),
                Sql.ts(data.tenantsSince()),
                DemoData.ACTOR,
                Sql.ts(now)))
        .map(
            rows -> {
              List<String> out = new ArrayList<>();
              rows.forEach(r -> out.add(r.getString("tenant_id")));
              return out;
            });
  }

  /**
   * In the demo's story the month was watched, but nothing watched the time from its end (or a
   * check's last sample, if later) until now: that is a {@code monitor_down} gap (no data, never
   * green). A later seeding of the next month takes its own month out of it again.
   */
  private static Future<Void> unwatched(
      SqlConnection conn, List<Integer> checks, DemoData data, Instant now) {
    return conn.preparedQuery(
            """
            WITH watched AS (
              DELETE FROM monitoring_gaps
              WHERE location = 'demo' AND check_id = ANY($1) AND ended_at <= $2
            ), trimmed AS (
              UPDATE monitoring_gaps SET started_at = $2
              WHERE location = 'demo' AND check_id = ANY($1) AND started_at < $2
                AND ended_at > $2
              RETURNING check_id
            )
            INSERT INTO monitoring_gaps (check_id, location, started_at, ended_at, reason)
            SELECT id, 'demo', since, $3, 'monitor_down'
            FROM unnest($1::int[]) AS id,
              LATERAL (SELECT greatest($2, max(r.probed_at)) AS since
                       FROM probe_results r WHERE r.check_id = id) AS last
            WHERE $3 > since AND id NOT IN (SELECT check_id FROM trimmed)
            ON CONFLICT (check_id, location, started_at) DO NOTHING\
            """)
        .execute(
            Tuple.of(checks.toArray(Integer[]::new), Sql.ts(data.monitoredUntil()), Sql.ts(now)))
        .mapEmpty();
  }

  /** Dates the cells as monitored from {@code since} (or earlier, if they were): their ids. */
  private static Future<List<Integer>> checks(
      SqlConnection conn, List<String> cells, Instant since) {
    return conn.preparedQuery(
            """
            INSERT INTO checks AS c (component, cell, created_at)
            SELECT * , $3 FROM unnest($1::text[], $2::text[])
            ON CONFLICT (component, cell) DO UPDATE
              SET created_at = least(c.created_at, EXCLUDED.created_at)
            RETURNING id\
            """)
        .execute(
            Tuple.of(
                cells.stream().map(c -> c.substring(0, c.indexOf('/'))).toArray(String[]::new),
                cells.stream().map(c -> c.substring(c.indexOf('/') + 1)).toArray(String[]::new),
                Sql.ts(since)))
        .map(
            rows -> {
              List<Integer> out = new ArrayList<>();
              rows.forEach(r -> out.add(r.getInteger("id")));
              return out;
            });
  }
}
