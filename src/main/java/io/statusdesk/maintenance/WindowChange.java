package io.statusdesk.maintenance;

import io.statusdesk.Localized;
import java.time.Instant;
import java.util.Optional;

/**
 * An operator's change to an announced window: texts and times; what is left empty stays. The
 * components and the recurrence never change (cancel and announce a new window instead).
 */
public record WindowChange(
    Optional<String> title,
    Optional<String> titleKo,
    Optional<String> description,
    Optional<String> descriptionKo,
    Optional<Instant> startsAt,
    Optional<Instant> endsAt) {

  /** The window after the change, if {@link Scheduling#checkChange the rules} allow it. */
  public Window applyTo(Window w, Instant now) {
    Instant start = startsAt.orElse(w.startsAt());
    Instant end = endsAt.orElse(w.endsAt());
    Scheduling.checkChange(w, start, end, now);
    return new Window(
        w.id(),
        new Localized(title.orElse(w.title().en()), titleKo.orElse(w.title().ko())),
        new Localized(
            description.orElse(w.description().en()), descriptionKo.orElse(w.description().ko())),
        w.components(),
        start,
        end,
        w.rrule(),
        w.createdAt(),
        w.cancelledAt());
  }
}
