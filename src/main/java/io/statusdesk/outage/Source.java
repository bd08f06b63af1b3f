package io.statusdesk.outage;

/** Who found an outage: the probes, or an operator recording downtime the probes missed. */
public enum Source {
  PROBE, MANUAL;

  public String dbValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
