package io.statusdesk.outage;

import io.statusdesk.notify.Outbox;
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
import java.util.Optional;

/** SQL of component statuses set by hand; each change is audited. */
public final class OverrideRepository {
  private final Pool pool;
  private final OutageNotices notices;

  public OverrideRepository(Pool pool, OutageNotices notices) {
    this.pool = pool;
    this.notices = notices;
  }

  /** Overrides that have not expired at {@code now}. */
  public Future<List<StatusOverride>> active(Instant now) {
    return pool.preparedQuery(
            """
            SELECT component, status, until, note FROM component_status_overrides
            WHERE until > $1 ORDER BY component\
            """)
        .execute(Tuple.of(Sql.ts(now)))
        .map(
            rows -> {
              List<StatusOverride> out = new ArrayList<>();
              rows.forEach(
                  r ->
                      out.add(
                          new StatusOverride(
                              r.getString("component"),
                              ComponentStatus.parse("status", r.getString("status")),
                              Sql.instant(r, "until"),
                              Optional.ofNullable(r.getString("note")))));
              return out;
            });
  }

  /**
   * Sets an override, audited; {@code shown} is what the page showed before and will show after,
   * and when they differ the change is an event in the same transaction.
   */
  public Future<StatusOverride> set(
      StatusOverride override, String actor, Instant now, Shown shown) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    """
                    INSERT INTO component_status_overrides (component, status, until, note, set_by,
                      set_at)
                    VALUES ($1, $2, $3, $4, $5, $6)
                    ON CONFLICT (component) DO UPDATE SET status = EXCLUDED.status,
                      until = EXCLUDED.until, note = EXCLUDED.note, set_by = EXCLUDED.set_by,
                      set_at = EXCLUDED.set_at\
                    """)
                .execute(
                    Tuple.of(
                        override.component(),
                        override.status().apiValue(),
                        Sql.ts(override.until()),
                        override.note().orElse(null),
                        actor,
                        Sql.ts(now)))
                .compose(
                    v ->
                        ChangeLog.audit(
                            conn,
                            actor,
                            "component.status",
                            "component",
                            override.component(),
                            null,
                            toJson(override),
                            now))
                .compose(v -> told(conn, override.component(), shown, now, "override-set"))
                .map(override));
  }

  /** What the page shows for a component before and after an operator's change. */
  public record Shown(ComponentStatus before, ComponentStatus after) {}

  private Future<Void> told(
      SqlConnection conn, String component, Shown shown, Instant now, String cause) {
    return shown.before() == shown.after()
        ? Future.succeededFuture()
        : Outbox.record(
            conn,
            notices.component(component, Optional.of(shown.before()), shown.after(), now, cause));
  }

  /** Ends an override now, audited and told as {@link #set}; answers whether there was one. */
  public Future<Boolean> clear(String component, String actor, Instant now, Shown shown) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    "DELETE FROM component_status_overrides WHERE component = $1 RETURNING"
                        + " component")
                .execute(Tuple.of(component))
                .compose(
                    rows ->
                        rows.size() == 0
                            ? Future.succeededFuture(false)
                            : ChangeLog.audit(
                                    conn,
                                    actor,
                                    "component.status.clear",
                                    "component",
                                    component,
                                    null,
                                    null,
                                    now)
                                .compose(v -> told(conn, component, shown, now, "override-clear"))
                                .map(true)));
  }

  public static JsonObject toJson(StatusOverride o) {
    return new JsonObject()
        .put("component", o.component())
        .put("status", o.status().apiValue())
        .put("until", o.until().toString())
        .put("note", o.note().orElse(null));
  }
}
