package io.statusdesk.app;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.Function;

/** Serves the application router; deployed once per core so HTTP uses every event loop. */
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
