package io.statusdesk.admin;

import io.statusdesk.store.Sql;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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

  /**
   * Which entries to show: those whose actor and action begin with the given text (any case) and
   * that happened in {@code [from, to)}; an empty part takes everything.
   */
  public record Filter(
      Optional<String> actor,
      Optional<String> action,
      Optional<Instant> from,
      Optional<Instant> to) {
    public static final Filter ALL =
        new Filter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Newest first, entries with ids below {@code before} that pass {@code filter}. */
  public Future<List<Entry>> page(Filter filter, long before, int limit) {
    return pool.preparedQuery(
            """
            SELECT id, at, actor, action, entity, entity_id, before, after FROM audit_log
            WHERE id < $1
              AND ($3::text IS NULL OR lower(actor) LIKE $3)
              AND ($4::text IS NULL OR action LIKE $4)
              AND ($5::timestamptz IS NULL OR at >= $5)
              AND ($6::timestamptz IS NULL OR at < $6)
            ORDER BY id DESC LIMIT $2\
            """)
        .execute(
            Tuple.of(
                before,
                limit,
                filter.actor().map(a -> prefix(a.toLowerCase(Locale.ROOT))).orElse(null),
                filter.action().map(AuditRepository::prefix).orElse(null),
                Sql.ts(filter.from().orElse(null)),
                Sql.ts(filter.to().orElse(null))))
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

  /** A LIKE pattern matching what begins with {@code text}, taken literally. */
  private static String prefix(String text) {
    return Sql.likeLiteral(text) + "%";
  }
}
