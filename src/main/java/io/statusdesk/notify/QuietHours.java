package io.statusdesk.notify;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A daily span, in the contract time zone, in which an alert route holds its messages; they go out
 * when it ends. A span may cross midnight ({@code 22:00-08:00}).
 */
public record QuietHours(LocalTime from, LocalTime to) {
  public QuietHours {
    if (from.equals(to)) {
      throw new IllegalArgumentException("quiet hours must not start and end at the same time");
    }
  }

  /** {@code HH:MM-HH:MM}. */
  public static QuietHours parse(String text) {
    String[] parts = text == null ? new String[0] : text.split("-", -1);
    if (parts.length != 2
        || !parts[0].matches("\\d{2}:\\d{2}")
        || !parts[1].matches("\\d{2}:\\d{2}")) {
      throw new IllegalArgumentException("quiet_hours must look like 22:00-08:00");
    }
    try {
      return new QuietHours(LocalTime.parse(parts[0]), LocalTime.parse(parts[1]));
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("quiet_hours must look like 22:00-08:00");
    }
  }

  /** When a message due at {@code at} may go: then, or when the quiet span it falls in ends. */
  public Instant release(Instant at, ZoneId zone) {
    ZonedDateTime local = at.atZone(zone);
    LocalTime time = local.toLocalTime();
    boolean crossesMidnight = to.isBefore(from);
    boolean quiet =
        crossesMidnight
            ? !time.isBefore(from) || time.isBefore(to)
            : !time.isBefore(from) && time.isBefore(to);
    if (!quiet) {
      return at;
    }
    ZonedDateTime end = local.with(to).withSecond(0).withNano(0);
    if (!end.isAfter(local)) {
      end = local.toLocalDate().plusDays(1).atTime(to).atZone(zone);
    }
    return end.toInstant();
  }

  @Override
  public String toString() {
    return from + "-" + to;
  }
}
