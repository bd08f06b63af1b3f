package io.statusdesk.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MonthReportTest {
  private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

  private static Instant t(String hhmm) {
    return Instant.parse("2026-10-10T" + hhmm + ":00Z");
  }

  @Test
  void unobservedSecondsAreNeverDowntimeAndEveryLeftOutSecondIsAccountedFor() {
    Outage ticketing = new Outage("1", "ticketing", OutageClass.MAJOR, t("10:00"),
        Optional.of(t("12:00")), Optional.empty());
    Outage email = new Outage("2", "email", OutageClass.PARTIAL, t("13:00"),
        Optional.of(t("14:00")), Optional.of("network"));
    MaintenanceWindow window = new MaintenanceWindow("w", Set.of("ticketing"), t("10:00"),
        t("10:30"), t("00:00").minusSeconds(30 * 86_400));
    NoData monitorDown = new NoData("ticketing", t("11:00"), t("11:30"));
    NoData otherComponent = new NoData("email", t("11:00"), t("11:30"));

    MonthReport r = MonthReport.of(YearMonth.of(2026, 10), SlaPolicy.standard(SEOUL),
        List.of(ticketing, email), List.of(window), List.of(monitorDown, otherComponent),
        t("23:00").plusSeconds(40 * 86_400));

    assertThat(r.outages()).containsExactly(
        new MonthReport.Line(ticketing, 7200, 3600, 0, 1800, 1800),
        new MonthReport.Line(email, 3600, 0, 3600, 0, 0));
    assertThat(r.evaluation().majorMinutes()).isEqualTo("60");
    assertThat(r.evaluation().partialMinutes()).isEqualTo("0");
    assertThat(r.excludedMinutes()).isEqualTo("60");
    assertThat(r.maintenanceMinutes()).isEqualTo("30");
    assertThat(r.noDataMinutes()).isEqualTo("30");
    assertThat(r.evaluation().ttMinutes()).isEqualTo("44640");
  }
}
