package io.statusdesk.maintenance;

import io.statusdesk.DomainException;
import io.statusdesk.Localized;
import io.statusdesk.sla.MaintenanceWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A scheduled maintenance window as announced: one-off, or a series when {@code rrule} is set (RFC
 * 5545, expanded in the contract time zone so "every Sunday 02:00" stays 02:00 across
 * daylight-saving changes). Cancelling removes every occurrence from the cancel instant on and ends
 * one in progress; the row itself is kept.
 *
 * @param components covered component ids, or {@code "*"} alone for the whole service
 * @param startsAt start of the (first) occurrence
 * @param endsAt end of the (first) occurrence; every occurrence lasts as long
 * @param createdAt when it was announced
 */
public record Window(
    long id,
    Localized title,
    Localized description,
    Set<String> components,
    Instant startsAt,
    Instant endsAt,
    Optional<String> rrule,
    Instant createdAt,
    Optional<Instant> cancelledAt) {

  /** Announcements with less notice than this are allowed but flagged publicly. */
  public static final Duration NOTICE = Duration.ofDays(7);

  /** Upper bound on occurrences produced by one expansion, whatever the rule says. */
  public static final int MAX_OCCURRENCES = 1000;

  public boolean serviceWide() {
    return MaintenanceWindow.serviceWide(components);
  }

  public Duration length() {
    return Duration.between(startsAt, endsAt);
  }

  public boolean cancelled() {
    return cancelledAt.isPresent();
  }

  /**
   * Cancelled at {@code at}; cancelling twice is the same as once. A window with nothing left to
   * come is history: cancelling it would rewrite what visitors were told, so it is refused.
   */
  public Window cancel(Instant at, ZoneId zone) {
    if (cancelled()) {
      return this;
    }
    if (occurrences(zone, at, at.plus(Duration.ofDays(100 * 366))).isEmpty()) {
      throw new DomainException(
          DomainException.Kind.CONFLICT, "window is over; a completed window cannot be cancelled");
    }
    return new Window(
        id, title, description, components, startsAt, endsAt, rrule, createdAt, Optional.of(at));
  }

  /** Occurrences overlapping {@code [from, to)}, in order, at most {@link #MAX_OCCURRENCES}. */
  public List<Occurrence> occurrences(ZoneId zone, Instant from, Instant to) {
    List<Instant> starts;
    if (rrule.isEmpty()) {
      starts = List.of(startsAt);
    } else {
      ZonedDateTime seed = startsAt.atZone(zone);
      starts =
          Recurrence.parse(rrule.get())
              .getDates(seed, from.minus(length()).atZone(zone), to.atZone(zone), MAX_OCCURRENCES)
              .stream()
              .map(ZonedDateTime::toInstant)
              .toList();
    }
    List<Occurrence> out = new ArrayList<>();
    for (Instant start : starts) {
      Occurrence o = Occurrence.of(this, start);
      if (!o.terms().cancelledBeforeStart() && o.end().isAfter(from) && start.isBefore(to)) {
        out.add(o);
      }
    }
    return out;
  }

  /** The next {@code limit} occurrences not over at {@code now}, within a year. */
  public List<Occurrence> upcoming(ZoneId zone, Instant now, int limit) {
    return occurrences(zone, now, now.plus(Duration.ofDays(366))).stream().limit(limit).toList();
  }
}
