package io.statusdesk.outage;

import io.statusdesk.sla.OutageClass;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what one change of a component's failing cells does to its open outage. Boundaries are
 * whole seconds (the SLA's unit) and never run backwards: a change dated before the open outage
 * began (a cell whose failing run started earlier but was confirmed later) takes effect at the
 * outage's start instead, so intervals stay consecutive and never overlap.
 */
public final class OutagePlan {
  private OutagePlan() {}

  /** What to write; {@code at} is the boundary, {@code cells} the failing cells to record. */
  public sealed interface Step {}

  /** Nothing changes. */
  public record Keep() implements Step {}

  public record Open(OutageClass outageClass, Instant at, Set<String> cells) implements Step {}

  /** Ends the open outage; one that would end in the second it began never lasted and goes. */
  public record Close(Instant at) implements Step {}

  /** Ends the open outage at {@code at} and continues with a new class from the same second. */
  public record Split(OutageClass outageClass, Instant at, Set<String> cells) implements Step {}

  /** Same outage, a class change within its first second, or more failing cells. */
  public record Amend(OutageClass outageClass, Set<String> cells) implements Step {}

  public static Step next(
      Optional<OpenOutage> open, Optional<OutageClass> wanted, Set<String> failing, Instant at) {
    Instant second = at.truncatedTo(ChronoUnit.SECONDS);
    if (open.isEmpty()) {
      return wanted.<Step>map(c -> new Open(c, second, Set.copyOf(failing))).orElse(new Keep());
    }
    OpenOutage current = open.get();
    Instant boundary = second.isAfter(current.start()) ? second : current.start();
    if (wanted.isEmpty()) {
      return new Close(boundary);
    }
    Set<String> cells = new HashSet<>(current.cells());
    cells.addAll(failing);
    if (wanted.get() != current.outageClass()) {
      return boundary.equals(current.start())
          ? new Amend(wanted.get(), Set.copyOf(cells))
          : new Split(wanted.get(), boundary, Set.copyOf(failing));
    }
    return cells.equals(current.cells()) ? new Keep() : new Amend(wanted.get(), Set.copyOf(cells));
  }

  /** The open outage after {@code step}, for the tracker's own bookkeeping. */
  public static Optional<OpenOutage> after(Optional<OpenOutage> open, Step step) {
    if (step instanceof Open o) {
      return Optional.of(new OpenOutage(o.outageClass(), o.at(), o.cells()));
    }
    if (step instanceof Close) {
      return Optional.empty();
    }
    if (step instanceof Split s) {
      return Optional.of(new OpenOutage(s.outageClass(), s.at(), s.cells()));
    }
    if (step instanceof Amend a) {
      return Optional.of(new OpenOutage(a.outageClass(), open.orElseThrow().start(), a.cells()));
    }
    return open;
  }
}
