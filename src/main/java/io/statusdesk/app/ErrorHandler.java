package io.statusdesk.app;

import io.statusdesk.DomainException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place failures become HTTP answers: {@code {"error": "..."}} with a fitting status. */
final class ErrorHandler {
  private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);

  private ErrorHandler() {}

  static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status;
    String message;
    if (failure instanceof DomainException e) {
      status = e.kind().status;
      message = e.getMessage();
    } else if (failure instanceof DecodeException) {
      status = 400;
      message = "request body is not valid JSON";
    } else if (failure == null && ctx.statusCode() > 0) {
      status = ctx.statusCode();
      message = switch (status) {
        case 404 -> "not found";
        case 405 -> "method not allowed";
        case 413 -> "request body too large";
        default -> "request failed";
      };
    } else {
      status = 500;
      message = "internal error";
      log.error("unhandled failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .end(new JsonObject().put("error", message).encode());
  }
}
