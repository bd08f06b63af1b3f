package io.statusdesk.app;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A list of IP networks written as IPs and CIDRs ({@code 10.0.0.0/8, 192.0.2.7, ::1}): the trusted
 * proxies, the console's allow-list. Addresses are compared as numbers; nothing here asks DNS.
 */
public final class Networks {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private final List<Network> networks;

  private Networks(List<Network> networks) {
    this.networks = List.copyOf(networks);
  }

  /**
   * Parses a comma-separated list; a blank value is the empty list.
   *
   * @throws IllegalArgumentException naming the first entry that is not an IP or a CIDR
   */
  public static Networks parse(String value) {
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
    return new Networks(networks);
  }

  boolean isEmpty() {
    return networks.isEmpty();
  }

  /** Whether {@code address} (an IP literal) lies in one of the networks. */
  boolean contains(String address) {
    if (networks.isEmpty()) {
      return false;
    }
    return literal(address).map(a -> networks.stream().anyMatch(n -> n.contains(a))).orElse(false);
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
