package io.statusdesk.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MonthReportTest {
  private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

  private static Instant t(String hhmm) {
    return Instant.parse("2026-10-10T" + hhmm + ":00Z");
  }

  @Test
  void unobservedSecondsAreNeverDowntimeAndEveryLeftOutSecondIsAccountedFor() {
    Outage ticketing =
        new Outage(
            "1",
            "ticketing",
            OutageClass.MAJOR,
            t("10:00"),
            Optional.of(t("12:00")),
            Optional.empty(),
            true);
    Outage email =
        new Outage(
            "2",
            "email",
            OutageClass.PARTIAL,
            t("13:00"),
            Optional.of(t("14:00")),
            Optional.of("network"),
            true);
    MaintenanceWindow window =
        new MaintenanceWindow(
            "w",
            Set.of("ticketing"),
            t("10:00"),
            t("10:30"),
            t("00:00").minusSeconds(30 * 86_400),
            Optional.empty());
    NoData monitorDown = new NoData("ticketing", t("11:00"), t("11:30"));
    NoData otherComponent = new NoData("email", t("11:00"), t("11:30"));

    MonthReport r =
        MonthReport.of(
            YearMonth.of(2026, 10),
            SlaPolicy.standard(SEOUL),
            List.of(ticketing, email),
            List.of(window),
            List.of(monitorDown, otherComponent),
            t("23:00").plusSeconds(40 * 86_400));

    assertThat(r.outages())
        .containsExactly(
            new MonthReport.Line(ticketing, 7200, 3600, 0, 1800, 1800),
            new MonthReport.Line(email, 3600, 0, 3600, 0, 0));
    assertThat(r.evaluation().majorMinutes()).isEqualTo("60");
    assertThat(r.evaluation().partialMinutes()).isEqualTo("0");
    assertThat(r.excludedMinutes()).isEqualTo("60");
    assertThat(r.maintenanceMinutes()).isEqualTo("30");
    assertThat(r.noDataMinutes()).isEqualTo("30");
    assertThat(r.evaluation().ttMinutes()).isEqualTo("44640");
  }

  private static Outage outage(String from, String to, boolean probed) {
    return new Outage(
        from,
        "ticketing",
        OutageClass.MAJOR,
        t(from),
        to.isEmpty() ? Optional.empty() : Optional.of(t(to)),
        Optional.empty(),
        probed);
  }

  /**
   * Rule 2: evaluated at an instant, a month counts only what happened before it, whatever an
   * outage's recorded end; rule 7: a gap takes seconds only from what the probes saw.
   */
  @ParameterizedTest(name = "{0}-{1} probed={2} at {3}: {4} s")
  @CsvSource(
      delimiter = '|',
      value = {
        "10:00 | 12:00 | true  | 23:00 | 5400",
        "10:00 | 12:00 | false | 23:00 | 7200",
        "10:00 | 12:00 | true  | 11:00 | 1800",
        "10:00 | 12:00 | false | 11:00 | 3600",
        "10:00 |       | true  | 10:45 | 900",
        "10:00 |       | false | 10:45 | 2700",
        "13:00 | 14:00 | true  | 12:00 | 0",
      })
  void onlyWhatHappenedBeforeTheInstantCounts(
      String from, String to, boolean probed, String evaluatedAt, long counted) {
    NoData gap = new NoData(NoData.ALL, t("10:15"), t("10:45"));
    MonthReport r =
        MonthReport.of(
            YearMonth.of(2026, 10),
            SlaPolicy.standard(SEOUL),
            List.of(outage(from, to == null ? "" : to, probed)),
            List.of(),
            List.of(gap),
            t(evaluatedAt));
    assertThat(r.evaluation().majorSeconds()).isEqualTo(counted);
    assertThat(r.outages().get(0).countedSeconds()).isEqualTo(counted);
  }

  /** Rule 5: a cancellation applies from when it was made, and only once it was made. */
  @ParameterizedTest(name = "cancelled {0}, evaluated {1}: {2} s")
  @CsvSource(
      delimiter = '|',
      value = {
        "       | 23:00 | 0",
        "09:00  | 23:00 | 3600",
        "10:30  | 23:00 | 1800",
        "10:30  | 10:20 | 0",
      })
  void cancelledWindowsExcludeUpToTheirCancellation(
      String cancelled, String evaluatedAt, long counted) {
    MaintenanceWindow window =
        new MaintenanceWindow(
            "w",
            Set.of("*"),
            t("10:00"),
            t("11:00"),
            t("00:00"),
            cancelled == null ? Optional.empty() : Optional.of(t(cancelled)));
    MonthReport r =
        MonthReport.of(
            YearMonth.of(2026, 10),
            SlaPolicy.standard(SEOUL),
            List.of(outage("10:00", "11:00", true)),
            List.of(window),
            List.of(),
            t(evaluatedAt));
    assertThat(r.evaluation().majorSeconds()).isEqualTo(counted);
  }
}
