package io.statusdesk.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusdesk.DomainException;
import io.statusdesk.Localized;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WindowTest {
  private static final Localized TEXT = new Localized("Database upgrade", "데이터베이스 업그레이드");

  static Window window(String start, String end, String rrule, String created, String cancelled) {
    return new Window(
        1,
        TEXT,
        TEXT,
        Set.of("*"),
        Instant.parse(start),
        Instant.parse(end),
        Optional.ofNullable(rrule),
        Instant.parse(created),
        Optional.ofNullable(cancelled).map(Instant::parse));
  }

  @ParameterizedTest(name = "{0} in {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        // Seoul has no DST: 02:00 KST is always 17:00Z the day before. Month and year boundaries.
        "FREQ=MONTHLY;BYMONTHDAY=31 | 2026-12-30T17:00:00Z | 2027-04-01T00:00:00Z | Asia/Seoul"
            + " | 2026-12-30T17:00:00Z 2027-01-30T17:00:00Z 2027-03-30T17:00:00Z",
        "FREQ=WEEKLY;BYDAY=TH | 2026-12-23T17:00:00Z | 2027-01-10T00:00:00Z | Asia/Seoul"
            + " | 2026-12-23T17:00:00Z 2026-12-30T17:00:00Z 2027-01-06T17:00:00Z",
        "FREQ=DAILY;COUNT=3 | 2026-12-30T17:00:00Z | 2027-02-01T00:00:00Z | Asia/Seoul"
            + " | 2026-12-30T17:00:00Z 2026-12-31T17:00:00Z 2027-01-01T17:00:00Z",
        "FREQ=MONTHLY;BYDAY=-1SU | 2026-11-28T17:00:00Z | 2027-02-01T00:00:00Z | Asia/Seoul"
            + " | 2026-11-28T17:00:00Z 2026-12-26T17:00:00Z 2027-01-30T17:00:00Z",
        // New York leaves DST on 2026-11-01: 01:30 local stays 01:30, so UTC moves by an hour;
        // on the changeover day 01:30 happens twice and RFC 5545 takes the first (EDT).
        "FREQ=WEEKLY;BYDAY=SU;COUNT=4 | 2026-10-18T05:30:00Z | 2027-01-01T00:00:00Z |"
            + " America/New_York | 2026-10-18T05:30:00Z 2026-10-25T05:30:00Z 2026-11-01T05:30:00Z"
            + " 2026-11-08T06:30:00Z",
        // ... and enters it on 2027-03-14: 02:30 does not exist that day and moves forward.
        "FREQ=DAILY;COUNT=3 | 2027-03-13T07:30:00Z | 2027-04-01T00:00:00Z | America/New_York"
            + " | 2027-03-13T07:30:00Z 2027-03-14T07:30:00Z 2027-03-15T06:30:00Z",
        "FREQ=YEARLY | 2026-12-31T15:00:00Z | 2029-01-01T00:00:00Z | Asia/Seoul"
            + " | 2026-12-31T15:00:00Z 2027-12-31T15:00:00Z 2028-12-31T15:00:00Z",
      })
  void expandsInTheContractZone(
      String rrule, String start, String until, String zone, String expected) {
    Instant first = Instant.parse(start);
    Window w =
        window(
            start, first.plus(Duration.ofHours(2)).toString(), rrule, "2026-10-01T00:00:00Z", null);
    List<Instant> starts =
        w.occurrences(ZoneId.of(zone), first, Instant.parse(until)).stream()
            .map(Occurrence::start)
            .toList();
    assertThat(starts)
        .containsExactlyElementsOf(Arrays.stream(expected.split(" ")).map(Instant::parse).toList());
    assertThat(w.occurrences(ZoneId.of(zone), first, Instant.parse(until)))
        .allSatisfy(
            o -> assertThat(Duration.between(o.start(), o.end())).isEqualTo(Duration.ofHours(2)));
  }

  @ParameterizedTest(name = "[{0}, {1}) -> {2}")
  @CsvSource({
    // a daily 02:00-04:00 KST series seen through different ranges: overlap counts, bounded
    "2026-12-01T00:00:00Z, 2026-12-01T00:00:00Z, 0",
    "2026-12-01T17:59:59Z, 2026-12-01T18:00:00Z, 1",
    "2026-12-01T19:00:00Z, 2026-12-01T19:00:01Z, 0",
    "2026-12-01T00:00:00Z, 2026-12-08T00:00:00Z, 7",
    "2026-12-01T00:00:00Z, 2036-12-08T00:00:00Z, 1000",
  })
  void expansionIsBoundedToTheAskedRange(String from, String to, int count) {
    Window daily =
        window(
            "2026-11-30T17:00:00Z",
            "2026-11-30T19:00:00Z",
            "FREQ=DAILY",
            "2026-11-01T00:00:00Z",
            null);
    assertThat(daily.occurrences(ZoneId.of("Asia/Seoul"), Instant.parse(from), Instant.parse(to)))
        .hasSize(count);
  }

  @ParameterizedTest(name = "cancelled at {0}")
  @CsvSource({
    "2026-11-30T16:00:00Z, 0, ''",
    "2026-11-30T18:00:00Z, 1, 2026-11-30T18:00:00Z",
    "2026-12-01T17:00:00Z, 1, 2026-11-30T19:00:00Z",
    "2026-12-01T17:30:00Z, 2, 2026-12-01T17:30:00Z",
  })
  void cancellingDropsLaterOccurrencesAndEndsTheCurrentOne(
      String cancel, int count, String lastEnd) {
    Window daily =
        window(
            "2026-11-30T17:00:00Z",
            "2026-11-30T19:00:00Z",
            "FREQ=DAILY",
            "2026-11-01T00:00:00Z",
            cancel);
    List<Occurrence> left =
        daily.occurrences(
            ZoneId.of("Asia/Seoul"),
            Instant.parse("2026-11-01T00:00:00Z"),
            Instant.parse("2027-01-01T00:00:00Z"));
    assertThat(left).hasSize(count);
    if (count > 0) {
      assertThat(left.get(count - 1).end()).isEqualTo(Instant.parse(lastEnd));
    }
  }

  @ParameterizedTest(name = "created {0} before -> short notice {1}, counts {2}")
  @CsvSource({
    "P8D, false, true",
    "P7D, false, true",
    "PT167H59M59S, true, true",
    "PT1M, true, true",
    "PT0S, true, false",
    "-PT1M, true, false",
  })
  void noticeRules(Duration notice, boolean shortNotice, boolean counts) {
    Instant start = Instant.parse("2026-12-10T17:00:00Z");
    Window w =
        window(
            start.toString(),
            start.plusSeconds(3600).toString(),
            null,
            start.minus(notice).toString(),
            null);
    Occurrence first = w.occurrences(ZoneId.of("Asia/Seoul"), start, start.plusSeconds(1)).get(0);
    assertThat(first.shortNotice()).isEqualTo(shortNotice);
    assertThat(first.counts()).isEqualTo(counts);
  }

  /** Short notice is judged per occurrence, from when the series was announced. */
  @Test
  void aWeeklySeriesGivesLaterOccurrencesTheirNotice() {
    Instant start = Instant.parse("2026-12-01T17:00:00Z");
    Window weekly =
        window(
            start.toString(),
            start.plusSeconds(7200).toString(),
            "FREQ=WEEKLY",
            start.minus(Duration.ofDays(2)).toString(),
            null);
    List<Occurrence> eight =
        weekly.occurrences(ZoneId.of("Asia/Seoul"), start, start.plus(Duration.ofDays(56)));
    assertThat(eight).hasSize(8);
    assertThat(eight)
        .extracting(Occurrence::shortNotice)
        .containsExactly(true, false, false, false, false, false, false, false);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "FREQ=HOURLY | FREQ must be DAILY",
        "FREQ=SOMETIMES | not an RFC 5545 recurrence rule",
        "FREQ=WEEKLY;BYDAY=XX | not an RFC 5545 recurrence rule",
        "FREQ=WEEKLY;COUNT=abc | not an RFC 5545 recurrence rule",
        "BYDAY=MO | rrule:",
      })
  void refusesRulesThatAreNotMaintenanceSchedules(String rule, String message) {
    assertThatThrownBy(() -> Recurrence.parse(rule))
        .isInstanceOf(DomainException.class)
        .hasMessageContaining(message)
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .doesNotContainPattern("[a-z]{2,}\\.[a-z]{2,}\\.[a-z]")
                    .doesNotContain("Exception"));
  }
}
