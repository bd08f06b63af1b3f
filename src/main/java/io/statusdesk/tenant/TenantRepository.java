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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SQL of tenants. Every change is a new version from the moment it is recorded; a write that
 * repeats the current values records nothing.
 */
public final class TenantRepository {
  private static final String CURRENT = """
      SELECT DISTINCT ON (tenant_id) tenant_id, name, plan, members, status, cells
      FROM tenant_versions""";

  /**
   * Inserts the given tenants' new values where they differ from the current ones; answers the
   * tenants actually changed, with the status each had before (null for a new tenant).
   */
  private static final String UPSERT = """
      WITH input AS (
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[])
          AS i(tenant_id, name, plan, members, status, cells)
      ), current AS (
        SELECT DISTINCT ON (tenant_id) tenant_id, name, plan, members, status, cells
        FROM tenant_versions WHERE tenant_id = ANY($1)
        ORDER BY tenant_id, valid_from DESC
      ), changed AS (
        SELECT i.*, c.status AS previous_status FROM input i LEFT JOIN current c USING (tenant_id)
        WHERE c.tenant_id IS NULL
           OR (c.name, c.plan, c.members, c.status, array_to_string(c.cells, ';'))
              IS DISTINCT FROM (i.name, i.plan, i.members, i.status, i.cells)
      ), inserted AS (
        INSERT INTO tenant_versions (tenant_id, valid_from, name, plan, members, status, cells, recorded_by)
        SELECT tenant_id, $7, name, plan, members, status,
               CASE WHEN cells = '' THEN '{}'::text[] ELSE string_to_array(cells, ';') END, $8
        FROM changed
        RETURNING tenant_id
      )
      SELECT c.tenant_id, c.status, c.previous_status FROM changed c JOIN inserted USING (tenant_id)""";

  private final Pool pool;
  private final TerminationHook onTermination;

  public TenantRepository(Pool pool, TerminationHook onTermination) {
    this.pool = pool;
    this.onTermination = onTermination;
  }

  /** What a write did. */
  public record Written(int changed, int unchanged) {}

  /**
   * Records the tenants' values as of {@code now}, audited, in one transaction; tenants that turn
   * {@code terminated} have their remaining credits expired in the same commit.
   */
  public Future<Written> write(List<Tenant> tenants, String actor, Instant now) {
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
    return pool.withTransaction(conn -> conn.preparedQuery(UPSERT)
        .execute(Tuple.of(ids, names, plans, members, statuses, cells, Sql.ts(now), actor))
        .compose(rows -> {
          List<String> terminated = new ArrayList<>();
          JsonArray changedIds = new JsonArray();
          for (Row r : rows) {
            changedIds.add(r.getString("tenant_id"));
            if ("terminated".equals(r.getString("status"))
                && !"terminated".equals(r.getString("previous_status"))) {
              terminated.add(r.getString("tenant_id"));
            }
          }
          Future<Void> expired = terminated.isEmpty() ? Future.succeededFuture()
              : onTermination.terminated(conn, terminated, now);
          JsonObject after = n == 1 ? toJson(tenants.get(0))
              : new JsonObject().put("changed", changedIds.size()).put("submitted", n);
          return expired
              .compose(v -> rows.size() == 0 ? Future.succeededFuture()
                  : ChangeLog.audit(conn, actor, n == 1 ? "tenant.put" : "tenant.import",
                      "tenant", n == 1 ? ids[0] : "*", null, after, now))
              .map(new Written(rows.size(), n - rows.size()));
        }));
  }

  public Future<Optional<Tenant>> current(String id) {
    return pool.preparedQuery(CURRENT + " WHERE tenant_id = $1 ORDER BY tenant_id, valid_from DESC")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(tenant(rows.iterator().next())));
  }

  /** Every tenant as it stood just before {@code at} (a month is settled at its end). */
  public static Future<List<Tenant>> asOf(SqlClient client, Instant at) {
    return client.preparedQuery(CURRENT + """

            WHERE valid_from < $1 ORDER BY tenant_id, valid_from DESC""")
        .execute(Tuple.of(Sql.ts(at)))
        .map(rows -> {
          List<Tenant> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(tenant(r)));
          return out;
        });
  }

  public static JsonObject toJson(Tenant t) {
    return new JsonObject().put("id", t.id()).put("name", t.name()).put("plan", t.plan())
        .put("members", t.members()).put("status", t.status().dbValue())
        .put("cells", new JsonArray(t.cells()));
  }

  private static Tenant tenant(Row r) {
    return new Tenant(r.getString("tenant_id"), r.getString("name"), r.getString("plan"),
        r.getInteger("members"), TenantStatus.parse(r.getString("status")),
        Sql.strings(r, "cells"));
  }
}
