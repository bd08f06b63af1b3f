package io.statusdesk.app;

import io.statusdesk.ledger.BillingSettings;
import io.statusdesk.notify.NotifySettings;
import io.statusdesk.outage.IncidentSettings;
import io.statusdesk.probe.Component;
import io.statusdesk.probe.Locations;
import io.statusdesk.probe.ProbeSettings;
import java.time.ZoneId;
import java.util.List;

/**
 * The validated contents of checks.yaml, split by the feature each part configures.
 *
 * @param source file name, for messages
 * @param timezone contract time zone (months, daily bars, maintenance series)
 * @param locations where cells are probed from, and the quorum that makes a failure count
 */
public record ChecksConfig(
    String source,
    ZoneId timezone,
    ProbeSettings probes,
    BillingSettings billing,
    IncidentSettings incidents,
    NotifySettings notifications,
    Locations locations) {

  public List<Component> components() {
    return probes.components();
  }
}
