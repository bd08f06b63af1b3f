package io.statusdesk.outage;

import java.util.Locale;

/** A component's status on the page, with Statuspage's names, least to most severe. */
public enum ComponentStatus {
  OPERATIONAL, UNDER_MAINTENANCE, DEGRADED_PERFORMANCE, PARTIAL_OUTAGE, MAJOR_OUTAGE;

  public String apiValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
