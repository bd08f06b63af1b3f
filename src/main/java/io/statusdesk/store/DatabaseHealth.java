package io.statusdesk.store;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether PostgreSQL answers: a {@code SELECT 1} that must come back within a second, sent every
 * second while a request waits for the database ({@link #onDown}) and every five seconds otherwise,
 * unless a writer reported an answer within that time ({@link #answered}). A stalled server keeps
 * its connections open and answers nothing, so queries would hang rather than fail; knowing it is
 * down lets requests be refused at once, and a request waiting when it stalls learns it within
 * about two seconds. An idle service pings five times less often, for nobody is waiting. At most
 * one ping is outstanding (a stalled ping holds one connection, not the pool), unless it has hung
 * so long that its connection may be the only broken one.
 */
public final class DatabaseHealth extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(DatabaseHealth.class);
  private static final long INTERVAL_MS = 1_000;
  private static final long IDLE_INTERVAL_MS = 5_000;
  private static final long TIMEOUT_MS = 1_000;
  private static final long GIVE_UP_ON_PING_MS = 5_000;

  private final Pool pool;
  private final Set<Runnable> onDown = ConcurrentHashMap.newKeySet();
  private volatile boolean up = true;
  private long pingStartedAt = -1;
  private volatile long closeWatch = -1;
  private volatile long answeredAt = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS);

  public DatabaseHealth(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(IDLE_INTERVAL_MS, id -> ping());
    return Future.succeededFuture();
  }

  public boolean up() {
    return up;
  }

  /** A query just came back from the database (from any thread). */
  public void answered() {
    answeredAt = System.nanoTime();
  }

  /**
   * Runs {@code action} (on the health checker's thread) when the database is found down, unless
   * the returned cancel ran first.
   */
  public Runnable onDown(Runnable action) {
    onDown.add(action);
    // the watch, once armed, stays while requests wait: only the first one hops to arm it
    if (context != null && closeWatch < 0) {
      context.runOnContext(v -> watchClosely());
    }
    return () -> onDown.remove(action);
  }

  /** Looks every second while a request waits for the database, and stops when none does. */
  private void watchClosely() {
    if (closeWatch >= 0 || onDown.isEmpty()) {
      return;
    }
    closeWatch =
        vertx.setPeriodic(
            INTERVAL_MS,
            id -> {
              if (onDown.isEmpty()) {
                vertx.cancelTimer(closeWatch);
                closeWatch = -1;
              } else {
                ping();
              }
            });
  }

  private void ping() {
    long now = System.nanoTime();
    long every = onDown.isEmpty() ? IDLE_INTERVAL_MS : INTERVAL_MS;
    if (now - answeredAt < TimeUnit.MILLISECONDS.toNanos(every)) {
      markUp();
      return;
    }
    if (pingStartedAt >= 0
        && now - pingStartedAt < TimeUnit.MILLISECONDS.toNanos(GIVE_UP_ON_PING_MS)) {
      return;
    }
    long started = now;
    pingStartedAt = started;
    Future<?> answered = pool.query("SELECT 1").execute();
    answered.onComplete(
        ar -> {
          if (pingStartedAt == started) {
            pingStartedAt = -1;
          }
          if (ar.succeeded()) {
            answered();
            markUp();
          } else {
            markDown(ar.cause().toString());
          }
        });
    answered
        .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onFailure(e -> markDown("no answer within " + TIMEOUT_MS + " ms"));
  }

  private void markUp() {
    if (!up) {
      up = true;
      log.info("the database answers again");
    }
  }

  private void markDown(String why) {
    if (up) {
      up = false;
      log.warn("the database is unavailable ({}): requests that need it get 503", why);
    }
    // each action runs once, even when several threads mark the database down at once
    for (Runnable action : List.copyOf(onDown)) {
      if (onDown.remove(action)) {
        action.run();
      }
    }
  }
}
