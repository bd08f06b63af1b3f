package io.statusdesk;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * CPU-heavy steps of a request (parsing a tenant import, evaluating a month for every tenant) run
 * here, off the event loops that serve requests and drive the probes. The pool is small on purpose:
 * a burst of heavy requests queues behind {@link #THREADS} workers instead of taking every core
 * from the monitor, and a step running past {@link #WARN_AFTER_SECONDS} is logged by Vert.x's
 * blocked-thread checker.
 */
public final class Compute {
  static final int THREADS = 2;
  static final long WARN_AFTER_SECONDS = 30;
  private static final Map<Vertx, WorkerExecutor> POOLS = new WeakHashMap<>();

  private Compute() {}

  /** Runs {@code work} on the compute pool of the calling Vert.x thread's instance. */
  public static <T> Future<T> run(Callable<T> work) {
    Context context = Vertx.currentContext();
    if (context == null) {
      throw new IllegalStateException("Compute.run is called from a Vert.x thread");
    }
    return run(context.owner(), work);
  }

  /** Runs {@code work} on {@code vertx}'s compute pool, from any thread. */
  public static <T> Future<T> run(Vertx vertx, Callable<T> work) {
    return pool(vertx).executeBlocking(work, false);
  }

  private static synchronized WorkerExecutor pool(Vertx vertx) {
    return POOLS.computeIfAbsent(
        vertx,
        v ->
            v.createSharedWorkerExecutor(
                "statusdesk-compute", THREADS, WARN_AFTER_SECONDS, TimeUnit.SECONDS));
  }
}
