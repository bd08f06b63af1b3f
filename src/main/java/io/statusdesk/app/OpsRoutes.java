package io.statusdesk.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

/**
 * Liveness with database reachability, and Prometheus metrics: behind an API token on the main
 * port, open on the management listener (loopback by default).
 */
final class OpsRoutes {
  private static final long DB_CHECK_MS = 2_000;

  private final Pool pool;
  private final PrometheusMeterRegistry registry;

  OpsRoutes(Pool pool, PrometheusMeterRegistry registry) {
    this.pool = pool;
    this.registry = registry;
  }

  Router router(Vertx vertx, Handler<RoutingContext> metricsGuard) {
    Router router = Router.router(vertx);
    router.get("/health").handler(this::health);
    router.get("/metrics").handler(metricsGuard).handler(this::metrics);
    return router;
  }

  private void health(RoutingContext ctx) {
    pool.query("SELECT 1").execute()
        .timeout(DB_CHECK_MS, java.util.concurrent.TimeUnit.MILLISECONDS)
        .onComplete(ar -> {
          boolean up = ar.succeeded();
          ctx.response().setStatusCode(up ? 200 : 503);
          ctx.json(new JsonObject().put("status", up ? "up" : "degraded")
              .put("database", up ? "up" : "down"));
        });
  }

  private void metrics(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(registry.scrape());
  }
}
