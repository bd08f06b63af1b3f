package io.statusdesk.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /health}: 200 while the database answers and nothing has stalled, else 503 naming what is
 * wrong; {@code /ready}: 200 once this instance takes its share of the work; and Prometheus
 * metrics: behind an API token on the main port, open on the management listener (loopback by
 * default).
 */
final class OpsRoutes {
  private static final long DB_CHECK_MS = 2_000;

  private final Pool pool;
  private final PrometheusMeterRegistry registry;
  private final Liveness liveness;
  private final BooleanSupplier dbRestarting;
  private final Supplier<List<String>> unready;

  /**
   * @param dbRestarting the embedded PostgreSQL is being started again after it died
   * @param unready why this instance should not get traffic yet; empty when it should
   */
  OpsRoutes(
      Pool pool,
      PrometheusMeterRegistry registry,
      Liveness liveness,
      BooleanSupplier dbRestarting,
      Supplier<List<String>> unready) {
    this.pool = pool;
    this.registry = registry;
    this.liveness = liveness;
    this.dbRestarting = dbRestarting;
    this.unready = unready;
  }

  Router router(Vertx vertx, Handler<RoutingContext> metricsGuard) {
    Router router = Router.router(vertx);
    router.get("/health").handler(this::health);
    router.get("/ready").handler(this::ready);
    router.get("/metrics").handler(metricsGuard).handler(this::metrics);
    return router;
  }

  private void health(RoutingContext ctx) {
    if (dbRestarting.getAsBoolean()) {
      ctx.response().setStatusCode(503);
      ctx.json(
          new JsonObject()
              .put("status", "degraded")
              .put("database", "restarting")
              .put("stalled", new JsonArray(liveness.stalls())));
      return;
    }
    pool.query("SELECT 1")
        .execute()
        .timeout(DB_CHECK_MS, TimeUnit.MILLISECONDS)
        .onComplete(
            ar -> {
              boolean database = ar.succeeded();
              List<String> stalls = liveness.stalls();
              boolean up = database && stalls.isEmpty();
              ctx.response().setStatusCode(up ? 200 : 503);
              ctx.json(
                  new JsonObject()
                      .put("status", up ? "up" : stalls.isEmpty() ? "degraded" : "stalled")
                      .put("database", database ? "up" : "down")
                      .put("stalled", new JsonArray(stalls)));
            });
  }

  /**
   * Readiness for a load balancer or an orchestrator: 200 once this instance holds its share of the
   * cells and the database answers, else 503 with the reasons.
   */
  private void ready(RoutingContext ctx) {
    List<String> reasons = unready.get();
    ctx.response().setStatusCode(reasons.isEmpty() ? 200 : 503);
    ctx.json(
        new JsonObject()
            .put("status", reasons.isEmpty() ? "ready" : "not ready")
            .put("reasons", new JsonArray(reasons)));
  }

  private void metrics(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(registry.scrape());
  }
}
