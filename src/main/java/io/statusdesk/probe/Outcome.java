package io.statusdesk.probe;

/** How one probe went. Degraded is a success that took longer than {@code degraded_ms}. */
public enum Outcome {
  UP, DEGRADED, DOWN;

  public boolean ok() {
    return this != DOWN;
  }

  public String dbValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Outcome fromDb(String value) {
    return valueOf(value.toUpperCase(java.util.Locale.ROOT));
  }
}
