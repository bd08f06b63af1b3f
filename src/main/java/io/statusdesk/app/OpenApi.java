package io.statusdesk.app;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3.1 document of {@code /api/v1}, written by hand
 * and checked against the router by a test, so billing can generate a client from it.
 */
final class OpenApi {
  private static final Buffer DOCUMENT = load();

  private OpenApi() {}

  private static Buffer load() {
    try (InputStream in = OpenApi.class.getResourceAsStream("/openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the build");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void serve(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Access-Control-Allow-Origin", "*")
        .putHeader("Cache-Control", "public, max-age=300")
        .end(DOCUMENT);
  }
}
