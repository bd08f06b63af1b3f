package io.statusdesk.notify;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** SQL of notifications: the outbox, deliveries, subscribers, tenant contacts, suppressions. */
final class NotifyRepository {
  private static final int EVENT_CHUNK = 1_000;

  private NotifyRepository() {}

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
