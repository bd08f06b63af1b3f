package io.statusdesk.admin;

import java.util.regex.Pattern;

/** The holder of the token a request came with; audit rows name it. */
public record Principal(String name, Role role) {
  /** What a new token may be named: one word an operator can type and a log line can show. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,100}");

  public String actor() {
    return name + " (" + role.dbValue() + ")";
  }
}
