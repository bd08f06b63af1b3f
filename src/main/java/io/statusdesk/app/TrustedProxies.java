package io.statusdesk.app;

import io.statusdesk.Client;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The reverse proxies whose {@code X-Forwarded-For} and {@code X-Forwarded-Proto} are believed
 * ({@code STATUSDESK_TRUSTED_PROXIES}: IPs or CIDRs). Anyone can send those headers, so from any
 * other peer they are ignored and the peer itself is the client.
 */
public final class TrustedProxies {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private final List<Network> networks;

  private TrustedProxies(List<Network> networks) {
    this.networks = List.copyOf(networks);
  }

  public static TrustedProxies none() {
    return new TrustedProxies(List.of());
  }

  /**
   * Parses {@code 10.0.0.0/8, 192.0.2.7, ::1}; a blank value trusts no one.
   *
   * @throws IllegalArgumentException naming the first entry that is not an IP or a CIDR
   */
  public static TrustedProxies parse(String value) {
    List<Network> networks = new ArrayList<>();
    for (String entry : value.split(",", -1)) {
      String spec = entry.trim();
      if (spec.isEmpty()) {
        continue;
      }
      int slash = spec.indexOf('/');
      Optional<InetAddress> address = literal(slash < 0 ? spec : spec.substring(0, slash));
      if (address.isEmpty()) {
        throw new IllegalArgumentException("'" + spec + "' is not an IP address or CIDR");
      }
      int max = address.get().getAddress().length * 8;
      int bits = max;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(spec.substring(slash + 1));
        } catch (NumberFormatException e) {
          bits = -1;
        }
        if (bits < 0 || bits > max) {
          throw new IllegalArgumentException(
              "'" + spec + "' needs a prefix length from 0 to " + max);
        }
      }
      networks.add(new Network(address.get().getAddress(), bits));
    }
    return new TrustedProxies(networks);
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
        Optional<InetAddress> hop = literal(withoutPort(hops[i].trim()));
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
    if (networks.isEmpty()) {
      return false;
    }
    return literal(address).map(a -> networks.stream().anyMatch(n -> n.contains(a))).orElse(false);
  }

  /** {@code 192.0.2.1:443} and {@code [2001:db8::1]:443} as proxies may write them. */
  private static String withoutPort(String hop) {
    if (hop.startsWith("[") && hop.indexOf(']') > 0) {
      return hop.substring(1, hop.indexOf(']'));
    }
    int colon = hop.indexOf(':');
    return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
  }

  /** An IP literal; never a host name, so nothing here ever asks DNS. */
  static Optional<InetAddress> literal(String text) {
    try {
      if (IPV4.matcher(text).matches()) {
        String[] parts = text.split("\\.", -1);
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
          int octet = Integer.parseInt(parts[i]);
          if (octet > 255) {
            return Optional.empty();
          }
          bytes[i] = (byte) octet;
        }
        return Optional.of(InetAddress.getByAddress(bytes));
      }
      // with a colon Java parses an IPv6 literal or fails; it never resolves a name
      return IPV6.matcher(text).matches()
          ? Optional.of(InetAddress.getByName(text))
          : Optional.empty();
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** A CIDR block; a class rather than a record because its prefix is an array. */
  private static final class Network {
    private final byte[] prefix;
    private final int bits;

    Network(byte[] prefix, int bits) {
      this.prefix = prefix.clone();
      this.bits = bits;
    }

    boolean contains(InetAddress address) {
      byte[] bytes = address.getAddress();
      if (bytes.length != prefix.length) {
        return false;
      }
      for (int bit = 0; bit < bits; bit += 8) {
        int mask = bits - bit >= 8 ? 0xff : (0xff << (8 - (bits - bit))) & 0xff;
        if ((bytes[bit / 8] & mask) != (prefix[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }
}
