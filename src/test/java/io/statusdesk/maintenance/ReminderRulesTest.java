package io.statusdesk.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.Localized;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What is told about a maintenance occurrence, and when. */
class ReminderRulesTest {
  private static final Instant START = Instant.parse("2026-12-20T17:00:00Z");
  private static final List<Duration> OFFSETS =
      List.of(Duration.ofDays(7), Duration.ofHours(24), Duration.ofHours(1));

  private static Occurrence occurrence(Duration notice, boolean cancelled) {
    Window w =
        new Window(
            1,
            new Localized("Upgrade", null),
            new Localized("", null),
            Set.of("*"),
            START,
            START.plus(Duration.ofHours(2)),
            Optional.empty(),
            START.minus(notice),
            cancelled ? Optional.of(START.minus(Duration.ofDays(1))) : Optional.empty());
    return Occurrence.of(w, START);
  }

  @ParameterizedTest(name = "announced {0} ahead, at start{1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "P30D | -P8D          | ''",
        "P30D | -P7D          | REMINDER PT168H @PT-168H",
        "P30D | -P6D          | REMINDER PT168H @PT-168H",
        "P30D | -PT24H        | REMINDER PT24H @PT-24H",
        // a restart after both were due: only the latest one is told
        "P30D | -PT2H         | REMINDER PT24H @PT-24H",
        "P30D | -PT59M        | REMINDER PT1H @PT-1H",
        "P30D | PT0S          | STARTED @PT0S",
        "P30D | PT1H59M59S    | STARTED @PT0S",
        "P30D | PT2H          | ENDED @PT2H",
        "P30D | PT2H59M       | ENDED @PT2H",
        "P30D | PT3H          | ''",
        // announced 3 days ahead: the announcement told them; the 7-day reminder never comes
        "P3D  | -P2D          | ''",
        "P3D  | -PT23H        | REMINDER PT24H @PT-24H",
        // announced 30 minutes ahead: no reminder at all, the start still is
        "PT30M | -PT10M       | ''",
        "PT30M | PT1M         | STARTED @PT0S",
      })
  void due(Duration notice, Duration fromStart, String expected) {
    Instant now = START.plus(fromStart);
    String told =
        ReminderRules.due(occurrence(notice, false), OFFSETS, now).stream()
            .map(
                d ->
                    d.moment()
                        + d.before().map(b -> " " + b).orElse("")
                        + " @"
                        + Duration.between(START, d.at()))
            .collect(Collectors.joining(", "));
    assertThat(told).isEqualTo(expected);
  }

  @ParameterizedTest(name = "cancelled, at start{0} -> nothing")
  @CsvSource({"-PT1H", "PT2H30M"})
  void aCancelledOccurrenceHasNoEnd(Duration fromStart) {
    assertThat(
            ReminderRules.due(
                occurrence(Duration.ofDays(30), true), OFFSETS, START.plus(fromStart)))
        .noneMatch(d -> d.moment() == ReminderRules.Moment.ENDED);
  }
}
