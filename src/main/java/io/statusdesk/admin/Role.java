package io.statusdesk.admin;

import java.util.Locale;

/**
 * What an API token may do: operators run incidents and maintenance, billing owns tenants and the
 * ledger, viewers only read, agents only push the results they probe from their location.
 */
public enum Role {
  OPERATOR,
  BILLING,
  VIEWER,
  AGENT;

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
        "role must be operator, billing, viewer or agent, not '" + value + "'");
  }
}
