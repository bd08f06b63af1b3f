package io.statusdesk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock tests move by hand, in UTC. Either it stands still until moved ({@link #at}), or it runs
 * at the real rate from wherever the test last put it ({@link #running}): a running service sets
 * real timers from differences of its clock's readings, so those stay true between moves, while a
 * move crosses an instant (a window's start, a silence) without waiting for it. To the service a
 * move is a jump: its probe slots in between count as skipped, and a timer it set before the move
 * (a window's end) fires when the real time has passed, not at the move.
 */
public final class MutableClock extends Clock {
  /** Where a stopped clock stands; null while it runs. */
  private Instant stoppedAt;

  /** How far a running clock reads ahead of the system clock. */
  private Duration offset = Duration.ZERO;

  /** Told after each move: what sleeps until a reading of this clock may have to look again. */
  private final List<Runnable> moved = new CopyOnWriteArrayList<>();

  private MutableClock(Instant stoppedAt) {
    this.stoppedAt = stoppedAt;
  }

  /** A clock standing at {@code start} until moved. */
  public static MutableClock at(Instant start) {
    return new MutableClock(start);
  }

  /** A clock that reads the system clock until moved, and runs on from there. */
  public static MutableClock running() {
    return new MutableClock(null);
  }

  @Override
  public synchronized Instant instant() {
    return stoppedAt != null ? stoppedAt : Instant.now().plus(offset);
  }

  /** Moves the clock forward by {@code step}; a running clock runs on from there. */
  public void advance(Duration step) {
    if (step.isNegative()) {
      throw new IllegalArgumentException("advance moves forward; set puts the clock anywhere");
    }
    synchronized (this) {
      if (stoppedAt != null) {
        stoppedAt = stoppedAt.plus(step);
      } else {
        offset = offset.plus(step);
      }
    }
    moved.forEach(Runnable::run);
  }

  /** Puts the clock at {@code at}; a running clock runs on from there. */
  public void set(Instant at) {
    synchronized (this) {
      if (stoppedAt != null) {
        stoppedAt = at;
      } else {
        offset = Duration.between(Instant.now(), at);
      }
    }
    moved.forEach(Runnable::run);
  }

  /** Runs {@code action} after every move from now on. */
  public void onMove(Runnable action) {
    moved.add(action);
  }

  /** Stops the clock at its current reading; from then on only a test moves it. */
  public synchronized void stop() {
    stoppedAt = instant();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** A view in {@code zone} that reads this clock, so moving this clock moves the view too. */
  @Override
  public Clock withZone(ZoneId zone) {
    if (zone.equals(getZone())) {
      return this;
    }
    MutableClock source = this;
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return zone;
      }

      @Override
      public Clock withZone(ZoneId other) {
        return source.withZone(other);
      }

      @Override
      public Instant instant() {
        return source.instant();
      }
    };
  }
}
