package io.statusdesk.probe;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * The latest status of every cell: its health judged across the locations (kept by {@link
 * ClusterHealth}) and its latest result here (kept by the scheduler that probes it). Written on
 * those verticles' threads and read by HTTP handlers on others, so entries are immutable records
 * swapped whole.
 */
public final class CheckBoard {
  private final ConcurrentHashMap<String, CheckStatus> byKey = new ConcurrentHashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  /**
   * Runs {@code listener}, on the thread that made the change, whenever a cell's health or its
   * slowness changes: what a component's status is made of.
   */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  void probed(Cell cell, ProbeResult result) {
    update(
        cell, was -> new CheckStatus(cell, was.health(), result, was.judgement(), was.locations()));
  }

  void judged(
      Cell cell, CheckHealth health, Quorum.Judgement judgement, List<LocationHealth> locations) {
    List<LocationHealth> views = List.copyOf(locations);
    update(cell, was -> new CheckStatus(cell, health, was.last(), judgement, views));
  }

  /** Swaps a cell's entry, telling the listeners when its status moved. */
  private void update(Cell cell, UnaryOperator<CheckStatus> next) {
    boolean[] moved = {false};
    byKey.compute(
        cell.key(),
        (k, s) -> {
          CheckStatus was = s == null ? CheckStatus.unknown(cell) : s;
          CheckStatus now = next.apply(was);
          moved[0] =
              was.health().state() != now.health().state() || was.degraded() != now.degraded();
          return now;
        });
    if (moved[0]) {
      listeners.forEach(Runnable::run);
    }
  }

  public CheckStatus get(String key) {
    return byKey.get(key);
  }

  /** Every cell, ordered by component then cell id. */
  public List<CheckStatus> all() {
    return byKey.values().stream()
        .sorted(
            Comparator.comparing((CheckStatus s) -> s.cell().componentId())
                .thenComparing(s -> s.cell().id()))
        .toList();
  }
}
