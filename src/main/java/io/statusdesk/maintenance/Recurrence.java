package io.statusdesk.maintenance;

import io.statusdesk.DomainException;
import java.time.ZonedDateTime;
import java.util.Set;
import net.fortuna.ical4j.model.Recur;
import net.fortuna.ical4j.transform.recurrence.Frequency;

/** Parses and vets RFC 5545 recurrence rules for maintenance series. */
final class Recurrence {
  /** Maintenance repeats by the day at most often; finer rules are almost always mistakes. */
  private static final Set<Frequency> ALLOWED =
      Set.of(Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY, Frequency.YEARLY);

  private Recurrence() {}

  static Recur<ZonedDateTime> parse(String rule) {
    Recur<ZonedDateTime> recur;
    try {
      recur = new Recur<>(rule.startsWith("RRULE:") ? rule.substring(6) : rule);
    } catch (RuntimeException e) {
      throw new DomainException(DomainException.Kind.INVALID, "rrule: not an RFC 5545 rule: "
          + e.getMessage());
    }
    if (recur.getFrequency() == null || !ALLOWED.contains(recur.getFrequency())) {
      throw new DomainException(DomainException.Kind.INVALID,
          "rrule: FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY");
    }
    return recur;
  }
}
