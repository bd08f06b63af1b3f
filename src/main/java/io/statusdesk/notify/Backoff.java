package io.statusdesk.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * How a failed delivery is retried: after {@code first}, then twice as long each time up to {@code
 * max}, each wait stretched or shrunk by up to a fifth at random so many failures do not retry in
 * step; no attempt is made later than {@code giveUpAfter} from the delivery's creation, after which
 * it is a dead letter.
 */
public record Backoff(Duration first, Duration max, Duration giveUpAfter) {
  static final double JITTER = 0.2;

  public Backoff {
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("first retry must be positive and at most the maximum");
    }
  }

  public static Backoff standard() {
    return new Backoff(Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofHours(24));
  }

  /**
   * When to try again after failed attempt number {@code attempts} (1 for the first), or empty when
   * that would be past the retry window: the delivery is then dead.
   *
   * @param random a uniform draw from [0, 1)
   */
  public Optional<Instant> next(int attempts, Instant created, Instant now, DoubleSupplier random) {
    long base = first.toMillis();
    for (int i = 1; i < attempts && base < max.toMillis(); i++) {
      base *= 2;
    }
    base = Math.min(base, max.toMillis());
    long jittered = Math.round(base * (1 - JITTER + 2 * JITTER * random.getAsDouble()));
    Instant at = now.plusMillis(Math.max(1, jittered));
    return at.isAfter(created.plus(giveUpAfter)) ? Optional.empty() : Optional.of(at);
  }
}
