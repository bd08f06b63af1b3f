package io.statusdesk.probe;

import io.statusdesk.DomainException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * Last heartbeat received per pushed cell; the scheduler turns silence into failures. A beat may
 * reach any instance while another probes the cell, so each accepted beat is also passed on to the
 * others ({@link #onBeat}), which record it with {@link #heard}.
 */
public final class Heartbeats {
  private final Map<String, Target.Heartbeat> targets;
  private final ConcurrentHashMap<String, Instant> lastBeat = new ConcurrentHashMap<>();
  private volatile BiConsumer<String, Instant> onBeat = (key, at) -> {};

  public Heartbeats(ProbeSettings config) {
    this.targets =
        config
            .cells()
            .filter(c -> c.target() instanceof Target.Heartbeat)
            .collect(Collectors.toUnmodifiableMap(Cell::key, c -> (Target.Heartbeat) c.target()));
  }

  /** Records a beat after checking the cell's token in constant time. */
  public void beat(String component, String cell, String token, Instant at) {
    Target.Heartbeat target = targets.get(component + "/" + cell);
    if (target == null) {
      throw DomainException.notFound("no heartbeat cell " + component + "/" + cell);
    }
    byte[] expected = target.token().getBytes(StandardCharsets.UTF_8);
    byte[] given = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(expected, given)) {
      throw DomainException.unauthenticated("missing or wrong heartbeat token");
    }
    heard(component + "/" + cell, at);
    onBeat.accept(component + "/" + cell, at);
  }

  /** Passes each beat accepted here on, e.g. to the other instances. */
  public void onBeat(BiConsumer<String, Instant> handler) {
    this.onBeat = handler;
  }

  /** Records a beat of {@code key} accepted by another instance; unknown cells are ignored. */
  public void heard(String key, Instant at) {
    if (targets.containsKey(key)) {
      lastBeat.merge(key, at, (a, b) -> a.isAfter(b) ? a : b);
    }
  }

  /** The last beat, or {@code fallback} (the scheduler's start) so a fresh start has a grace. */
  Instant last(String key, Instant fallback) {
    return lastBeat.getOrDefault(key, fallback);
  }
}
