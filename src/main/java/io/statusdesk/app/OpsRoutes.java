package io.statusdesk.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.function.BooleanSupplier;

/** Liveness with database reachability, and Prometheus metrics. */
final class OpsRoutes {
  private static final long DB_CHECK_MS = 2_000;

  private final Pool pool;
  private final PrometheusMeterRegistry registry;
  private final BooleanSupplier dbRestarting;

  OpsRoutes(Pool pool, PrometheusMeterRegistry registry, BooleanSupplier dbRestarting) {
    this.pool = pool;
    this.registry = registry;
    this.dbRestarting = dbRestarting;
  }

  void mount(Vertx vertx, Router router) {
    router.get("/health").handler(ctx -> health(vertx, ctx));
    router.get("/metrics").handler(this::metrics);
  }

  private void health(Vertx vertx, RoutingContext ctx) {
    if (dbRestarting.getAsBoolean()) {
      ctx.response().setStatusCode(503);
      ctx.json(new JsonObject().put("status", "degraded").put("database", "restarting"));
      return;
    }
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
