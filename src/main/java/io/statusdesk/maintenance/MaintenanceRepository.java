package io.statusdesk.maintenance;

import io.statusdesk.DomainException;
import io.statusdesk.Localized;
import io.statusdesk.notify.Event;
import io.statusdesk.notify.EventKind;
import io.statusdesk.notify.Outbox;
import io.statusdesk.store.ChangeLog;
import io.statusdesk.store.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** SQL of maintenance windows. Every write is audited and marks the SLA months it touches. */
public final class MaintenanceRepository {
  private static final String COLUMNS =
      """
      id, title_en, title_ko, description_en, description_ko, components, starts_at, ends_at,
      rrule, created_at, cancelled_at\
      """;

  private final Pool pool;
  private final MaintenanceNotices notices;

  public MaintenanceRepository(Pool pool, MaintenanceNotices notices) {
    this.pool = pool;
    this.notices = notices;
  }

  /** Every window ever announced; the calendar is rebuilt from it on each change. */
  public Future<List<Window>> all() {
    return all(pool);
  }

  /**
   * As {@link #all()}, inside the caller's transaction. Rows dated outside the years the service
   * accepts (stored before inputs were bounded) are left out: no calendar can place them.
   */
  public static Future<List<Window>> all(SqlClient client) {
    return client
        .query(
            "SELECT "
                + COLUMNS
                + """
                 FROM maintenance_windows
                WHERE starts_at >= '2000-01-01T00:00:00Z' AND ends_at < '2100-01-01T00:00:00Z'
                ORDER BY starts_at, id\
                """)
        .execute()
        .map(
            rows -> {
              List<Window> out = new ArrayList<>();
              rows.forEach(r -> out.add(window(r)));
              return out;
            });
  }

  public Future<Window> create(Window draft, String actor, ZoneId zone) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    """
                    INSERT INTO maintenance_windows (title_en, title_ko, description_en,
                      description_ko, components, starts_at, ends_at, rrule, created_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING
                    """
                        + COLUMNS)
                .execute(
                    Tuple.of(
                        draft.title().en(),
                        draft.title().ko(),
                        draft.description().en(),
                        draft.description().ko(),
                        Sql.array(draft.components()),
                        Sql.ts(draft.startsAt()),
                        Sql.ts(draft.endsAt()),
                        draft.rrule().orElse(null),
                        Sql.ts(draft.createdAt())))
                .map(rows -> window(rows.iterator().next()))
                .compose(
                    w ->
                        logged(
                            conn, actor, "maintenance.create", null, w, draft.createdAt(), zone)));
  }

  /**
   * Applies {@code edit} to the locked row; the edit throws a domain error when the scheduling
   * rules refuse it, and nothing is written.
   */
  public Future<Window> change(
      long id,
      Function<Window, Window> edit,
      String action,
      String actor,
      Instant now,
      ZoneId zone) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    "SELECT " + COLUMNS + " FROM maintenance_windows WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(id))
                .compose(
                    rows -> {
                      if (rows.size() == 0) {
                        return Future.failedFuture(
                            DomainException.notFound("no maintenance window " + id));
                      }
                      Window before = window(rows.iterator().next());
                      Window after = edit.apply(before);
                      return conn.preparedQuery(
                              """
                              UPDATE maintenance_windows SET title_en = $2, title_ko = $3,
                                description_en = $4,
                                description_ko = $5, starts_at = $6, ends_at = $7, cancelled_at = $8
                              WHERE id = $1\
                              """)
                          .execute(
                              Tuple.of(
                                  id,
                                  after.title().en(),
                                  after.title().ko(),
                                  after.description().en(),
                                  after.description().ko(),
                                  Sql.ts(after.startsAt()),
                                  Sql.ts(after.endsAt()),
                                  Sql.ts(after.cancelledAt().orElse(null))))
                          .compose(v -> logged(conn, actor, action, before, after, now, zone));
                    }));
  }

  public Future<Window> get(long id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM maintenance_windows WHERE id = $1")
        .execute(Tuple.of(id))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.failedFuture(DomainException.notFound("no maintenance window " + id))
                    : Future.succeededFuture(window(rows.iterator().next())));
  }

  /** Audits a write, marks the months it touches and records its event. */
  private Future<Window> logged(
      SqlConnection conn,
      String actor,
      String action,
      Window before,
      Window after,
      Instant now,
      ZoneId zone) {
    Set<YearMonth> months = new TreeSet<>(touched(after, zone, now));
    if (before != null) {
      months.addAll(touched(before, zone, now));
    }
    return ChangeLog.audit(
            conn,
            actor,
            action,
            "maintenance",
            String.valueOf(after.id()),
            before == null ? null : WindowJson.of(before, zone, now),
            WindowJson.of(after, zone, now),
            now)
        .compose(
            v ->
                ChangeLog.markMonths(
                    conn,
                    months,
                    now,
                    "maintenance "
                        + after.id()
                        + " "
                        + switch (action) {
                          case "maintenance.create" -> "announced";
                          case "maintenance.cancel" -> "cancelled";
                          default -> "changed";
                        }))
        .compose(v -> Outbox.record(conn, event(action, after, now)))
        .map(after);
  }

  private Event event(String action, Window w, Instant now) {
    return switch (action) {
      case "maintenance.create" ->
          notices.window(
              w, EventKind.MAINTENANCE_SCHEDULED, now, "maintenance:" + w.id() + ":scheduled");
      case "maintenance.cancel" ->
          notices.window(
              w, EventKind.MAINTENANCE_CANCELLED, now, "maintenance:" + w.id() + ":cancelled");
      default ->
          notices.window(
              w,
              EventKind.MAINTENANCE_CHANGED,
              now,
              "maintenance:" + w.id() + ":changed:" + now.toEpochMilli());
    };
  }

  /** Months a window's occurrences fall in, looking at most a year past {@code now}. */
  private static Collection<YearMonth> touched(Window w, ZoneId zone, Instant now) {
    Set<YearMonth> out = new TreeSet<>();
    Instant horizon = (now.isAfter(w.startsAt()) ? now : w.startsAt()).plus(Duration.ofDays(366));
    for (Occurrence o : w.occurrences(zone, w.startsAt(), horizon)) {
      out.addAll(ChangeLog.months(o.start(), o.end(), zone));
    }
    return out;
  }

  private static Window window(Row r) {
    return new Window(
        r.getLong("id"),
        new Localized(r.getString("title_en"), r.getString("title_ko")),
        new Localized(r.getString("description_en"), r.getString("description_ko")),
        Set.copyOf(Sql.strings(r, "components")),
        Sql.instant(r, "starts_at"),
        Sql.instant(r, "ends_at"),
        Optional.ofNullable(r.getString("rrule")),
        Sql.instant(r, "created_at"),
        Sql.optionalInstant(r, "cancelled_at"));
  }
}
