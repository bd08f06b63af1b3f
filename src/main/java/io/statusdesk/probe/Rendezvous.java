package io.statusdesk.probe;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Optional;

/**
 * Which live instance of a location probes a cell: highest random weight (rendezvous) hashing.
 * Every instance computes the same owner from the same member list, with no coordination; when a
 * member joins or leaves only the cells it wins or held move, about 1/n of them.
 */
public final class Rendezvous {
  private Rendezvous() {}

  /** The member that owns {@code key}; empty when there is no member. */
  public static Optional<String> owner(String key, Collection<String> members) {
    String best = null;
    long bestWeight = 0;
    for (String member : members) {
      long weight = weight(member, key);
      // Ties (never seen in practice) go to the smaller id, so every instance agrees.
      if (best == null
          || Long.compareUnsigned(weight, bestWeight) > 0
          || (weight == bestWeight && member.compareTo(best) < 0)) {
        best = member;
        bestWeight = weight;
      }
    }
    return Optional.ofNullable(best);
  }

  /** FNV-1a over member and key, finished with the SplitMix64 mixer so weights spread evenly. */
  static long weight(String member, String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : (member + '\n' + key).getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 30;
    h *= 0xbf58476d1ce4e5b9L;
    h ^= h >>> 27;
    h *= 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }
}
