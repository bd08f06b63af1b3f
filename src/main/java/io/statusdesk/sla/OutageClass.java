package io.statusdesk.sla;

/** An outage's SLA class: a major second weighs 1, a partial one the policy's weight (0.3). */
public enum OutageClass {
  MAJOR,
  PARTIAL
}
