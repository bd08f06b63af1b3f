package io.statusdesk.app;

import io.statusdesk.DomainException;
import io.statusdesk.Input;
import io.statusdesk.Lang;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place failures become HTTP answers: {@code {"error": "..."}} with a fitting status and,
 * when retrying later may succeed, {@code Retry-After}. A database that cannot be reached is a 503,
 * not a 500. An answer sent before the request's body was read closes the connection, so the rest
 * of that body is never read.
 */
final class ErrorHandler {
  private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);
  private static final long DATABASE_RETRY_AFTER_SECONDS = 5;

  /** Time for the client to read the answer before the connection is closed under it. */
  private static final long CLOSE_AFTER_MS = 1_000;

  /** What the pool fails with when it cannot hand out a connection in time. */
  private static final Set<String> POOL_FAILURES =
      Set.of("Timeout waiting for connection", "Timeout", "Pool closed");

  private ErrorHandler() {}

  static DomainException databaseUnavailable() {
    return DomainException.unavailable(
        "database unavailable, retry later", DATABASE_RETRY_AFTER_SECONDS);
  }

  static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure != null && !(failure instanceof DomainException) && unreachable(failure)) {
      log.warn(
          "{} {}: database unavailable ({})",
          ctx.request().method(),
          ctx.request().path(),
          failure.toString());
      failure = databaseUnavailable();
    }
    int status;
    String message;
    long retryAfter = 0;
    if (failure instanceof DomainException e) {
      status = status(e.kind());
      message = e.getMessage();
      retryAfter = e.retryAfterSeconds();
    } else if (failure instanceof DecodeException) {
      status = 400;
      message = "request body is not valid JSON";
    } else if (failure == null && ctx.statusCode() > 0) {
      status = ctx.statusCode();
      message =
          switch (status) {
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 413 -> "request body too large";
            default -> "request failed";
          };
    } else {
      status = 500;
      message = "internal error";
      log.error(
          "unhandled failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
    }
    HttpServerResponse response = ctx.response();
    if (response.ended()) {
      return;
    }
    if (response.headWritten()) {
      response.reset();
      return;
    }
    String signIn = status == 401 ? signInFirst(ctx.request()) : null;
    if (signIn != null) {
      // a console page without a session: the person signs in, then comes back here
      status = 303;
      response.putHeader(HttpHeaders.LOCATION, signIn);
    }
    boolean page = wantsPage(ctx);
    response
        .setStatusCode(status)
        .putHeader(
            "Content-Type", page ? "text/html; charset=utf-8" : "application/json; charset=utf-8");
    if (page) {
      response.putHeader(
          "Content-Security-Policy",
          "default-src 'none'; style-src 'self'; "
              + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    }
    if (retryAfter > 0) {
      response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfter));
    }
    boolean close = bodyUnread(ctx.request());
    if (close) {
      ctx.request().pause();
      response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    String body =
        signIn != null
            ? ""
            : page
                ? ErrorPage.html(status, message, Lang.of(ctx))
                : new JsonObject().put("error", message).encode();
    response
        .end(body)
        .onComplete(
            ar -> {
              if (close) {
                ctx.vertx().setTimer(CLOSE_AFTER_MS, id -> ctx.request().connection().close());
              }
            });
  }

  /** The HTTP answer each kind of domain failure becomes. */
  static int status(DomainException.Kind kind) {
    return switch (kind) {
      case INVALID -> 400;
      case UNAUTHENTICATED -> 401;
      case FORBIDDEN -> 403;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case THROTTLED -> 429;
      case UNAVAILABLE -> 503;
    };
  }

  /**
   * Where a console request without a session goes instead of a 401: the sign-in page, which leads
   * back to the page asked for (a form's page for a form); null outside the console.
   */
  private static String signInFirst(HttpServerRequest request) {
    String path = request.path();
    if (path == null || !(path.equals("/admin") || path.startsWith("/admin/"))) {
      return null;
    }
    String back = HttpMethod.GET.equals(request.method()) ? request.uri() : "/admin/overview";
    return "/admin/sign-in?next=" + Input.urlEncode(back);
  }

  /**
   * A person's browser asked for a page (not the API, not a feed, badge or download): it gets an
   * HTML page in the visitor's language, an API client keeps its JSON.
   */
  private static boolean wantsPage(RoutingContext ctx) {
    String path = ctx.request().path();
    String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
    return path != null
        && !path.startsWith("/api/")
        && !path.matches(".*\\.[a-z0-9]{2,4}$")
        && accept != null
        && accept.contains("text/html");
  }

  /** Over HTTP/1, a body announced and not (fully) read: reading on would be the only way on. */
  private static boolean bodyUnread(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_2 || request.isEnded()) {
      return false;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return request.headers().contains(HttpHeaders.TRANSFER_ENCODING)
        || (length != null && !length.equals("0"));
  }

  /** Refused, closed, timed out: the database could not be reached, so retrying later may do. */
  static boolean unreachable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SocketException
          || t instanceof ClosedConnectionException
          || t instanceof TimeoutException
          || t instanceof ConnectionPoolTooBusyException
          || (t instanceof VertxException && POOL_FAILURES.contains(t.getMessage()))) {
        return true;
      }
      if (t instanceof PgException pg
          && pg.getSqlState() != null
          && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
        return true;
      }
    }
    return false;
  }
}
