package io.statusdesk.admin;

import io.statusdesk.DomainException;
import io.statusdesk.Text;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How long console sign-ins and sessions last. Failed sign-ins lock an account with exponential
 * back-off: {@link #FREE_FAILURES} consecutive failures lock it for a minute, and each further one
 * for twice as long as the one before (2, 4, 8 ... minutes, at most {@link #MAX_LOCK}); while it is
 * locked no attempt is even checked, and a successful sign-in starts the count again. A session
 * ends {@link #IDLE} after it was last used and {@link #ABSOLUTE} after sign-in, whichever comes
 * first.
 */
public final class SignInRules {
  public static final int FREE_FAILURES = 5;
  public static final Duration MAX_LOCK = Duration.ofHours(1);
  public static final Duration IDLE = Duration.ofMinutes(30);
  public static final Duration ABSOLUTE = Duration.ofHours(12);

  /** How long a set-up link works. */
  public static final Duration SETUP_LINK = Duration.ofHours(24);

  /**
   * A session's last use is written again only once this much has passed, so reading pages does not
   * cost a write each; the idle timeout is therefore exact to within this.
   */
  public static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  private SignInRules() {}

  /**
   * An email address as accounts are keyed: one line, something before and after one {@code @}, at
   * most 254 characters.
   *
   * @throws DomainException (invalid) naming the field
   */
  public static String email(String value) {
    String email = value == null ? "" : value.strip();
    if (!email.matches("[^\\s@]{1,64}@[^\\s@]{1,189}")
        || Text.controlCharacter(email, false) >= 0) {
      throw new DomainException(
          DomainException.Kind.INVALID, "email: an address such as ops@example.com");
    }
    return email;
  }

  /** Until when an account with {@code failures} consecutive failures is locked, if it is. */
  public static Optional<Instant> lockedUntil(int failures, Instant lastFailure) {
    if (failures < FREE_FAILURES) {
      return Optional.empty();
    }
    int doublings = Math.min(failures - FREE_FAILURES, 10);
    Duration lock = Duration.ofMinutes(1L << doublings);
    return Optional.of(lastFailure.plus(lock.compareTo(MAX_LOCK) > 0 ? MAX_LOCK : lock));
  }

  /** Whether a session signed in at {@code created} and last used at {@code lastSeen} lives on. */
  public static boolean alive(Instant created, Instant lastSeen, Instant now) {
    return now.isBefore(lastSeen.plus(IDLE)) && now.isBefore(created.plus(ABSOLUTE));
  }

  /** Whether a session's last use should be written again at {@code now}. */
  public static boolean touch(Instant lastSeen, Instant now) {
    return !now.isBefore(lastSeen.plus(TOUCH_EVERY));
  }
}
