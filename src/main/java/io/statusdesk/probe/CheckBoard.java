package io.statusdesk.probe;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest status of every cell: its health judged across the locations (kept by {@link
 * ClusterHealth}) and its latest result here (kept by the scheduler that probes it). Written on
 * those verticles' threads and read by HTTP handlers on others, so entries are immutable records
 * swapped whole.
 */
public final class CheckBoard {
  private final ConcurrentHashMap<String, CheckStatus> byKey = new ConcurrentHashMap<>();

  void probed(Cell cell, ProbeResult result) {
    byKey.compute(
        cell.key(),
        (k, s) -> {
          CheckStatus was = s == null ? CheckStatus.unknown(cell) : s;
          return new CheckStatus(cell, was.health(), result, was.judgement(), was.locations());
        });
  }

  void judged(
      Cell cell, CheckHealth health, Quorum.Judgement judgement, List<LocationHealth> locations) {
    byKey.compute(
        cell.key(),
        (k, s) ->
            new CheckStatus(
                cell, health, s == null ? null : s.last(), judgement, List.copyOf(locations)));
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
