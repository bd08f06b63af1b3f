package io.statusdesk.outage;

import io.statusdesk.DomainException;
import java.util.Locale;

/** An incident's lifecycle, in Statuspage's words. */
public enum IncidentStatus {
  INVESTIGATING,
  IDENTIFIED,
  MONITORING,
  RESOLVED;

  public String apiValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static IncidentStatus parse(String field, String value) {
    try {
      return valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new DomainException(
          DomainException.Kind.INVALID,
          field + ": one of investigating, identified, monitoring, resolved");
    }
  }
}
