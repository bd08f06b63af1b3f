package io.statusdesk.probe;

import java.util.Locale;

/** How one probe went. Degraded is a success that took longer than {@code degraded_ms}. */
public enum Outcome {
  UP,
  DEGRADED,
  DOWN;

  public boolean ok() {
    return this != DOWN;
  }

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Outcome fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
