package io.statusdesk.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.Localized;
import io.statusdesk.sla.MonthEvaluation;
import io.statusdesk.sla.Outage;
import io.statusdesk.sla.OutageClass;
import io.statusdesk.sla.SlaEvaluator;
import io.statusdesk.sla.SlaPolicy;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How much of an outage on {@code ticketing} a window leaves counted, through the SLA evaluator.
 */
class CoverageTest {
  private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
  private static final YearMonth DECEMBER = YearMonth.of(2026, 12);
  private static final long DECEMBER_SECONDS = 31L * 24 * 3600;

  @ParameterizedTest(name = "outage {0}..{1}, window {2}..{3} on {4} {5} -> {6} s counted, TT -{7}")
  @CsvSource(
      delimiter = '|',
      value = {
        // outage (minutes into Dec 10 00:00Z) | window | scope | rule | announced | counted | TT
        // cut
        "0 | 60 | 0   | 60  | *         |                         | before | 0    | 3600",
        "0 | 60 | 10  | 20  | *         |                         | before | 3000 | 600",
        "0 | 60 | 10  | 20  | ticketing |                         | before | 3000 | 0",
        "0 | 60 | 10  | 20  | email     |                         | before | 3600 | 0",
        "0 | 60 | 10  | 20  | ticketing |                         | after  | 3600 | 0",
        "0 | 60 | 30  | 90  | ticketing |                         | before | 1800 | 0",
        "0 | 60 | -30 | 30  | ticketing |                         | before | 1800 | 0",
        // a daily series from Dec 9: only the Dec 10 occurrence meets the outage
        "0 | 60 | -1430 | -1420 | ticketing | FREQ=DAILY;COUNT=3  | before | 3000 | 0",
        // the outage overruns a window's announced end: the rest is downtime
        "0 | 60 | -10 | 45  | *         |                         | before | 900  | 3300",
      })
  void windowsLeaveOutTheSecondsTheyCover(
      int outageFrom,
      int outageTo,
      int windowFrom,
      int windowTo,
      String scope,
      String rrule,
      String announced,
      long counted,
      long ttCut) {
    Instant base = Instant.parse("2026-12-10T00:00:00Z");
    Instant windowStart = base.plusSeconds(windowFrom * 60L);
    Instant created =
        announced.equals("before") ? windowStart.minusSeconds(86_400) : windowStart.plusSeconds(1);
    Window window =
        new Window(
            7,
            new Localized("t", null),
            new Localized("d", null),
            Set.of(scope),
            windowStart,
            base.plusSeconds(windowTo * 60L),
            Optional.ofNullable(rrule),
            created,
            Optional.empty());
    MaintenanceCalendar calendar = new MaintenanceCalendar(SEOUL, List.of(window));
    Instant monthStart = DECEMBER.atDay(1).atStartOfDay(SEOUL).toInstant();
    Instant monthEnd = DECEMBER.plusMonths(1).atDay(1).atStartOfDay(SEOUL).toInstant();
    Outage outage =
        new Outage(
            "1",
            "ticketing",
            OutageClass.MAJOR,
            base.plusSeconds(outageFrom * 60L),
            Optional.of(base.plusSeconds(outageTo * 60L)),
            Optional.empty(),
            true);
    MonthEvaluation e =
        SlaEvaluator.evaluate(
            DECEMBER,
            SlaPolicy.standard(SEOUL),
            List.of(outage),
            calendar.forSla(monthStart, monthEnd),
            List.of(),
            monthEnd);
    assertThat(e.majorSeconds()).isEqualTo(counted);
    assertThat(e.totalSeconds()).isEqualTo(DECEMBER_SECONDS - ttCut);
  }
}
