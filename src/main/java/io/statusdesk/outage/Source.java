package io.statusdesk.outage;

import java.util.Locale;

/**
 * Who found an outage: the probes (a quorum of locations), an operator recording downtime the
 * probes missed, or the probes of fewer locations than the quorum (a network event, excluded).
 */
public enum Source {
  PROBE,
  MANUAL,
  NETWORK;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
