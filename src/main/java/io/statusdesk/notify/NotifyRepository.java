package io.statusdesk.notify;

import io.statusdesk.DomainException;
import io.statusdesk.store.ChangeLog;
import io.statusdesk.store.Sql;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
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
import java.util.HexFormat;
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
      long id, String kind, String subject, List<String> components, Instant recordedAt) {}

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
                    SELECT id, kind, subject, components, recorded_at FROM notify_events
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
                                Sql.instant(r, "recorded_at"));
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
                          INSERT INTO notify_deliveries (event_id, channel, recipient,
                            subscriber_id, lang, collapse_key, state, next_attempt_at, created_at)
                          SELECT $1, s.kind, 's:' || s.id, s.id, s.lang,
                            CASE WHEN s.kind = 'email' THEN 's:' || s.id || '|' || $2 END,
                            'pending', $3, $3
                          FROM notify_subscribers s
                          WHERE CASE WHEN $6::bigint IS NOT NULL THEN s.id = $6
                            ELSE s.state = 'active' AND s.kind = ANY($4)
                              AND s.confirmed_at <= $7
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
                          to.subscriber().orElse(null),
                          Sql.ts(e.recordedAt())))));
    }
    if (to.contacts() != ContactScope.NONE) {
      made.add(
          counted(
              conn.preparedQuery(
                      made(
                          """
                          INSERT INTO notify_deliveries (event_id, channel, recipient, contact_id,
                            lang, state, next_attempt_at, created_at)
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
   * Collapses what rate-limited deliveries make redundant: of {@code ids} (held back by the limit),
   * those a newer pending delivery about the same thing to the same recipient overtook, and the
   * older ones about it still waiting for room (the newest carries the latest state). Answers the
   * ids collapsed.
   */
  Future<Set<Long>> collapse(Collection<Long> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    return pool.preparedQuery(
            """
            WITH held AS (
              SELECT id, collapse_key FROM notify_deliveries
              WHERE id = ANY($1) AND collapse_key IS NOT NULL
            )
            UPDATE notify_deliveries d SET state = 'collapsed', last_error = NULL
            FROM held h
            WHERE d.collapse_key = h.collapse_key AND d.state = 'pending'
              AND ((d.id = h.id AND EXISTS (
                    SELECT 1 FROM notify_deliveries n
                    WHERE n.collapse_key = d.collapse_key AND n.state = 'pending' AND n.id > d.id))
                OR (d.id < h.id AND d.last_error = $2 AND NOT d.id = ANY($1)))
            RETURNING d.id\
            """)
        .execute(Tuple.of(ids.toArray(Long[]::new), RATE_LIMITED))
        .map(
            rows -> {
              Set<Long> out = new HashSet<>();
              rows.forEach(r -> out.add(r.getLong(0)));
              return out;
            });
  }

  /** What a delivery waiting for room under the rate limit says as its last error. */
  static final String RATE_LIMITED = "rate limited";

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

  /**
   * When the earliest waiting delivery falls due (it may be due already); empty when none waits.
   */
  Future<Optional<Instant>> nextDue() {
    return pool.query(
            "SELECT min(next_attempt_at) AS due FROM notify_deliveries WHERE state = 'pending'")
        .execute()
        .map(rows -> Sql.optionalInstant(rows.iterator().next(), "due"));
  }

  /** Deliveries waiting, dead letters and subscribers, for the gauges and the console. */
  Future<Map<String, Long>> counts() {
    return pool.query(
            """
            SELECT 'pending', count(*) FROM notify_deliveries WHERE state = 'pending'
            UNION ALL SELECT 'dead', count(*) FROM notify_deliveries WHERE state = 'dead'
            UNION ALL SELECT 'subscribers', count(*) FROM notify_subscribers\
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

  /** The key that signs the public forms' tokens, made on first use and kept. */
  Future<byte[]> formKey(byte[] candidate) {
    return pool.preparedQuery(
            """
            WITH made AS (
              INSERT INTO notify_keys (name, value) VALUES ('form', $1)
              ON CONFLICT (name) DO NOTHING RETURNING value)
            SELECT value FROM made UNION ALL SELECT value FROM notify_keys WHERE name = 'form'\
            """)
        .execute(Tuple.of(Buffer.buffer(candidate)))
        .compose(
            rows ->
                // Another instance starting at the same moment made it after this statement's
                // snapshot: a new statement sees it.
                rows.size() == 0
                    ? formKey(candidate)
                    : Future.succeededFuture(rows.iterator().next().getBuffer(0).getBytes()));
  }

  /** What a request to subscribe did: asked the address to confirm, or told it it is in. */
  enum Requested {
    CONFIRM,
    EXISTING
  }

  /**
   * Records a request to subscribe {@code address}, with the event that mails it, in one
   * transaction: a new or still unconfirmed address gets (again) a confirmation to follow within 48
   * hours; a subscribed one gets a note with its manage link, and its choices stay as they are (a
   * stranger typing someone's address changes nothing of theirs).
   */
  Future<Requested> request(
      String address, String lang, List<String> components, String token, Instant now) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    """
                    INSERT INTO notify_subscribers (kind, address, lang, components, state, token,
                      created_at, confirm_expires_at)
                    VALUES ('email', $1, $2, $3, 'pending', $4, $5, $6)
                    ON CONFLICT (kind, address) DO UPDATE SET
                      lang = CASE WHEN notify_subscribers.state = 'pending' THEN EXCLUDED.lang
                        ELSE notify_subscribers.lang END,
                      components = CASE WHEN notify_subscribers.state = 'pending'
                        THEN EXCLUDED.components ELSE notify_subscribers.components END,
                      confirm_expires_at = CASE WHEN notify_subscribers.state = 'pending'
                        THEN EXCLUDED.confirm_expires_at END
                    RETURNING id, state\
                    """)
                .execute(
                    Tuple.of(
                        address,
                        lang,
                        components.toArray(String[]::new),
                        token,
                        Sql.ts(now),
                        Sql.ts(now.plus(CONFIRM_WITHIN))))
                .compose(
                    rows -> {
                      Row r = rows.iterator().next();
                      long id = r.getLong("id");
                      boolean pending = r.getString("state").equals("pending");
                      EventKind kind =
                          pending
                              ? EventKind.SUBSCRIPTION_CONFIRM
                              : EventKind.SUBSCRIPTION_EXISTING;
                      return insertEvents(
                              conn,
                              List.of(
                                  Event.of(
                                      kind,
                                      "subscriber:" + id,
                                      List.of(),
                                      l -> new JsonObject(),
                                      now,
                                      "subscriber:" + id + ":" + kind.apiValue() + ":" + now)))
                          .map(pending ? Requested.CONFIRM : Requested.EXISTING);
                    }));
  }

  /** How long a confirmation link works. */
  static final Duration CONFIRM_WITHIN = Duration.ofDays(2);

  private static final String SUBSCRIPTION_COLUMNS =
      "id, kind, address, lang, components, state, created_at, confirmed_at";

  private static Subscription subscription(Row r) {
    return new Subscription(
        r.getLong("id"),
        r.getString("kind"),
        r.getString("address"),
        r.getString("lang"),
        Sql.strings(r, "components"),
        r.getString("state"),
        Sql.instant(r, "created_at"),
        Sql.optionalInstant(r, "confirmed_at"));
  }

  /**
   * Confirms the subscription of {@code token} if its link still works, and forgets that the
   * address once left; empty when the token is unknown or its link expired.
   */
  Future<Optional<Subscription>> confirm(String token, Instant now) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    "UPDATE notify_subscribers SET state = 'active', confirmed_at ="
                        + " coalesce(confirmed_at, $2), confirm_expires_at = NULL"
                        + " WHERE token = $1 AND (state = 'active' OR confirm_expires_at > $2)"
                        + " RETURNING "
                        + SUBSCRIPTION_COLUMNS)
                .execute(Tuple.of(token, Sql.ts(now)))
                .compose(
                    rows -> {
                      if (rows.size() == 0) {
                        return Future.succeededFuture(Optional.<Subscription>empty());
                      }
                      Subscription s = subscription(rows.iterator().next());
                      return conn.preparedQuery(
                              "DELETE FROM notify_suppressions WHERE address_hash = $1")
                          .execute(Tuple.of(Buffer.buffer(EmailAddress.hash(s.address()))))
                          .map(Optional.of(s));
                    }));
  }

  /** The subscription of {@code token}, confirmed or not. */
  Future<Optional<Subscription>> byToken(String token) {
    return pool.preparedQuery(
            "SELECT " + SUBSCRIPTION_COLUMNS + " FROM notify_subscribers WHERE token = $1")
        .execute(Tuple.of(token))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(subscription(rows.iterator().next())));
  }

  /** Changes what a confirmed subscriber receives; empty when the token is unknown. */
  Future<Optional<Subscription>> update(String token, String lang, List<String> components) {
    return pool.preparedQuery(
            "UPDATE notify_subscribers SET lang = $2, components = $3 WHERE token = $1"
                + " AND state = 'active' RETURNING "
                + SUBSCRIPTION_COLUMNS)
        .execute(Tuple.of(token, lang, components.toArray(String[]::new)))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(subscription(rows.iterator().next())));
  }

  /**
   * Removes the subscriber of {@code token} and its deliveries; all that is kept is the address's
   * hash in the suppression list. Answers whether there was one.
   */
  Future<Boolean> unsubscribe(String token, Instant now) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    "DELETE FROM notify_subscribers WHERE token = $1 RETURNING kind, address")
                .execute(Tuple.of(token))
                .compose(
                    rows -> {
                      if (rows.size() == 0) {
                        return Future.succeededFuture(false);
                      }
                      Row r = rows.iterator().next();
                      return r.getString("kind").equals("email")
                          ? suppress(conn, r.getString("address"), "unsubscribed", now).map(true)
                          : Future.succeededFuture(true);
                    }));
  }

  private static Future<Void> suppress(
      SqlConnection conn, String address, String reason, Instant now) {
    return conn.preparedQuery(
            """
            INSERT INTO notify_suppressions (address_hash, reason, created_at) VALUES ($1, $2, $3)
            ON CONFLICT (address_hash) DO UPDATE SET reason = EXCLUDED.reason,
              created_at = EXCLUDED.created_at\
            """)
        .execute(Tuple.of(Buffer.buffer(EmailAddress.hash(address)), reason, Sql.ts(now)))
        .mapEmpty();
  }

  /** A webhook subscriber an operator added, active at once. */
  Future<Subscription> addWebhook(
      String url, String lang, List<String> components, String token, String secret, Instant now) {
    return pool.preparedQuery(
            """
            INSERT INTO notify_subscribers (kind, address, lang, components, state, token, secret,
              created_at, confirmed_at)
            VALUES ('webhook', $1, $2, $3, 'active', $4, $5, $6, $6)
            ON CONFLICT (kind, address) DO NOTHING RETURNING\
            """
                + " "
                + SUBSCRIPTION_COLUMNS)
        .execute(Tuple.of(url, lang, components.toArray(String[]::new), token, secret, Sql.ts(now)))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.failedFuture(
                        new DomainException(
                            DomainException.Kind.CONFLICT,
                            "url: a webhook subscriber with this url exists"))
                    : Future.succeededFuture(subscription(rows.iterator().next())));
  }

  /** Subscribers after {@code after} by id, of {@code kind} when given. */
  Future<List<Subscription>> subscribers(Optional<String> kind, long after, int limit) {
    return pool.preparedQuery(
            "SELECT "
                + SUBSCRIPTION_COLUMNS
                + " FROM notify_subscribers WHERE id > $1 AND ($2::text IS NULL OR kind = $2)"
                + " ORDER BY id LIMIT $3")
        .execute(Tuple.of(after, kind.orElse(null), limit))
        .map(
            rows -> {
              List<Subscription> out = new ArrayList<>();
              rows.forEach(r -> out.add(subscription(r)));
              return out;
            });
  }

  /** Removes a subscriber by id (an operator's act), audited; answers whether it existed. */
  Future<Boolean> removeSubscriber(long id, String actor, Instant now) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    "DELETE FROM notify_subscribers WHERE id = $1 RETURNING kind, address")
                .execute(Tuple.of(id))
                .compose(
                    rows -> {
                      if (rows.size() == 0) {
                        return Future.succeededFuture(false);
                      }
                      Row r = rows.iterator().next();
                      Future<Void> suppressed =
                          r.getString("kind").equals("email")
                              ? suppress(conn, r.getString("address"), "removed", now)
                              : Future.succeededFuture();
                      return suppressed
                          .compose(
                              v ->
                                  ChangeLog.audit(
                                      conn,
                                      actor,
                                      "subscriber.remove",
                                      "subscriber",
                                      String.valueOf(id),
                                      new JsonObject().put("kind", r.getString("kind")),
                                      null,
                                      now))
                          .map(true);
                    }));
  }

  /** Everything kept about {@code address}: what the owner of an address may ask to see. */
  Future<JsonObject> export(String address) {
    Future<RowSet<Row>> subscribers =
        pool.preparedQuery(
                "SELECT "
                    + SUBSCRIPTION_COLUMNS
                    + " FROM notify_subscribers WHERE kind = 'email' AND address = $1")
            .execute(Tuple.of(address));
    Future<RowSet<Row>> contacts =
        pool.preparedQuery(
                "SELECT tenant_id, lang, created_at FROM notify_contacts WHERE address = $1"
                    + " ORDER BY tenant_id")
            .execute(Tuple.of(address));
    Future<RowSet<Row>> deliveries =
        pool.preparedQuery(
                """
                SELECT d.state, count(*) AS n, max(d.sent_at) AS last_sent
                FROM notify_deliveries d
                LEFT JOIN notify_subscribers s ON s.id = d.subscriber_id
                LEFT JOIN notify_contacts c ON c.id = d.contact_id
                WHERE (s.kind = 'email' AND s.address = $1) OR c.address = $1
                GROUP BY d.state ORDER BY d.state\
                """)
            .execute(Tuple.of(address));
    Future<RowSet<Row>> suppressed =
        pool.preparedQuery(
                "SELECT reason, created_at FROM notify_suppressions WHERE address_hash = $1")
            .execute(Tuple.of(Buffer.buffer(EmailAddress.hash(address))));
    return Future.all(subscribers, contacts, deliveries, suppressed)
        .map(
            all -> {
              JsonArray subs = new JsonArray();
              subscribers.result().forEach(r -> subs.add(Notifications.json(subscription(r))));
              JsonArray tenants = new JsonArray();
              contacts
                  .result()
                  .forEach(
                      r ->
                          tenants.add(
                              new JsonObject()
                                  .put("tenant_id", r.getString("tenant_id"))
                                  .put("lang", r.getString("lang"))
                                  .put("created_at", Sql.instant(r, "created_at").toString())));
              JsonObject messages = new JsonObject();
              deliveries
                  .result()
                  .forEach(
                      r ->
                          messages.put(
                              r.getString("state"),
                              new JsonObject()
                                  .put("count", r.getLong("n"))
                                  .put(
                                      "last_sent_at",
                                      Sql.optionalInstant(r, "last_sent")
                                          .map(Instant::toString)
                                          .orElse(null))));
              JsonObject out =
                  new JsonObject()
                      .put("address", address)
                      .put("subscriptions", subs)
                      .put("tenant_contacts", tenants)
                      .put("messages", messages);
              if (suppressed.result().size() > 0) {
                Row r = suppressed.result().iterator().next();
                out.put(
                    "suppressed",
                    new JsonObject()
                        .put("reason", r.getString("reason"))
                        .put("at", Sql.instant(r, "created_at").toString()));
              } else {
                out.put("suppressed", null);
              }
              return out;
            });
  }

  /**
   * Erases {@code address}: its subscriptions and statement-address entries, with their deliveries,
   * leaving the address's hash as a suppression entry; audited by that hash, never the address.
   * Answers how many rows went.
   */
  Future<JsonObject> erase(String address, String actor, Instant now) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    "DELETE FROM notify_subscribers WHERE kind = 'email' AND address = $1")
                .execute(Tuple.of(address))
                .compose(
                    subs ->
                        conn.preparedQuery("DELETE FROM notify_contacts WHERE address = $1")
                            .execute(Tuple.of(address))
                            .map(
                                contacts ->
                                    new JsonObject()
                                        .put("subscriptions", subs.rowCount())
                                        .put("tenant_contacts", contacts.rowCount())))
                .compose(
                    counts ->
                        suppress(conn, address, "erased", now)
                            .compose(
                                v ->
                                    ChangeLog.audit(
                                        conn,
                                        actor,
                                        "personal_data.erase",
                                        "address_sha256",
                                        HexFormat.of().formatHex(EmailAddress.hash(address)),
                                        null,
                                        counts,
                                        now))
                            .map(counts)));
  }

  Future<List<TenantContact>> contacts(String tenantId) {
    return pool.preparedQuery(
            "SELECT address, lang FROM notify_contacts WHERE tenant_id = $1 ORDER BY address")
        .execute(Tuple.of(tenantId))
        .map(
            rows -> {
              List<TenantContact> out = new ArrayList<>();
              rows.forEach(r -> out.add(new TenantContact(r.getString(0), r.getString(1))));
              return out;
            });
  }

  /** Replaces a tenant's statement addresses; addresses kept keep their deliveries. */
  Future<Void> setContacts(String tenantId, List<String> addresses, String lang, Instant now) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    "DELETE FROM notify_contacts WHERE tenant_id = $1 AND NOT address = ANY($2)")
                .execute(Tuple.of(tenantId, (Object) addresses.toArray(String[]::new)))
                .compose(
                    v ->
                        conn.preparedQuery(
                                """
                                INSERT INTO notify_contacts (tenant_id, address, lang, created_at)
                                SELECT $1, a, $3, $4 FROM unnest($2::text[]) a
                                ON CONFLICT (tenant_id, address) DO UPDATE SET lang = $3\
                                """)
                            .execute(
                                Tuple.of(
                                    tenantId, addresses.toArray(String[]::new), lang, Sql.ts(now))))
                .mapEmpty());
  }

  /**
   * Dead letters after {@code cursor} by id, or before it newest first: the API pages forwards, the
   * console shows the latest first.
   */
  Future<List<DeadLetter>> deadLetters(long cursor, boolean newestFirst, int limit) {
    return pool.preparedQuery(
            """
            SELECT d.id, d.event_id, e.kind, d.channel, d.recipient, d.attempts, d.last_error,
              d.created_at, d.next_attempt_at, s.kind AS subscriber_kind,
              coalesce(s.address, c.address) AS address
            FROM notify_deliveries d JOIN notify_events e ON e.id = d.event_id
            LEFT JOIN notify_subscribers s ON s.id = d.subscriber_id
            LEFT JOIN notify_contacts c ON c.id = d.contact_id
            WHERE d.state = 'dead' AND d.id %s $1 ORDER BY d.id %s LIMIT $2\
            """
                .formatted(newestFirst ? "<" : ">", newestFirst ? "DESC" : "ASC"))
        .execute(Tuple.of(cursor, limit))
        .map(
            rows -> {
              List<DeadLetter> out = new ArrayList<>();
              rows.forEach(
                  r -> {
                    String recipient = r.getString("recipient");
                    String address = r.getString("address");
                    out.add(
                        new DeadLetter(
                            r.getLong("id"),
                            r.getLong("event_id"),
                            r.getString("kind"),
                            r.getString("channel"),
                            recipient,
                            address == null
                                ? recipient.substring(recipient.indexOf(':') + 1)
                                : Subscription.shown(r.getString("subscriber_kind"), address),
                            r.getInteger("attempts"),
                            r.getString("last_error"),
                            Sql.instant(r, "created_at"),
                            Sql.instant(r, "next_attempt_at")));
                  });
              return out;
            });
  }

  /**
   * Sends a dead letter again from now, with a fresh retry window, audited; answers whether it was
   * one.
   */
  Future<Boolean> retry(long id, String actor, Instant now) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    """
                    UPDATE notify_deliveries SET state = 'pending', attempts = 0,
                      next_attempt_at = $2, created_at = $2, last_error = NULL
                    WHERE id = $1 AND state = 'dead' RETURNING id\
                    """)
                .execute(Tuple.of(id, Sql.ts(now)))
                .compose(
                    rows ->
                        rows.size() == 0
                            ? Future.succeededFuture(false)
                            : ChangeLog.audit(
                                    conn,
                                    actor,
                                    "notification.retry",
                                    "delivery",
                                    String.valueOf(id),
                                    null,
                                    null,
                                    now)
                                // wakes every dispatcher at commit, as a recorded event does
                                .compose(
                                    v ->
                                        conn.query("NOTIFY " + Dispatcher.OUTBOX_CHANNEL).execute())
                                .map(true)));
  }
}
