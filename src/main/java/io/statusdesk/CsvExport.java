package io.statusdesk;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Function;

/**
 * A CSV download of any size (ledger entries, month reports, the audit log): the header at once,
 * then keyset pages streamed one at a time, waiting for the client when its write queue is full, so
 * an export holds one page in memory.
 */
public final class CsvExport {
  private CsvExport() {}

  /** Starts a chunked CSV answer named {@code filename} with its {@code header} row. */
  public static HttpServerResponse start(RoutingContext ctx, String filename, String header) {
    HttpServerResponse response =
        ctx.response()
            .setChunked(true)
            .putHeader("Content-Type", "text/csv; charset=utf-8")
            .putHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    response.write(header);
    return response;
  }

  /**
   * Streams the pages {@code page} answers after {@code after} (each row written by {@code line},
   * the next page keyed by {@code key} of the last row) until an empty page, then ends.
   */
  public static <T, K> void pages(
      HttpServerResponse response,
      K after,
      Function<K, Future<List<T>>> page,
      Function<T, String> line,
      Function<T, K> key) {
    page.apply(after)
        .onSuccess(
            rows -> {
              if (rows.isEmpty()) {
                response.end();
                return;
              }
              StringBuilder chunk = new StringBuilder();
              rows.forEach(r -> chunk.append(line.apply(r)));
              response.write(chunk.toString());
              K next = key.apply(rows.get(rows.size() - 1));
              Promise<Void> writable = Promise.promise();
              if (response.writeQueueFull()) {
                response.drainHandler(v -> writable.tryComplete());
              } else {
                writable.complete();
              }
              writable.future().onSuccess(v -> pages(response, next, page, line, key));
            })
        .onFailure(e -> response.reset());
  }
}
