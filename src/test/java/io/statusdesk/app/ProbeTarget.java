package io.statusdesk.app;

import static io.statusdesk.Await.get;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * An HTTP endpoint for the probes to hit, answering the status code the test chooses per path.
 * Healthy answers say {@code {"status": "UP"}}; failing ones carry an internal detail that the
 * public pages must never repeat.
 */
public final class ProbeTarget {
  static final String INTERNAL_DETAIL = "internal error at db-7.internal";

  private ProbeTarget() {}

  /** Answers {@code statusForPath} of each request's path; returns the port. */
  static int listen(Vertx vertx, ToIntFunction<String> statusForPath) throws Exception {
    return get(vertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  int status = statusForPath.applyAsInt(req.path());
                  req.response()
                      .setStatusCode(status)
                      .end(
                          status == 200
                              ? new JsonObject().put("status", "UP").encode()
                              : new JsonObject()
                                  .put("status", "DOWN")
                                  .put("detail", INTERNAL_DETAIL)
                                  .encode());
                })
            .listen(0, "127.0.0.1"))
        .actualPort();
  }

  /** Every path answers the code currently in {@code status}. */
  public static int listen(Vertx vertx, AtomicInteger status) throws Exception {
    return listen(vertx, path -> status.get());
  }
}
