package io.statusdesk.outage;

import io.statusdesk.DomainException;
import io.statusdesk.Localized;
import io.statusdesk.notify.Outbox;
import io.statusdesk.sla.OutageClass;
import io.statusdesk.store.ChangeLog;
import io.statusdesk.store.Sql;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** SQL of incidents and their updates. */
public final class IncidentRepository {
  private static Map<String, ComponentStatus> impacts(JsonObject json) {
    Map<String, ComponentStatus> out = new LinkedHashMap<>();
    json.forEach(e -> out.put(e.getKey(), ComponentStatus.parse("impacts", (String) e.getValue())));
    return Map.copyOf(out);
  }

  private final Pool pool;
  private final OutageNotices notices;

  public IncidentRepository(Pool pool, OutageNotices notices) {
    this.pool = pool;
    this.notices = notices;
  }

  /**
   * An operator's incident, for downtime the probes missed or to tell people what they see.
   *
   * @param impacts how it affects each component on the page
   * @param outages the manual outage each component gets, by SLA class (see {@link
   *     IncidentRules#outageClasses})
   */
  public record Draft(
      Localized title,
      Map<String, ComponentStatus> impacts,
      Map<String, OutageClass> outages,
      Instant startedAt,
      Optional<Instant> resolvedAt,
      IncidentStatus status,
      Localized message) {

    /** The worst SLA class among its outages. */
    public OutageClass outageClass() {
      return outages.containsValue(OutageClass.MAJOR) ? OutageClass.MAJOR : OutageClass.PARTIAL;
    }
  }

  /**
   * Records the incident, its first update and its outages, audited, with its event, in one
   * transaction.
   */
  public Future<Incident> create(Draft draft, String actor, Instant now, ZoneId zone) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    """
                    INSERT INTO incidents (title_en, title_ko, components, outage_class, status,
                      source, started_at, resolved_at, created_at, impacts)
                    VALUES ($1, $2, $3, $4, $5, 'manual', $6, $7, $8, $9) RETURNING id\
                    """)
                .execute(
                    Tuple.wrap(
                        new Object[] {
                          draft.title().en(),
                          draft.title().ko(),
                          draft.impacts().keySet().stream().sorted().toArray(String[]::new),
                          OutageRepository.dbValue(draft.outageClass()),
                          draft.status().apiValue(),
                          Sql.ts(draft.startedAt()),
                          Sql.ts(draft.resolvedAt().orElse(null)),
                          Sql.ts(now),
                          impactsJson(draft.impacts())
                        }))
                .map(rows -> rows.iterator().next().getLong(0))
                .compose(
                    id ->
                        insertUpdate(conn, id, draft.status(), draft.message(), now)
                            .compose(
                                update ->
                                    OutageRepository.insertManual(
                                            conn,
                                            id,
                                            draft.outages(),
                                            draft.startedAt(),
                                            draft.resolvedAt())
                                        .compose(
                                            v ->
                                                ChangeLog.markMonths(
                                                    conn,
                                                    ChangeLog.months(
                                                        draft.startedAt(),
                                                        draft.resolvedAt().orElse(now),
                                                        zone),
                                                    now,
                                                    "incident " + id + " recorded"))
                                        .compose(v -> recorded(conn, id, update)))
                            .compose(
                                incident ->
                                    ChangeLog.audit(
                                            conn,
                                            actor,
                                            "incident.create",
                                            "incident",
                                            String.valueOf(id),
                                            null,
                                            incident.toJson(),
                                            now)
                                        .map(incident))));
  }

  /**
   * Adds an update. Resolving sets {@code resolved_at} and ends the incident's manual outages; a
   * resolved incident takes no more updates.
   */
  public Future<Incident> addUpdate(
      long id, IncidentStatus status, Localized message, String actor, Instant now, ZoneId zone) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery("SELECT status, started_at FROM incidents WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(id))
                .compose(
                    rows -> {
                      if (rows.size() == 0) {
                        return Future.failedFuture(DomainException.notFound("no incident " + id));
                      }
                      Row row = rows.iterator().next();
                      IncidentRules.checkOpen(
                          id, IncidentStatus.parse("status", row.getString("status")));
                      Instant started = Sql.instant(row, "started_at");
                      boolean resolving = status == IncidentStatus.RESOLVED;
                      Future<Void> ending =
                          !resolving
                              ? Future.succeededFuture()
                              : OutageRepository.endManual(conn, id, now)
                                  .compose(
                                      v ->
                                          ChangeLog.markMonths(
                                              conn,
                                              ChangeLog.months(started, now, zone),
                                              now,
                                              "incident " + id + " resolved"));
                      return conn.preparedQuery(
                              """
                              UPDATE incidents SET status = $2,
                                resolved_at = CASE WHEN $2 = 'resolved'
                                  THEN greatest($3, started_at + interval '1 second') END
                              WHERE id = $1\
                              """)
                          .execute(Tuple.of(id, status.apiValue(), Sql.ts(now)))
                          .compose(v -> ending)
                          .compose(v -> insertUpdate(conn, id, status, message, now))
                          .compose(update -> recorded(conn, id, update))
                          .compose(
                              incident ->
                                  ChangeLog.audit(
                                          conn,
                                          actor,
                                          "incident.update",
                                          "incident",
                                          String.valueOf(id),
                                          null,
                                          incident
                                              .updates()
                                              .get(incident.updates().size() - 1)
                                              .toJson(),
                                          now)
                                      .map(incident));
                    }));
  }

  /** Adds an update to an incident; answers the update's id. */
  static Future<Long> insertUpdate(
      SqlConnection conn, long incident, IncidentStatus status, Localized message, Instant at) {
    return conn.preparedQuery(
            """
            INSERT INTO incident_updates (incident_id, status, message_en, message_ko, created_at)
            VALUES ($1, $2, $3, $4, $5) RETURNING id\
            """)
        .execute(Tuple.of(incident, status.apiValue(), message.en(), message.ko(), Sql.ts(at)))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Reads the incident back and records the event of its update {@code update}. */
  static Future<Incident> recorded(
      SqlConnection conn, OutageNotices notices, long id, long update) {
    return find(conn, id)
        .compose(incident -> Outbox.record(conn, notices.incident(incident, update)).map(incident));
  }

  private Future<Incident> recorded(SqlConnection conn, long id, long update) {
    return recorded(conn, notices, id, update);
  }

  public Future<Incident> get(long id) {
    return find(pool, id);
  }

  private static Future<Incident> find(SqlClient client, long id) {
    return load(client, "WHERE id = $1", Tuple.of(id))
        .compose(
            list ->
                list.isEmpty()
                    ? Future.failedFuture(DomainException.notFound("no incident " + id))
                    : Future.succeededFuture(list.get(0)));
  }

  /** The newest incidents first; {@code unresolvedOnly} keeps the ones still going on. */
  public Future<List<Incident>> recent(int limit, boolean unresolvedOnly) {
    return load(
        pool,
        (unresolvedOnly ? "WHERE resolved_at IS NULL " : "")
            + "ORDER BY started_at DESC, id DESC LIMIT $1",
        Tuple.of(limit));
  }

  /** The {@code limit} incidents with ids below {@code before}, newest first (keyset). */
  public Future<List<Incident>> page(long before, int limit) {
    return load(pool, "WHERE id < $1 ORDER BY id DESC LIMIT $2", Tuple.of(before, limit));
  }

  /** Incidents overlapping {@code [from, to)}, newest first. */
  public Future<List<Incident>> overlapping(Instant from, Instant to) {
    return load(
        pool,
        """
        WHERE started_at < $2 AND (resolved_at IS NULL OR resolved_at > $1)
        ORDER BY started_at DESC, id DESC\
        """,
        Tuple.of(Sql.ts(from), Sql.ts(to)));
  }

  /** An operator's edit of an incident; empty fields stay as they are. */
  public record Edit(
      Optional<Localized> title,
      Optional<Map<String, ComponentStatus>> impacts,
      Optional<Localized> postmortem,
      Optional<Optional<String>> hidden) {}

  /**
   * Edits an incident (title, impacts, postmortem, hidden as recorded in error), audited, in one
   * transaction. Hiding keeps it in the SLA; excluding its outages is a separate ruling.
   */
  public Future<Incident> edit(long id, Edit edit, String actor, Instant now) {
    return pool.withTransaction(
        conn ->
            find(conn, id)
                .compose(
                    before -> {
                      Localized title = edit.title().orElse(before.title());
                      Map<String, ComponentStatus> impacts =
                          edit.impacts().orElse(before.impacts());
                      Optional<Localized> postmortem = edit.postmortem().or(before::postmortem);
                      Optional<String> hiddenReason = edit.hidden().orElse(Optional.empty());
                      boolean hide =
                          edit.hidden()
                              .map(Optional::isPresent)
                              .orElse(before.hiddenAt().isPresent());
                      return conn.preparedQuery(
                              """
                              UPDATE incidents SET title_en = $2, title_ko = $3, impacts = $4,
                                components = $5, postmortem_en = $6, postmortem_ko = $7,
                                hidden_at = CASE WHEN $8 THEN coalesce(hidden_at, $9) END,
                                hidden_reason = CASE WHEN $8 THEN coalesce($10, hidden_reason) END
                              WHERE id = $1\
                              """)
                          .execute(
                              Tuple.wrap(
                                  new Object[] {
                                    id,
                                    title.en(),
                                    title.ko(),
                                    impactsJson(impacts),
                                    impacts.keySet().stream().sorted().toArray(String[]::new),
                                    postmortem.map(Localized::en).orElse(null),
                                    postmortem.map(Localized::ko).orElse(null),
                                    hide,
                                    Sql.ts(now),
                                    hiddenReason.orElse(null)
                                  }))
                          .compose(v -> find(conn, id))
                          .compose(
                              after ->
                                  ChangeLog.audit(
                                          conn,
                                          actor,
                                          "incident.edit",
                                          "incident",
                                          String.valueOf(id),
                                          before.toJson(),
                                          after.toJson(),
                                          now)
                                      .map(after));
                    }));
  }

  /** Corrects the text of one update of an incident, audited. */
  public Future<Incident> editUpdate(
      long id, long updateId, Localized message, String actor, Instant now) {
    return pool.withTransaction(
        conn ->
            find(conn, id)
                .compose(
                    before ->
                        conn.preparedQuery(
                                """
                                UPDATE incident_updates SET message_en = $3, message_ko = $4
                                WHERE incident_id = $1 AND id = $2 RETURNING id\
                                """)
                            .execute(Tuple.of(id, updateId, message.en(), message.ko()))
                            .compose(
                                rows ->
                                    rows.size() == 0
                                        ? Future.failedFuture(
                                            DomainException.notFound(
                                                "no update " + updateId + " of incident " + id))
                                        : find(conn, id))
                            .compose(
                                after ->
                                    ChangeLog.audit(
                                            conn,
                                            actor,
                                            "incident.update.edit",
                                            "incident",
                                            String.valueOf(id),
                                            before.toJson(),
                                            after.toJson(),
                                            now)
                                        .map(after))));
  }

  static JsonObject impactsJson(Map<String, ComponentStatus> impacts) {
    JsonObject out = new JsonObject();
    impacts.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> out.put(e.getKey(), e.getValue().apiValue()));
    return out;
  }

  private static Future<List<Incident>> load(SqlClient client, String where, Tuple args) {
    return client
        .preparedQuery(
            """
            SELECT id, title_en, title_ko, components, outage_class, status, source, started_at,
              resolved_at, created_at, impacts, hidden_at, postmortem_en, postmortem_ko
            FROM incidents
            """
                + where)
        .execute(args)
        .compose(
            rows -> {
              Map<Long, Row> byId = new LinkedHashMap<>();
              rows.forEach(r -> byId.put(r.getLong("id"), r));
              if (byId.isEmpty()) {
                return Future.succeededFuture(List.<Incident>of());
              }
              return client
                  .preparedQuery(
                      """
                      SELECT id, incident_id, status, message_en, message_ko, created_at
                      FROM incident_updates WHERE incident_id = ANY($1) ORDER BY created_at, id\
                      """)
                  .execute(Tuple.of(byId.keySet().toArray(Long[]::new)))
                  .map(
                      updates -> {
                        Map<Long, List<Incident.Update>> byIncident = new LinkedHashMap<>();
                        updates.forEach(
                            u ->
                                byIncident
                                    .computeIfAbsent(
                                        u.getLong("incident_id"), k -> new ArrayList<>())
                                    .add(
                                        new Incident.Update(
                                            u.getLong("id"),
                                            IncidentStatus.parse("status", u.getString("status")),
                                            new Localized(
                                                u.getString("message_en"),
                                                u.getString("message_ko")),
                                            Sql.instant(u, "created_at"))));
                        List<Incident> out = new ArrayList<>();
                        byId.forEach(
                            (id, r) ->
                                out.add(
                                    new Incident(
                                        id,
                                        new Localized(
                                            r.getString("title_en"), r.getString("title_ko")),
                                        Sql.strings(r, "components"),
                                        OutageRepository.outageClass(r.getString("outage_class")),
                                        IncidentStatus.parse("status", r.getString("status")),
                                        Source.valueOf(
                                            r.getString("source").toUpperCase(Locale.ROOT)),
                                        Sql.instant(r, "started_at"),
                                        Sql.optionalInstant(r, "resolved_at"),
                                        Sql.instant(r, "created_at"),
                                        byIncident.getOrDefault(id, List.of()),
                                        impacts((JsonObject) r.getValue("impacts")),
                                        Sql.optionalInstant(r, "hidden_at"),
                                        Optional.ofNullable(r.getString("postmortem_en"))
                                            .map(
                                                en ->
                                                    new Localized(
                                                        en, r.getString("postmortem_ko"))))));
                        return out;
                      });
            });
  }
}
