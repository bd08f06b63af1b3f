package io.statusdesk.tenant;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The plans checks.yaml configures. Prices are configuration, not code: {@link #standard()} holds
 * the published ones, and member limits default by plan (a free plan up to 3 members, Continent and
 * Earth up to 30, others unlimited) unless configured otherwise.
 */
public record Plans(Map<String, Plan> byName) {

  public static Plans standard() {
    Map<String, Plan> plans = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e :
        Map.of("island", 0L, "continent", 19_000L, "earth", 39_000L, "universe", 59_000L)
            .entrySet()) {
      plans.put(
          e.getKey(), new Plan(e.getKey(), e.getValue(), defaultLimit(e.getKey(), e.getValue())));
    }
    return new Plans(Map.copyOf(plans));
  }

  /** The member limit a plan has when checks.yaml names none. */
  public static OptionalInt defaultLimit(String name, long price) {
    if (price == 0) {
      return OptionalInt.of(3);
    }
    return name.equals("continent") || name.equals("earth")
        ? OptionalInt.of(30)
        : OptionalInt.empty();
  }
}
