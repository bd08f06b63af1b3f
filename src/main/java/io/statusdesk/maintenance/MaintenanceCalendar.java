package io.statusdesk.maintenance;

import io.statusdesk.sla.MaintenanceWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every announced window at one moment, immutable; rebuilt whenever a window changes. Answers the
 * three questions the rest of the service asks: is this component under maintenance now, when does
 * coverage next change, and which spans does the SLA leave out.
 */
public final class MaintenanceCalendar {
  private final ZoneId zone;
  private final List<Window> windows;

  public MaintenanceCalendar(ZoneId zone, List<Window> windows) {
    this.zone = zone;
    this.windows = List.copyOf(windows);
  }

  public static MaintenanceCalendar empty(ZoneId zone) {
    return new MaintenanceCalendar(zone, List.of());
  }

  public ZoneId zone() {
    return zone;
  }

  public List<Window> windows() {
    return windows;
  }

  /** Occurrences of every window overlapping {@code [from, to)}, by start. */
  public List<Occurrence> occurrences(Instant from, Instant to) {
    return windows.stream()
        .flatMap(w -> w.occurrences(zone, from, to).stream())
        .sorted(Comparator.comparing(Occurrence::start))
        .toList();
  }

  /** The occurrence covering {@code component} at {@code at}, preferring one the SLA counts. */
  public Optional<Occurrence> covering(String component, Instant at) {
    return occurrences(at, at.plusSeconds(1)).stream()
        .filter(o -> o.covers(component, at))
        .max(Comparator.comparing(Occurrence::counts));
  }

  /** The first start or end of an occurrence after {@code after}, looking {@code horizon} ahead. */
  public Optional<Instant> nextBoundary(Instant after, Duration horizon) {
    return occurrences(after, after.plus(horizon)).stream()
        .flatMap(o -> Stream.of(o.start(), o.end()))
        .filter(t -> t.isAfter(after))
        .min(Comparator.naturalOrder());
  }

  /** The occurrences overlapping {@code [from, to)} in the SLA's terms. */
  public List<MaintenanceWindow> forSla(Instant from, Instant to) {
    return occurrences(from, to).stream().map(Occurrence::terms).toList();
  }
}
