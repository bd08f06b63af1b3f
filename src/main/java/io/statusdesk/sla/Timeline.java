package io.statusdesk.sla;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The accounting rules of docs/sla.md applied second by second over one span: the single place that
 * decides which outage seconds count, weigh how much, and why the others do not. The month
 * evaluation, the month report and the status page's day bars and uptime all read it.
 *
 * <p>Only what happened before the evaluation instant counts (rule 2): an open outage up to it,
 * nothing of an outage after it whatever its recorded end, and maintenance as it was known then.
 */
final class Timeline {

  final Spans.Span bounds;
  final List<MonthReport.Line> lines;

  /** Seconds a counted major outage covers (rule 3). */
  final long majorSeconds;

  /** Seconds only counted partial outages cover (rule 3). */
  final long partialSeconds;

  final long excludedSeconds;

  /** Seconds under counted maintenance of any scope, before the evaluation instant. */
  final List<Spans.Span> maintained;

  /** Seconds under counted service-wide maintenance (known at the evaluation instant). */
  final long serviceWideSeconds;

  /** Seconds the monitor saw nothing, before the evaluation instant. */
  final List<Spans.Span> unobserved;

  private Timeline(
      Spans.Span bounds,
      List<MonthReport.Line> lines,
      long majorSeconds,
      long partialSeconds,
      long excludedSeconds,
      List<Spans.Span> maintained,
      long serviceWideSeconds,
      List<Spans.Span> unobserved) {
    this.bounds = bounds;
    this.lines = lines;
    this.majorSeconds = majorSeconds;
    this.partialSeconds = partialSeconds;
    this.excludedSeconds = excludedSeconds;
    this.maintained = maintained;
    this.serviceWideSeconds = serviceWideSeconds;
    this.unobserved = unobserved;
  }

  static Spans.Span span(Instant from, Instant to) {
    return new Spans.Span(from.getEpochSecond(), to.getEpochSecond());
  }

  static Timeline of(
      Instant from,
      Instant to,
      List<Outage> outages,
      List<MaintenanceWindow> windows,
      List<NoData> noData,
      Instant evaluatedAt) {
    Spans.Span bounds = span(from, to);
    Spans.Span past = bounds.clip(new Spans.Span(Long.MIN_VALUE, evaluatedAt.getEpochSecond()));
    List<MaintenanceWindow> counted =
        windows.stream()
            .flatMap(w -> w.asKnownAt(evaluatedAt).stream())
            .filter(MaintenanceWindow::counts)
            .toList();
    long serviceWide =
        Spans.measure(
            counted.stream()
                .filter(MaintenanceWindow::serviceWide)
                .map(w -> span(w.start(), w.effectiveEnd()).clip(bounds))
                .toList());

    List<MonthReport.Line> lines = new ArrayList<>();
    List<Spans.Span> major = new ArrayList<>();
    List<Spans.Span> partial = new ArrayList<>();
    List<Spans.Span> excluded = new ArrayList<>();
    for (Outage o : outages) {
      Spans.Span outage = span(o.start(), o.end().orElse(evaluatedAt)).clip(past);
      List<Spans.Span> unseen =
          !o.probed()
              ? List.of()
              : noData.stream()
                  .filter(n -> n.covers(o.component()))
                  .map(n -> span(n.start(), n.end()))
                  .toList();
      List<Spans.Span> seen = Spans.minus(outage, unseen);
      long seenSeconds = Spans.measure(seen);
      long countedSeconds = 0;
      long maintenance = 0;
      if (o.exclusion().isPresent()) {
        excluded.addAll(seen);
      } else {
        List<Spans.Span> covering =
            counted.stream()
                .filter(w -> w.covers(o.component()))
                .map(w -> span(w.start(), w.effectiveEnd()))
                .toList();
        List<Spans.Span> counts = new ArrayList<>();
        seen.forEach(s -> counts.addAll(Spans.minus(s, covering)));
        countedSeconds = Spans.measure(counts);
        maintenance = seenSeconds - countedSeconds;
        (o.outageClass() == OutageClass.MAJOR ? major : partial).addAll(counts);
      }
      lines.add(
          new MonthReport.Line(
              o,
              outage.length(),
              countedSeconds,
              o.exclusion().isPresent() ? seenSeconds : 0,
              maintenance,
              outage.length() - seenSeconds));
    }
    long majorSeconds = Spans.measure(major);
    return new Timeline(
        bounds,
        List.copyOf(lines),
        majorSeconds,
        Spans.measureMinus(partial, Spans.union(major)),
        Spans.measure(excluded),
        Spans.union(
            counted.stream().map(w -> span(w.start(), w.effectiveEnd()).clip(past)).toList()),
        serviceWide,
        Spans.union(noData.stream().map(n -> span(n.start(), n.end()).clip(past)).toList()));
  }
}
