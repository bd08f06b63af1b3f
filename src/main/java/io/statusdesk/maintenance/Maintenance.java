package io.statusdesk.maintenance;

import io.statusdesk.Localized;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every operator action on maintenance windows, whichever door it comes through (the API today, the
 * console next): the scheduling rules, the audited write, the reloaded calendar, and the word to
 * the public pages that something changed.
 */
public final class Maintenance {
  private final MaintenanceRepository repository;
  private final MaintenanceSchedule schedule;
  private final Set<String> componentIds;
  private final Clock clock;
  private final ZoneId zone;
  private final Runnable changed;

  /** {@code changed}: told after each committed change the public pages show. */
  public Maintenance(
      MaintenanceRepository repository,
      MaintenanceSchedule schedule,
      Set<String> componentIds,
      Clock clock,
      ZoneId zone,
      Runnable changed) {
    this.repository = repository;
    this.schedule = schedule;
    this.componentIds = Set.copyOf(componentIds);
    this.clock = clock;
    this.zone = zone;
    this.changed = changed;
  }

  /**
   * A window as announced.
   *
   * @param components {@code "*"} alone for the whole service, else component ids
   * @param rrule an RFC 5545 recurrence rule making it a series
   */
  public record Announcement(
      Localized title,
      Localized description,
      Set<String> components,
      Instant startsAt,
      Instant endsAt,
      Optional<String> rrule) {}

  public ZoneId zone() {
    return zone;
  }

  public Set<String> componentIds() {
    return componentIds;
  }

  public Instant now() {
    return clock.instant();
  }

  public Future<Window> announce(Announcement a, String actor) {
    Instant now = clock.instant();
    Scheduling.checkNew(
        a.components(), a.startsAt(), a.endsAt(), a.rrule(), componentIds, zone, now);
    return reloaded(
        repository.create(
            new Window(
                0,
                a.title(),
                a.description(),
                Set.copyOf(a.components()),
                a.startsAt(),
                a.endsAt(),
                a.rrule(),
                now,
                Optional.empty()),
            actor,
            zone));
  }

  /**
   * What announcing {@code a} would schedule, checked by the same rules {@link #announce} applies,
   * without writing anything: its first {@code count} occurrences and the warnings an operator
   * should see before saving.
   */
  public Preview preview(Announcement a, int count, String lang) {
    Instant now = clock.instant();
    Scheduling.checkNew(
        a.components(), a.startsAt(), a.endsAt(), a.rrule(), componentIds, zone, now);
    Window w =
        new Window(
            0,
            a.title(),
            a.description(),
            Set.copyOf(a.components()),
            a.startsAt(),
            a.endsAt(),
            a.rrule(),
            now,
            Optional.empty());
    List<Occurrence> next =
        w
            .occurrences(zone, now, now.plus(Scheduling.MAX_AHEAD).plus(Scheduling.MAX_LENGTH))
            .stream()
            .limit(count)
            .toList();
    return new Preview(
        next,
        Scheduling.warnings(a.startsAt(), now),
        a.rrule().map(r -> SeriesText.describe(r, a.startsAt().atZone(zone), w.length(), lang)));
  }

  /**
   * A proposed window's next occurrences, and what to warn of ({@link Scheduling#warnings}).
   *
   * @param series the recurrence in words, for a series
   */
  public record Preview(List<Occurrence> next, List<String> warnings, Optional<String> series) {}

  /**
   * Ends a window now: a one-off in progress ends at this instant; a series is cancelled, which
   * ends the occurrence in progress and removes the rest.
   */
  public Future<Window> endNow(long id, String actor) {
    return repository
        .get(id)
        .compose(
            w ->
                w.rrule().isPresent()
                    ? cancel(id, actor)
                    : change(
                        id,
                        new WindowChange(
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty(),
                            Optional.of(clock.instant())),
                        actor));
  }

  public Future<Window> change(long id, WindowChange change, String actor) {
    Instant now = clock.instant();
    return reloaded(
        repository.change(id, w -> change.applyTo(w, now), "maintenance.change", actor, now, zone));
  }

  /** Ends a window in progress and removes what was still to come; twice is the same as once. */
  public Future<Window> cancel(long id, String actor) {
    Instant now = clock.instant();
    return reloaded(
        repository.change(id, w -> w.cancel(now, zone), "maintenance.cancel", actor, now, zone));
  }

  public Future<Window> get(long id) {
    return repository.get(id);
  }

  /** Every announced window as it stands. */
  public MaintenanceCalendar calendar() {
    return schedule.calendar();
  }

  /** Every window announced, latest start first. */
  public List<Window> windows() {
    return schedule.calendar().windows().stream()
        .sorted(Comparator.comparing(Window::startsAt).reversed())
        .toList();
  }

  private Future<Window> reloaded(Future<Window> write) {
    return write.compose(w -> schedule.reload().map(w)).onSuccess(w -> changed.run());
  }
}
