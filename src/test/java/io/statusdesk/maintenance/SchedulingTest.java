package io.statusdesk.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusdesk.DomainException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchedulingTest {
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final Set<String> KNOWN = Set.of("ticketing", "email");
  private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

  /** A series repeats maintenance at most daily, and its occurrences never overlap. */
  @ParameterizedTest(name = "{0} lasting {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "FREQ=DAILY                                     | PT2H  | ok",
        "FREQ=WEEKLY;BYDAY=TU                           | PT2H  | ok",
        "FREQ=DAILY;COUNT=99999999                      | PT2H  | ok",
        "FREQ=DAILY;BYHOUR=1,13                         | PT2H  | at most one occurrence a day",
        "FREQ=DAILY;BYMINUTE=0,15,30,45                 | PT10M | at most one occurrence a day",
        "FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12 | PT10M | at most one occurrence a day",
        "FREQ=DAILY                                     | PT25H | occurrences overlap",
        "FREQ=WEEKLY                                    | P7DT1S | a window lasts at most 7 days",
        "FREQ=WEEKLY;INTERVAL=2                         | PT2H  | ok",
        "FREQ=WEEKLY;INTERVAL=0                         | PT2H  | INTERVAL must be",
        "FREQ=WEEKLY;COUNT=0                            | PT2H  | COUNT must be",
        "FREQ=WEEKLY;UNTIL=20271231T000000Z             | PT2H  | ok",
        "FREQ=WEEKLY;UNTIL=20271231                     | PT2H  | ok",
        "FREQ=YEARLY;UNTIL=99991231T000000Z             | PT2H  | UNTIL must lie",
        "FREQ=YEARLY;UNTIL=99991231                     | PT2H  | UNTIL must lie",
        "FREQ=WEEKLY;UNTIL=20261201T000000Z             | PT2H  | UNTIL must lie",
      })
  void seriesRules(String rule, Duration length, String outcome) {
    Instant start = Instant.parse("2026-12-02T17:00:00Z");
    var check =
        assertThatCode(
            () ->
                Scheduling.checkNew(
                    Set.of("email"),
                    start,
                    start.plus(length),
                    Optional.of(rule),
                    KNOWN,
                    SEOUL,
                    NOW));
    if (outcome.equals("ok")) {
      check.doesNotThrowAnyException();
    } else {
      check.isInstanceOf(DomainException.class).hasMessageContaining(outcome);
    }
  }

  @ParameterizedTest(name = "{0} {1}..{2} -> {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "*              | 2026-12-10T17:00:00Z | 2026-12-10T19:00:00Z | ok",
        "ticketing     | 2026-12-01T00:00:00Z | 2026-12-01T01:00:00Z | ok",
        "ticketing     | 2026-11-30T23:59:59Z | 2026-12-01T01:00:00Z | starts_at: must not be in"
            + " the past",
        "ticketing     | 2026-12-02T00:00:00Z | 2026-12-02T00:00:00Z | ends_at: must be after"
            + " starts_at",
        "ticketing     | 2026-12-02T00:00:00Z | 2026-12-09T00:00:01Z | ends_at: a window lasts at"
            + " most 7 days",
        "billing       | 2026-12-02T00:00:00Z | 2026-12-02T01:00:00Z | unknown component 'billing'",
        "*,email       | 2026-12-02T00:00:00Z | 2026-12-02T01:00:00Z | stands alone",
        "email         | 2028-11-30T00:00:00Z | 2028-11-30T01:00:00Z | ok",
        "email         | 2028-12-01T00:00:01Z | 2028-12-01T01:00:00Z | at most two years ahead",
      })
  void newWindows(String components, Instant start, Instant end, String outcome) {
    Set<String> ids = Set.of(components.split(","));
    var check =
        assertThatCode(
            () -> Scheduling.checkNew(ids, start, end, Optional.empty(), KNOWN, SEOUL, NOW));
    if (outcome.equals("ok")) {
      check.doesNotThrowAnyException();
    } else {
      check.isInstanceOf(DomainException.class).hasMessageContaining(outcome);
    }
  }

  @ParameterizedTest(name = "now {0}: {1}..{2} -> {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        // window 02:00-04:00Z on Dec 2; before it begins it can move anywhere in the future
        "2026-12-01T00:00:00Z | 2026-12-03T02:00:00Z | 2026-12-03T05:00:00Z | ok",
        "2026-12-01T00:00:00Z | 2026-11-30T02:00:00Z | 2026-12-02T04:00:00Z | starts_at: must not"
            + " be in the past",
        // in progress: it may end earlier, never later, and its start is fixed
        "2026-12-02T03:00:00Z | 2026-12-02T02:00:00Z | 2026-12-02T03:30:00Z | ok",
        "2026-12-02T03:00:00Z | 2026-12-02T02:00:00Z | 2026-12-02T04:00:01Z | cannot be extended",
        "2026-12-02T03:00:00Z | 2026-12-02T02:30:00Z | 2026-12-02T04:00:00Z | its start cannot"
            + " move",
      })
  void changes(Instant now, Instant start, Instant end, String outcome) {
    Window w =
        WindowTest.window(
            "2026-12-02T02:00:00Z", "2026-12-02T04:00:00Z", null, "2026-11-20T00:00:00Z", null);
    var check = assertThatCode(() -> Scheduling.checkChange(w, start, end, now));
    if (outcome.equals("ok")) {
      check.doesNotThrowAnyException();
    } else {
      check.isInstanceOf(DomainException.class).hasMessageContaining(outcome);
    }
  }

  @Test
  void aCancelledWindowCannotChange() {
    Window w =
        WindowTest.window(
            "2026-12-02T02:00:00Z",
            "2026-12-02T04:00:00Z",
            null,
            "2026-11-20T00:00:00Z",
            "2026-11-25T00:00:00Z");
    assertThatThrownBy(() -> Scheduling.checkChange(w, w.startsAt(), w.endsAt(), NOW))
        .hasMessageContaining("cancelled");
  }

  @Test
  void aChangeKeepsWhatItDoesNotNameAndFollowsTheRules() {
    Window w =
        WindowTest.window(
            "2026-12-02T02:00:00Z", "2026-12-02T04:00:00Z", null, "2026-11-20T00:00:00Z", null);
    Instant later = Instant.parse("2026-12-02T05:00:00Z");
    Window changed =
        new WindowChange(
                Optional.of("New"),
                Optional.empty(),
                Optional.empty(),
                Optional.of("설명"),
                Optional.empty(),
                Optional.of(later))
            .applyTo(w, NOW);
    assertThat(changed.title().en()).isEqualTo("New");
    assertThat(changed.title().ko()).isEqualTo(w.title().ko());
    assertThat(changed.description().ko()).isEqualTo("설명");
    assertThat(changed.startsAt()).isEqualTo(w.startsAt());
    assertThat(changed.endsAt()).isEqualTo(later);
    assertThat(changed.components()).isEqualTo(w.components());
    assertThatThrownBy(
            () ->
                new WindowChange(
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(later))
                    .applyTo(w, Instant.parse("2026-12-02T03:00:00Z")))
        .hasMessageContaining("cannot be extended");
  }

  @Test
  void cancellingTwiceIsTheSameAsOnce() {
    Window w =
        WindowTest.window(
            "2026-12-02T02:00:00Z", "2026-12-02T04:00:00Z", null, "2026-11-20T00:00:00Z", null);
    Window once = w.cancel(NOW, SEOUL);
    assertThat(once.cancelledAt()).contains(NOW);
    assertThat(once.cancel(NOW.plusSeconds(60), SEOUL)).isEqualTo(once);
  }

  @Test
  void aWindowWithNothingLeftToComeCannotBeCancelled() {
    Window over =
        WindowTest.window(
            "2026-11-02T02:00:00Z", "2026-11-02T04:00:00Z", null, "2026-10-20T00:00:00Z", null);
    assertThatThrownBy(() -> over.cancel(NOW, SEOUL))
        .isInstanceOf(DomainException.class)
        .hasMessageContaining("completed window cannot be cancelled");
    Window inProgress =
        WindowTest.window(
            "2026-11-30T23:00:00Z", "2026-12-01T01:00:00Z", null, "2026-11-20T00:00:00Z", null);
    assertThat(inProgress.cancel(NOW, SEOUL).cancelledAt()).contains(NOW);
    Window seriesStillRunning =
        WindowTest.window(
            "2026-11-03T02:00:00Z",
            "2026-11-03T04:00:00Z",
            "FREQ=WEEKLY;COUNT=8",
            "2026-10-20T00:00:00Z",
            null);
    assertThat(seriesStillRunning.cancel(NOW, SEOUL).cancelledAt()).contains(NOW);
    Window seriesOver =
        WindowTest.window(
            "2026-11-03T02:00:00Z",
            "2026-11-03T04:00:00Z",
            "FREQ=WEEKLY;COUNT=2",
            "2026-10-20T00:00:00Z",
            null);
    assertThatThrownBy(() -> seriesOver.cancel(NOW, SEOUL)).isInstanceOf(DomainException.class);
  }
}
