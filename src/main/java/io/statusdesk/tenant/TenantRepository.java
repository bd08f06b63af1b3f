package io.statusdesk.tenant;

import io.statusdesk.store.ChangeLog;
import io.statusdesk.store.Sql;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * SQL of tenants. Every change is a new version from the moment it is recorded; a write that
 * repeats the current values records nothing.
 */
public final class TenantRepository {
  private static final String CURRENT =
      """
      SELECT DISTINCT ON (tenant_id) tenant_id, name, plan, members, status, cells
      FROM tenant_versions\
      """;

  /**
   * Inserts the given tenants' values from $7 on where they differ from those in force then;
   * answers the tenants actually changed, with the status each had before (null for a new one).
   */
  private static final String UPSERT =
      """
      WITH input AS (
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[])
          AS i(tenant_id, name, plan, members, status, cells)
      ), current AS (
        SELECT DISTINCT ON (tenant_id) tenant_id, name, plan, members, status, cells
        FROM tenant_versions WHERE tenant_id = ANY($1) AND valid_from <= $7
        ORDER BY tenant_id, valid_from DESC
      ), changed AS (
        SELECT i.*, c.status AS previous_status FROM input i LEFT JOIN current c USING (tenant_id)
        WHERE c.tenant_id IS NULL
           OR (c.name, c.plan, c.members, c.status, array_to_string(c.cells, ';'))
              IS DISTINCT FROM (i.name, i.plan, i.members, i.status, i.cells)
      ), inserted AS (
        INSERT INTO tenant_versions AS v (tenant_id, valid_from, name, plan, members, status,
          cells, recorded_by, recorded_at)
        SELECT tenant_id, $7, name, plan, members, status,
               CASE WHEN cells = '' THEN '{}'::text[] ELSE string_to_array(cells, ';') END, $8, $9
        FROM changed
        ON CONFLICT (tenant_id, valid_from) DO UPDATE SET name = EXCLUDED.name,
          plan = EXCLUDED.plan, members = EXCLUDED.members, status = EXCLUDED.status,
          cells = EXCLUDED.cells, recorded_by = EXCLUDED.recorded_by,
          recorded_at = EXCLUDED.recorded_at
        RETURNING tenant_id
      )
      SELECT c.tenant_id, c.status, c.previous_status FROM changed c JOIN inserted USING
        (tenant_id)\
      """;

  private final Pool pool;
  private final TerminationHook onTermination;
  private final ZoneId zone;

  /** {@code zone}: the contract time zone, whose months a back-dated change marks. */
  public TenantRepository(Pool pool, TerminationHook onTermination, ZoneId zone) {
    this.pool = pool;
    this.onTermination = onTermination;
    this.zone = zone;
  }

  /** What a write did. */
  public record Written(int changed, int unchanged) {}

  /**
   * Records the tenants' values from {@code effectiveFrom} (now, or back-dated) on, audited, in one
   * transaction; tenants that turn {@code terminated} have their remaining credits expired in the
   * same commit, and a back-dated change marks the months it reaches for settling again.
   */
  public Future<Written> write(
      List<Tenant> tenants, String actor, Instant effectiveFrom, Instant now) {
    int n = tenants.size();
    String[] ids = new String[n];
    String[] names = new String[n];
    String[] plans = new String[n];
    Integer[] members = new Integer[n];
    String[] statuses = new String[n];
    String[] cells = new String[n];
    for (int i = 0; i < n; i++) {
      Tenant t = tenants.get(i);
      ids[i] = t.id();
      names[i] = t.name();
      plans[i] = t.plan();
      members[i] = t.members();
      statuses[i] = t.status().dbValue();
      cells[i] = String.join(";", t.cells());
    }
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(UPSERT)
                .execute(
                    Tuple.of(
                        ids,
                        names,
                        plans,
                        members,
                        statuses,
                        cells,
                        Sql.ts(effectiveFrom),
                        actor,
                        Sql.ts(now)))
                .compose(
                    rows -> {
                      List<String> terminated = new ArrayList<>();
                      JsonArray changedIds = new JsonArray();
                      for (Row r : rows) {
                        changedIds.add(r.getString("tenant_id"));
                        if ("terminated".equals(r.getString("status"))
                            && !"terminated".equals(r.getString("previous_status"))) {
                          terminated.add(r.getString("tenant_id"));
                        }
                      }
                      Future<Void> expired =
                          terminated.isEmpty()
                              ? Future.succeededFuture()
                              : onTermination.terminated(conn, terminated, now);
                      JsonObject after =
                          (n == 1
                                  ? toJson(tenants.get(0))
                                  : new JsonObject()
                                      .put("changed", changedIds.size())
                                      .put("submitted", n))
                              .put("effective_from", effectiveFrom.toString());
                      boolean backDated = effectiveFrom.isBefore(now) && rows.size() > 0;
                      return expired
                          .compose(
                              v ->
                                  rows.size() == 0
                                      ? Future.succeededFuture()
                                      : ChangeLog.audit(
                                          conn,
                                          actor,
                                          n == 1 ? "tenant.put" : "tenant.import",
                                          "tenant",
                                          n == 1 ? ids[0] : "*",
                                          null,
                                          after,
                                          now))
                          .compose(
                              v ->
                                  !backDated
                                      ? Future.succeededFuture()
                                      : ChangeLog.markMonths(
                                          conn,
                                          ChangeLog.months(effectiveFrom, now, zone),
                                          now,
                                          n == 1
                                              ? "tenant " + ids[0] + " back-dated"
                                              : rows.size() + " tenants back-dated"))
                          .map(new Written(rows.size(), n - rows.size()));
                    }));
  }

  public Future<Optional<Tenant>> current(String id) {
    return pool.preparedQuery(CURRENT + " WHERE tenant_id = $1 ORDER BY tenant_id, valid_from DESC")
        .execute(Tuple.of(id))
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(tenant(rows.iterator().next())));
  }

  /**
   * Tenants as last recorded whose id or name contains {@code query} (any case; every tenant when
   * empty), {@code limit} after {@code afterId} in id order (keyset).
   */
  public Future<List<Tenant>> search(Optional<String> query, String afterId, int limit) {
    // a row is its tenant's latest version when no later one exists: walked in id order, a page
    // stops after its rows, and a search term is found through the trigram indexes
    return pool.preparedQuery(
            """
            SELECT t.tenant_id, t.name, t.plan, t.members, t.status, t.cells
            FROM tenant_versions t
            WHERE t.tenant_id > $2
              AND ($1::text IS NULL OR lower(t.tenant_id) LIKE $1 OR lower(t.name) LIKE $1)
              AND NOT EXISTS (SELECT 1 FROM tenant_versions n
                WHERE n.tenant_id = t.tenant_id AND n.valid_from > t.valid_from)
            ORDER BY t.tenant_id LIMIT $3\
            """)
        .execute(
            Tuple.of(
                query
                    .map(q -> "%" + Sql.likeLiteral(q.toLowerCase(Locale.ROOT)) + "%")
                    .orElse(null),
                afterId,
                limit))
        .map(
            rows -> {
              List<Tenant> out = new ArrayList<>(rows.size());
              rows.forEach(r -> out.add(tenant(r)));
              return out;
            });
  }

  /** Every tenant as it stood just before {@code at} (a month is settled at its end). */
  public static Future<List<Tenant>> asOf(SqlClient client, Instant at) {
    return asOf(client, at, "", Integer.MAX_VALUE);
  }

  /** As {@link #asOf(SqlClient, Instant)}, {@code limit} tenants after {@code afterId}. */
  public static Future<List<Tenant>> asOf(SqlClient client, Instant at, String afterId, int limit) {
    return client
        .preparedQuery(
            CURRENT
                + """

                WHERE valid_from < $1 AND tenant_id > $2 ORDER BY tenant_id, valid_from DESC
                LIMIT $3\
                """)
        .execute(Tuple.of(Sql.ts(at), afterId, limit))
        .map(
            rows -> {
              List<Tenant> out = new ArrayList<>(rows.size());
              rows.forEach(r -> out.add(tenant(r)));
              return out;
            });
  }

  /** A tenant's state as recorded for {@code at} (the latest taking effect before it). */
  public static Future<Optional<Tenant>> at(SqlClient client, String id, Instant at) {
    return client
        .preparedQuery(
            CURRENT
                + """

                WHERE tenant_id = $1 AND valid_from < $2 ORDER BY tenant_id, valid_from DESC\
                """)
        .execute(Tuple.of(id, Sql.ts(at)))
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(tenant(rows.iterator().next())));
  }

  /** When a tenant's first recorded state took effect: before it, it was not a tenant. */
  public Future<Optional<Instant>> since(String id) {
    return pool.preparedQuery("SELECT min(valid_from) FROM tenant_versions WHERE tenant_id = $1")
        .execute(Tuple.of(id))
        .map(rows -> Optional.ofNullable(Sql.instant(rows.iterator().next(), "min")));
  }

  public static JsonObject toJson(Tenant t) {
    return new JsonObject()
        .put("id", t.id())
        .put("name", t.name())
        .put("plan", t.plan())
        .put("members", t.members())
        .put("status", t.status().dbValue())
        .put("cells", new JsonArray(t.cells()));
  }

  private static Tenant tenant(Row r) {
    return new Tenant(
        r.getString("tenant_id"),
        r.getString("name"),
        r.getString("plan"),
        r.getInteger("members"),
        TenantStatus.parse(r.getString("status")),
        Sql.strings(r, "cells"));
  }
}
