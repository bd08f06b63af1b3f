package io.statusdesk.tenant;

import io.statusdesk.store.ChangeLog;
import io.statusdesk.store.Sql;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * SQL of plan prices. Versions are only ever added, each from an instant not in the past, so what a
 * closed month was settled with never changes.
 */
public final class PlanRepository {
  static final String CONFIG = "checks.yaml";
  private final Pool pool;

  public PlanRepository(Pool pool) {
    this.pool = pool;
  }

  /** Every recorded version. */
  public static Future<PriceList> all(SqlClient client) {
    return client
        .query(
            """
            SELECT plan, effective_from, price_per_member_krw, max_members FROM plan_prices
            ORDER BY plan, effective_from\
            """)
        .execute()
        .map(
            rows -> {
              List<PriceList.Version> out = new ArrayList<>();
              for (Row r : rows) {
                Integer max = r.getInteger("max_members");
                out.add(
                    new PriceList.Version(
                        new Plan(
                            r.getString("plan"),
                            r.getLong("price_per_member_krw"),
                            max == null ? OptionalInt.empty() : OptionalInt.of(max)),
                        Sql.instant(r, "effective_from")));
              }
              return new PriceList(List.copyOf(out));
            });
  }

  public Future<PriceList> all() {
    return all(pool);
  }

  /**
   * Records what checks.yaml says where it differs from what checks.yaml said before: a plan seen
   * for the first time is priced from the beginning, a changed one from {@code now} on (never in
   * the past). Versions billing scheduled through the API stay as they are.
   */
  public Future<Integer> recordConfigured(Plans plans, Instant now) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    """
                    SELECT pg_advisory_xact_lock(hashtext('plan_prices'))\
                    """)
                .execute()
                .compose(
                    v ->
                        conn.query(
                                """
                                SELECT DISTINCT ON (plan) plan, price_per_member_krw, max_members,
                                  from_config
                                FROM plan_prices
                                ORDER BY plan, from_config DESC, effective_from DESC\
                                """)
                            .execute())
                .compose(
                    rows -> {
                      Map<String, Row> last = new HashMap<>();
                      rows.forEach(r -> last.put(r.getString("plan"), r));
                      List<Future<?>> inserts = new ArrayList<>();
                      for (Plan plan : plans.byName().values()) {
                        Row before = last.get(plan.name());
                        boolean configuredBefore =
                            before != null && before.getBoolean("from_config");
                        Integer max = before == null ? null : before.getInteger("max_members");
                        if (configuredBefore
                            && before.getLong("price_per_member_krw") == plan.pricePerMemberKrw()
                            && Objects.equals(
                                max,
                                plan.maxMembers().isPresent()
                                    ? plan.maxMembers().getAsInt()
                                    : null)) {
                          continue;
                        }
                        inserts.add(
                            insert(
                                conn,
                                plan,
                                before == null ? Instant.EPOCH : now,
                                CONFIG,
                                true,
                                now));
                      }
                      return Future.all(inserts).map(inserts.size());
                    }));
  }

  /** Schedules a price change billing asked for; {@code effectiveFrom} is not in the past. */
  public Future<Void> schedule(Plan plan, Instant effectiveFrom, String actor, Instant now) {
    return pool.withTransaction(
        conn ->
            insert(conn, plan, effectiveFrom, actor, false, now)
                .compose(
                    v ->
                        ChangeLog.audit(
                            conn,
                            actor,
                            "plan.price",
                            "plan",
                            plan.name(),
                            null,
                            toJson(plan, effectiveFrom),
                            now)));
  }

  private static Future<Void> insert(
      SqlClient conn,
      Plan plan,
      Instant effectiveFrom,
      String actor,
      boolean fromConfig,
      Instant now) {
    return conn.preparedQuery(
            """
            INSERT INTO plan_prices (plan, effective_from, price_per_member_krw, max_members,
              recorded_at, recorded_by, from_config)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (plan, effective_from) DO UPDATE SET
              price_per_member_krw = EXCLUDED.price_per_member_krw,
              max_members = EXCLUDED.max_members, recorded_at = EXCLUDED.recorded_at,
              recorded_by = EXCLUDED.recorded_by, from_config = EXCLUDED.from_config\
            """)
        .execute(
            Tuple.of(
                plan.name(),
                Sql.ts(effectiveFrom),
                plan.pricePerMemberKrw(),
                plan.maxMembers().isPresent() ? plan.maxMembers().getAsInt() : null,
                Sql.ts(now),
                actor,
                fromConfig))
        .mapEmpty();
  }

  public static JsonObject toJson(Plan plan, Instant effectiveFrom) {
    return new JsonObject()
        .put("plan", plan.name())
        .put("price_per_member_krw", plan.pricePerMemberKrw())
        .put("max_members", plan.maxMembers().isPresent() ? plan.maxMembers().getAsInt() : null)
        .put("effective_from", effectiveFrom.toString());
  }
}
