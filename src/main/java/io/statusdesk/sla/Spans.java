package io.statusdesk.sla;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Half-open second ranges {@code [from, to)} on the epoch-second line, and set operations. */
final class Spans {
  private Spans() {}

  /** One range; empty when {@code to <= from}. */
  record Span(long from, long to) {
    long length() {
      return Math.max(0, to - from);
    }

    Span clip(Span bounds) {
      return new Span(Math.max(from, bounds.from), Math.min(to, bounds.to));
    }
  }

  /** Sorted, disjoint, non-empty ranges covering the same seconds as {@code spans}. */
  static List<Span> union(List<Span> spans) {
    List<Span> sorted = new ArrayList<>(spans.stream().filter(s -> s.length() > 0).toList());
    sorted.sort(Comparator.comparingLong(Span::from));
    List<Span> out = new ArrayList<>();
    for (Span s : sorted) {
      if (!out.isEmpty() && s.from() <= out.get(out.size() - 1).to()) {
        Span last = out.remove(out.size() - 1);
        out.add(new Span(last.from(), Math.max(last.to(), s.to())));
      } else {
        out.add(s);
      }
    }
    return out;
  }

  /** The seconds of {@code span} not covered by {@code holes}. */
  static List<Span> minus(Span span, List<Span> holes) {
    List<Span> out = new ArrayList<>();
    long cursor = span.from();
    for (Span h : union(holes)) {
      if (h.to() <= cursor || h.from() >= span.to()) {
        continue;
      }
      if (h.from() > cursor) {
        out.add(new Span(cursor, h.from()));
      }
      cursor = Math.max(cursor, h.to());
    }
    if (cursor < span.to()) {
      out.add(new Span(cursor, span.to()));
    }
    return out;
  }

  static long measure(List<Span> spans) {
    return union(spans).stream().mapToLong(Span::length).sum();
  }

  /** Seconds of {@code a} not in {@code b}. */
  static long measureMinus(List<Span> a, List<Span> b) {
    long total = 0;
    for (Span s : union(a)) {
      total += minus(s, b).stream().mapToLong(Span::length).sum();
    }
    return total;
  }
}
