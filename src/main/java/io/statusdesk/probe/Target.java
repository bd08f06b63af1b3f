package io.statusdesk.probe;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** Where and how a cell is probed. Secrets in headers/tokens are already expanded. */
public sealed interface Target {

  /** How the cell is probed, as operators read it: http, https, tcp, tls or heartbeat. */
  String kind();

  /** An HTTP(S) endpoint; {@code insecureTls} skips certificate verification (self-signed). */
  record Http(URI uri, String method, Map<String, String> headers, String body, boolean insecureTls)
      implements Target {
    @Override
    public String kind() {
      return uri.getScheme().toLowerCase(Locale.ROOT);
    }
  }

  /** A TCP port that must accept a connection. */
  record Tcp(String host, int port) implements Target {
    @Override
    public String kind() {
      return "tcp";
    }
  }

  /** A TLS port: connect, hand-shake and read the peer certificate. */
  record Tls(String host, int port, boolean insecureTls) implements Target {
    @Override
    public String kind() {
      return "tls";
    }
  }

  /** A pushed check: the cell posts heartbeats with {@code token}; silence means failure. */
  record Heartbeat(Duration maxSilence, String token) implements Target {
    @Override
    public String kind() {
      return "heartbeat";
    }
  }
}
