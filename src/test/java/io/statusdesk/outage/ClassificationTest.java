package io.statusdesk.outage;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.outage.Classification.Maintenance;
import io.statusdesk.probe.Impact;
import io.statusdesk.sla.OutageClass;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClassificationTest {

  @ParameterizedTest(name = "{0} impact, {2}/{1} failing, degraded={3}, {4} -> {5} / {6}")
  @CsvSource({
    // impact, cells, failing, degraded, maintenance, page status, SLA class
    "MAJOR,   1, 0, false, NONE,      OPERATIONAL,          -",
    "MAJOR,   1, 0, true,  NONE,      DEGRADED_PERFORMANCE, -",
    "MAJOR,   1, 1, false, NONE,      MAJOR_OUTAGE,         MAJOR",
    "MAJOR,   2, 1, false, NONE,      PARTIAL_OUTAGE,       PARTIAL",
    "MAJOR,   2, 1, true,  NONE,      PARTIAL_OUTAGE,       PARTIAL",
    "MAJOR,   2, 2, false, NONE,      MAJOR_OUTAGE,         MAJOR",
    "MAJOR,   3, 2, false, NONE,      PARTIAL_OUTAGE,       PARTIAL",
    "PARTIAL, 1, 1, false, NONE,      MAJOR_OUTAGE,         PARTIAL",
    "PARTIAL, 3, 3, false, NONE,      MAJOR_OUTAGE,         PARTIAL",
    "PARTIAL, 3, 1, false, NONE,      PARTIAL_OUTAGE,       PARTIAL",
    "PARTIAL, 3, 0, true,  NONE,      DEGRADED_PERFORMANCE, -",
    "MAJOR,   2, 0, false, ANNOUNCED, UNDER_MAINTENANCE,    -",
    "MAJOR,   2, 2, false, ANNOUNCED, UNDER_MAINTENANCE,    -",
    "MAJOR,   2, 1, true,  ANNOUNCED, UNDER_MAINTENANCE,    -",
    "PARTIAL, 1, 1, false, ANNOUNCED, UNDER_MAINTENANCE,    -",
    // announced too late for the SLA: shown as maintenance, counted as downtime
    "MAJOR,   2, 2, false, LATE,      UNDER_MAINTENANCE,    MAJOR",
    "MAJOR,   2, 1, false, LATE,      UNDER_MAINTENANCE,    PARTIAL",
    "PARTIAL, 2, 0, true,  LATE,      UNDER_MAINTENANCE,    -",
  })
  void pageStatusAndSlaClass(
      Impact impact,
      int cells,
      int failing,
      boolean degraded,
      Maintenance maintenance,
      ComponentStatus status,
      String slaClass) {
    Classification c = Classification.of(impact, cells, failing, degraded, maintenance);
    assertThat(c.status()).isEqualTo(status);
    assertThat(c.outageClass())
        .isEqualTo(
            slaClass.equals("-") ? Optional.empty() : Optional.of(OutageClass.valueOf(slaClass)));
  }
}
