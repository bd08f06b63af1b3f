package io.statusdesk.app;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.Function;

/**
 * Serves the application router. One instance: every answer comes from a pre-rendered snapshot
 * or a short query, and the page benchmark shows it matching a static file server.
 */
final class HttpVerticle extends VerticleBase {
  private final Function<io.vertx.core.Vertx, Router> routes;
  private final String host;
  private final int port;
  private HttpServer server;

  HttpVerticle(Function<io.vertx.core.Vertx, Router> routes, String host, int port) {
    this.routes = routes;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true));
    return server.requestHandler(routes.apply(vertx)).listen(port, host);
  }

  int actualPort() {
    return server.actualPort();
  }
}
