package io.statusdesk.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailureLimiterTest {
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  /** Puts {@code clock} {@code seconds} after T0. */
  private static void at(MutableClock clock, double seconds) {
    clock.set(T0.plusMillis(Math.round(seconds * 1000)));
  }

  @ParameterizedTest(name = "failures at {0}, asked at {1} s: retry after {2} s")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          0 0         | 0    | 0
          0 0 0       | 0    | 3
          0 0 0       | 1    | 2
          0 0 0       | 2.5  | 1
          0 0 0       | 2.99 | 1
          0 0 0       | 3    | 0
          0 0 0 3     | 3    | 3
          0 0 0 0     | 0    | 6
          0 0 0       | 60   | 0
          0 3 6 9 12  | 12   | 0
          0 1 2       | 2    | 1
          """)
  void aBurstOfThreeThenOneEveryThreeSeconds(String failures, double askedAt, long expected) {
    MutableClock clock = MutableClock.at(T0);
    FailureLimiter limiter = new FailureLimiter(3, Duration.ofSeconds(3), 100, clock);
    for (String at : failures.trim().split("\\s+", -1)) {
      at(clock, Double.parseDouble(at));
      limiter.failed("192.0.2.1");
    }
    at(clock, askedAt);
    assertThat(limiter.retryAfterSeconds("192.0.2.1")).isEqualTo(expected);
    assertThat(limiter.retryAfterSeconds("192.0.2.2")).isZero();
  }

  @Test
  void ipv6AddressesAreCountedPerSlash64() {
    FailureLimiter limiter = new FailureLimiter(2, Duration.ofSeconds(3), 100, MutableClock.at(T0));
    limiter.failed("2001:db8:1:2::1");
    limiter.failed("2001:db8:1:2:ffff::9");
    assertThat(limiter.retryAfterSeconds("2001:db8:1:2::77")).isEqualTo(3);
    assertThat(limiter.retryAfterSeconds("2001:db8:1:3::1")).isZero();
  }

  @Test
  void beyondItsCapacityNewAddressesGoUncountedUntilOthersRefill() {
    MutableClock clock = MutableClock.at(T0);
    FailureLimiter limiter = new FailureLimiter(1, Duration.ofSeconds(3), 2, clock);
    for (String address : Arrays.asList("192.0.2.1", "192.0.2.2", "192.0.2.3")) {
      limiter.failed(address);
    }
    assertThat(limiter.retryAfterSeconds("192.0.2.1")).isEqualTo(3);
    assertThat(limiter.retryAfterSeconds("192.0.2.3")).isZero();
    at(clock, 3);
    limiter.failed("192.0.2.3");
    assertThat(limiter.retryAfterSeconds("192.0.2.3")).isEqualTo(3);
  }

  @Test
  void aFailureTakenBeforeACheckIsGivenBackWhenTheCheckSucceeds() {
    FailureLimiter limiter = new FailureLimiter(2, Duration.ofSeconds(3), 100, MutableClock.at(T0));
    assertThat(limiter.take("192.0.2.1")).isZero();
    assertThat(limiter.take("192.0.2.1")).isZero();
    // both taken while their checks run: a third concurrent guess is refused at once
    assertThat(limiter.take("192.0.2.1")).isEqualTo(3);
    limiter.giveBack("192.0.2.1");
    limiter.giveBack("192.0.2.1");
    assertThat(limiter.retryAfterSeconds("192.0.2.1")).isZero();
    limiter.failed("192.0.2.1");
    limiter.failed("192.0.2.1");
    assertThat(limiter.retryAfterSeconds("192.0.2.1")).isEqualTo(3);
  }
}
