package io.statusdesk;

import io.vertx.ext.web.RoutingContext;

/**
 * Who sent a request, as the service's edge (in {@code app}) established it before any route ran:
 * the client's address and whether it reached us over TLS, directly or through a trusted proxy.
 * Features read it here instead of the request's forwarding headers, which anyone can send.
 *
 * @param address the client's IP address, as text
 * @param secure whether the client's connection used TLS
 */
public record Client(String address, boolean secure) {
  private static final String KEY = "statusdesk.client";

  public static Client of(RoutingContext ctx) {
    Client client = ctx.get(KEY);
    if (client == null) {
      throw new IllegalStateException("the edge handler did not run for " + ctx.request().path());
    }
    return client;
  }

  public void attachTo(RoutingContext ctx) {
    ctx.put(KEY, this);
  }
}
