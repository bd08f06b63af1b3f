package io.statusdesk.admin;

import io.statusdesk.DomainException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Set;

/**
 * Route guard for the API: a bearer token that is missing or unknown gets 401, one of a role not
 * allowed here 403, both before any handler runs, so a refused request changes nothing.
 */
public final class Auth {
  private static final String PRINCIPAL = "statusdesk.principal";
  private static final int MAX_TOKEN = 200;
  private final TokenRepository tokens;

  public Auth(TokenRepository tokens) {
    this.tokens = tokens;
  }

  /** Admits tokens of the listed roles. */
  public Handler<RoutingContext> require(Role first, Role... more) {
    Set<Role> allowed = EnumSet.of(first, more);
    return ctx -> {
      String header = ctx.request().getHeader("Authorization");
      if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)
          || header.length() > 7 + MAX_TOKEN) {
        ctx.fail(DomainException.unauthenticated("an API token is required (Authorization: Bearer ...)"));
        return;
      }
      tokens.find(header.substring(7).trim()).onComplete(ar -> {
        if (ar.failed()) {
          ctx.fail(ar.cause());
        } else if (ar.result().isEmpty()) {
          ctx.fail(DomainException.unauthenticated("unknown or revoked API token"));
        } else if (!allowed.contains(ar.result().get().role())) {
          ctx.fail(new DomainException(DomainException.Kind.FORBIDDEN,
              "a token of role " + ar.result().get().role().dbValue() + " may not do this"));
        } else {
          ctx.put(PRINCIPAL, ar.result().get());
          ctx.next();
        }
      });
    };
  }

  /** Any valid token. */
  public Handler<RoutingContext> anyRole() {
    return require(Role.OPERATOR, Role.BILLING, Role.VIEWER);
  }

  public static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }
}
