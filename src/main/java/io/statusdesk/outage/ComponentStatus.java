package io.statusdesk.outage;

import io.statusdesk.DomainException;
import java.util.Locale;

/** A component's status on the page, with Statuspage's names, least to most severe. */
public enum ComponentStatus {
  OPERATIONAL,
  UNDER_MAINTENANCE,
  DEGRADED_PERFORMANCE,
  PARTIAL_OUTAGE,
  MAJOR_OUTAGE;

  public String apiValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ComponentStatus parse(String field, String value) {
    try {
      return valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new DomainException(
          DomainException.Kind.INVALID,
          field
              + ": one of operational, under_maintenance, degraded_performance, partial_outage, "
              + "major_outage");
    }
  }

  /** The worse of two statuses. */
  public ComponentStatus worst(ComponentStatus other) {
    return compareTo(other) >= 0 ? this : other;
  }
}
