package io.statusdesk.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A public subscriber: an email address (confirmed through its link, or pending) or a webhook an
 * operator added.
 *
 * @param components the component ids it follows; empty means all, ones added later included
 * @param state {@code pending} until confirmed, then {@code active}
 */
public record Subscription(
    long id,
    String kind,
    String address,
    String lang,
    List<String> components,
    String state,
    Instant createdAt,
    Optional<Instant> confirmedAt) {

  public Subscription {
    components = List.copyOf(components);
  }

  /** Its address as the console shows it: see {@link #shown(String, String)}. */
  public String shown() {
    return shown(kind, address);
  }

  /**
   * An address as operators may see it: an email address as it is, a webhook only by its host (the
   * URL is a secret: whoever knows it can post to the receiver).
   */
  public static String shown(String kind, String address) {
    if (!"webhook".equals(kind)) {
      return address;
    }
    try {
      String host = new URI(address).getHost();
      return host == null ? "?" : host;
    } catch (URISyntaxException e) {
      return "?";
    }
  }
}
