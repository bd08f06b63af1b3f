package io.statusdesk.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.List;

/**
 * {@code /health}: 200 while the database answers and nothing has stalled, else 503 naming what
 * is wrong; and Prometheus metrics.
 */
final class OpsRoutes {
  private static final long DB_CHECK_MS = 2_000;

  private final Pool pool;
  private final PrometheusMeterRegistry registry;
  private final Liveness liveness;

  OpsRoutes(Pool pool, PrometheusMeterRegistry registry, Liveness liveness) {
    this.pool = pool;
    this.registry = registry;
    this.liveness = liveness;
  }

  void mount(Vertx vertx, Router router) {
    router.get("/health").handler(ctx -> health(vertx, ctx));
    router.get("/metrics").handler(this::metrics);
  }

  private void health(Vertx vertx, RoutingContext ctx) {
    pool.query("SELECT 1").execute()
        .timeout(DB_CHECK_MS, java.util.concurrent.TimeUnit.MILLISECONDS)
        .onComplete(ar -> {
          boolean database = ar.succeeded();
          List<String> stalls = liveness.stalls();
          boolean up = database && stalls.isEmpty();
          ctx.response().setStatusCode(up ? 200 : 503);
          ctx.json(new JsonObject()
              .put("status", up ? "up" : stalls.isEmpty() ? "degraded" : "stalled")
              .put("database", database ? "up" : "down")
              .put("stalled", new JsonArray(stalls)));
        });
  }

  private void metrics(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(registry.scrape());
  }
}
