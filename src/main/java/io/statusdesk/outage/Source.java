package io.statusdesk.outage;

import java.util.Locale;

/** Who found an outage: the probes, or an operator recording downtime the probes missed. */
public enum Source {
  PROBE,
  MANUAL;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
