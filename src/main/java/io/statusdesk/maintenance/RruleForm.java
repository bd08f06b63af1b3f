package io.statusdesk.maintenance;

import io.statusdesk.DomainException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A recurrence as the console's form asks for it (how often, every how many, on which weekdays,
 * until when or how many times), written as the RFC 5545 rule the API takes. The rule then goes
 * through the same checks as one typed by hand.
 *
 * @param frequency {@code none}, {@code daily}, {@code weekly} or {@code monthly}
 * @param days two-letter weekdays ({@code MO} ... {@code SU}) for a weekly series
 * @param until the last day an occurrence may start on, in the contract time zone
 */
public record RruleForm(
    String frequency,
    int interval,
    List<String> days,
    Optional<Integer> count,
    Optional<LocalDate> until) {
  private static final List<String> WEEKDAYS = List.of("MO", "TU", "WE", "TH", "FR", "SA", "SU");
  private static final DateTimeFormatter UTC =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** The rule, or empty for a one-off window; an invalid choice is a 400 naming its field. */
  public Optional<String> rule(ZoneId zone) {
    String f = frequency == null ? "none" : frequency.toLowerCase(Locale.ROOT);
    if (f.equals("none")) {
      return Optional.empty();
    }
    if (!Set.of("daily", "weekly", "monthly").contains(f)) {
      throw invalid("repeat: none, daily, weekly or monthly");
    }
    if (interval < 1 || interval > 99) {
      throw invalid("interval: a whole number from 1 to 99");
    }
    StringBuilder rule = new StringBuilder("FREQ=").append(f.toUpperCase(Locale.ROOT));
    if (interval > 1) {
      rule.append(";INTERVAL=").append(interval);
    }
    if (!days.isEmpty()) {
      if (!f.equals("weekly") || !WEEKDAYS.containsAll(days)) {
        throw invalid("days: weekdays (MO to SU), for a weekly series only");
      }
      rule.append(";BYDAY=")
          .append(String.join(",", WEEKDAYS.stream().filter(days::contains).toList()));
    }
    if (count.isPresent() && until.isPresent()) {
      throw invalid("count: give a number of occurrences or an end date, not both");
    }
    count.ifPresent(
        n -> {
          if (n < 1 || n > Window.MAX_OCCURRENCES) {
            throw invalid("count: a whole number from 1 to " + Window.MAX_OCCURRENCES);
          }
          rule.append(";COUNT=").append(n);
        });
    until.ifPresent(
        d ->
            rule.append(";UNTIL=")
                .append(UTC.format(d.plusDays(1).atStartOfDay(zone).minusSeconds(1))));
    return Optional.of(rule.toString());
  }

  private static DomainException invalid(String message) {
    return new DomainException(DomainException.Kind.INVALID, message);
  }
}
