package io.statusdesk.app;

import io.statusdesk.Client;
import java.net.InetAddress;
import java.util.Optional;

/**
 * The reverse proxies whose {@code X-Forwarded-For} and {@code X-Forwarded-Proto} are believed
 * ({@code STATUSDESK_TRUSTED_PROXIES}: IPs or CIDRs). Anyone can send those headers, so from any
 * other peer they are ignored and the peer itself is the client.
 */
public final class TrustedProxies {
  private final Networks networks;

  private TrustedProxies(Networks networks) {
    this.networks = networks;
  }

  public static TrustedProxies none() {
    return new TrustedProxies(Networks.parse(""));
  }

  /**
   * Parses {@code 10.0.0.0/8, 192.0.2.7, ::1}; a blank value trusts no one.
   *
   * @throws IllegalArgumentException naming the first entry that is not an IP or a CIDR
   */
  public static TrustedProxies parse(String value) {
    return new TrustedProxies(Networks.parse(value));
  }

  /**
   * The client behind {@code peer}: when the peer is trusted, the nearest address in {@code
   * X-Forwarded-For} that is not itself a trusted proxy, and TLS as the nearest proxy's {@code
   * X-Forwarded-Proto} says; otherwise the peer, and TLS as the connection is.
   */
  public Client resolve(String peer, boolean tls, String forwardedFor, String forwardedProto) {
    if (!trusts(peer)) {
      return new Client(peer, tls);
    }
    String client = peer;
    if (forwardedFor != null) {
      String[] hops = forwardedFor.split(",", -1);
      for (int i = hops.length - 1; i >= 0; i--) {
        Optional<InetAddress> hop = Networks.literal(withoutPort(hops[i].trim()));
        if (hop.isEmpty()) {
          break;
        }
        client = hop.get().getHostAddress();
        if (!trusts(client)) {
          break;
        }
      }
    }
    boolean secure = tls;
    if (forwardedProto != null) {
      String[] protos = forwardedProto.split(",", -1);
      secure = "https".equalsIgnoreCase(protos[protos.length - 1].trim());
    }
    return new Client(client, secure);
  }

  boolean trusts(String address) {
    return networks.contains(address);
  }

  /** {@code 192.0.2.1:443} and {@code [2001:db8::1]:443} as proxies may write them. */
  private static String withoutPort(String hop) {
    if (hop.startsWith("[") && hop.indexOf(']') > 0) {
      return hop.substring(1, hop.indexOf(']'));
    }
    int colon = hop.indexOf(':');
    return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
  }
}
