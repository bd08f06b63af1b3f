package io.statusdesk.statuspage;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A response body made once per snapshot, with the validators caches need. A body equal to the
 * previous snapshot's keeps its {@code Last-Modified}, so clients revalidating get 304s until
 * something they can see changes.
 */
record Rendered(Buffer body, String contentType, String etag, Instant lastModified) {

  static Rendered of(String body, String contentType, Instant now, Rendered previous) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String etag = "\"" + HexFormat.of().formatHex(
        java.util.Arrays.copyOf(io.statusdesk.Digest.sha256(bytes), 16)) + "\"";
    Instant modified = previous != null && previous.etag().equals(etag)
        ? previous.lastModified() : now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    return new Rendered(Buffer.buffer(bytes), contentType, etag, modified);
  }
}
