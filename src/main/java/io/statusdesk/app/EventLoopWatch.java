package io.statusdesk.app;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Notices a blocked event loop. One ticker runs on every event loop and notes the time every two
 * seconds; a loop whose ticker has not run for {@link #BLOCKED} is named on {@code /health}. Vert.x
 * only logs such a loop; a monitor with a wedged loop has stopped probing part of its checks and
 * must say so.
 */
final class EventLoopWatch {
  static final Duration BLOCKED = Duration.ofSeconds(5);
  private static final long TICK_MS = 2_000;
  private final Map<String, Long> lastTick = new ConcurrentHashMap<>();
  private final Clock clock;

  EventLoopWatch(Clock clock) {
    this.clock = clock;
  }

  /** Deploys one ticker per event loop (verticle instances are spread round robin). */
  Future<String> deploy(Vertx vertx) {
    return vertx.deployVerticle(
        Ticker::new,
        new DeploymentOptions().setInstances(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE));
  }

  /** Loops whose ticker is late, in words for operators. */
  List<String> stalls() {
    long now = clock.millis();
    List<String> out = new ArrayList<>();
    lastTick.forEach(
        (thread, at) -> {
          long late = now - at;
          if (late > BLOCKED.toMillis()) {
            out.add("event loop " + thread + ": blocked for " + late / 1000 + " s");
          }
        });
    out.sort(null);
    return out;
  }

  private final class Ticker extends VerticleBase {
    @Override
    public Future<?> start() {
      tick();
      // well inside BLOCKED, so a loop that runs is never reported, and rare enough to be free
      vertx.setPeriodic(TICK_MS, id -> tick());
      return Future.succeededFuture();
    }

    private void tick() {
      lastTick.put(Thread.currentThread().getName(), clock.millis());
    }
  }
}
