package io.statusdesk.maintenance;

import io.statusdesk.DomainException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoField;
import java.time.temporal.Temporal;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.fortuna.ical4j.model.Recur;
import net.fortuna.ical4j.transform.recurrence.Frequency;

/** Parses and vets RFC 5545 recurrence rules for maintenance series. */
final class Recurrence {
  /** Maintenance repeats by the day at most often; finer rules are almost always mistakes. */
  private static final Set<Frequency> ALLOWED =
      Set.of(Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY, Frequency.YEARLY);

  /** Occurrences looked at when vetting a rule: a year of daily ones and then some. */
  private static final int VETTED = 400;

  /** Instants in requests lie before 2100 (Input.LATEST); so does the end of a series. */
  private static final Instant LAST_UNTIL = Instant.parse("2100-01-01T00:00:00Z");

  private Recurrence() {}

  /**
   * Parses {@code rule} and refuses a series with more than one occurrence on a day, or whose
   * occurrences ({@code length} each, starting at {@code seed}) would overlap: what BYHOUR or
   * BYMINUTE add to a DAILY rule is a schedule of many windows a day, not maintenance.
   */
  static Recur<ZonedDateTime> check(String rule, ZonedDateTime seed, Duration length) {
    Recur<ZonedDateTime> recur = parse(rule);
    String parts = ";" + rule.toUpperCase(Locale.ROOT) + ";";
    // ical4j reads INTERVAL=0 as "every", and a missing INTERVAL or COUNT as -1
    if (parts.contains(";INTERVAL=") && recur.getInterval() < 1) {
      throw new DomainException(
          DomainException.Kind.INVALID, "rrule: INTERVAL must be a whole number of at least 1");
    }
    if (parts.contains(";COUNT=") && recur.getCount() < 1) {
      throw new DomainException(
          DomainException.Kind.INVALID, "rrule: COUNT must be a whole number of at least 1");
    }
    Object rawUntil = ((Recur<?>) recur).getUntil();
    if (rawUntil instanceof Temporal t) {
      // UNTIL is a date (the end of that day in the contract zone) or a date-time
      Instant until =
          t.isSupported(ChronoField.INSTANT_SECONDS)
              ? Instant.from(t)
              : LocalDate.from(t).plusDays(1).atStartOfDay(seed.getZone()).toInstant();
      if (!until.isAfter(seed.toInstant()) || !until.isBefore(LAST_UNTIL)) {
        throw new DomainException(
            DomainException.Kind.INVALID,
            "rrule: UNTIL must lie after the first start and before 2100-01-01");
      }
    }
    List<ZonedDateTime> starts = recur.getDates(seed, seed, seed.plusYears(3), VETTED);
    Set<LocalDate> days = new HashSet<>();
    ZonedDateTime previous = null;
    for (ZonedDateTime start : starts) {
      if (!days.add(start.toLocalDate())) {
        throw new DomainException(
            DomainException.Kind.INVALID,
            "rrule: at most one occurrence a day (" + start.toLocalDate() + " has more)");
      }
      if (previous != null && previous.plus(length).isAfter(start)) {
        throw new DomainException(
            DomainException.Kind.INVALID,
            "rrule: occurrences overlap (the one at "
                + previous.toLocalDateTime()
                + " runs past the next)");
      }
      previous = start;
    }
    return recur;
  }

  static Recur<ZonedDateTime> parse(String rule) {
    Recur<ZonedDateTime> recur;
    try {
      recur = new Recur<>(rule.startsWith("RRULE:") ? rule.substring(6) : rule);
    } catch (RuntimeException e) {
      // ical4j's messages name its own classes; say what is wrong in the rule's own terms
      throw new DomainException(
          DomainException.Kind.INVALID,
          "rrule: not an RFC 5545 "
              + "recurrence rule (parts NAME=VALUE separated by ';', e.g. FREQ=WEEKLY;BYDAY=TU)");
    }
    if (recur.getFrequency() == null || !ALLOWED.contains(recur.getFrequency())) {
      throw new DomainException(
          DomainException.Kind.INVALID, "rrule: FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY");
    }
    return recur;
  }
}
