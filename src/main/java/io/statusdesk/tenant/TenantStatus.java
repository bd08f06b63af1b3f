package io.statusdesk.tenant;

import java.util.Locale;

/** A tenant's account standing; only {@code current} accounts earn credits. */
public enum TenantStatus {
  CURRENT,
  PAST_DUE,
  TERMINATED;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TenantStatus parse(String value) {
    for (TenantStatus s : values()) {
      if (s.dbValue().equals(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException("status: one of current, past_due, terminated");
  }
}
