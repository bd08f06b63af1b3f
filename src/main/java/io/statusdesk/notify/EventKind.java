package io.statusdesk.notify;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Everything the service tells people about, by the name webhooks and {@code alerts:} routes use,
 * and who hears of it besides the operators' alert routes.
 */
public enum EventKind {
  INCIDENT_OPENED("incident.opened", Audience.PUBLIC),
  INCIDENT_UPDATED("incident.updated", Audience.PUBLIC),
  INCIDENT_RESOLVED("incident.resolved", Audience.PUBLIC),
  COMPONENT_STATUS_CHANGED("component.status_changed", Audience.WEBHOOKS),
  MAINTENANCE_SCHEDULED("maintenance.scheduled", Audience.PUBLIC),
  MAINTENANCE_CHANGED("maintenance.changed", Audience.PUBLIC),
  MAINTENANCE_CANCELLED("maintenance.cancelled", Audience.PUBLIC),
  MAINTENANCE_REMINDER("maintenance.reminder", Audience.PUBLIC),
  MAINTENANCE_STARTED("maintenance.started", Audience.PUBLIC),
  MAINTENANCE_ENDED("maintenance.ended", Audience.PUBLIC),
  SLA_PUBLISHED("sla.published", Audience.ALL_CONTACTS),
  MONTH_CLOSED("month.closed", Audience.OPERATORS),
  STATEMENT_ISSUED("statement.issued", Audience.TENANT_CONTACTS),
  MONITORING_GAP("monitoring.gap", Audience.OPERATORS),
  BUFFER_OVERFLOW("monitoring.buffer_overflow", Audience.OPERATORS),
  CERTIFICATE_EXPIRING("certificate.expiring", Audience.OPERATORS),
  SUBSCRIPTION_CONFIRM("subscription.confirm", Audience.SUBSCRIBER),
  SUBSCRIPTION_EXISTING("subscription.existing", Audience.SUBSCRIBER);

  /** Who is told, besides the alert routes that name the kind. */
  public enum Audience {
    /** Email and webhook subscribers of the components it touches. */
    PUBLIC,
    /** Webhook subscribers only: machines follow every status change, people every update. */
    WEBHOOKS,
    /** Every tenant's statement addresses. */
    ALL_CONTACTS,
    /** The statement addresses of the tenant it is about. */
    TENANT_CONTACTS,
    /** The one subscriber it is about, confirmed or not. */
    SUBSCRIBER,
    /** Nobody but the alert routes. */
    OPERATORS
  }

  private final String apiValue;
  private final Audience audience;

  EventKind(String apiValue, Audience audience) {
    this.apiValue = apiValue;
    this.audience = audience;
  }

  public String apiValue() {
    return apiValue;
  }

  public Audience audience() {
    return audience;
  }

  /**
   * Whether an alert route may carry it: a tenant's statement and a subscriber's own mail hold
   * personal data and go to their owners only.
   */
  public boolean alertable() {
    return audience != Audience.TENANT_CONTACTS && audience != Audience.SUBSCRIBER;
  }

  public static Optional<EventKind> find(String apiValue) {
    return Arrays.stream(values()).filter(k -> k.apiValue.equals(apiValue)).findFirst();
  }

  /** The kinds an alert route may name. */
  public static List<EventKind> alertables() {
    return Arrays.stream(values()).filter(EventKind::alertable).toList();
  }
}
