package io.statusdesk;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;

/** Blocks a test thread on a Vert.x future (never an event loop). */
public final class Await {
  private Await() {}

  public static <T> T get(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
