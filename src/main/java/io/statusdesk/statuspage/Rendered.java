package io.statusdesk.statuspage;

import io.statusdesk.Digest;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * A response body made once per snapshot, with the validators caches need and, for bodies worth it,
 * a gzip copy compressed once here rather than on every request. A body equal to the previous
 * snapshot's keeps its {@code Last-Modified} (and its compressed copy), so clients revalidating get
 * 304s until something they can see changes.
 *
 * @param gzipped the body gzip-compressed, or null when it is too small to gain from it
 */
record Rendered(
    Buffer body, Buffer gzipped, String contentType, String etag, Instant lastModified) {
  private static final int COMPRESS_FROM = 1024;

  static Rendered of(String body, String contentType, Instant now, Rendered previous) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String etag = "\"" + HexFormat.of().formatHex(Arrays.copyOf(Digest.sha256(bytes), 16)) + "\"";
    if (previous != null && previous.etag().equals(etag)) {
      return previous;
    }
    return new Rendered(
        Buffer.buffer(bytes),
        bytes.length < COMPRESS_FROM ? null : gzip(bytes),
        contentType,
        etag,
        now.truncatedTo(ChronoUnit.SECONDS));
  }

  private static Buffer gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 8);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(out.toByteArray());
  }
}
