package io.statusdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MonthCloserTest {

  @ParameterizedTest(name = "at {0} with grace {1}: {2}")
  @CsvSource({
    // October ends at 2026-10-31T15:00Z (midnight in Seoul)
    "2026-11-03T14:59:59Z, P3D, 2026-09",
    "2026-11-03T15:00:00Z, P3D, 2026-10",
    "2026-10-31T15:00:00Z, PT0S, 2026-10",
    "2027-01-03T15:00:00Z, P3D, 2026-12",
  })
  void theLastMonthWhoseGraceHasPassed(Instant now, Duration grace, YearMonth expected) {
    assertThat(MonthCloser.lastClosable(now, ZoneId.of("Asia/Seoul"), grace)).isEqualTo(expected);
  }
}
