package io.statusdesk.outage;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.Localized;
import io.statusdesk.sla.OutageClass;
import org.junit.jupiter.api.Test;

class IncidentWordingTest {
  private static final Localized SNS = new Localized("SNS connectors", "SNS 연동");

  @Test
  void aPluralNameReadsRightInEveryAutomaticText() {
    assertThat(IncidentWording.title(SNS, OutageClass.MAJOR))
        .isEqualTo(new Localized("SNS connectors unavailable", "SNS 연동 장애"));
    assertThat(IncidentWording.title(SNS, OutageClass.PARTIAL).en())
        .isEqualTo("SNS connectors partially unavailable");
    assertThat(IncidentWording.recovered(SNS).en())
        .isEqualTo("SNS connectors: working normally again.");
    assertThat(IncidentWording.classChanged(SNS, OutageClass.MAJOR).en())
        .isEqualTo("SNS connectors: now unavailable for everyone.");
    assertThat(IncidentWording.investigating(SNS).en())
        .isEqualTo("We are investigating failures of SNS connectors.");
  }
}
