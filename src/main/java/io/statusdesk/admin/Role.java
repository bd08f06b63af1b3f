package io.statusdesk.admin;

import java.util.Locale;

/**
 * What an API token may do: operators run incidents and maintenance, billing owns tenants and the
 * ledger, viewers only read.
 */
public enum Role {
  OPERATOR,
  BILLING,
  VIEWER;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role parse(String value) {
    for (Role r : values()) {
      if (r.dbValue().equals(value)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "role must be operator, billing or viewer, not '" + value + "'");
  }
}
