package io.statusdesk.admin;

/** The holder of the token a request came with; audit rows name it. */
public record Principal(String name, Role role) {

  public String actor() {
    return name + " (" + role.dbValue() + ")";
  }
}
