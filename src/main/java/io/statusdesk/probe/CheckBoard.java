package io.statusdesk.probe;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest status of every cell. Each cell is written by the one scheduler that owns it and read
 * by HTTP handlers on other threads, so entries are immutable records swapped whole.
 */
public final class CheckBoard {
  private final ConcurrentHashMap<String, CheckStatus> byKey = new ConcurrentHashMap<>();

  void put(CheckStatus status) {
    byKey.put(status.cell().key(), status);
  }

  public CheckStatus get(String key) {
    return byKey.get(key);
  }

  /** Every cell, ordered by component then cell id. */
  public List<CheckStatus> all() {
    Collection<CheckStatus> values = byKey.values();
    return values.stream()
        .sorted(
            Comparator.comparing((CheckStatus s) -> s.cell().componentId())
                .thenComparing(s -> s.cell().id()))
        .toList();
  }
}
