package io.statusdesk.admin;

import java.util.Locale;
import java.util.Set;

/**
 * The console's sections and who may read and change what each shows: the same roles the API asks
 * for the same data, so a person and a token of one role may do the same things. Admins may do
 * everything (see {@link Principal#may}); the accounts and tokens sections are theirs alone.
 * Notifications hold subscribers' addresses (personal data), so only operators (and admins) see
 * them, retry dead letters and export or erase an address, as in the API; the instances sharing the
 * work are plain facts every role may read.
 */
public enum Section {
  OVERVIEW,
  INCIDENTS,
  MAINTENANCE,
  NOTIFICATIONS,
  TENANTS,
  MONTHS,
  LEDGER,
  SLA,
  INSTANCES,
  AUDIT,
  ACCOUNTS,
  TOKENS;

  private static final Set<Role> ALL = Set.of(Role.OPERATOR, Role.BILLING, Role.VIEWER);
  private static final Set<Role> BILLING_AND_OPERATORS = Set.of(Role.BILLING, Role.OPERATOR);
  private static final Set<Role> ADMINS_ONLY = Set.of();

  /** Who may see it (admins always may). */
  public Set<Role> readers() {
    return switch (this) {
      case OVERVIEW, INCIDENTS, MAINTENANCE, SLA -> ALL;
      // host names and process ids, as GET /api/v1/instances shows them: operators only
      case NOTIFICATIONS, INSTANCES -> Set.of(Role.OPERATOR);
      case TENANTS, MONTHS, LEDGER, AUDIT -> BILLING_AND_OPERATORS;
      case ACCOUNTS, TOKENS -> ADMINS_ONLY;
    };
  }

  /** Who may change what it shows (admins always may). */
  public Set<Role> writers() {
    return switch (this) {
      case INCIDENTS, MAINTENANCE, SLA, NOTIFICATIONS -> Set.of(Role.OPERATOR);
      case TENANTS -> Set.of(Role.BILLING);
      case MONTHS -> BILLING_AND_OPERATORS;
      case OVERVIEW, LEDGER, AUDIT, ACCOUNTS, TOKENS, INSTANCES -> ADMINS_ONLY;
    };
  }

  /** Its path, {@code /admin/incidents}. */
  public String path() {
    return "/admin/" + key();
  }

  /** Its key in paths and the message bundles ({@code nav_incidents}). */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
