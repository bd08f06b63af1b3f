package io.statusdesk.outage;

import io.statusdesk.sla.OutageClass;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a failure one location reported late (README, "Locations and quorum": late reports) adds to
 * a component's outages. Whatever a counted outage already covers stays as it is: counted history
 * is never rewritten, as credits were worked out from what was known. The rest is a network event,
 * merged into the component's network events it overlaps or touches rather than recorded twice, so
 * the same report read again, or by another instance, changes nothing. Boundaries are whole
 * seconds, as for every outage.
 */
public final class LateNetwork {
  private LateNetwork() {}

  /** A span of time; {@code to} is null while it goes on. */
  public record Span(Instant from, Instant to) {
    boolean endsBefore(Instant t) {
      return to != null && to.isBefore(t);
    }
  }

  /** A network event as stored. */
  public record Event(long id, Span span, OutageClass outageClass, Set<String> cells) {}

  /** What to write for one uncovered piece. */
  public sealed interface Step {}

  /** A new, ended network event. */
  public record Insert(Span span, OutageClass outageClass, Set<String> cells) implements Step {}

  /** {@code keep} grows to {@code span}, absorbing {@code absorbed} (written first, then gone). */
  public record Merge(
      long keep, Span span, OutageClass outageClass, Set<String> cells, List<Long> absorbed)
      implements Step {}

  /** The whole seconds of {@code from..to} no counted outage covers, earliest first. */
  public static List<Span> uncovered(Instant from, Instant to, List<Span> counted) {
    Instant start = from.truncatedTo(ChronoUnit.SECONDS);
    Instant end = to.truncatedTo(ChronoUnit.SECONDS);
    List<Span> out = new ArrayList<>();
    List<Span> holes = counted.stream().sorted(Comparator.comparing(Span::from)).toList();
    Instant at = start;
    for (Span hole : holes) {
      if (!at.isBefore(end)) {
        break;
      }
      if (hole.endsBefore(at) || !hole.from().isBefore(end)) {
        continue;
      }
      if (hole.from().isAfter(at)) {
        out.add(new Span(at, hole.from()));
      }
      at = hole.to() == null ? end : later(at, hole.to());
    }
    if (at.isBefore(end)) {
      out.add(new Span(at, end));
    }
    return out;
  }

  /**
   * How {@code piece} (ended) joins {@code existing}, the component's network events that overlap
   * or touch it; empty when they already cover it.
   */
  public static Optional<Step> merge(
      Span piece, OutageClass outageClass, String cell, List<Event> existing) {
    if (existing.isEmpty()) {
      return Optional.of(new Insert(piece, outageClass, Set.of(cell)));
    }
    List<Event> events =
        existing.stream().sorted(Comparator.comparing(e -> e.span().from())).toList();
    Event keep = events.get(0);
    Instant from = piece.from();
    Instant to = piece.to();
    boolean open = false;
    OutageClass worst = outageClass;
    Set<String> cells = new HashSet<>(Set.of(cell));
    for (Event e : events) {
      from = e.span().from().isBefore(from) ? e.span().from() : from;
      if (e.span().to() == null) {
        open = true;
      } else {
        to = later(to, e.span().to());
      }
      worst = e.outageClass() == OutageClass.MAJOR ? OutageClass.MAJOR : worst;
      cells.addAll(e.cells());
    }
    Span span = new Span(from, open ? null : to);
    List<Long> absorbed = events.stream().skip(1).map(Event::id).toList();
    if (absorbed.isEmpty()
        && span.equals(keep.span())
        && worst == keep.outageClass()
        && cells.equals(keep.cells())) {
      return Optional.empty();
    }
    return Optional.of(new Merge(keep.id(), span, worst, Set.copyOf(cells), absorbed));
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
