package io.statusdesk.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A series shows as one card: its rule in words, in both languages. */
class SeriesTextTest {
  /** Tuesday 2026-12-01 02:00 KST, two hours. */
  private static final ZonedDateTime SEED =
      LocalDateTime.parse("2026-12-01T02:00").atZone(ZoneId.of("Asia/Seoul"));

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "FREQ=WEEKLY                  | every Tuesday 02:00–04:00 KST | 매주 화요일 02:00–04:00 KST",
        "FREQ=WEEKLY;BYDAY=TU,TH      | every Tuesday and Thursday 02:00–04:00 KST | 매주 화요일·목요일"
            + " 02:00–04:00 KST",
        "FREQ=WEEKLY;INTERVAL=2       | every 2 weeks on Tuesday 02:00–04:00 KST | 2주마다 화요일"
            + " 02:00–04:00 KST",
        "FREQ=DAILY                   | every day 02:00–04:00 KST | 매일 02:00–04:00 KST",
        "FREQ=MONTHLY                 | monthly on day 1 02:00–04:00 KST | 매월 1일 02:00–04:00 KST",
        "FREQ=MONTHLY;BYDAY=1SU       | monthly on the first Sunday 02:00–04:00 KST | 매월 첫째 일요일"
            + " 02:00–04:00 KST",
        "FREQ=MONTHLY;BYDAY=-1SA      | monthly on the last Saturday 02:00–04:00 KST | 매월 마지막 토요일"
            + " 02:00–04:00 KST",
        "FREQ=YEARLY                  | every year on December 1 02:00–04:00 KST | 매년 12월 1일"
            + " 02:00–04:00 KST",
      })
  void describesTheUsualShapes(String rule, String english, String korean) {
    assertThat(SeriesText.describe(rule, SEED, Duration.ofHours(2), "en")).isEqualTo(english);
    assertThat(SeriesText.describe(rule, SEED, Duration.ofHours(2), "ko")).isEqualTo(korean);
  }
}
