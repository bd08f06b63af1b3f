package io.statusdesk.outage;

import io.statusdesk.DomainException;
import io.statusdesk.Localized;
import io.statusdesk.notify.Event;
import io.statusdesk.notify.Outbox;
import io.statusdesk.sla.OutageClass;
import io.statusdesk.store.ChangeLog;
import io.statusdesk.store.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** SQL of outages: the tracker's writes (with their automatic incidents) and operator edits. */
public final class OutageRepository {
  private static final String COLUMNS =
      """
      id, component, outage_class, started_at, ended_at, cells, source, incident_id, exclusion,
      exclusion_note\
      """;

  private final Pool pool;
  private final OutageNotices notices;

  public OutageRepository(Pool pool, OutageNotices notices) {
    this.pool = pool;
    this.notices = notices;
  }

  /** What a network event says of itself: the exclusion it carries from the start. */
  static final Exclusion NETWORK =
      new Exclusion(
          "network", "seen failing from fewer probe locations than the quorum (automatic)");

  /** The open outage of each component found by {@code source} (probe or network), to resume. */
  public Future<Map<String, OpenOutage>> openOutages(Source source) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + " FROM outages WHERE ended_at IS NULL AND source = $1")
        .execute(Tuple.of(source.dbValue()))
        .map(
            rows -> {
              Map<String, OpenOutage> out = new HashMap<>();
              for (Row row : rows) {
                OutageRecord o = record(row);
                out.put(
                    o.component(),
                    new OpenOutage(o.outageClass(), o.start(), Set.copyOf(o.cells())));
              }
              return out;
            });
  }

  /**
   * Writes one tracker step for {@code component} in one transaction. Every statement is keyed on
   * "the open outage of this component found by {@code source}", so a step replayed after a restart
   * or a lost commit answer changes nothing twice.
   *
   * @param source probe (counted), or network (seen by too few locations: excluded, no incident)
   * @param names the component's display names, for automatic incident titles
   * @param withIncident whether an opening outage should open an incident (not under maintenance)
   */
  public Future<Void> apply(
      Source source,
      String component,
      Localized names,
      OutagePlan.Step step,
      boolean withIncident,
      Instant now) {
    if (step instanceof OutagePlan.Keep) {
      return Future.succeededFuture();
    }
    boolean incidents = withIncident && source == Source.PROBE;
    return pool.withTransaction(
        conn -> {
          if (step instanceof OutagePlan.Open o) {
            Future<Optional<Long>> reopened =
                source == Source.NETWORK
                    ? reopenNetwork(conn, component, o.outageClass(), o.at(), o.cells())
                    : Future.succeededFuture(Optional.empty());
            return reopened
                .compose(
                    again ->
                        again.isPresent()
                            ? Future.succeededFuture(Optional.<Long>empty())
                            : insertOpen(
                                conn, source, component, o.outageClass(), o.at(), o.cells(), null))
                .compose(
                    id -> {
                      if (id.isEmpty()) {
                        return Future.succeededFuture();
                      }
                      Future<Void> told =
                          tell(
                              conn,
                              source,
                              notices.component(
                                  component,
                                  Optional.of(ComponentStatus.OPERATIONAL),
                                  Incident.defaultImpact(o.outageClass()),
                                  o.at(),
                                  "probe-open"));
                      return !incidents
                          ? told
                          : told.compose(
                                  v ->
                                      openIncident(
                                          conn, component, names, o.outageClass(), o.at(), now))
                              .compose(
                                  incident ->
                                      conn.preparedQuery(
                                              "UPDATE outages SET incident_id = $2 WHERE id = $1")
                                          .execute(Tuple.of(id.get(), incident))
                                          .mapEmpty());
                    });
          }
          if (step instanceof OutagePlan.Close c) {
            return closeOpen(conn, source, component, c.at())
                .compose(
                    ended ->
                        ended.isEmpty()
                            ? Future.succeededFuture()
                            : tell(
                                    conn,
                                    source,
                                    notices.component(
                                        component,
                                        Optional.of(
                                            Incident.defaultImpact(ended.get().outageClass())),
                                        ComponentStatus.OPERATIONAL,
                                        c.at(),
                                        "probe-close"))
                                .compose(
                                    v ->
                                        ended.get().incident().isEmpty()
                                            ? Future.succeededFuture()
                                            : resolveIncident(
                                                conn,
                                                ended.get().incident().get(),
                                                names,
                                                c.at())));
          }
          if (step instanceof OutagePlan.Split s) {
            // the interval splits at once, exact to the second; what people read about the change
            // comes later, debounced (see announceClass)
            return closeOpen(conn, source, component, s.at())
                .compose(
                    ended ->
                        insertOpen(
                                conn,
                                source,
                                component,
                                s.outageClass(),
                                s.at(),
                                s.cells(),
                                ended.flatMap(Ended::incident).orElse(null))
                            .compose(
                                id ->
                                    id.isEmpty()
                                        ? Future.succeededFuture()
                                        : tell(
                                            conn,
                                            source,
                                            notices.component(
                                                component,
                                                ended.map(
                                                    e -> Incident.defaultImpact(e.outageClass())),
                                                Incident.defaultImpact(s.outageClass()),
                                                s.at(),
                                                "probe-split"))));
          }
          OutagePlan.Amend a = (OutagePlan.Amend) step;
          return conn.preparedQuery(
                  """
                  UPDATE outages SET outage_class = $2, cells = $3
                  WHERE component = $1 AND source = $4 AND ended_at IS NULL\
                  """)
              .execute(
                  Tuple.of(
                      component, dbValue(a.outageClass()), Sql.array(a.cells()), source.dbValue()))
              .mapEmpty();
        });
  }

  /**
   * Records that one location saw {@code cell} failing from {@code from} to {@code to} where no
   * verdict could count it live (see {@link LateNetwork}): the seconds no counted outage of {@code
   * component} covers become, or join, its network events. Serialized per component, so the same
   * report written twice, by one tracker or two, is recorded once. Answers the start of the
   * component's open network event if this moved it earlier.
   */
  public Future<Optional<Instant>> recordLate(
      String component, String cell, OutageClass outageClass, Instant from, Instant to) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery("SELECT pg_advisory_xact_lock(hashtext('network ' || $1))")
                .execute(Tuple.of(component))
                .compose(
                    v ->
                        conn.preparedQuery(
                                """
                                SELECT started_at, ended_at FROM outages
                                WHERE component = $1 AND source = 'probe' AND started_at < $3
                                  AND (ended_at IS NULL OR ended_at > $2)\
                                """)
                            .execute(Tuple.of(component, Sql.ts(from), Sql.ts(to))))
                .compose(
                    rows -> {
                      List<LateNetwork.Span> counted = new ArrayList<>();
                      rows.forEach(r -> counted.add(span(r)));
                      Future<Optional<Instant>> done = Future.succeededFuture(Optional.empty());
                      for (LateNetwork.Span piece : LateNetwork.uncovered(from, to, counted)) {
                        done =
                            done.compose(
                                moved ->
                                    mergeLate(conn, component, cell, outageClass, piece)
                                        .map(m -> m.or(() -> moved)));
                      }
                      return done;
                    }));
  }

  private static Future<Optional<Instant>> mergeLate(
      SqlConnection conn,
      String component,
      String cell,
      OutageClass outageClass,
      LateNetwork.Span piece) {
    return conn.preparedQuery(
            """
            SELECT id, started_at, ended_at, outage_class, cells FROM outages
            WHERE component = $1 AND source = 'network' AND started_at <= $3
              AND (ended_at IS NULL OR ended_at >= $2)
            FOR UPDATE\
            """)
        .execute(Tuple.of(component, Sql.ts(piece.from()), Sql.ts(piece.to())))
        .compose(
            rows -> {
              List<LateNetwork.Event> events = new ArrayList<>();
              rows.forEach(
                  r ->
                      events.add(
                          new LateNetwork.Event(
                              r.getLong("id"),
                              span(r),
                              outageClass(r.getString("outage_class")),
                              Set.of(r.getArrayOfStrings("cells")))));
              return LateNetwork.merge(piece, outageClass, cell, events)
                  .map(step -> writeLate(conn, component, step))
                  .orElse(Future.succeededFuture(Optional.empty()));
            });
  }

  private static Future<Optional<Instant>> writeLate(
      SqlConnection conn, String component, LateNetwork.Step step) {
    if (step instanceof LateNetwork.Insert i) {
      return conn.preparedQuery(
              """
              INSERT INTO outages (component, outage_class, started_at, ended_at, cells, source,
                exclusion, exclusion_note)
              VALUES ($1, $2, $3, $4, $5, 'network', $6, $7)\
              """)
          .execute(
              Tuple.wrap(
                  new Object[] {
                    component,
                    dbValue(i.outageClass()),
                    Sql.ts(i.span().from()),
                    Sql.ts(i.span().to()),
                    Sql.array(i.cells()),
                    NETWORK.reason(),
                    NETWORK.note()
                  }))
          .map(Optional.empty());
    }
    LateNetwork.Merge m = (LateNetwork.Merge) step;
    // the absorbed go first: one of them may be the open event the kept one takes over from
    return conn.preparedQuery("DELETE FROM outages WHERE id = ANY($1)")
        .execute(Tuple.of(m.absorbed().toArray(Long[]::new)))
        .compose(
            v ->
                conn.preparedQuery(
                        """
                        UPDATE outages SET started_at = $2, ended_at = $3, outage_class = $4,
                          cells = $5
                        WHERE id = $1\
                        """)
                    .execute(
                        Tuple.of(
                            m.keep(),
                            Sql.ts(m.span().from()),
                            Sql.ts(m.span().to()),
                            dbValue(m.outageClass()),
                            Sql.array(m.cells()))))
        .map(v -> m.span().to() == null ? Optional.of(m.span().from()) : Optional.empty());
  }

  private static LateNetwork.Span span(Row row) {
    return new LateNetwork.Span(Sql.instant(row, "started_at"), Sql.instant(row, "ended_at"));
  }

  private static Future<Optional<Long>> insertOpen(
      SqlConnection conn,
      Source source,
      String component,
      OutageClass outageClass,
      Instant at,
      Set<String> cells,
      Long incident) {
    // Each source has its own partial unique index; the conflict target names the right one.
    String openOf =
        source == Source.NETWORK
            ? "ended_at IS NULL AND source = 'network'"
            : "ended_at IS NULL AND source = 'probe'";
    Exclusion exclusion = source == Source.NETWORK ? NETWORK : null;
    return conn.preparedQuery(
            """
            INSERT INTO outages (component, outage_class, started_at, cells, source, incident_id,
              exclusion, exclusion_note)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (component) WHERE %s DO NOTHING
            RETURNING id\
            """
                .formatted(openOf))
        .execute(
            Tuple.wrap(
                new Object[] {
                  component,
                  dbValue(outageClass),
                  Sql.ts(at),
                  Sql.array(cells),
                  source.dbValue(),
                  incident,
                  exclusion == null ? null : exclusion.reason(),
                  exclusion == null ? null : exclusion.note()
                }))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(rows.iterator().next().getLong(0)));
  }

  /**
   * A network event that begins inside an ended one (a late report recorded up to its location's
   * latest sample, then the same failure judged live) continues it rather than overlapping it.
   */
  private static Future<Optional<Long>> reopenNetwork(
      SqlConnection conn,
      String component,
      OutageClass outageClass,
      Instant at,
      Set<String> cells) {
    return conn.preparedQuery(
            """
            UPDATE outages SET ended_at = NULL, started_at = least(started_at, $2),
              outage_class = $3, cells = ARRAY(SELECT DISTINCT unnest(cells || $4) ORDER BY 1)
            WHERE id = (SELECT id FROM outages WHERE component = $1 AND source = 'network'
                AND ended_at > $2 ORDER BY ended_at DESC LIMIT 1)
              AND NOT EXISTS (SELECT 1 FROM outages WHERE component = $1 AND source = 'network'
                AND ended_at IS NULL)
            RETURNING id\
            """)
        .execute(Tuple.of(component, Sql.ts(at), dbValue(outageClass), Sql.array(cells)))
        .map(rows -> Sql.first(rows, r -> r.getLong(0)));
  }

  /**
   * Records what people are told of a probe outage; a network event changes no component's status
   * (it is excluded, seen by too few locations), so it tells nobody.
   */
  private static Future<Void> tell(SqlConnection conn, Source source, Event event) {
    return source == Source.PROBE ? Outbox.record(conn, event) : Future.succeededFuture();
  }

  /** An outage the tracker ended: its class, and the incident it had. */
  private record Ended(OutageClass outageClass, Optional<Long> incident) {}

  /**
   * Ends the open probe outage at {@code at}; one that began in that very second never lasted (a
   * split followed by recovery within the second) and is removed. Empty when none was open.
   */
  private static Future<Optional<Ended>> closeOpen(
      SqlConnection conn, Source source, String component, Instant at) {
    return conn.preparedQuery(
            """
            WITH open AS (
              SELECT id, started_at FROM outages
              WHERE component = $1 AND source = $3 AND ended_at IS NULL FOR UPDATE
            ), dropped AS (
              DELETE FROM outages o USING open WHERE o.id = open.id AND open.started_at >= $2
              RETURNING o.incident_id, o.outage_class
            ), closed AS (
              UPDATE outages o SET ended_at = $2 FROM open
              WHERE o.id = open.id AND open.started_at < $2
              RETURNING o.incident_id, o.outage_class
            )
            SELECT incident_id, outage_class FROM dropped
            UNION ALL SELECT incident_id, outage_class FROM closed\
            """)
        .execute(Tuple.of(component, Sql.ts(at), source.dbValue()))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row row = rows.iterator().next();
              return Optional.of(
                  new Ended(
                      outageClass(row.getString("outage_class")),
                      Optional.ofNullable(row.getLong("incident_id"))));
            });
  }

  private Future<Long> openIncident(
      SqlConnection conn,
      String component,
      Localized names,
      OutageClass outageClass,
      Instant at,
      Instant now) {
    Localized title = IncidentWording.title(names, outageClass);
    return conn.preparedQuery(
            """
            INSERT INTO incidents (title_en, title_ko, components, outage_class, status, source,
              started_at, created_at, impacts)
            VALUES ($1, $2, $3, $4, 'investigating', 'probe', $5, $6, $7) RETURNING id\
            """)
        .execute(
            Tuple.wrap(
                new Object[] {
                  title.en(),
                  title.ko(),
                  new String[] {component},
                  dbValue(outageClass),
                  Sql.ts(at),
                  Sql.ts(now),
                  IncidentRepository.impactsJson(
                      Map.of(component, Incident.defaultImpact(outageClass)))
                }))
        .map(rows -> rows.iterator().next().getLong(0))
        .compose(
            id ->
                IncidentRepository.insertUpdate(
                        conn,
                        id,
                        IncidentStatus.INVESTIGATING,
                        IncidentWording.investigating(names),
                        at)
                    .compose(update -> IncidentRepository.recorded(conn, notices, id, update))
                    .map(id));
  }

  private Future<Void> resolveIncident(
      SqlConnection conn, long incident, Localized names, Instant at) {
    return conn.preparedQuery(
            """
            UPDATE incidents SET status = 'resolved',
              resolved_at = greatest($2, started_at + interval '1 second')
            WHERE id = $1 AND resolved_at IS NULL RETURNING id\
            """)
        .execute(Tuple.of(incident, Sql.ts(at)))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.succeededFuture()
                    : IncidentRepository.insertUpdate(
                            conn,
                            incident,
                            IncidentStatus.RESOLVED,
                            IncidentWording.recovered(names),
                            at)
                        .compose(
                            update -> IncidentRepository.recorded(conn, notices, incident, update))
                        .mapEmpty());
  }

  /**
   * Tells the open probe outage's incident that its class is now {@code now}: an update, the
   * component's impact, and (escalating to major) an automatic incident's title, which names the
   * worst it got. Nothing when the outage or its incident has ended.
   */
  public Future<Void> announceClass(
      String component, Localized names, OutageClass now, Instant at) {
    Localized message = IncidentWording.classChanged(names, now);
    Localized major = IncidentWording.title(names, OutageClass.MAJOR);
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    """
                    UPDATE incidents i SET
                      outage_class = CASE WHEN $1 = 'major' THEN 'major' ELSE i.outage_class END,
                      impacts = i.impacts || jsonb_build_object($4::text, $5::text),
                      title_en = CASE WHEN $1 = 'major' AND i.source = 'probe' THEN $2 ELSE
                        i.title_en END,
                      title_ko = CASE WHEN $1 = 'major' AND i.source = 'probe' THEN $3 ELSE
                        i.title_ko END
                    FROM outages o
                    WHERE o.component = $4 AND o.source = 'probe' AND o.ended_at IS NULL
                      AND i.id = o.incident_id AND i.resolved_at IS NULL
                    RETURNING i.id, i.status\
                    """)
                .execute(
                    Tuple.of(
                        dbValue(now),
                        major.en(),
                        major.ko(),
                        component,
                        Incident.defaultImpact(now).apiValue()))
                .compose(
                    rows -> {
                      if (rows.size() == 0) {
                        return Future.succeededFuture();
                      }
                      long incident = rows.iterator().next().getLong(0);
                      return IncidentRepository.insertUpdate(
                              conn,
                              incident,
                              IncidentStatus.parse("status", rows.iterator().next().getString(1)),
                              message,
                              at)
                          .compose(
                              update ->
                                  IncidentRepository.recorded(conn, notices, incident, update))
                          .mapEmpty();
                    }));
  }

  /** One outage, if it exists. */
  public Future<Optional<OutageRecord>> get(long id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM outages WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> Sql.first(rows, OutageRepository::record));
  }

  /** The outages behind an incident, by start. */
  public Future<List<OutageRecord>> ofIncident(long incident) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + " FROM outages WHERE incident_id = $1 ORDER BY started_at, id")
        .execute(Tuple.of(incident))
        .map(OutageRepository::records);
  }

  /** Outages overlapping {@code [from, to)}, by start. */
  public Future<List<OutageRecord>> overlapping(Instant from, Instant to) {
    return overlapping(pool, from, to);
  }

  /** As {@link #overlapping(Instant, Instant)}, inside the caller's transaction. */
  public static Future<List<OutageRecord>> overlapping(SqlClient client, Instant from, Instant to) {
    return client
        .preparedQuery(
            "SELECT "
                + COLUMNS
                + """

                FROM outages WHERE started_at < $2 AND (ended_at IS NULL OR ended_at > $1)
                ORDER BY started_at, id\
                """)
        .execute(Tuple.of(Sql.ts(from), Sql.ts(to)))
        .map(OutageRepository::records);
  }

  /**
   * Applies an operator's edit with its audit row and month marks, in one transaction; the row is
   * locked first so concurrent edits serialise.
   */
  public Future<OutageRecord> change(
      long id, OutageEdit edit, String actor, Instant now, ZoneId zone) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery("SELECT " + COLUMNS + " FROM outages WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(id))
                .compose(
                    rows -> {
                      if (rows.size() == 0) {
                        return Future.failedFuture(DomainException.notFound("no outage " + id));
                      }
                      OutageRecord before = record(rows.iterator().next());
                      OutageRecord after = edit.applyTo(before, now);
                      Set<YearMonth> months =
                          new HashSet<>(
                              ChangeLog.months(before.start(), before.end().orElse(now), zone));
                      months.addAll(ChangeLog.months(after.start(), after.end().orElse(now), zone));
                      return conn.preparedQuery(
                              """
                              UPDATE outages SET outage_class = $2, started_at = $3, ended_at = $4,
                                exclusion = $5, exclusion_note = $6
                              WHERE id = $1\
                              """)
                          .execute(
                              Tuple.of(
                                  id,
                                  dbValue(after.outageClass()),
                                  Sql.ts(after.start()),
                                  Sql.ts(after.end().orElse(null)),
                                  after.exclusion().map(Exclusion::reason).orElse(null),
                                  after.exclusion().map(Exclusion::note).orElse(null)))
                          .compose(
                              r ->
                                  ChangeLog.audit(
                                      conn,
                                      actor,
                                      "outage.change",
                                      "outage",
                                      String.valueOf(id),
                                      before.toJson(),
                                      after.toJson(),
                                      now))
                          .compose(
                              r ->
                                  ChangeLog.markMonths(
                                      conn, months, now, OutageEdit.describe(before, after)))
                          .map(after);
                    }));
  }

  /** Manual outages recorded with an incident, one per component it takes down. */
  static Future<Void> insertManual(
      SqlConnection conn,
      long incident,
      Map<String, OutageClass> outages,
      Instant start,
      Optional<Instant> end) {
    List<Future<?>> inserts = new ArrayList<>();
    for (Map.Entry<String, OutageClass> e : outages.entrySet()) {
      String component = e.getKey();
      OutageClass outageClass = e.getValue();
      inserts.add(
          conn.preparedQuery(
                  """
                  INSERT INTO outages (component, outage_class, started_at, ended_at, cells, source,
                    incident_id)
                  VALUES ($1, $2, $3, $4, '{}', 'manual', $5)\
                  """)
              .execute(
                  Tuple.of(
                      component,
                      dbValue(outageClass),
                      Sql.ts(start),
                      Sql.ts(end.orElse(null)),
                      incident)));
    }
    return Future.all(inserts).mapEmpty();
  }

  /** Ends the open manual outages of an incident the operator resolved. */
  static Future<Void> endManual(SqlConnection conn, long incident, Instant at) {
    return conn.preparedQuery(
            """
            UPDATE outages SET ended_at = greatest($2, started_at + interval '1 second')
            WHERE incident_id = $1 AND source = 'manual' AND ended_at IS NULL\
            """)
        .execute(Tuple.of(incident, Sql.ts(at)))
        .mapEmpty();
  }

  static String dbValue(OutageClass c) {
    return c.name().toLowerCase(Locale.ROOT);
  }

  static OutageClass outageClass(String value) {
    return OutageClass.valueOf(value.toUpperCase(Locale.ROOT));
  }

  private static List<OutageRecord> records(RowSet<Row> rows) {
    List<OutageRecord> out = new ArrayList<>();
    rows.forEach(row -> out.add(record(row)));
    return out;
  }

  private static OutageRecord record(Row row) {
    String exclusion = row.getString("exclusion");
    return new OutageRecord(
        row.getLong("id"),
        row.getString("component"),
        outageClass(row.getString("outage_class")),
        Sql.instant(row, "started_at"),
        Sql.optionalInstant(row, "ended_at"),
        Sql.strings(row, "cells"),
        Source.valueOf(row.getString("source").toUpperCase(Locale.ROOT)),
        Optional.ofNullable(row.getLong("incident_id")),
        exclusion == null
            ? Optional.empty()
            : Optional.of(new Exclusion(exclusion, row.getString("exclusion_note"))));
  }
}
