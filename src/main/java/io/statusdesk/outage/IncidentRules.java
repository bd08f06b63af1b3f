package io.statusdesk.outage;

import io.statusdesk.DomainException;
import io.statusdesk.probe.Impact;
import io.statusdesk.sla.OutageClass;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an operator's incident amounts to. Its impact on a component is what the page shows;
 * the SLA class of the manual outage behind it follows the same rule as the probes' outages:
 * {@code major} only when the component's own impact is major and it is wholly down. Slowness
 * is never downtime, so a degraded component gets no outage.
 */
public final class IncidentRules {
  private IncidentRules() {}

  /** Each component's impact when only a class was given: major takes it down, partial part. */
  public static Map<String, ComponentStatus> impacts(Iterable<String> components,
      OutageClass outageClass) {
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
  public static Map<String, OutageClass> outageClasses(Map<String, ComponentStatus> impacts,
      Map<String, Impact> componentImpact, Optional<OutageClass> cap) {
    Map<String, OutageClass> out = new LinkedHashMap<>();
    impacts.forEach((component, impact) -> {
      if (impact == ComponentStatus.MAJOR_OUTAGE) {
        boolean major = componentImpact.get(component) == Impact.MAJOR
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
      throw new DomainException(DomainException.Kind.INVALID, field
          + ": degraded_performance, partial_outage or major_outage");
    }
    return status;
  }

  /** A resolved incident takes no more updates. */
  public static void checkOpen(long id, IncidentStatus status) {
    if (status == IncidentStatus.RESOLVED) {
      throw new DomainException(DomainException.Kind.CONFLICT, "incident " + id
          + " is resolved");
    }
  }
}
