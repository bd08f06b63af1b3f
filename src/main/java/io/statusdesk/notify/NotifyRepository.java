package io.statusdesk.notify;

import io.statusdesk.store.Sql;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** SQL of notifications: the outbox, deliveries, subscribers, tenant contacts, suppressions. */
final class NotifyRepository {
  private static final int EVENT_CHUNK = 1_000;

  /** Sent and collapsed deliveries, and events all of whose deliveries are done, live this long. */
  static final Duration KEPT = Duration.ofDays(30);

  private final Pool pool;

  NotifyRepository(Pool pool) {
    this.pool = pool;
  }

  Pool pool() {
    return pool;
  }

  /** An event not fanned out yet. */
  record Unfanned(
      long id, String kind, String subject, List<String> components, Instant occurredAt) {}

  /** A delivery to one of the operators' channels, due at {@code due} (after quiet hours). */
  record AlertDelivery(String channel, String type, String lang, Instant due) {}

  /** Which contacts an event reaches. */
  enum ContactScope {
    NONE,
    ALL,
    TENANT
  }

  /**
   * Who an event reaches.
   *
   * @param subscriberKinds the kinds of active subscribers of its components it reaches
   * @param subscriber the one subscriber it is about (confirmed or not), if any
   */
  record Recipients(
      List<AlertDelivery> alerts,
      Set<String> subscriberKinds,
      ContactScope contacts,
      Optional<Long> subscriber) {}

  /**
   * Fans out up to {@code limit} events: each becomes its deliveries (event x channel x recipient)
   * and is marked done, in one transaction, so a crash half-way leaves it to do again and the
   * unique key keeps the redo from doubling anything. Answers the deliveries made per channel type.
   */
  Future<Map<String, Integer>> fanOut(int limit, Function<Unfanned, Recipients> plan, Instant now) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    """
                    SELECT id, kind, subject, components, occurred_at FROM notify_events
                    WHERE fanned_out_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED\
                    """)
                .execute(Tuple.of(limit))
                .compose(
                    rows -> {
                      Map<String, Integer> made = new HashMap<>();
                      List<Long> ids = new ArrayList<>();
                      Future<Void> chain = Future.succeededFuture();
                      for (Row r : rows) {
                        Unfanned e =
                            new Unfanned(
                                r.getLong("id"),
                                r.getString("kind"),
                                r.getString("subject"),
                                Sql.strings(r, "components"),
                                Sql.instant(r, "occurred_at"));
                        ids.add(e.id());
                        Recipients to = plan.apply(e);
                        chain =
                            chain
                                .compose(
                                    v -> deliveries(conn, e, to, now).onSuccess(m -> add(made, m)))
                                .mapEmpty();
                      }
                      return chain
                          .compose(
                              v ->
                                  ids.isEmpty()
                                      ? Future.succeededFuture()
                                      : conn.preparedQuery(
                                              "UPDATE notify_events SET fanned_out_at = $2"
                                                  + " WHERE id = ANY($1)")
                                          .execute(Tuple.of(ids.toArray(Long[]::new), Sql.ts(now))))
                          .map(made);
                    }));
  }

  private static void add(Map<String, Integer> into, Map<String, Integer> more) {
    more.forEach((k, v) -> into.merge(k, v, Integer::sum));
  }

  private static Future<Map<String, Integer>> deliveries(
      SqlConnection conn, Unfanned e, Recipients to, Instant now) {
    List<Future<Map<String, Integer>>> made = new ArrayList<>();
    if (!to.alerts().isEmpty()) {
      made.add(
          counted(
              conn.preparedQuery(
                      made(
                          """
                          INSERT INTO notify_deliveries (event_id, channel, recipient, lang,
                            collapse_key, state, next_attempt_at, created_at)
                          SELECT $1, a.type, 'r:' || a.name, a.lang,
                            CASE WHEN a.type <> 'webhook' THEN 'r:' || a.name || '|' || $2 END,
                            'pending', a.due, $3
                          FROM unnest($4::text[], $5::text[], $6::text[], $7::timestamptz[])
                            AS a(name, type, lang, due)\
                          """))
                  .execute(
                      Tuple.of(
                          e.id(),
                          e.subject(),
                          Sql.ts(now),
                          to.alerts().stream().map(AlertDelivery::channel).toArray(String[]::new),
                          to.alerts().stream().map(AlertDelivery::type).toArray(String[]::new),
                          to.alerts().stream().map(AlertDelivery::lang).toArray(String[]::new),
                          to.alerts().stream()
                              .map(a -> Sql.ts(a.due()))
                              .toArray(OffsetDateTime[]::new)))));
    }
    if (!to.subscriberKinds().isEmpty() || to.subscriber().isPresent()) {
      made.add(
          counted(
              conn.preparedQuery(
                      made(
                          """
                          INSERT INTO notify_deliveries (event_id, channel, recipient, subscriber_id,
                            lang, collapse_key, state, next_attempt_at, created_at)
                          SELECT $1, s.kind, 's:' || s.id, s.id, s.lang,
                            CASE WHEN s.kind = 'email' THEN 's:' || s.id || '|' || $2 END,
                            'pending', $3, $3
                          FROM notify_subscribers s
                          WHERE CASE WHEN $6::bigint IS NOT NULL THEN s.id = $6
                            ELSE s.state = 'active' AND s.kind = ANY($4)
                              AND (cardinality($5::text[]) = 0 OR cardinality(s.components) = 0
                                OR s.components && $5::text[]) END\
                          """))
                  .execute(
                      Tuple.of(
                          e.id(),
                          e.subject(),
                          Sql.ts(now),
                          to.subscriberKinds().toArray(String[]::new),
                          e.components().toArray(String[]::new),
                          to.subscriber().orElse(null)))));
    }
    if (to.contacts() != ContactScope.NONE) {
      made.add(
          counted(
              conn.preparedQuery(
                      made(
                          """
                          INSERT INTO notify_deliveries (event_id, channel, recipient, contact_id, lang,
                            state, next_attempt_at, created_at)
                          SELECT $1, 'email', 'c:' || c.id, c.id, c.lang, 'pending', $2, $2
                          FROM notify_contacts c WHERE $3 OR c.tenant_id = $4\
                          """))
                  .execute(
                      Tuple.of(
                          e.id(), Sql.ts(now), to.contacts() == ContactScope.ALL, e.subject()))));
    }
    return Future.all(made)
        .map(
            all -> {
              Map<String, Integer> out = new HashMap<>();
              made.forEach(f -> add(out, f.result()));
              return out;
            });
  }

  /**
   * {@code insert} (an INSERT ... SELECT of deliveries) skipping those that exist, answering how
   * many it made per channel: the unique key makes a fan-out done twice make nothing twice.
   */
  private static String made(String insert) {
    return "WITH made AS ("
        + insert
        + "\nON CONFLICT DO NOTHING RETURNING channel)\n"
        + "SELECT channel, count(*) FROM made GROUP BY channel";
  }

  private static Future<Map<String, Integer>> counted(Future<RowSet<Row>> rows) {
    return rows.map(
        set -> {
          Map<String, Integer> out = new HashMap<>();
          set.forEach(r -> out.put(r.getString(0), r.getLong(1).intValue()));
          return out;
        });
  }

  /**
   * A delivery claimed for sending, with what it needs: its event, and the address of its
   * subscriber or contact (read now, so an address erased meanwhile is never used).
   */
  record Claimed(
      long id,
      long eventId,
      String channel,
      String recipient,
      String lang,
      String collapseKey,
      int attempts,
      Instant createdAt,
      Optional<Subscriber> subscriber,
      Optional<Contact> contact) {}

  /** A subscriber as a delivery needs it. */
  record Subscriber(
      long id,
      String kind,
      String address,
      String token,
      Optional<String> secret,
      List<String> components,
      String state,
      Optional<Instant> confirmedAt) {}

  /** A tenant's statement address. */
  record Contact(long id, String tenantId, String address) {}

  /**
   * Claims up to {@code limit} due deliveries: each is pushed a {@code lease} ahead and counted as
   * an attempt, so no other dispatcher takes it meanwhile ({@code SKIP LOCKED}: several can run),
   * and one whose sender dies is taken again when the lease runs out.
   */
  Future<List<Claimed>> claim(int limit, Duration lease, Instant now) {
    return pool.preparedQuery(
            """
            WITH due AS (
              SELECT id FROM notify_deliveries
              WHERE state = 'pending' AND next_attempt_at <= $1
              ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED
            ), claimed AS (
              UPDATE notify_deliveries d SET attempts = d.attempts + 1, next_attempt_at = $3
              FROM due WHERE d.id = due.id
              RETURNING d.id, d.event_id, d.channel, d.recipient, d.lang, d.collapse_key,
                d.attempts, d.created_at, d.subscriber_id, d.contact_id
            )
            SELECT c.*, s.kind AS s_kind, s.address AS s_address, s.token AS s_token,
              s.secret AS s_secret, s.components AS s_components, s.state AS s_state,
              s.confirmed_at AS s_confirmed_at, k.tenant_id AS k_tenant, k.address AS k_address
            FROM claimed c
            LEFT JOIN notify_subscribers s ON s.id = c.subscriber_id
            LEFT JOIN notify_contacts k ON k.id = c.contact_id
            ORDER BY c.id\
            """)
        .execute(Tuple.of(Sql.ts(now), limit, Sql.ts(now.plus(lease))))
        .map(
            rows -> {
              List<Claimed> out = new ArrayList<>(rows.size());
              for (Row r : rows) {
                Long subscriberId = r.getLong("subscriber_id");
                Long contactId = r.getLong("contact_id");
                out.add(
                    new Claimed(
                        r.getLong("id"),
                        r.getLong("event_id"),
                        r.getString("channel"),
                        r.getString("recipient"),
                        r.getString("lang"),
                        r.getString("collapse_key"),
                        r.getInteger("attempts"),
                        Sql.instant(r, "created_at"),
                        subscriberId == null
                            ? Optional.empty()
                            : Optional.of(
                                new Subscriber(
                                    subscriberId,
                                    r.getString("s_kind"),
                                    r.getString("s_address"),
                                    r.getString("s_token"),
                                    Optional.ofNullable(r.getString("s_secret")),
                                    Sql.strings(r, "s_components"),
                                    r.getString("s_state"),
                                    Sql.optionalInstant(r, "s_confirmed_at"))),
                        contactId == null
                            ? Optional.empty()
                            : Optional.of(
                                new Contact(
                                    contactId,
                                    r.getString("k_tenant"),
                                    r.getString("k_address")))));
              }
              return out;
            });
  }

  /** An event as a delivery needs it. */
  record StoredEvent(
      long id, EventKind kind, String subject, JsonObject payload, Instant occurredAt) {

    JsonObject data(String lang) {
      JsonObject data = payload.getJsonObject(lang);
      return data != null ? data : payload.getJsonObject("en", new JsonObject());
    }
  }

  Future<Map<Long, StoredEvent>> events(Collection<Long> ids) {
    return pool.preparedQuery(
            "SELECT id, kind, subject, payload, occurred_at FROM notify_events WHERE id = ANY($1)")
        .execute(Tuple.of(ids.toArray(Long[]::new)))
        .map(
            rows -> {
              Map<Long, StoredEvent> out = new HashMap<>();
              for (Row r : rows) {
                EventKind.find(r.getString("kind"))
                    .ifPresent(
                        kind ->
                            out.put(
                                r.getLong("id"),
                                new StoredEvent(
                                    r.getLong("id"),
                                    kind,
                                    r.getString("subject"),
                                    (JsonObject) r.getValue("payload"),
                                    Sql.instant(r, "occurred_at"))));
              }
              return out;
            });
  }

  /** How many messages each recipient was sent since {@code since}, and when the first went. */
  record Sends(int count, Instant first) {}

  Future<Map<String, Sends>> sentSince(Collection<String> recipients, Instant since) {
    if (recipients.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery(
            """
            SELECT recipient, count(*) AS n, min(sent_at) AS first FROM notify_deliveries
            WHERE recipient = ANY($1) AND state = 'sent' AND sent_at > $2 GROUP BY recipient\
            """)
        .execute(Tuple.of(recipients.toArray(String[]::new), Sql.ts(since)))
        .map(
            rows -> {
              Map<String, Sends> out = new HashMap<>();
              rows.forEach(
                  r ->
                      out.put(
                          r.getString("recipient"),
                          new Sends(r.getLong("n").intValue(), Sql.instant(r, "first"))));
              return out;
            });
  }

  /**
   * Of {@code ids}, marks collapsed those a newer pending delivery about the same thing to the same
   * recipient has overtaken; answers them.
   */
  Future<Set<Long>> collapse(Collection<Long> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    return pool.preparedQuery(
            """
            UPDATE notify_deliveries d SET state = 'collapsed', last_error = NULL
            WHERE d.id = ANY($1) AND d.collapse_key IS NOT NULL AND EXISTS (
              SELECT 1 FROM notify_deliveries n
              WHERE n.collapse_key = d.collapse_key AND n.state = 'pending' AND n.id > d.id)
            RETURNING d.id\
            """)
        .execute(Tuple.of(ids.toArray(Long[]::new)))
        .map(
            rows -> {
              Set<Long> out = new HashSet<>();
              rows.forEach(r -> out.add(r.getLong(0)));
              return out;
            });
  }

  /** What became of a claimed delivery. */
  record Outcome(long id, String state, Instant nextAttemptAt, String error, boolean attempted) {}

  /** Records outcomes in one statement: sent, dead, retried later, or deferred (not attempted). */
  Future<Void> finish(List<Outcome> outcomes, Instant now) {
    if (outcomes.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(
            """
            UPDATE notify_deliveries d SET state = o.state, next_attempt_at = o.next,
              last_error = o.error,
              sent_at = CASE WHEN o.state = 'sent' THEN $6 ELSE d.sent_at END,
              attempts = CASE WHEN o.attempted THEN d.attempts ELSE d.attempts - 1 END
            FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::text[], $5::bool[])
              AS o(id, state, next, error, attempted)
            WHERE d.id = o.id\
            """)
        .execute(
            Tuple.of(
                outcomes.stream().map(Outcome::id).toArray(Long[]::new),
                outcomes.stream().map(Outcome::state).toArray(String[]::new),
                outcomes.stream()
                    .map(o -> Sql.ts(o.nextAttemptAt()))
                    .toArray(OffsetDateTime[]::new),
                outcomes.stream().map(Outcome::error).toArray(String[]::new),
                outcomes.stream().map(Outcome::attempted).toArray(Boolean[]::new),
                Sql.ts(now)))
        .mapEmpty();
  }

  /** Deliveries waiting and dead letters, for the gauges. */
  Future<Map<String, Long>> counts() {
    return pool.query(
            """
            SELECT 'pending', count(*) FROM notify_deliveries WHERE state = 'pending'
            UNION ALL SELECT 'dead', count(*) FROM notify_deliveries WHERE state = 'dead'\
            """)
        .execute()
        .map(
            rows -> {
              Map<String, Long> out = new HashMap<>();
              rows.forEach(r -> out.put(r.getString(0), r.getLong(1)));
              return out;
            });
  }

  /**
   * Forgets what is done: sent and collapsed deliveries and events whose deliveries are all done,
   * after {@link #KEPT}; confirmation requests left unconfirmed past their expiry at once (an
   * address nobody confirmed is not kept).
   */
  Future<Void> sweep(Instant now) {
    Instant before = now.minus(KEPT);
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    """
                    DELETE FROM notify_deliveries
                    WHERE state IN ('sent', 'collapsed') AND created_at < $1\
                    """)
                .execute(Tuple.of(Sql.ts(before)))
                .compose(
                    v ->
                        conn.preparedQuery(
                                """
                                DELETE FROM notify_events e
                                WHERE e.fanned_out_at < $1 AND NOT EXISTS (
                                  SELECT 1 FROM notify_deliveries d WHERE d.event_id = e.id)\
                                """)
                            .execute(Tuple.of(Sql.ts(before))))
                .compose(
                    v ->
                        conn.preparedQuery(
                                """
                                DELETE FROM notify_subscribers
                                WHERE state = 'pending' AND confirm_expires_at < $1\
                                """)
                            .execute(Tuple.of(Sql.ts(now))))
                .mapEmpty());
  }

  static Future<Set<String>> tenantsWithContacts(SqlClient client) {
    return client
        .query("SELECT DISTINCT tenant_id FROM notify_contacts")
        .execute()
        .map(
            rows -> {
              Set<String> out = new HashSet<>();
              rows.forEach(r -> out.add(r.getString(0)));
              return out;
            });
  }

  /** Records events, in order, skipping any whose idempotency key is already there. */
  static Future<Void> insertEvents(SqlConnection conn, List<Event> events) {
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < events.size(); from += EVENT_CHUNK) {
      List<Event> chunk = events.subList(from, Math.min(events.size(), from + EVENT_CHUNK));
      JsonArray rows = new JsonArray(new ArrayList<>(chunk.size()));
      for (Event e : chunk) {
        rows.add(
            new JsonObject()
                .put("kind", e.kind().apiValue())
                .put("subject", e.subject())
                .put("components", new JsonArray(e.components()))
                .put("payload", e.payload())
                .put("occurred_at", e.occurredAt().toString())
                .put("key", e.idempotencyKey()));
      }
      chain =
          chain.compose(
              v ->
                  conn.preparedQuery(
                          """
                          INSERT INTO notify_events (kind, subject, components, payload,
                            occurred_at, idempotency_key)
                          SELECT e.kind, e.subject,
                            ARRAY(SELECT jsonb_array_elements_text(e.components)), e.payload,
                            e.occurred_at, e.key
                          FROM jsonb_to_recordset($1::jsonb) AS e(kind text, subject text,
                            components jsonb, payload jsonb, occurred_at timestamptz, key text)
                          ON CONFLICT (idempotency_key) DO NOTHING\
                          """)
                      .execute(Tuple.of(rows))
                      .mapEmpty());
    }
    return chain;
  }
}
