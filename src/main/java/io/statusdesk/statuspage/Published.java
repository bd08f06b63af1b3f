package io.statusdesk.statuspage;

import io.vertx.core.Future;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Every page of one snapshot, rendered. History months are rendered on first request and kept with
 * the snapshot they were rendered from.
 */
final class Published {
  private static final int CACHED = 256;
  final StatusSnapshot snapshot;
  private final Map<String, Rendered> pages;
  private final Map<String, Future<Rendered>> history = new ConcurrentHashMap<>();
  private final Map<String, Future<List<Day>>> daily = new ConcurrentHashMap<>();
  private final Map<String, Future<Rendered>> uptime = new ConcurrentHashMap<>();

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

  /** A component's last year day by day, computed once per snapshot when first asked for. */
  Future<List<Day>> daily(String component, Supplier<Future<List<Day>>> compute) {
    return daily.computeIfAbsent(component, k -> compute.get().onFailure(e -> daily.remove(k)));
  }

  /** An incident's page ({@code id:lang}), rendered once per snapshot. */
  Future<Rendered> incident(String key, Supplier<Future<Rendered>> render) {
    return uptime("incident:" + key, render);
  }

  /** One daily uptime answer ({@code component:from:to}), rendered once per snapshot. */
  Future<Rendered> uptime(String key, Supplier<Future<Rendered>> render) {
    if (uptime.size() > CACHED) {
      uptime.clear();
    }
    return uptime.computeIfAbsent(key, k -> render.get().onFailure(e -> uptime.remove(k)));
  }

  Future<Rendered> history(YearMonth month, String lang, Supplier<Future<Rendered>> render) {
    String key = month + ":" + lang;
    if (history.size() > CACHED) {
      history.clear();
    }
    return history.computeIfAbsent(key, k -> render.get().onFailure(e -> history.remove(k)));
  }
}
