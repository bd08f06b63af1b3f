package io.statusdesk.admin;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who a request comes from, whichever way it proved it: an API token (named by the token's name) or
 * a console session (named by the account's email). Audit rows name it.
 */
public record Principal(String name, Role role) {
  /** What a new token may be named: one word an operator can type and a log line can show. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,100}");

  public String actor() {
    return name + " (" + role.dbValue() + ")";
  }

  /** Whether it may do what {@code allowed} may: admins may do everything. */
  public boolean may(Set<Role> allowed) {
    return role == Role.ADMIN || allowed.contains(role);
  }
}
