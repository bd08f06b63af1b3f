package io.statusdesk.outage;

import io.statusdesk.probe.Impact;
import io.statusdesk.sla.OutageClass;
import java.util.Optional;

/**
 * The two answers for one component, never mixed up (README, "Outages, incidents and maintenance"):
 * its status on the page, and the SLA class of the outage it is in (if any). All cells failing is a
 * major outage on the page, but it is a major SLA outage only when the component's impact is major.
 * Maintenance shows on the page either way; only maintenance announced in advance keeps failures
 * from opening an outage.
 *
 * @param status what the page shows
 * @param outageClass the SLA class of the outage the failures amount to; empty when none
 */
public record Classification(ComponentStatus status, Optional<OutageClass> outageClass) {

  /** Whether maintenance covers the component, and whether the SLA counts it. */
  public enum Maintenance {
    NONE,
    ANNOUNCED,
    LATE
  }

  public static Classification of(
      Impact impact, int cells, int failing, boolean degraded, Maintenance maintenance) {
    if (cells <= 0 || failing < 0 || failing > cells) {
      throw new IllegalArgumentException(failing + " failing of " + cells + " cells");
    }
    Optional<OutageClass> outageClass =
        failing == 0 || maintenance == Maintenance.ANNOUNCED
            ? Optional.empty()
            : Optional.of(
                impact == Impact.MAJOR && failing == cells
                    ? OutageClass.MAJOR
                    : OutageClass.PARTIAL);
    ComponentStatus status;
    if (maintenance != Maintenance.NONE) {
      status = ComponentStatus.UNDER_MAINTENANCE;
    } else if (failing == cells) {
      status = ComponentStatus.MAJOR_OUTAGE;
    } else if (failing > 0) {
      status = ComponentStatus.PARTIAL_OUTAGE;
    } else if (degraded) {
      status = ComponentStatus.DEGRADED_PERFORMANCE;
    } else {
      status = ComponentStatus.OPERATIONAL;
    }
    return new Classification(status, outageClass);
  }
}
