package io.statusdesk.app;

import io.statusdesk.Client;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * What every request gets before any route: its {@link Client} (address and TLS, believing
 * forwarding headers only from trusted proxies), and the security headers on whatever answer it
 * ends with, errors included. Routes that set their own Content-Security-Policy keep it.
 */
final class Edge implements Handler<RoutingContext> {
  private static final String DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'";

  private final TrustedProxies proxies;

  Edge(TrustedProxies proxies) {
    this.proxies = proxies;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    SocketAddress peer = request.remoteAddress();
    Client client =
        proxies.resolve(
            peer == null ? "unknown" : peer.hostAddress(),
            request.isSSL(),
            request.getHeader("X-Forwarded-For"),
            request.getHeader("X-Forwarded-Proto"));
    client.attachTo(ctx);
    ctx.addHeadersEndHandler(
        v -> {
          MultiMap headers = ctx.response().headers();
          headers.set("X-Content-Type-Options", "nosniff");
          headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
          if (!headers.contains("Content-Security-Policy")) {
            headers.set("Content-Security-Policy", DEFAULT_CSP);
          }
          if (client.secure()) {
            headers.set("Strict-Transport-Security", "max-age=31536000");
          }
        });
    ctx.next();
  }
}
