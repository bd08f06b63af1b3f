package io.statusdesk.notify;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;

/**
 * The transactional outbox. Writers call it inside the transaction that makes a change, so the
 * event commits exactly when the change does; the dispatcher delivers it later, from the table,
 * whatever happens to this process in between. An event whose idempotency key was recorded before
 * is ignored.
 */
public final class Outbox {
  private Outbox() {}

  public static Future<Void> record(SqlConnection conn, Event event) {
    return NotifyRepository.insertEvents(conn, List.of(event));
  }

  public static Future<Void> recordAll(SqlConnection conn, List<Event> events) {
    return events.isEmpty()
        ? Future.succeededFuture()
        : NotifyRepository.insertEvents(conn, events);
  }
}
