package io.statusdesk.store;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL LISTEN/NOTIFY between the instances sharing a database, on one connection of this
 * instance's own that reconnects by itself. A handler also runs each time its channel is
 * (re)subscribed with an empty payload, since notifications sent while the connection was down are
 * lost: a handler must treat any call as "look again".
 */
public final class Notifications extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(Notifications.class);
  private static final long RETRY_MS = 2_000;

  private final Database database;
  private final Pool pool;
  private final Map<String, List<Consumer<String>>> handlers = new LinkedHashMap<>();
  private PgSubscriber subscriber;
  private boolean stopped;

  public Notifications(Database database, Pool pool) {
    this.database = database;
    this.pool = pool;
  }

  /** Calls {@code handler} with each payload sent on {@code channel}; before deployment only. */
  public Notifications on(String channel, Consumer<String> handler) {
    handlers.computeIfAbsent(channel, c -> new ArrayList<>()).add(handler);
    return this;
  }

  /** Sends {@code payload} on {@code channel} to every listening instance, this one included. */
  public Future<Void> send(String channel, String payload) {
    return pool.preparedQuery("SELECT pg_notify($1, $2)")
        .execute(Tuple.of(channel, payload))
        .mapEmpty();
  }

  /**
   * Listening has begun, or its first attempt failed and is retried: a service that starts serving
   * after this hears every announcement made from then on (a revoked token, above all).
   */
  @Override
  public Future<?> start() {
    subscriber = database.subscriber(vertx);
    handlers.forEach(
        (channel, list) ->
            subscriber
                .channel(channel)
                .subscribeHandler(v -> list.forEach(h -> h.accept("")))
                .handler(payload -> list.forEach(h -> h.accept(payload))));
    return connect().otherwiseEmpty();
  }

  /** The first connection is retried here; PgSubscriber reconnects a lost one by itself. */
  private Future<Void> connect() {
    return subscriber
        .connect()
        .onFailure(
            e -> {
              if (!stopped) {
                log.warn("cannot listen for other instances' changes yet: {}", e.getMessage());
                vertx.setTimer(RETRY_MS, id -> connect());
              }
            });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    return subscriber.close();
  }
}
