package io.statusdesk.tenant;

import java.util.Map;
import java.util.Optional;

/**
 * Plans and their monthly price per member in KRW; a plan priced 0 is free (no fee, no credit).
 * Prices are configuration: {@link #standard()} holds the published ones.
 */
public record Plans(Map<String, Long> pricePerMemberKrw) {

  public static Plans standard() {
    return new Plans(Map.of("continent", 19_000L, "earth", 39_000L, "universe", 59_000L,
        "island", 0L));
  }

  /** The month's fee for {@code members} on {@code plan}, or empty for an unknown plan. */
  public Optional<Long> monthlyFee(String plan, long members) {
    return Optional.ofNullable(pricePerMemberKrw.get(plan)).map(p -> p * members);
  }
}
