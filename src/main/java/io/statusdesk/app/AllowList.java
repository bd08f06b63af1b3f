package io.statusdesk.app;

import io.statusdesk.Client;
import io.statusdesk.DomainException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code STATUSDESK_ADMIN_ALLOW}: only clients from these networks reach the console and the
 * operator API; anyone else gets 403 before any credential is looked at. The client is the one
 * {@link Edge} established, so {@code X-Forwarded-For} counts only from trusted proxies. Heartbeats
 * (pushed by the monitored systems, with their own tokens) and the public uptime figures stay open.
 */
final class AllowList implements Handler<RoutingContext> {
  private final Networks allowed;

  AllowList(Networks allowed) {
    this.allowed = allowed;
  }

  @Override
  public void handle(RoutingContext ctx) {
    // the path the router matches: the raw one could walk out of an open prefix with "../"
    String path = ctx.normalizedPath();
    if (allowed.isEmpty()
        || path.startsWith("/api/v1/heartbeats/")
        || path.startsWith("/api/v1/uptime/")
        || allowed.contains(Client.of(ctx).address())) {
      ctx.next();
      return;
    }
    ctx.fail(DomainException.forbidden("this address may not use the console or the operator API"));
  }
}
