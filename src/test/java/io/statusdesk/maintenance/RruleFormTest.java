package io.statusdesk.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusdesk.DomainException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The console's recurrence form, written as the rule the API takes; the pre-save warnings. */
class RruleFormTest {
  private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

  private static Optional<String> rule(
      String frequency, int interval, List<String> days, Integer count, LocalDate until) {
    return new RruleForm(
            frequency, interval, days, Optional.ofNullable(count), Optional.ofNullable(until))
        .rule(SEOUL);
  }

  @Test
  void writesTheRuleTheFormDescribes() {
    assertThat(rule("none", 1, List.of(), null, null)).isEmpty();
    assertThat(rule("weekly", 1, List.of(), null, null)).contains("FREQ=WEEKLY");
    assertThat(rule("weekly", 2, List.of("TH", "TU"), 10, null))
        .contains("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=10");
    // until the end of that day in the contract zone, in UTC
    assertThat(rule("monthly", 1, List.of(), null, LocalDate.of(2027, 3, 31)))
        .contains("FREQ=MONTHLY;UNTIL=20270331T145959Z");
  }

  @Test
  void refusesWhatMakesNoSeries() {
    assertThatThrownBy(() -> rule("hourly", 1, List.of(), null, null))
        .isInstanceOf(DomainException.class)
        .hasMessageStartingWith("repeat:");
    assertThatThrownBy(() -> rule("daily", 0, List.of(), null, null))
        .hasMessageStartingWith("interval:");
    assertThatThrownBy(() -> rule("daily", 1, List.of("MO"), null, null))
        .hasMessageStartingWith("days:");
    assertThatThrownBy(() -> rule("weekly", 1, List.of(), 3, LocalDate.of(2027, 1, 1)))
        .hasMessageStartingWith("count:");
  }

  @Test
  void warnsOfShortNoticeAndOfAStartWithinTheHour() {
    Instant now = Instant.parse("2026-10-01T00:00:00Z");
    assertThat(Scheduling.warnings(now.plus(Duration.ofDays(8)), now)).isEmpty();
    assertThat(Scheduling.warnings(now.plus(Duration.ofDays(6)), now))
        .containsExactly("short_notice");
    assertThat(Scheduling.warnings(now.plus(Duration.ofMinutes(30)), now))
        .containsExactly("short_notice", "starts_soon");
  }
}
