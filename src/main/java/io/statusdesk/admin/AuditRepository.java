package io.statusdesk.admin;

import io.statusdesk.store.Sql;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads the audit log that {@link io.statusdesk.store.ChangeLog} writes. */
public final class AuditRepository {
  /** One audited change. */
  public record Entry(
      long id,
      Instant at,
      String actor,
      String action,
      String entity,
      String entityId,
      Object before,
      Object after) {

    public JsonObject toJson() {
      return new JsonObject()
          .put("id", id)
          .put("at", at.toString())
          .put("actor", actor)
          .put("action", action)
          .put("entity", entity)
          .put("entity_id", entityId)
          .put("before", before)
          .put("after", after);
    }
  }

  private final Pool pool;

  public AuditRepository(Pool pool) {
    this.pool = pool;
  }

  /** Newest first, entries with ids below {@code before}. */
  public Future<List<Entry>> page(long before, int limit) {
    return pool.preparedQuery(
            """
            SELECT id, at, actor, action, entity, entity_id, before, after FROM audit_log
            WHERE id < $1 ORDER BY id DESC LIMIT $2\
            """)
        .execute(Tuple.of(before, limit))
        .map(
            rows -> {
              List<Entry> out = new ArrayList<>();
              rows.forEach(
                  r ->
                      out.add(
                          new Entry(
                              r.getLong("id"),
                              Sql.instant(r, "at"),
                              r.getString("actor"),
                              r.getString("action"),
                              r.getString("entity"),
                              r.getString("entity_id"),
                              r.getValue("before"),
                              r.getValue("after"))));
              return out;
            });
  }
}
