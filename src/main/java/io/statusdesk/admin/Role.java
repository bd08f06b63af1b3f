package io.statusdesk.admin;

import java.util.Locale;
import java.util.Set;

/**
 * What a principal may do: operators run incidents and maintenance, billing owns tenants and the
 * ledger, viewers only read, agents (API tokens only) only push the results they probe from their
 * location, and admins (console accounts only) may do everything and manage the accounts and API
 * tokens themselves.
 */
public enum Role {
  OPERATOR,
  BILLING,
  VIEWER,
  AGENT,
  ADMIN;

  /** The roles an API token may have: an admin is a person, signed in with a second factor. */
  public static final Set<Role> TOKEN_ROLES = Set.of(OPERATOR, BILLING, VIEWER, AGENT);

  /** The roles a console account may have: an agent is a program, never a person. */
  public static final Set<Role> ACCOUNT_ROLES = Set.of(ADMIN, OPERATOR, BILLING, VIEWER);

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
        "role must be admin, operator, billing, viewer or agent, not '" + value + "'");
  }

  /** A role an API token may have, or an {@link IllegalArgumentException} naming the choice. */
  public static Role parseTokenRole(String value) {
    for (Role r : TOKEN_ROLES) {
      if (r.dbValue().equals(value)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "role must be operator, billing, viewer or agent, not '" + value + "'");
  }

  /**
   * A role a console account may have, or an {@link IllegalArgumentException} naming the choice.
   */
  public static Role parseAccountRole(String value) {
    for (Role r : ACCOUNT_ROLES) {
      if (r.dbValue().equals(value)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "role must be admin, operator, billing or viewer, not '" + value + "'");
  }
}
