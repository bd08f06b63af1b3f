package io.statusdesk.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.statusdesk.Client;
import io.statusdesk.DomainException;
import io.statusdesk.admin.Refusals.Reason;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Route guard for the API: a bearer token that is missing or unknown gets 401, one of a role not
 * allowed here 403, both before any handler runs, so a refused request changes nothing. Tokens are
 * cached for {@link #CACHE_TTL}, and forgotten as soon as the database announces a revocation
 * ({@link #forgetCached}); an address that keeps failing is throttled (429) before any query. The
 * request is paused while its token is checked and stays paused when refused, so a body is never
 * read for a request that will be refused.
 */
public final class Auth {
  /** Largest JSON body any API call takes. */
  public static final int JSON_LIMIT = 64 * 1024;

  /** Longest bearer token looked at, API or heartbeat. */
  public static final int MAX_TOKEN = 1024;

  static final Duration CACHE_TTL = Duration.ofSeconds(30);
  private static final String PRINCIPAL = "statusdesk.principal";
  private final TokenRepository tokens;
  private final Refusals refusals;
  private final TokenCache cache;
  private final Counter lookups;
  private final Clock clock;

  public Auth(TokenRepository tokens, Refusals refusals, MeterRegistry registry, Clock clock) {
    this.tokens = tokens;
    this.refusals = refusals;
    this.clock = clock;
    this.cache = new TokenCache(CACHE_TTL, 10_000, clock);
    this.lookups =
        Counter.builder("statusdesk.auth.token.lookups")
            .description("API tokens looked up in the database (cache misses)")
            .register(registry);
  }

  /** Admits tokens of the listed roles. */
  public Handler<RoutingContext> require(Role first, Role... more) {
    Set<Role> allowed = EnumSet.of(first, more);
    return ctx -> {
      HttpServerRequest request = ctx.request();
      if (!request.isEnded()) {
        request.pause();
      }
      String address = Client.of(ctx).address();
      String token = bearer(request);
      Optional<Principal> known = token == null ? null : cache.get(token);
      if (known != null && known.isPresent()) {
        admit(ctx, known.get(), allowed, address);
        return;
      }
      Optional<DomainException> throttled =
          token == null || known != null ? refusals.throttled(address) : refusals.reserve(address);
      if (throttled.isPresent()) {
        ctx.fail(throttled.get());
      } else if (token == null) {
        ctx.fail(
            refusals.refuse(
                address,
                Reason.MISSING,
                DomainException.unauthenticated(
                    "an API token is required (Authorization: Bearer ...)")));
      } else if (known != null) {
        ctx.fail(unknown(address));
      } else {
        lookups.increment();
        long generation = cache.generation();
        tokens
            .find(token, clock.instant())
            .onComplete(
                ar -> {
                  refusals.release(address);
                  if (ar.failed()) {
                    ctx.fail(ar.cause());
                    return;
                  }
                  Optional<TokenRepository.Holder> found = ar.result();
                  cache.put(
                      token,
                      found.map(TokenRepository.Holder::principal),
                      found.flatMap(TokenRepository.Holder::expiresAt),
                      generation);
                  if (found.isEmpty()) {
                    ctx.fail(unknown(address));
                  } else {
                    admit(ctx, found.get().principal(), allowed, address);
                  }
                });
      }
    };
  }

  /**
   * Forgets every cached lookup: at each revocation the database announces ({@link
   * TokenRepository#REVOKED_CHANNEL}), and whenever listening (re)starts, since announcements made
   * while the connection was down are lost.
   */
  public void forgetCached() {
    cache.clear();
  }

  /** Any valid token of a person's role (agents only push results). */
  public Handler<RoutingContext> anyRole() {
    return require(Role.OPERATOR, Role.BILLING, Role.VIEWER);
  }

  /**
   * The chain of every route that takes a body: the token is checked first (the request waits,
   * unread), then at most {@code limit} bytes are read (413 beyond, at once when the declared
   * length is larger), then the handler added to the returned route runs. Two routes, because
   * Vert.x Web insists that on one route a body handler comes before any other.
   */
  public Route withBody(
      Router router, HttpMethod method, String path, long limit, Role first, Role... more) {
    router.route(method, path).handler(require(first, more));
    return router.route(method, path).handler(BodyHandler.create(false).setBodyLimit(limit));
  }

  /** {@link #withBody} for a JSON body (at most {@link #JSON_LIMIT}). */
  public Route withJson(Router router, HttpMethod method, String path, Role first, Role... more) {
    return withBody(router, method, path, JSON_LIMIT, first, more);
  }

  private void admit(RoutingContext ctx, Principal principal, Set<Role> allowed, String address) {
    if (!principal.may(allowed)) {
      ctx.fail(
          refusals.refuse(
              address,
              Reason.FORBIDDEN,
              DomainException.forbidden(
                  "a token of role " + principal.role().dbValue() + " may not do this")));
      return;
    }
    ctx.put(PRINCIPAL, principal);
    proceed(ctx);
  }

  /**
   * Lets a request that waited, unread, for its credentials to be looked up go on, unless it was
   * answered meanwhile (503 at the database deadline): going on would then run past the end of the
   * router's failure handlers.
   */
  static void proceed(RoutingContext ctx) {
    if (ctx.response().ended()) {
      return;
    }
    if (!ctx.request().isEnded()) {
      ctx.request().resume();
    }
    ctx.next();
  }

  private DomainException unknown(String address) {
    return refusals.refuse(
        address, Reason.UNKNOWN, DomainException.unauthenticated("unknown or revoked API token"));
  }

  /** The token of {@code Authorization: Bearer TOKEN}, or null when there is none. */
  public static String bearer(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    if (header == null
        || !header.regionMatches(true, 0, "Bearer ", 0, 7)
        || header.length() > 7 + MAX_TOKEN) {
      return null;
    }
    String token = header.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  public static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }
}
