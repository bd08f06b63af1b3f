package io.statusdesk.statuspage;

import io.statusdesk.ledger.ClosedMonth;
import io.statusdesk.maintenance.MaintenanceCalendar;
import io.statusdesk.outage.ComponentStatus;
import io.statusdesk.outage.Incident;
import io.statusdesk.outage.OutageRecord;
import io.statusdesk.probe.Component;
import io.statusdesk.sla.NoData;
import io.statusdesk.sla.PolicyVersion;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What a snapshot is built from, gathered in one go.
 *
 * @param statuses what the page shows for each component now: probes, open incidents and overrides
 *     (see {@link io.statusdesk.outage.ComponentStatuses#effective})
 * @param incidents incidents of the last 90 days and every unresolved one, newest first, hidden
 *     ones left out
 * @param degraded slow minutes per component and day
 * @param months closed months, newest first
 */
public record StatusFacts(
    List<Component> components,
    Map<String, ComponentStatus> statuses,
    List<OutageRecord> outages,
    List<Incident> incidents,
    MaintenanceCalendar calendar,
    List<NoData> noData,
    Map<String, Map<LocalDate, Integer>> degraded,
    Map<String, Instant> monitoredSince,
    List<PolicyVersion> policies,
    List<ClosedMonth> months) {}
