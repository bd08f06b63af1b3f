package io.statusdesk.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenCacheTest {
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  private final MutableClock clock = MutableClock.at(T0);
  private final Principal ops = new Principal("ops", Role.OPERATOR);

  private TokenCache cache(int maxEntries) {
    return new TokenCache(Duration.ofSeconds(30), maxEntries, clock);
  }

  @Test
  void knownAndUnknownTokensAreRememberedForTheTtlOnly() {
    TokenCache cache = cache(2);
    assertThat(cache.get("sd_a")).isNull();
    cache.put("sd_a", Optional.of(ops), Optional.empty(), 0);
    cache.put("sd_wrong", Optional.empty(), Optional.empty(), 0);
    clock.set(T0.plusMillis(29_900));
    assertThat(cache.get("sd_a")).contains(ops);
    assertThat(cache.get("sd_wrong")).isEmpty();
    clock.set(T0.plusSeconds(30));
    assertThat(cache.get("sd_a")).isNull();
    assertThat(cache.get("sd_wrong")).isNull();
    // full of live entries: it starts over rather than grow
    cache.put("sd_a", Optional.of(ops), Optional.empty(), 0);
    cache.put("sd_b", Optional.of(ops), Optional.empty(), 0);
    cache.put("sd_c", Optional.of(ops), Optional.empty(), 0);
    assertThat(cache.get("sd_a")).isNull();
    assertThat(cache.get("sd_c")).contains(ops);
  }

  @Test
  void aClearForgetsEverythingAndDropsAnswersOfLookupsBegunBeforeIt() {
    TokenCache cache = cache(10);
    cache.put("sd_a", Optional.of(ops), Optional.empty(), cache.generation());
    long before = cache.generation();
    cache.clear();
    assertThat(cache.get("sd_a")).isNull();
    // a lookup that was under way when the token was revoked may have seen it still valid
    cache.put("sd_a", Optional.of(ops), Optional.empty(), before);
    assertThat(cache.get("sd_a")).isNull();
    cache.put("sd_a", Optional.of(ops), Optional.empty(), cache.generation());
    assertThat(cache.get("sd_a")).contains(ops);
  }

  @Test
  void aTokenThatExpiresWithinTheTtlIsRememberedOnlyUntilItsExpiry() {
    TokenCache cache = cache(10);
    cache.put("sd_a", Optional.of(ops), Optional.of(T0.plusSeconds(10)), 0);
    cache.put("sd_b", Optional.of(ops), Optional.of(T0.plusSeconds(3600)), 0);
    clock.set(T0.plusSeconds(9));
    assertThat(cache.get("sd_a")).contains(ops);
    clock.set(T0.plusSeconds(10));
    assertThat(cache.get("sd_a")).isNull();
    assertThat(cache.get("sd_b")).contains(ops);
  }
}
