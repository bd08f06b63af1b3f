package io.statusdesk.probe;

import io.statusdesk.sla.NoData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * When nobody watched a component (docs/sla.md, rule 7) with several probe locations: only the
 * spans in which every location watching it was blind, so an agent that was down while the service
 * probed costs no data. A location is blind in its {@code monitor_down} gaps, and before its first
 * sample once another location had begun (the time before any location began is "not monitored",
 * handled apart). With one location these are exactly its gaps.
 */
public final class Unobserved {
  private Unobserved() {}

  /** A span one location did not probe a component. */
  public record Gap(String component, String location, Instant start, Instant end) {}

  /** The first sample of a component from a location. */
  public record Watcher(String component, String location, Instant first) {}

  public static List<NoData> of(List<Gap> gaps, List<Watcher> watchers) {
    Map<String, Map<String, List<Gap>>> blind = new TreeMap<>();
    for (Gap g : gaps) {
      blind
          .computeIfAbsent(g.component(), k -> new TreeMap<>())
          .computeIfAbsent(g.location(), k -> new ArrayList<>())
          .add(g);
    }
    Map<String, Map<String, Instant>> firsts = new HashMap<>();
    for (Watcher w : watchers) {
      firsts
          .computeIfAbsent(w.component(), k -> new HashMap<>())
          .merge(w.location(), w.first(), (a, b) -> a.isBefore(b) ? a : b);
      blind
          .computeIfAbsent(w.component(), k -> new TreeMap<>())
          .computeIfAbsent(w.location(), k -> new ArrayList<>());
    }
    List<NoData> out = new ArrayList<>();
    blind.forEach(
        (component, byLocation) -> {
          Map<String, Instant> first = firsts.getOrDefault(component, Map.of());
          Instant earliest = first.values().stream().min(Comparator.naturalOrder()).orElse(null);
          List<Gap> common = null;
          for (Map.Entry<String, List<Gap>> e : byLocation.entrySet()) {
            List<Gap> spans = new ArrayList<>(e.getValue());
            Instant began = first.get(e.getKey());
            if (earliest != null && began != null && began.isAfter(earliest)) {
              spans.add(new Gap(component, e.getKey(), earliest, began));
            }
            List<Gap> union = union(spans);
            common = common == null ? union : intersect(common, union);
          }
          if (common != null) {
            common.forEach(g -> out.add(new NoData(component, g.start(), g.end())));
          }
        });
    out.sort(Comparator.comparing(NoData::start).thenComparing(NoData::component));
    return out;
  }

  private static List<Gap> union(List<Gap> spans) {
    List<Gap> sorted = new ArrayList<>(spans);
    sorted.sort(Comparator.comparing(Gap::start));
    List<Gap> out = new ArrayList<>();
    for (Gap g : sorted) {
      Gap last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && !g.start().isAfter(last.end())) {
        if (g.end().isAfter(last.end())) {
          out.set(
              out.size() - 1, new Gap(last.component(), last.location(), last.start(), g.end()));
        }
      } else {
        out.add(g);
      }
    }
    return out;
  }

  private static List<Gap> intersect(List<Gap> a, List<Gap> b) {
    List<Gap> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.size() && j < b.size()) {
      Instant start = later(a.get(i).start(), b.get(j).start());
      Instant end = earlier(a.get(i).end(), b.get(j).end());
      if (start.isBefore(end)) {
        out.add(new Gap(a.get(i).component(), "*", start, end));
      }
      if (a.get(i).end().isBefore(b.get(j).end())) {
        i++;
      } else {
        j++;
      }
    }
    return out;
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
