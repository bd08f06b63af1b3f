package io.statusdesk.maintenance;

import io.statusdesk.DomainException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The rules an announcement must follow. The SLA leaves maintenance out only when it was announced
 * in advance, so a window can never be moved to start in the past, and a window in progress can end
 * earlier but never later: an overrun is downtime.
 */
public final class Scheduling {
  /** Longest single occurrence; longer "maintenance" is an outage by another name. */
  public static final Duration MAX_LENGTH = Duration.ofDays(7);

  /** How far ahead a window may be announced; further plans are not yet maintenance. */
  public static final Duration MAX_AHEAD = Duration.ofDays(2 * 365);

  private Scheduling() {}

  /**
   * Checks a new window; {@code known} are the component ids in checks.yaml, {@code zone} the
   * contract time zone a series repeats in.
   */
  public static void checkNew(
      Set<String> components,
      Instant startsAt,
      Instant endsAt,
      Optional<String> rrule,
      Set<String> known,
      ZoneId zone,
      Instant now) {
    checkComponents(components, known);
    if (startsAt.isBefore(now)) {
      throw invalid("starts_at: must not be in the past");
    }
    checkAhead(startsAt, now);
    checkSpan(startsAt, endsAt);
    rrule.ifPresent(
        rule -> Recurrence.check(rule, startsAt.atZone(zone), Duration.between(startsAt, endsAt)));
  }

  /** A window starting this soon gets a warning before it is saved. */
  public static final Duration SOON = Duration.ofHours(1);

  /**
   * What to warn an operator of before a window starting at {@code startsAt} is saved: {@code
   * short_notice} under {@link Window#NOTICE} ahead (the page flags it publicly), {@code
   * starts_soon} within {@link #SOON}.
   */
  public static List<String> warnings(Instant startsAt, Instant now) {
    List<String> out = new ArrayList<>();
    if (Duration.between(now, startsAt).compareTo(Window.NOTICE) < 0) {
      out.add("short_notice");
    }
    if (Duration.between(now, startsAt).compareTo(SOON) < 0) {
      out.add("starts_soon");
    }
    return out;
  }

  /** Checks moving {@code window} to {@code [startsAt, endsAt)} at {@code now}. */
  public static void checkChange(Window window, Instant startsAt, Instant endsAt, Instant now) {
    if (window.cancelled()) {
      throw new DomainException(DomainException.Kind.CONFLICT, "window is cancelled");
    }
    boolean begun = !now.isBefore(window.startsAt());
    if (begun) {
      if (!startsAt.equals(window.startsAt())) {
        throw new DomainException(
            DomainException.Kind.CONFLICT,
            "starts_at: the window has begun; its start cannot move");
      }
      if (endsAt.isAfter(window.endsAt())) {
        throw new DomainException(
            DomainException.Kind.CONFLICT,
            "ends_at: a window in progress cannot be extended; the overrun is downtime");
      }
    } else if (startsAt.isBefore(now)) {
      throw invalid("starts_at: must not be in the past");
    }
    checkAhead(startsAt, now);
    checkSpan(startsAt, endsAt);
  }

  private static void checkAhead(Instant startsAt, Instant now) {
    if (startsAt.isAfter(now.plus(MAX_AHEAD))) {
      throw invalid("starts_at: at most two years ahead");
    }
  }

  private static void checkSpan(Instant startsAt, Instant endsAt) {
    if (!endsAt.isAfter(startsAt)) {
      throw invalid("ends_at: must be after starts_at");
    }
    if (Duration.between(startsAt, endsAt).compareTo(MAX_LENGTH) > 0) {
      throw invalid("ends_at: a window lasts at most " + MAX_LENGTH.toDays() + " days");
    }
  }

  private static void checkComponents(Set<String> components, Set<String> known) {
    if (components.isEmpty()) {
      throw invalid("components: list \"*\" or at least one component id");
    }
    if (components.contains("*") && components.size() > 1) {
      throw invalid("components: \"*\" stands alone");
    }
    for (String c : components) {
      if (!c.equals("*") && !known.contains(c)) {
        throw invalid("components: unknown component '" + c + "'");
      }
    }
  }

  private static DomainException invalid(String message) {
    return new DomainException(DomainException.Kind.INVALID, message);
  }
}
