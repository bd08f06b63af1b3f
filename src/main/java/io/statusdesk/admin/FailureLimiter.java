package io.statusdesk.admin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * How many failed sign-ins each client address may make: a burst, then one more per refill period
 * (a token bucket, kept as the instant the address's bucket is full again). Only failures take from
 * the bucket, so a client that signs in correctly is never slowed. IPv6 clients are counted per
 * /64, the block one host usually gets. At most {@code maxAddresses} are tracked: beyond that a new
 * address goes uncounted rather than grow the heap under a spread attack.
 */
public final class FailureLimiter {
  private final int burst;
  private final Duration refill;
  private final int maxAddresses;
  private final Clock clock;
  private final Map<String, Instant> fullAgainAt = new HashMap<>();
  private Instant nextSweep = Instant.MIN;

  public FailureLimiter(int burst, Duration refill, int maxAddresses, Clock clock) {
    if (burst < 1 || refill.isNegative() || refill.isZero() || maxAddresses < 1) {
      throw new IllegalArgumentException("burst, refill and maxAddresses must be positive");
    }
    this.burst = burst;
    this.refill = refill;
    this.maxAddresses = maxAddresses;
    this.clock = clock;
  }

  /** 20 failures at once, then one every 3 seconds. */
  public static FailureLimiter standard(Clock clock) {
    return new FailureLimiter(20, Duration.ofSeconds(3), 100_000, clock);
  }

  /** Whole seconds until {@code address} may fail again (at least 1), or 0 when it may now. */
  public synchronized long retryAfterSeconds(String address) {
    Instant full = fullAgainAt.get(key(address));
    if (full == null) {
      return 0;
    }
    Duration owed = Duration.between(clock.instant(), full).minus(refill.multipliedBy(burst - 1));
    if (owed.isNegative() || owed.isZero()) {
      return 0;
    }
    return Math.max(1, (owed.toMillis() + 999) / 1000);
  }

  /**
   * Takes one failure from {@code address}'s bucket if it has one left (answers 0), else answers
   * {@link #retryAfterSeconds}. For a check whose outcome comes later: taking first keeps
   * concurrent guesses from all passing a bucket that has one failure left.
   */
  public synchronized long take(String address) {
    long wait = retryAfterSeconds(address);
    if (wait == 0) {
      failed(address);
    }
    return wait;
  }

  /** Returns a failure {@link #take}n for a check that then succeeded. */
  public synchronized void giveBack(String address) {
    String key = key(address);
    Instant full = fullAgainAt.get(key);
    if (full == null) {
      return;
    }
    Instant back = full.minus(refill);
    if (back.isAfter(clock.instant())) {
      fullAgainAt.put(key, back);
    } else {
      fullAgainAt.remove(key);
    }
  }

  /** Takes one failure from {@code address}'s bucket. */
  public synchronized void failed(String address) {
    Instant now = clock.instant();
    String key = key(address);
    Instant full = fullAgainAt.get(key);
    if (full == null && fullAgainAt.size() >= maxAddresses) {
      sweep(now);
      if (fullAgainAt.size() >= maxAddresses) {
        return;
      }
    }
    Instant from = full == null || full.isBefore(now) ? now : full;
    fullAgainAt.put(key, from.plus(refill));
  }

  /** Forgets addresses whose bucket is full again, at most once a second. */
  private void sweep(Instant now) {
    if (now.isBefore(nextSweep)) {
      return;
    }
    nextSweep = now.plusSeconds(1);
    fullAgainAt.values().removeIf(full -> !full.isAfter(now));
  }

  static String key(String address) {
    if (address.indexOf(':') < 0) {
      return address;
    }
    try {
      byte[] bytes = InetAddress.getByName(address).getAddress();
      if (bytes.length == 16) {
        for (int i = 8; i < 16; i++) {
          bytes[i] = 0;
        }
        return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
      }
      return InetAddress.getByAddress(bytes).getHostAddress();
    } catch (UnknownHostException e) {
      return address;
    }
  }
}
