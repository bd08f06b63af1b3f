package io.statusdesk.app;

import io.statusdesk.admin.Console;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the application router. One instance: every answer comes from a pre-rendered snapshot or a
 * short query, and the page benchmark shows it matching a static file server.
 */
final class HttpVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(HttpVerticle.class);
  private final Function<Vertx, Router> routes;
  private final String host;
  private final int port;
  private HttpServer server;

  HttpVerticle(Function<Vertx, Router> routes, String host, int port) {
    this.routes = routes;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    context.exceptionHandler(HttpVerticle::unhandled);
    // A form field may be as long as the whole form its route takes: the body limit, not Netty's
    // 8 KiB per field (a failure that would be a 500), answers a form too large with 413.
    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setCompressionSupported(true)
                .setMaxFormAttributeSize(2 * Console.FORM_LIMIT));
    return server.requestHandler(routes.apply(vertx)).listen(port, host);
  }

  /**
   * A request answered 503 at its deadline may still see its query finish later; its handler's late
   * answer then fails to write, which is expected, not an error.
   */
  private static void unhandled(Throwable e) {
    if (e instanceof IllegalStateException
        && "Response has already been written".equals(e.getMessage())) {
      log.debug("a late answer to a request already answered was dropped");
    } else {
      log.error("unhandled exception", e);
    }
  }

  int actualPort() {
    return server.actualPort();
  }
}
