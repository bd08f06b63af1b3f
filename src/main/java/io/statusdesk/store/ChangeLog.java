package io.statusdesk.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Collection;
import java.util.TreeSet;

/**
 * What every operator change writes next to itself, in the same transaction: an audit row (who,
 * when, before, after) and a mark on each SLA month the change may have moved, so month close
 * re-evaluates them.
 */
public final class ChangeLog {
  private ChangeLog() {}

  public static Future<Void> audit(
      SqlConnection conn,
      String actor,
      String action,
      String entity,
      String entityId,
      JsonObject before,
      JsonObject after,
      Instant at) {
    return conn.preparedQuery(
            """
            INSERT INTO audit_log (at, actor, action, entity, entity_id, before, after)
            VALUES ($1, $2, $3, $4, $5, $6, $7)\
            """)
        .execute(Tuple.of(Sql.ts(at), actor, action, entity, entityId, before, after))
        .mapEmpty();
  }

  /**
   * Marks {@code months} to be settled again because of {@code reason} (e.g. "reclassified outage
   * 42"); the entries the next close writes carry the reasons it finds.
   */
  public static Future<Void> markMonths(
      SqlConnection conn, Collection<YearMonth> months, Instant at, String reason) {
    if (months.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(
            """
            INSERT INTO sla_months_to_reevaluate AS m (month, marked_at, reasons)
            SELECT unnest($1::text[]), $2, ARRAY[$3]
            ON CONFLICT (month) DO UPDATE SET marked_at = EXCLUDED.marked_at,
              reasons = CASE WHEN $3 = ANY(m.reasons) OR cardinality(m.reasons) >= 20
                THEN m.reasons ELSE m.reasons || $3 END\
            """)
        .execute(
            Tuple.of(
                months.stream().map(YearMonth::toString).toArray(String[]::new),
                Sql.ts(at),
                reason))
        .mapEmpty();
  }

  /** The calendar months (in {@code zone}) that {@code [from, to)} touches; open = up to now. */
  public static Collection<YearMonth> months(Instant from, Instant to, ZoneId zone) {
    TreeSet<YearMonth> out = new TreeSet<>();
    YearMonth last = YearMonth.from(to.minusSeconds(1).atZone(zone));
    for (YearMonth m = YearMonth.from(from.atZone(zone)); !m.isAfter(last); m = m.plusMonths(1)) {
      out.add(m);
    }
    return out;
  }
}
