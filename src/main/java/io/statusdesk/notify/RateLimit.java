package io.statusdesk.notify;

import java.time.Duration;

/**
 * At most {@code messages} to one person or chat channel in any {@code per}: beyond it, a message
 * waits for room, and one that a newer message about the same thing has overtaken is dropped
 * (collapsed) instead. Webhooks are machines and are not limited.
 */
public record RateLimit(int messages, Duration per) {
  public RateLimit {
    if (messages < 1 || per.isNegative() || per.isZero()) {
      throw new IllegalArgumentException("a rate limit needs a positive count and period");
    }
  }

  public static RateLimit standard() {
    return new RateLimit(10, Duration.ofHours(1));
  }
}
