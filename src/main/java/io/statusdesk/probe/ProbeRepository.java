package io.statusdesk.probe;

import io.statusdesk.notify.Event;
import io.statusdesk.notify.Outbox;
import io.statusdesk.sla.NoData;
import io.statusdesk.store.Members;
import io.statusdesk.store.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** SQL of the probe feature: checks, raw results, minute rollups and monitoring gaps. */
public final class ProbeRepository {

  /**
   * One statement per batch: raw rows go in (a retried batch hits the primary key and is skipped),
   * and only rows actually inserted feed the rollups, so retries never double-count.
   */
  private static final String WRITE_RESULTS =
      """
      WITH input AS (
        SELECT * FROM unnest($1::int[], $2::text[], $3::timestamptz[], $4::text[], $5::int[],
          $6::text[])
          AS t(check_id, location, probed_at, outcome, latency_ms, error)
      ), inserted AS (
        INSERT INTO probe_results (check_id, location, probed_at, outcome, latency_ms, error)
        SELECT * FROM input
        ON CONFLICT DO NOTHING
        RETURNING check_id, location, probed_at, outcome, latency_ms
      )
      INSERT INTO probe_rollup_minute AS r
        (check_id, location, minute, up, degraded, down, latency_sum_ms, latency_max_ms, last_at)
      SELECT check_id, location, date_trunc('minute', probed_at),
             count(*) FILTER (WHERE outcome = 'up'),
             count(*) FILTER (WHERE outcome = 'degraded'),
             count(*) FILTER (WHERE outcome = 'down'),
             sum(latency_ms), max(latency_ms), max(probed_at)
      FROM inserted
      GROUP BY 1, 2, 3
      ON CONFLICT (check_id, location, minute) DO UPDATE SET
        up = r.up + EXCLUDED.up,
        degraded = r.degraded + EXCLUDED.degraded,
        down = r.down + EXCLUDED.down,
        latency_sum_ms = r.latency_sum_ms + EXCLUDED.latency_sum_ms,
        latency_max_ms = greatest(r.latency_max_ms, EXCLUDED.latency_max_ms),
        last_at = greatest(r.last_at, EXCLUDED.last_at)
      """;

  private static final String WRITE_GAPS =
      """
      INSERT INTO monitoring_gaps (check_id, location, started_at, ended_at, reason)
      SELECT * FROM unnest($1::int[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[])
      ON CONFLICT (check_id, location, started_at) DO NOTHING
      """;

  /**
   * A decision replaces what is stored unless an older probe made it, and says something new; a
   * replayed one (a restart's, a take-over's) only fills a missing row, since the replay may not
   * reach back to the start of a long run.
   */
  private static final String WRITE_HEALTH =
      """
      INSERT INTO location_health AS h (check_id, location, state, since, degraded, at)
      SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::timestamptz[], $5::bool[],
        $6::timestamptz[])
      ON CONFLICT (check_id, location) DO %s
      """;

  /**
   * Every decided state change goes to the log, not only the latest of the batch: a failure and its
   * recovery pushed together must both be known to the judge. A change logged before is skipped.
   */
  private static final String LOG_HEALTH =
      """
      INSERT INTO location_health_log (check_id, location, state, since, at)
      SELECT check_id, location, state, since, at
      FROM unnest($1::int[], $2::text[], $3::text[], $4::timestamptz[], $5::bool[],
        $6::timestamptz[]) AS t(check_id, location, state, since, degraded, at)
      ON CONFLICT DO NOTHING
      """;

  /** The channel that wakes every instance's judge when a location's health changed. */
  public static final String HEALTH_CHANNEL = "statusdesk_health";

  private final Pool pool;

  public ProbeRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Ensures every cell has a row and returns the ids by {@code component/cell} key; a new cell's
   * monitoring begins {@code now}.
   */
  public Future<Map<String, Integer>> register(List<Cell> cells, Instant now) {
    List<String> components = cells.stream().map(Cell::componentId).toList();
    List<String> ids = cells.stream().map(Cell::id).toList();
    return pool.preparedQuery(
            """
            INSERT INTO checks (component, cell, created_at)
            SELECT n.component, n.cell, $3::timestamptz
            FROM unnest($1::text[], $2::text[]) AS n(component, cell)
            ON CONFLICT (component, cell) DO UPDATE SET component = EXCLUDED.component
            RETURNING id, component, cell\
            """)
        .execute(
            Tuple.tuple()
                .addArrayOfString(components.toArray(String[]::new))
                .addArrayOfString(ids.toArray(String[]::new))
                .addOffsetDateTime(Sql.ts(now)))
        .map(
            rows -> {
              Map<String, Integer> out = new HashMap<>();
              for (Row row : rows) {
                out.put(
                    row.getString("component") + "/" + row.getString("cell"), row.getInteger("id"));
              }
              return out;
            });
  }

  /**
   * Writes a batch of results, closed gaps, health changes and the events they cause in one
   * transaction; health changes notify every instance at commit.
   */
  public Future<Void> write(
      List<ProbeResult> results,
      List<MonitoringGap> gaps,
      List<LocationHealth> health,
      List<Event> events) {
    if (gaps.isEmpty() && health.isEmpty() && events.isEmpty()) {
      // the usual batch is one statement, atomic by itself: no BEGIN and COMMIT round trips
      return results.isEmpty()
          ? Future.succeededFuture()
          : pool.preparedQuery(WRITE_RESULTS).execute(resultsTuple(results)).mapEmpty();
    }
    return pool.withTransaction(conn -> write(conn, results, gaps, health, events));
  }

  /** As {@link #write(List, List, List, List)}, inside the caller's transaction. */
  public static Future<Void> write(
      SqlConnection conn,
      List<ProbeResult> results,
      List<MonitoringGap> gaps,
      List<LocationHealth> health,
      List<Event> events) {
    Future<?> written =
        results.isEmpty()
            ? Future.succeededFuture()
            : conn.preparedQuery(WRITE_RESULTS).execute(resultsTuple(results));
    return written
        .compose(
            x ->
                gaps.isEmpty()
                    ? Future.succeededFuture()
                    : conn.preparedQuery(WRITE_GAPS).execute(gapTuple(gaps)))
        .compose(x -> health.isEmpty() ? Future.succeededFuture() : writeHealth(conn, health))
        .compose(x -> Outbox.recordAll(conn, events))
        .mapEmpty();
  }

  private static Tuple resultsTuple(List<ProbeResult> results) {
    int n = results.size();
    Integer[] checkIds = new Integer[n];
    String[] locations = new String[n];
    OffsetDateTime[] times = new OffsetDateTime[n];
    String[] outcomes = new String[n];
    Integer[] latencies = new Integer[n];
    String[] errors = new String[n];
    for (int i = 0; i < n; i++) {
      ProbeResult r = results.get(i);
      checkIds[i] = r.checkId();
      locations[i] = r.location();
      times[i] = Sql.ts(r.probedAt());
      outcomes[i] = r.outcome().dbValue();
      latencies[i] = r.latencyMs();
      errors[i] = r.error();
    }
    return Tuple.tuple()
        .addArrayOfInteger(checkIds)
        .addArrayOfString(locations)
        .addArrayOfOffsetDateTime(times)
        .addArrayOfString(outcomes)
        .addArrayOfInteger(latencies)
        .addArrayOfString(errors);
  }

  private static Future<?> writeHealth(SqlClient conn, List<LocationHealth> changes) {
    // One statement may touch a row once: the latest decision per cell and location goes.
    Map<String, LocationHealth> latest = new LinkedHashMap<>();
    for (LocationHealth h : changes) {
      latest.merge(h.checkId() + "/" + h.location(), h, (a, b) -> b.at().isBefore(a.at()) ? a : b);
    }
    List<LocationHealth> decided = latest.values().stream().filter(h -> !h.replayed()).toList();
    List<LocationHealth> replayed =
        latest.values().stream().filter(LocationHealth::replayed).toList();
    List<LocationHealth> logged = changes.stream().filter(h -> !h.replayed()).toList();
    return logHealth(conn, logged)
        .compose(
            l ->
                upsertHealth(
                        conn,
                        decided,
                        """
                        UPDATE SET state = EXCLUDED.state, since = EXCLUDED.since,
                          degraded = EXCLUDED.degraded, at = EXCLUDED.at, xid = pg_current_xact_id()
                        WHERE h.at <= EXCLUDED.at AND (h.state, h.since, h.degraded)
                          IS DISTINCT FROM (EXCLUDED.state, EXCLUDED.since, EXCLUDED.degraded)\
                        """)
                    .map(n -> n + l))
        .compose(n -> upsertHealth(conn, replayed, "NOTHING").map(m -> n + m))
        .compose(
            n ->
                n == 0
                    ? Future.succeededFuture()
                    : conn.preparedQuery("SELECT pg_notify($1, '')")
                        .execute(Tuple.of(HEALTH_CHANNEL)));
  }

  /** Appends the state changes not logged yet; answers the rows written. */
  private static Future<Integer> logHealth(SqlClient conn, List<LocationHealth> changes) {
    if (changes.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return conn.preparedQuery(LOG_HEALTH)
        .execute(healthTuple(changes))
        .map(rows -> rows.rowCount());
  }

  private static Tuple healthTuple(List<LocationHealth> health) {
    return Tuple.tuple()
        .addArrayOfInteger(health.stream().map(LocationHealth::checkId).toArray(Integer[]::new))
        .addArrayOfString(health.stream().map(LocationHealth::location).toArray(String[]::new))
        .addArrayOfString(health.stream().map(ProbeRepository::state).toArray(String[]::new))
        .addArrayOfOffsetDateTime(
            health.stream().map(h -> Sql.ts(h.since())).toArray(OffsetDateTime[]::new))
        .addArrayOfBoolean(health.stream().map(LocationHealth::degraded).toArray(Boolean[]::new))
        .addArrayOfOffsetDateTime(
            health.stream().map(h -> Sql.ts(h.at())).toArray(OffsetDateTime[]::new));
  }

  private static String state(LocationHealth h) {
    return h.state().name().toLowerCase(Locale.ROOT);
  }

  /**
   * A decision replaces what is stored unless an older probe made it, or it says nothing new; a
   * replayed one (a restart's, a take-over's) only fills a missing row, since the replay may not
   * reach back to the start of a long run. Answers the rows written.
   */
  private static Future<Integer> upsertHealth(
      SqlClient conn, List<LocationHealth> health, String onConflict) {
    if (health.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return conn.preparedQuery(WRITE_HEALTH.formatted(onConflict))
        .execute(healthTuple(health))
        .map(rows -> rows.rowCount());
  }

  /** Every member seen in the last day (instances and agents), and whether each is alive. */
  public Future<List<Members.Member>> members(Duration ttl, Map<Integer, String> singletons) {
    return Members.all(pool, ttl, singletons);
  }

  /**
   * Writes an agent's batch once: a batch id seen before writes nothing and answers false. The
   * agent is recorded as a member of its location in the same transaction.
   */
  public Future<Boolean> writeBatch(
      UUID id,
      UUID agent,
      String agentName,
      String location,
      List<ProbeResult> results,
      List<MonitoringGap> gaps,
      List<LocationHealth> health,
      List<Event> events) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    """
                    INSERT INTO agent_batches (id, location, results) VALUES ($1, $2, $3)
                    ON CONFLICT (id) DO NOTHING RETURNING id\
                    """)
                .execute(Tuple.of(id, location, results.size()))
                .compose(
                    rows ->
                        rows.size() == 0
                            ? Future.succeededFuture(false)
                            : write(conn, results, gaps, health, events)
                                .compose(v -> Members.agentSeen(conn, agent, location, agentName))
                                .map(true)));
  }

  /**
   * Health rows changed since {@code cursor} (a transaction id; 0 for all), the state changes
   * logged since (none for 0: the first look starts from what each location says now), and the
   * cursor to ask with next time: the oldest transaction still running when this was read, so a
   * change whose commit was not visible yet is read again rather than missed.
   */
  public Future<HealthChanges> healthSince(long cursor) {
    return pool.preparedQuery(
            """
            WITH horizon AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS x)
            SELECT horizon.x, false AS logged, h.check_id, h.location, h.state, h.since,
              h.degraded, h.at
            FROM horizon LEFT JOIN location_health h ON h.xid >= $1::text::xid8
            UNION ALL
            SELECT horizon.x, true, l.check_id, l.location, l.state, l.since, false, l.at
            FROM horizon JOIN location_health_log l
              ON l.xid >= $1::text::xid8 AND $1::text <> '0'\
            """)
        .execute(Tuple.of(String.valueOf(cursor)))
        .map(
            rows -> {
              long next = cursor;
              List<LocationHealth> changed = new ArrayList<>();
              List<LocationHealth> logged = new ArrayList<>();
              for (Row row : rows) {
                next = row.getLong(0);
                if (row.getInteger("check_id") != null) {
                  (row.getBoolean("logged") ? logged : changed)
                      .add(
                          new LocationHealth(
                              row.getInteger("check_id"),
                              row.getString("location"),
                              CheckHealth.State.valueOf(
                                  row.getString("state").toUpperCase(Locale.ROOT)),
                              Sql.instant(row, "since"),
                              row.getBoolean("degraded"),
                              Sql.instant(row, "at"),
                              false));
                }
              }
              return new HealthChanges(changed, logged, next);
            });
  }

  /**
   * What {@link #healthSince} found, and where to look from next time.
   *
   * @param changed the rows that changed: what each location says now
   * @param logged the state changes logged since
   */
  public record HealthChanges(
      List<LocationHealth> changed, List<LocationHealth> logged, long cursor) {}

  /**
   * The latest sample of each of {@code checkIds} at each location, from the minute rollups (one
   * index range per check), among samples after {@code after}.
   */
  public Future<Map<Integer, Map<String, Instant>>> latestByLocation(
      Collection<Integer> checkIds, Instant after) {
    return pool.preparedQuery(
            """
            SELECT check_id, location, max(last_at) AS last_at FROM probe_rollup_minute
            WHERE check_id = ANY($1) AND minute >= date_trunc('minute', $2::timestamptz)
            GROUP BY 1, 2\
            """)
        .execute(Tuple.of(checkIds.toArray(Integer[]::new), Sql.ts(after)))
        .map(
            rows -> {
              Map<Integer, Map<String, Instant>> out = new HashMap<>();
              rows.forEach(
                  r ->
                      out.computeIfAbsent(r.getInteger("check_id"), k -> new HashMap<>())
                          .put(r.getString("location"), Sql.instant(r, "last_at")));
              return out;
            });
  }

  /**
   * The newest {@code perCheck} results of each of {@code checkIds} at {@code location} from the
   * two days before {@code now}, oldest first: enough to replay the threshold state machine after a
   * restart or a take-over.
   */
  public Future<Map<Integer, List<ProbeResult>>> recent(
      String location, int perCheck, Collection<Integer> checkIds, Instant now) {
    return pool.preparedQuery(
            """
            SELECT c.id, r.probed_at, r.outcome, r.latency_ms, r.error
            FROM unnest($3::int[]) AS c(id)
            CROSS JOIN LATERAL (
              SELECT probed_at, outcome, latency_ms, error FROM probe_results p
              WHERE p.check_id = c.id AND p.location = $1
                AND p.probed_at > $4::timestamptz - interval '2 days'
              ORDER BY probed_at DESC LIMIT $2) r
            ORDER BY c.id, r.probed_at\
            """)
        .execute(Tuple.of(location, perCheck, checkIds.toArray(Integer[]::new), Sql.ts(now)))
        .map(
            rows -> {
              Map<Integer, List<ProbeResult>> out = new LinkedHashMap<>();
              for (Row row : rows) {
                int id = row.getInteger("id");
                out.computeIfAbsent(id, k -> new ArrayList<>())
                    .add(
                        new ProbeResult(
                            id,
                            location,
                            Sql.instant(row, "probed_at"),
                            Outcome.fromDb(row.getString("outcome")),
                            row.getInteger("latency_ms"),
                            row.getString("error")));
              }
              return out;
            });
  }

  /**
   * When each of {@code checkIds} was last sampled at {@code location}, from the rollups (kept
   * forever, one index probe per check); checks never sampled there are absent.
   */
  public Future<Map<Integer, Instant>> lastSamples(String location, Collection<Integer> checkIds) {
    return pool.preparedQuery(
            """
            SELECT i.check_id, last.last_at
            FROM unnest($2::int[]) AS i(check_id)
            CROSS JOIN LATERAL (
              SELECT last_at FROM probe_rollup_minute m
              WHERE m.check_id = i.check_id AND m.location = $1
              ORDER BY minute DESC LIMIT 1) last\
            """)
        .execute(
            Tuple.tuple().addString(location).addArrayOfInteger(checkIds.toArray(Integer[]::new)))
        .map(
            rows -> {
              Map<Integer, Instant> out = new HashMap<>();
              rows.forEach(r -> out.put(r.getInteger("check_id"), Sql.instant(r, "last_at")));
              return out;
            });
  }

  /**
   * Spans between consecutive samples of {@code intervals}' checks at {@code location} since {@code
   * since} that missed a slot and meet no recorded gap (one that covers part of a span began at a
   * dropped result, the slot after the first sample, so never two gaps count one second): what a
   * take-over that found no stored sample to date its gap from leaves once the previous owner's
   * last results are stored.
   */
  public Future<List<MonitoringGap>> unrecordedHoles(
      String location, Map<Integer, Duration> intervals, Instant since) {
    List<Integer> ids = new ArrayList<>(intervals.keySet());
    Long[] millis = ids.stream().map(id -> intervals.get(id).toMillis()).toArray(Long[]::new);
    return pool.preparedQuery(
            """
            WITH i AS (SELECT * FROM unnest($2::int[], $3::bigint[]) AS i(check_id, interval_ms)),
            r AS (
              SELECT p.check_id, i.interval_ms, p.probed_at,
                lag(p.probed_at) OVER (PARTITION BY p.check_id ORDER BY p.probed_at) AS prev
              FROM probe_results p JOIN i USING (check_id)
              WHERE p.location = $1 AND p.probed_at >= $4)
            SELECT check_id, interval_ms, prev, probed_at FROM r
            WHERE probed_at - prev > interval_ms * interval '1 millisecond'
              AND NOT EXISTS (SELECT 1 FROM monitoring_gaps g WHERE g.check_id = r.check_id
                AND g.location = $1 AND g.started_at < r.probed_at AND g.ended_at > r.prev)\
            """)
        .execute(
            Tuple.tuple()
                .addString(location)
                .addArrayOfInteger(ids.toArray(Integer[]::new))
                .addArrayOfLong(millis)
                .addOffsetDateTime(Sql.ts(since)))
        .map(
            rows -> {
              List<MonitoringGap> out = new ArrayList<>();
              for (Row r : rows) {
                MonitoringGap.monitorDown(
                        r.getInteger("check_id"),
                        location,
                        Sql.instant(r, "prev"),
                        Sql.instant(r, "probed_at"),
                        Duration.ofMillis(r.getLong("interval_ms")))
                    .ifPresent(out::add);
              }
              return out;
            });
  }

  /**
   * Creates upcoming day partitions and drops those past retention, agent batch ids and logged
   * health changes too.
   */
  public Future<Void> maintainPartitions(int retentionDays) {
    return pool.preparedQuery("SELECT maintain_probe_partitions($1, 3)")
        .execute(Tuple.of(retentionDays))
        .compose(
            v ->
                pool.preparedQuery(
                        "DELETE FROM agent_batches WHERE received_at < now() - make_interval("
                            + "days => $1)")
                    .execute(Tuple.of(retentionDays)))
        .compose(
            v ->
                pool.preparedQuery(
                        "DELETE FROM location_health_log WHERE since < now() - make_interval("
                            + "days => $1)")
                    .execute(Tuple.of(retentionDays)))
        .mapEmpty();
  }

  private static Tuple gapTuple(List<MonitoringGap> gaps) {
    return Tuple.tuple()
        .addArrayOfInteger(gaps.stream().map(MonitoringGap::checkId).toArray(Integer[]::new))
        .addArrayOfString(gaps.stream().map(MonitoringGap::location).toArray(String[]::new))
        .addArrayOfOffsetDateTime(
            gaps.stream().map(g -> Sql.ts(g.startedAt())).toArray(OffsetDateTime[]::new))
        .addArrayOfOffsetDateTime(
            gaps.stream().map(g -> Sql.ts(g.endedAt())).toArray(OffsetDateTime[]::new))
        .addArrayOfString(gaps.stream().map(MonitoringGap::reason).toArray(String[]::new));
  }

  /**
   * Spans in which no location watched a component (see {@link Unobserved}), overlapping {@code
   * [from, to)}.
   */
  public static Future<List<NoData>> unobserved(SqlClient client, Instant from, Instant to) {
    Future<List<Unobserved.Gap>> gaps =
        client
            .preparedQuery(
                """
                SELECT DISTINCT c.component, g.location, g.started_at, g.ended_at
                FROM monitoring_gaps g JOIN checks c ON c.id = g.check_id
                WHERE g.reason = 'monitor_down' AND g.started_at < $2 AND g.ended_at > $1\
                """)
            .execute(Tuple.of(Sql.ts(from), Sql.ts(to)))
            .map(
                rows -> {
                  List<Unobserved.Gap> out = new ArrayList<>();
                  rows.forEach(
                      r ->
                          out.add(
                              new Unobserved.Gap(
                                  r.getString("component"),
                                  r.getString("location"),
                                  Sql.instant(r, "started_at"),
                                  Sql.instant(r, "ended_at"))));
                  return out;
                });
    // One index probe per cell and location: the first minute it was sampled there.
    Future<List<Unobserved.Watcher>> watchers =
        client
            .query(
                """
                SELECT c.component, h.location, min(f.first) AS first
                FROM location_health h JOIN checks c ON c.id = h.check_id
                CROSS JOIN LATERAL (SELECT min(minute) AS first FROM probe_rollup_minute r
                  WHERE r.check_id = h.check_id AND r.location = h.location) f
                WHERE f.first IS NOT NULL
                GROUP BY 1, 2\
                """)
            .execute()
            .map(
                rows -> {
                  List<Unobserved.Watcher> out = new ArrayList<>();
                  rows.forEach(
                      r ->
                          out.add(
                              new Unobserved.Watcher(
                                  r.getString("component"),
                                  r.getString("location"),
                                  Sql.instant(r, "first"))));
                  return out;
                });
    return Future.all(gaps, watchers).map(v -> Unobserved.of(gaps.result(), watchers.result()));
  }

  /** Slow-probe minutes per component and day (in {@code zone}) within {@code [from, to)}. */
  public static Future<Map<String, Map<LocalDate, Integer>>> degradedMinutes(
      SqlClient client, Instant from, Instant to, ZoneId zone) {
    return client
        .preparedQuery(
            """
            SELECT c.component, (r.minute AT TIME ZONE $3)::date AS day, count(*) AS minutes
            FROM probe_rollup_minute r JOIN checks c ON c.id = r.check_id
            WHERE r.degraded > 0 AND r.minute >= $1 AND r.minute < $2
            GROUP BY 1, 2\
            """)
        .execute(Tuple.of(Sql.ts(from), Sql.ts(to), zone.getId()))
        .map(
            rows -> {
              Map<String, Map<LocalDate, Integer>> out = new HashMap<>();
              rows.forEach(
                  r ->
                      out.computeIfAbsent(r.getString("component"), k -> new HashMap<>())
                          .put(r.getLocalDate("day"), r.getLong("minutes").intValue()));
              return out;
            });
  }

  /** When each component was first monitored. */
  public static Future<Map<String, Instant>> monitoredSince(SqlClient client) {
    return client
        .query("SELECT component, min(created_at) AS since FROM checks GROUP BY component")
        .execute()
        .map(
            rows -> {
              Map<String, Instant> out = new HashMap<>();
              rows.forEach(r -> out.put(r.getString("component"), Sql.instant(r, "since")));
              return out;
            });
  }

  /** One minute of a cell's latency, every location together. */
  public record LatencyMinute(Instant minute, long probes, long down, long sumMs, int maxMs) {

    /** Average latency of the minute's probes, whole milliseconds. */
    public long averageMs() {
      return probes == 0 ? 0 : sumMs / probes;
    }
  }

  /** A cell's minute rollups in {@code [from, to)}, oldest first. */
  public Future<List<LatencyMinute>> latency(
      String component, String cell, Instant from, Instant to) {
    return pool.preparedQuery(
            """
            SELECT r.minute, sum(r.up + r.degraded + r.down) AS probes, sum(r.down) AS down,
              sum(r.latency_sum_ms) AS sum_ms, max(r.latency_max_ms) AS max_ms
            FROM probe_rollup_minute r JOIN checks c ON c.id = r.check_id
            WHERE c.component = $1 AND c.cell = $2 AND r.minute >= $3 AND r.minute < $4
            GROUP BY r.minute ORDER BY r.minute\
            """)
        .execute(Tuple.of(component, cell, Sql.ts(from), Sql.ts(to)))
        .map(
            rows -> {
              List<LatencyMinute> out = new ArrayList<>(rows.size());
              rows.forEach(
                  r ->
                      out.add(
                          new LatencyMinute(
                              Sql.instant(r, "minute"),
                              r.getLong("probes"),
                              r.getLong("down"),
                              r.getLong("sum_ms"),
                              r.getInteger("max_ms"))));
              return out;
            });
  }

  /** A monitoring gap with the cell it belongs to. */
  public record Gap(
      String cell, String location, Instant startedAt, Instant endedAt, String reason) {}

  /** The {@code limit} latest monitoring gaps of any cell, newest first. */
  public Future<List<Gap>> recentGaps(int limit) {
    return pool.preparedQuery(
            """
            SELECT c.component || '/' || c.cell AS cell, g.location, g.started_at, g.ended_at,
              g.reason
            FROM monitoring_gaps g JOIN checks c ON c.id = g.check_id
            ORDER BY g.started_at DESC LIMIT $1\
            """)
        .execute(Tuple.of(limit))
        .map(
            rows -> {
              List<Gap> out = new ArrayList<>();
              rows.forEach(
                  r ->
                      out.add(
                          new Gap(
                              r.getString("cell"),
                              r.getString("location"),
                              Sql.instant(r, "started_at"),
                              Sql.instant(r, "ended_at"),
                              r.getString("reason"))));
              return out;
            });
  }
}
