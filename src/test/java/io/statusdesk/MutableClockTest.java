package io.statusdesk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class MutableClockTest {
  @Test
  void aZonedViewMovesWithTheClock() {
    MutableClock clock = MutableClock.at(Instant.parse("2026-11-30T15:00:00Z"));
    Clock seoul = clock.withZone(ZoneId.of("Asia/Seoul"));
    clock.advance(Duration.ofHours(1));
    assertThat(seoul.instant()).isEqualTo(Instant.parse("2026-11-30T16:00:00Z"));
    assertThat(seoul.getZone()).isEqualTo(ZoneId.of("Asia/Seoul"));
    assertThat(seoul.withZone(clock.getZone())).isSameAs(clock);
  }
}
