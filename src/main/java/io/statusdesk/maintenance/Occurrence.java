package io.statusdesk.maintenance;

import java.time.Instant;

/** One concrete span of a maintenance window (the window itself, or one of its series). */
public record Occurrence(Window window, Instant start, Instant end) {

  /** Where an occurrence stands relative to now, as Statuspage names it. */
  public enum Status {
    SCHEDULED, IN_PROGRESS, COMPLETED;

    public String apiValue() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * Announced with less than {@link Window#NOTICE} before this occurrence begins: a weekly
   * series announced a month ago gives every later occurrence plenty of notice.
   */
  public boolean shortNotice() {
    return java.time.Duration.between(window.createdAt(), start).compareTo(Window.NOTICE) < 0;
  }

  /** The SLA leaves out only maintenance announced before it began. */
  public boolean counts() {
    return window.createdAt().isBefore(start);
  }

  public boolean covers(String component, Instant at) {
    return window.covers(component) && !at.isBefore(start) && at.isBefore(end);
  }

  public Status status(Instant now) {
    if (now.isBefore(start)) {
      return Status.SCHEDULED;
    }
    return now.isBefore(end) ? Status.IN_PROGRESS : Status.COMPLETED;
  }
}
