package io.statusdesk.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which moments of a maintenance occurrence people are to be told of at a given instant: a reminder
 * some time before it starts (only the latest one due, and only one whose time came after the
 * announcement, which told them already), its start while it runs, and its end for an hour after (a
 * cancellation is told as such instead).
 */
public final class ReminderRules {
  /** How long after an occurrence ends its end is still worth telling (a restart came late). */
  public static final Duration END_NOTICE = Duration.ofHours(1);

  private ReminderRules() {}

  /** What is told about an occurrence. */
  public enum Moment {
    REMINDER,
    STARTED,
    ENDED
  }

  /**
   * A moment due to be told.
   *
   * @param before for a reminder, how long before the start it is
   * @param at the instant it is dated to: the reminder's time, the start or the end
   */
  public record Due(Moment moment, Optional<Duration> before, Instant at) {}

  /** The moments of {@code o} due at {@code now}, with reminders {@code offsets} before starts. */
  public static List<Due> due(Occurrence o, List<Duration> offsets, Instant now) {
    List<Due> out = new ArrayList<>();
    Instant announced = o.window().createdAt();
    offsets.stream()
        .map(offset -> new Due(Moment.REMINDER, Optional.of(offset), o.start().minus(offset)))
        .filter(d -> !d.at().isAfter(now) && now.isBefore(o.start()))
        .filter(d -> !d.at().isBefore(announced))
        .max(Comparator.comparing(Due::at))
        .ifPresent(out::add);
    if (!now.isBefore(o.start()) && now.isBefore(o.end())) {
      out.add(new Due(Moment.STARTED, Optional.empty(), o.start()));
    }
    if (!o.window().cancelled()
        && !now.isBefore(o.end())
        && now.isBefore(o.end().plus(END_NOTICE))) {
      out.add(new Due(Moment.ENDED, Optional.empty(), o.end()));
    }
    return out;
  }
}
