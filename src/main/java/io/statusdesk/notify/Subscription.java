package io.statusdesk.notify;

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
}
