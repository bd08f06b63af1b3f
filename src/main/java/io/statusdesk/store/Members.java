package io.statusdesk.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL of the members table: serve instances registering and beating on their membership connection,
 * agents seen through their pushes, and the list operators read.
 */
public final class Members {
  /** Advisory lock class of a serve member's liveness lock ({@code objid} is its lock key). */
  static final int MEMBER_LOCKS = 1515;

  /** Advisory lock class of the singletons ({@code objid} is the singleton's key). */
  static final int SINGLETON_LOCKS = 1516;

  /**
   * Whether a serve member is alive: its heartbeat is recent and its membership connection still
   * holds its lock (a killed process loses the lock at once, a hung one its heartbeat).
   */
  private static final String LIVE =
      """
      m.kind = 'agent' AND m.heartbeat_at > now() - interval '30 seconds'
      OR m.kind = 'serve' AND m.heartbeat_at > now() - $ttl * interval '1 millisecond'
        AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory'
          AND l.classid = 1515::oid AND l.objid = m.lock_key::oid AND l.objsubid = 2
          AND l.granted)\
      """;

  private Members() {}

  /**
   * One row of {@code GET /api/v1/instances}.
   *
   * @param singletons the singletons whose locks its membership connection holds now, by name
   */
  public record Member(
      String id,
      String kind,
      String location,
      String name,
      Instant startedAt,
      Instant heartbeatAt,
      int cellsOwned,
      boolean live,
      List<String> singletons) {
    public Member {
      singletons = List.copyOf(singletons);
    }
  }

  /** What a beat found: the live serve members of this location, and this member's last beat. */
  record Beat(List<String> live, Instant previous, Instant now, List<Integer> acquired) {}

  /** A fresh lock key, and this member's liveness lock taken with it on {@code conn}. */
  static Future<Integer> lock(SqlClient conn, Optional<Integer> key) {
    Future<Integer> chosen =
        key.map(Future::succeededFuture)
            .orElseGet(
                () ->
                    conn.query("SELECT nextval('member_lock_keys')::int")
                        .execute()
                        .map(rows -> rows.iterator().next().getInteger(0)));
    return chosen.compose(
        k ->
            conn.preparedQuery("SELECT pg_try_advisory_lock($1, $2)")
                .execute(Tuple.of(MEMBER_LOCKS, k))
                .compose(
                    rows ->
                        rows.iterator().next().getBoolean(0)
                            ? Future.succeededFuture(k)
                            : Future.failedFuture("member lock " + k + " is held elsewhere")));
  }

  static Future<Void> register(
      SqlClient conn, UUID id, String location, String name, int lockKey, Instant startedAt) {
    return conn.preparedQuery(
            """
            INSERT INTO members (id, kind, location, name, lock_key, started_at, heartbeat_at)
            VALUES ($1, 'serve', $2, $3, $4, $5, now())
            ON CONFLICT (id) DO UPDATE SET lock_key = EXCLUDED.lock_key, heartbeat_at = now()\
            """)
        .execute(Tuple.of(id, location, name, lockKey, Sql.ts(startedAt)))
        .compose(
            v ->
                conn.query("DELETE FROM members WHERE heartbeat_at < now() - interval '1 day'")
                    .execute())
        .mapEmpty();
  }

  /**
   * Beats, reads the live serve members of {@code location} (this one always included), and tries
   * the singleton locks in {@code wanted}, answering those it took. One statement, one round trip.
   */
  static Future<Beat> beat(
      SqlClient conn, UUID id, String location, int cellsOwned, long ttlMs, List<Integer> wanted) {
    return conn.preparedQuery(
            """
            WITH old AS (SELECT heartbeat_at FROM members WHERE id = $1),
            beat AS (UPDATE members SET heartbeat_at = now(), cells_owned = $2 WHERE id = $1
              RETURNING id),
            taken AS (SELECT coalesce(array_agg(k), '{}') AS keys FROM unnest($5::int[]) k
              WHERE pg_try_advisory_lock(1516, k))
            SELECT (SELECT heartbeat_at FROM old) AS previous, now() AS now,
              (SELECT count(*) FROM beat) AS beat, (SELECT keys FROM taken) AS acquired,
              array(SELECT m.id::text FROM members m WHERE m.kind = 'serve' AND m.location = $3
                AND (m.id = $1 OR (%s))) AS live\
            """
                .formatted(LIVE.replace("$ttl", "$4")))
        .execute(Tuple.of(id, cellsOwned, location, ttlMs, wanted.toArray(Integer[]::new)))
        .compose(
            rows -> {
              Row row = rows.iterator().next();
              if (row.getLong("beat") == 0) {
                return Future.failedFuture("this member's row is gone");
              }
              Integer[] acquired = row.getArrayOfIntegers("acquired");
              return Future.succeededFuture(
                  new Beat(
                      List.of(row.getArrayOfStrings("live")),
                      Sql.instant(row, "previous"),
                      Sql.instant(row, "now"),
                      acquired == null ? List.of() : List.of(acquired)));
            });
  }

  /** Gives up a singleton this member holds (it is stopping). */
  static Future<Void> release(SqlClient conn, int key) {
    return conn.preparedQuery("SELECT pg_advisory_unlock($1, $2)")
        .execute(Tuple.of(SINGLETON_LOCKS, key))
        .mapEmpty();
  }

  /** An agent pushed results: it is a member of its location while it keeps pushing. */
  public static Future<Void> agentSeen(SqlClient client, UUID id, String location, String name) {
    return client
        .preparedQuery(
            """
            INSERT INTO members (id, kind, location, name, started_at, heartbeat_at)
            VALUES ($1, 'agent', $2, $3, now(), now())
            ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()
            WHERE members.kind = 'agent'\
            """)
        .execute(Tuple.of(id, location, name))
        .mapEmpty();
  }

  /**
   * Every member seen in the last day, live or not, by location and start, each with the singletons
   * it holds: the singleton locks held by the backend that holds its liveness lock (its membership
   * connection), named by {@code singletons} (lock key to name; unknown keys are left out).
   */
  public static Future<List<Member>> all(
      SqlClient client, Duration ttl, Map<Integer, String> singletons) {
    return client
        .preparedQuery(
            """
            SELECT m.id::text, m.kind, m.location, m.name, m.started_at, m.heartbeat_at,
              m.cells_owned, (%s) AS live,
              array(SELECT s.objid::bigint FROM pg_locks ml JOIN pg_locks s ON s.pid = ml.pid
                WHERE m.kind = 'serve' AND ml.locktype = 'advisory' AND ml.classid = 1515::oid
                  AND ml.objid = m.lock_key::oid AND ml.objsubid = 2 AND ml.granted
                  AND s.locktype = 'advisory' AND s.classid = 1516::oid AND s.objsubid = 2
                  AND s.granted ORDER BY 1) AS singletons
            FROM members m ORDER BY m.location, m.kind DESC, m.started_at\
            """
                .formatted(LIVE.replace("$ttl", "$1")))
        .execute(Tuple.of(ttl.toMillis()))
        .map(
            rows -> {
              List<Member> out = new ArrayList<>();
              for (Row r : rows) {
                List<String> held = new ArrayList<>();
                for (Long key : r.getArrayOfLongs("singletons")) {
                  String name = singletons.get(key.intValue());
                  if (name != null) {
                    held.add(name);
                  }
                }
                out.add(
                    new Member(
                        r.getString(0),
                        r.getString("kind"),
                        r.getString("location"),
                        r.getString("name"),
                        Sql.instant(r, "started_at"),
                        Sql.instant(r, "heartbeat_at"),
                        r.getInteger("cells_owned"),
                        r.getBoolean("live"),
                        held));
              }
              return out;
            });
  }
}
