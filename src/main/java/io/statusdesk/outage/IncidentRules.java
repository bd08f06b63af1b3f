package io.statusdesk.outage;

import io.statusdesk.DomainException;
import io.statusdesk.probe.Impact;
import io.statusdesk.sla.OutageClass;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an operator's incident amounts to. Its impact on a component is what the page shows; the SLA
 * class of the manual outage behind it follows the same rule as the probes' outages: {@code major}
 * only when the component's own impact is major and it is wholly down. Slowness is never downtime,
 * so a degraded component gets no outage.
 */
public final class IncidentRules {
  private IncidentRules() {}

  /** Each component's impact when only a class was given: major takes it down, partial part. */
  public static Map<String, ComponentStatus> impacts(
      Iterable<String> components, OutageClass outageClass) {
    Map<String, ComponentStatus> out = new LinkedHashMap<>();
    components.forEach(c -> out.put(c, Incident.defaultImpact(outageClass)));
    return out;
  }

  /**
   * The manual outage of each component the incident takes down.
   *
   * @param componentImpact each component's impact from checks.yaml
   * @param cap a class the operator named: {@code partial} keeps every outage partial
   */
  public static Map<String, OutageClass> outageClasses(
      Map<String, ComponentStatus> impacts,
      Map<String, Impact> componentImpact,
      Optional<OutageClass> cap) {
    Map<String, OutageClass> out = new LinkedHashMap<>();
    impacts.forEach(
        (component, impact) -> {
          if (impact == ComponentStatus.MAJOR_OUTAGE) {
            boolean major =
                componentImpact.get(component) == Impact.MAJOR
                    && cap.orElse(OutageClass.MAJOR) == OutageClass.MAJOR;
            out.put(component, major ? OutageClass.MAJOR : OutageClass.PARTIAL);
          } else if (impact == ComponentStatus.PARTIAL_OUTAGE) {
            out.put(component, OutageClass.PARTIAL);
          }
        });
    return out;
  }

  /** An incident's impact is how bad it is: never operational, never maintenance. */
  public static ComponentStatus impact(String field, String value) {
    ComponentStatus status = ComponentStatus.parse(field, value);
    if (status == ComponentStatus.OPERATIONAL || status == ComponentStatus.UNDER_MAINTENANCE) {
      throw invalid(field + ": degraded_performance, partial_outage or major_outage");
    }
    return status;
  }

  /** How far ahead an operator may set a component's status by hand. */
  public static final Duration MAX_OVERRIDE = Duration.ofDays(7);

  /** Every component named must be one of checks.yaml. */
  public static void checkKnown(Collection<String> components, Set<String> known) {
    components.stream()
        .filter(c -> !known.contains(c))
        .findFirst()
        .ifPresent(
            c -> {
              throw invalid("components: unknown component '" + c + "'");
            });
  }

  /**
   * An incident is recorded as it happened: it began in the past, and it carries a resolution time
   * exactly when it is recorded as resolved, after its start and not in the future.
   */
  public static void checkOpening(
      Instant startedAt, Optional<Instant> resolvedAt, IncidentStatus status, Instant now) {
    if (startedAt.isAfter(now)) {
      throw invalid("started_at: must not be in the future");
    }
    if (resolvedAt.isPresent() != (status == IncidentStatus.RESOLVED)) {
      throw invalid("resolved_at: given exactly when status is resolved");
    }
    if (resolvedAt.isPresent()
        && (!resolvedAt.get().isAfter(startedAt) || resolvedAt.get().isAfter(now))) {
      throw invalid("resolved_at: must be after started_at and not in the future");
    }
  }

  /** A status set by hand expires by itself, within {@link #MAX_OVERRIDE}. */
  public static void checkOverride(Instant until, Instant now) {
    if (!until.isAfter(now) || until.isAfter(now.plus(MAX_OVERRIDE))) {
      throw invalid("until: after now and at most 7 days ahead");
    }
  }

  private static DomainException invalid(String message) {
    return new DomainException(DomainException.Kind.INVALID, message);
  }

  /** A resolved incident takes no more updates. */
  public static void checkOpen(long id, IncidentStatus status) {
    if (status == IncidentStatus.RESOLVED) {
      throw new DomainException(DomainException.Kind.CONFLICT, "incident " + id + " is resolved");
    }
  }
}
