package io.statusdesk.admin;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The console's sections and who may read and change what each shows: the same roles the API asks
 * for the same data, so a person and a token of one role may do the same things. Admins may do
 * everything (see {@link Principal#may}).
 */
public enum Section {
  OVERVIEW(all(), EnumSet.noneOf(Role.class)),
  INCIDENTS(all(), EnumSet.of(Role.OPERATOR)),
  MAINTENANCE(all(), EnumSet.of(Role.OPERATOR)),
  TENANTS(EnumSet.of(Role.BILLING, Role.OPERATOR), EnumSet.of(Role.BILLING)),
  MONTHS(EnumSet.of(Role.BILLING, Role.OPERATOR), EnumSet.of(Role.BILLING, Role.OPERATOR)),
  LEDGER(EnumSet.of(Role.BILLING, Role.OPERATOR), EnumSet.noneOf(Role.class)),
  SLA(all(), EnumSet.of(Role.OPERATOR)),
  AUDIT(EnumSet.of(Role.OPERATOR, Role.BILLING), EnumSet.noneOf(Role.class)),
  ACCOUNTS(EnumSet.noneOf(Role.class), EnumSet.noneOf(Role.class)),
  TOKENS(EnumSet.noneOf(Role.class), EnumSet.noneOf(Role.class));

  private final Set<Role> readers;
  private final Set<Role> writers;

  Section(Set<Role> readers, Set<Role> writers) {
    this.readers = Set.copyOf(readers);
    this.writers = Set.copyOf(writers);
  }

  private static Set<Role> all() {
    return EnumSet.of(Role.OPERATOR, Role.BILLING, Role.VIEWER);
  }

  /** Who may see it (admins always may). */
  public Set<Role> readers() {
    return readers;
  }

  /** Who may change what it shows (admins always may). */
  public Set<Role> writers() {
    return writers;
  }

  /** Its path, {@code /admin/incidents}, and its key in the message bundles. */
  public String path() {
    return "/admin/" + key();
  }

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
