package io.statusdesk.maintenance;

import io.statusdesk.sla.MaintenanceWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * One concrete span of a maintenance window (the window itself, or one of its series). What the SLA
 * makes of it (does it count, what does it cover, where did it really end) is decided once, by its
 * {@link MaintenanceWindow terms}.
 *
 * @param terms this occurrence as the SLA sees it: announced start and end, cancellation
 */
public record Occurrence(Window window, MaintenanceWindow terms) {

  /** The occurrence of {@code window} that starts at {@code start}. */
  static Occurrence of(Window window, Instant start) {
    return new Occurrence(
        window,
        new MaintenanceWindow(
            window.id() + "@" + start,
            window.components(),
            start,
            start.plus(window.length()),
            window.createdAt(),
            window.cancelledAt()));
  }

  /** Where an occurrence stands relative to now, as Statuspage names it. */
  public enum Status {
    SCHEDULED,
    IN_PROGRESS,
    COMPLETED;

    public String apiValue() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Instant start() {
    return terms.start();
  }

  /** Its announced end, or where a cancellation cut it short. */
  public Instant end() {
    return terms.effectiveEnd();
  }

  /**
   * Announced with less than {@link Window#NOTICE} before this occurrence begins: a weekly series
   * announced a month ago gives every later occurrence plenty of notice.
   */
  public boolean shortNotice() {
    return Duration.between(window.createdAt(), start()).compareTo(Window.NOTICE) < 0;
  }

  /** The SLA leaves out only maintenance announced before it began. */
  public boolean counts() {
    return terms.counts();
  }

  public boolean covers(String component, Instant at) {
    return terms.covers(component) && !at.isBefore(start()) && at.isBefore(end());
  }

  public Status status(Instant now) {
    if (now.isBefore(start())) {
      return Status.SCHEDULED;
    }
    return now.isBefore(end()) ? Status.IN_PROGRESS : Status.COMPLETED;
  }
}
