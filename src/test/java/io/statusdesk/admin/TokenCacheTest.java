package io.statusdesk.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenCacheTest {
  @Test
  void knownAndUnknownTokensAreRememberedForTheTtlOnly() {
    Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
    MutableClock clock = MutableClock.at(t0);
    TokenCache cache = new TokenCache(Duration.ofSeconds(30), 2, clock);
    Principal ops = new Principal("ops", Role.OPERATOR);
    assertThat(cache.get("sd_a")).isNull();
    cache.put("sd_a", Optional.of(ops), 0);
    cache.put("sd_wrong", Optional.empty(), 0);
    clock.set(t0.plusMillis(29_900));
    assertThat(cache.get("sd_a")).contains(ops);
    assertThat(cache.get("sd_wrong")).isEmpty();
    clock.set(t0.plusSeconds(30));
    assertThat(cache.get("sd_a")).isNull();
    assertThat(cache.get("sd_wrong")).isNull();
    // full of live entries: it starts over rather than grow
    cache.put("sd_a", Optional.of(ops), 0);
    cache.put("sd_b", Optional.of(ops), 0);
    cache.put("sd_c", Optional.of(ops), 0);
    assertThat(cache.get("sd_a")).isNull();
    assertThat(cache.get("sd_c")).contains(ops);
  }

  @Test
  void aClearForgetsEverythingAndDropsAnswersOfLookupsBegunBeforeIt() {
    MutableClock clock = MutableClock.at(Instant.parse("2026-11-01T00:00:00Z"));
    TokenCache cache = new TokenCache(Duration.ofSeconds(30), 10, clock);
    Principal ops = new Principal("ops", Role.OPERATOR);
    cache.put("sd_a", Optional.of(ops), cache.generation());
    long before = cache.generation();
    cache.clear();
    assertThat(cache.get("sd_a")).isNull();
    // a lookup that was under way when the token was revoked may have seen it still valid
    cache.put("sd_a", Optional.of(ops), before);
    assertThat(cache.get("sd_a")).isNull();
    cache.put("sd_a", Optional.of(ops), cache.generation());
    assertThat(cache.get("sd_a")).contains(ops);
  }
}
