package io.statusdesk.app;

import io.statusdesk.store.DatabaseHealth;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards routes that need the database: while it is known to be down they answer 503 at once;
 * otherwise a request whose answer has not begun when the database goes down, or within {@link
 * #DEADLINE_MS} (time spent receiving a body that is still arriving does not count), gets 503
 * instead of hanging on a query that may never return.
 */
final class DatabaseDeadline implements Handler<RoutingContext> {
  private static final Logger log = LoggerFactory.getLogger(DatabaseDeadline.class);
  static final long DEADLINE_MS = 10_000;

  private final DatabaseHealth health;

  DatabaseDeadline(DatabaseHealth health) {
    this.health = health;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!health.up()) {
      ctx.fail(ErrorHandler.databaseUnavailable());
      return;
    }
    new Watch(ctx).start();
    ctx.next();
  }

  /** One request's deadline, ended by the first byte of its answer. */
  private final class Watch {
    private final RoutingContext ctx;
    private final Context context = Vertx.currentContext();
    private long timer;
    private long bytesSeen;
    private Runnable cancelOnDown;

    Watch(RoutingContext ctx) {
      this.ctx = ctx;
    }

    void start() {
      cancelOnDown = health.onDown(() -> context.runOnContext(v -> expire()));
      arm();
      ctx.addHeadersEndHandler(v -> stop());
      ctx.addEndHandler(v -> stop());
    }

    private void arm() {
      timer =
          ctx.vertx()
              .setTimer(
                  DEADLINE_MS,
                  id -> {
                    long read = ctx.request().bytesRead();
                    if (!ctx.request().isEnded() && read > bytesSeen) {
                      bytesSeen = read;
                      arm();
                    } else if (expire()) {
                      log.warn(
                          "{} {}: no answer within {} ms, answered 503",
                          ctx.request().method(),
                          ctx.request().path(),
                          DEADLINE_MS);
                    }
                  });
    }

    private void stop() {
      ctx.vertx().cancelTimer(timer);
      cancelOnDown.run();
    }

    /** Answers 503 unless an answer has begun; whether it did. */
    private boolean expire() {
      if (ctx.response().headWritten() || ctx.response().ended() || ctx.failed()) {
        return false;
      }
      stop();
      ctx.fail(ErrorHandler.databaseUnavailable());
      return true;
    }
  }
}
