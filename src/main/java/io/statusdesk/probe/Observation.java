package io.statusdesk.probe;

import java.time.Duration;
import java.time.Instant;

/**
 * What one probe saw, before conditions judge it. Fields a probe type cannot observe stay null (a
 * TCP probe has no status or body; a plain HTTP probe has no certificate).
 *
 * @param connected whether a connection (and TLS handshake, if any) was established
 * @param status the HTTP status code, or null
 * @param responseTime time from start to the complete answer
 * @param body the response body (capped), or null
 * @param certificateExpiration time left until the leaf certificate's notAfter, or null
 * @param certificateNotAfter when the leaf certificate expires, or null without TLS
 * @param error the transport error (refused, timeout, DNS...), or null when connected
 */
public record Observation(
    boolean connected,
    Integer status,
    Duration responseTime,
    ResponseBody body,
    Duration certificateExpiration,
    Instant certificateNotAfter,
    String error) {

  public static Observation failed(Duration responseTime, String error) {
    return new Observation(false, null, responseTime, null, null, null, error);
  }
}
