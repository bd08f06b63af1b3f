package io.statusdesk.outage;

import io.statusdesk.DomainException;
import java.util.Set;

/**
 * An operator's ruling that an outage was outside the company's control, so it never counts.
 *
 * @param reason {@code force_majeure}, {@code customer_caused}, {@code network} (the internet
 *     between us and the customer) or {@code mistaken} (recorded in error)
 * @param note why, in the operator's words
 */
public record Exclusion(String reason, String note) {
  public static final Set<String> REASONS =
      Set.of("force_majeure", "customer_caused", "network", "mistaken");

  public Exclusion {
    if (!REASONS.contains(reason)) {
      throw new DomainException(
          DomainException.Kind.INVALID,
          "exclusion.reason: one of force_majeure, customer_caused, network, mistaken");
    }
    if (note == null || note.isBlank()) {
      throw new DomainException(DomainException.Kind.INVALID, "exclusion.note: required");
    }
  }
}
