package io.statusdesk.statuspage;

import io.vertx.core.Future;
import java.time.YearMonth;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Every page of one snapshot, rendered. History months are rendered on first request and kept
 * with the snapshot they were rendered from.
 */
final class Published {
  private static final int HISTORY_CACHE = 256;
  final StatusSnapshot snapshot;
  private final Map<String, Rendered> pages;
  private final Map<String, Future<Rendered>> history = new ConcurrentHashMap<>();

  Published(StatusSnapshot snapshot, Map<String, Rendered> pages) {
    this.snapshot = snapshot;
    this.pages = Map.copyOf(pages);
  }

  Optional<Rendered> page(String key) {
    return Optional.ofNullable(pages.get(key));
  }

  Rendered previous(String key) {
    return pages.get(key);
  }

  Future<Rendered> history(YearMonth month, String lang, Supplier<Future<Rendered>> render) {
    String key = month + ":" + lang;
    if (history.size() > HISTORY_CACHE) {
      history.clear();
    }
    return history.computeIfAbsent(key, k -> render.get()
        .onFailure(e -> history.remove(k)));
  }
}
