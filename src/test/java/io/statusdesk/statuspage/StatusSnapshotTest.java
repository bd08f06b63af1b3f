package io.statusdesk.statuspage;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.Localized;
import io.statusdesk.maintenance.MaintenanceCalendar;
import io.statusdesk.maintenance.Window;
import io.statusdesk.outage.Classification;
import io.statusdesk.outage.ComponentStatus;
import io.statusdesk.outage.Exclusion;
import io.statusdesk.outage.OutageRecord;
import io.statusdesk.outage.Source;
import io.statusdesk.probe.Component;
import io.statusdesk.probe.Impact;
import io.statusdesk.sla.NoData;
import io.statusdesk.sla.OutageClass;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusSnapshotTest {
  private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

  /** 2026-11-30 12:00 KST. */
  private static final Instant NOW = Instant.parse("2026-11-30T03:00:00Z");

  private static Instant kst(String date, String time) {
    return LocalDate.parse(date).atTime(LocalTime.parse(time)).atZone(SEOUL).toInstant();
  }

  private static OutageRecord outage(
      long id, OutageClass cls, Instant from, Instant to, Optional<Exclusion> exclusion) {
    return new OutageRecord(
        id,
        "ticketing",
        cls,
        from,
        Optional.ofNullable(to),
        List.of("kr-1"),
        Source.PROBE,
        Optional.empty(),
        exclusion);
  }

  static StatusSnapshot snapshot() {
    Component ticketing =
        new Component(
            "ticketing", "Ticketing", "티켓팅", new Localized("Core", "핵심"), Impact.MAJOR, List.of());
    Window window =
        new Window(
            1,
            new Localized("Upgrade", null),
            new Localized("", null),
            Set.of("ticketing"),
            kst("2026-11-25", "02:00"),
            kst("2026-11-25", "04:00"),
            Optional.empty(),
            kst("2026-11-01", "00:00"),
            Optional.empty());
    StatusFacts facts =
        new StatusFacts(
            List.of(ticketing),
            Map.of(
                "ticketing",
                Classification.of(Impact.MAJOR, 2, 1, false, Classification.Maintenance.NONE)
                    .status()),
            List.of(
                outage(
                    1,
                    OutageClass.MAJOR,
                    kst("2026-11-29", "23:30"),
                    kst("2026-11-30", "00:30"),
                    Optional.empty()),
                outage(
                    2,
                    OutageClass.PARTIAL,
                    kst("2026-11-28", "10:00"),
                    kst("2026-11-28", "11:00"),
                    Optional.empty()),
                outage(
                    3,
                    OutageClass.MAJOR,
                    kst("2026-11-27", "10:00"),
                    kst("2026-11-27", "11:00"),
                    Optional.of(new Exclusion("network", "carrier outage"))),
                outage(
                    4,
                    OutageClass.MAJOR,
                    kst("2026-11-25", "02:30"),
                    kst("2026-11-25", "03:00"),
                    Optional.empty())),
            List.of(),
            new MaintenanceCalendar(SEOUL, List.of(window)),
            List.of(
                new NoData("ticketing", kst("2026-11-24", "10:00"), kst("2026-11-24", "10:05"))),
            Map.of("ticketing", Map.of(LocalDate.parse("2026-11-26"), 3)),
            Map.of("ticketing", kst("2026-11-20", "12:00")),
            List.of(),
            List.of());
    return StatusSnapshot.build(facts, NOW);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "2026-11-30, major_outage, 1800, 0",
    "2026-11-29, major_outage, 1800, 0",
    "2026-11-28, partial_outage, 0, 3600",
    "2026-11-27, operational, 0, 0",
    "2026-11-26, degraded_performance, 0, 0",
    "2026-11-25, under_maintenance, 0, 0",
    "2026-11-24, no_data, 0, 0",
    "2026-11-23, operational, 0, 0",
    // monitoring began 2026-11-20 12:00: the morning before it is not measured at all
    "2026-11-20, operational, 0, 0",
    "2026-11-19, not_monitored, 0, 0",
    "2026-09-02, not_monitored, 0, 0",
  })
  void eachDayShowsItsWorstState(LocalDate date, String state, long major, long partial) {
    ComponentView view = snapshot().component("ticketing").orElseThrow();
    Day day = view.days().stream().filter(d -> d.date().equals(date)).findFirst().orElseThrow();
    assertThat(day.state()).isEqualTo(state);
    assertThat(day.majorSeconds()).isEqualTo(major);
    assertThat(day.partialSeconds()).isEqualTo(partial);
  }

  @Test
  void theBarsCoverNinetyDaysAndUptimeCountsOnlyObservedTime() {
    StatusSnapshot s = snapshot();
    ComponentView view = s.component("ticketing").orElseThrow();
    assertThat(view.days()).hasSize(90);
    assertThat(view.days().get(89).date()).isEqualTo(LocalDate.parse("2026-11-30"));
    assertThat(view.status()).isEqualTo(ComponentStatus.PARTIAL_OUTAGE);
    assertThat(s.indicator()).isEqualTo(Indicator.MAJOR);
    // monitored since 11-20 12:00 KST (864,000 s to now) minus 5 min unobserved and 2 h of
    // maintenance = 856,500 s measured; down 1 h major + 0.3 x 1 h partial (the excluded hour and
    // the half hour inside the window do not count) = 4,680 s: 99.4535...% shown as 99.45
    assertThat(view.uptime30()).contains("99.45");
    assertThat(view.uptime90()).isEqualTo(view.uptime30());
  }
}
