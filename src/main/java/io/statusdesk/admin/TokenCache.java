package io.statusdesk.admin;

import io.statusdesk.Digest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Recent answers of the token table, known and unknown tokens alike, so a client calling many times
 * costs one query per {@code ttl}, not one per request. A revocation {@link #clear clears} it (the
 * database announces each), so a revoked token stops working at once. Tokens are held by their
 * hash; at most {@code maxEntries}.
 */
final class TokenCache {
  private final Duration ttl;
  private final int maxEntries;
  private final Clock clock;
  private final Map<String, Entry> entries = new HashMap<>();
  private long generation;

  private record Entry(Optional<Principal> principal, Instant expires) {}

  TokenCache(Duration ttl, int maxEntries, Clock clock) {
    this.ttl = ttl;
    this.maxEntries = maxEntries;
    this.clock = clock;
  }

  /** The cached answer, or null when {@code token} was not looked up within the TTL. */
  synchronized Optional<Principal> get(String token) {
    Entry entry = entries.get(key(token));
    return entry == null || !entry.expires().isAfter(clock.instant()) ? null : entry.principal();
  }

  /** Which {@link #clear} the cache is at; a lookup notes it before asking the database. */
  synchronized long generation() {
    return generation;
  }

  /**
   * Keeps the answer of a lookup begun at {@code generation}, unless the cache was cleared since:
   * that answer may predate the revocation that cleared it. It is kept for the TTL, or until the
   * token expires ({@code until}) if that comes first.
   */
  synchronized void put(
      String token, Optional<Principal> principal, Optional<Instant> until, long generation) {
    if (generation != this.generation) {
      return;
    }
    Instant now = clock.instant();
    if (entries.size() >= maxEntries) {
      entries.values().removeIf(e -> !e.expires().isAfter(now));
      if (entries.size() >= maxEntries) {
        entries.clear();
      }
    }
    Instant expires = now.plus(ttl);
    if (until.isPresent() && until.get().isBefore(expires)) {
      expires = until.get();
    }
    entries.put(key(token), new Entry(principal, expires));
  }

  /** Forgets every answer. */
  synchronized void clear() {
    entries.clear();
    generation++;
  }

  private static String key(String token) {
    return HexFormat.of().formatHex(Digest.sha256(token));
  }
}
