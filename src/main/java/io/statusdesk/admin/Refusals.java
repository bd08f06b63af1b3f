package io.statusdesk.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.statusdesk.DomainException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every refused credential (API tokens, heartbeat tokens, tenant sign-in tokens) passes here:
 * counted in {@code statusdesk_auth_refusals_total{reason}}, logged at most once a minute per
 * address with the number held back, and, when authentication failed, charged to the address's
 * {@link FailureLimiter} bucket, so an address that guesses gets 429 before any query.
 */
public final class Refusals {
  private static final Logger log = LoggerFactory.getLogger(Refusals.class);
  private static final Duration LOG_EVERY = Duration.ofMinutes(1);
  private static final int MAX_LOGGED_ADDRESSES = 10_000;

  /** Why a request was refused. */
  public enum Reason {
    /** no credential at all */
    MISSING,
    /** a credential that is wrong, expired, revoked or already used */
    UNKNOWN,
    /** a valid credential that may not do this */
    FORBIDDEN,
    /** too many failures from the address */
    THROTTLED
  }

  private final FailureLimiter limiter;
  private final Clock clock;
  private final Map<Reason, Counter> counters = new EnumMap<>(Reason.class);
  private final Map<String, LogWindow> logged = new HashMap<>();

  /** Refusals from one address since its last WARN line. */
  private static final class LogWindow {
    Instant next;
    int heldBack;
  }

  public Refusals(FailureLimiter limiter, MeterRegistry registry, Clock clock) {
    this.limiter = limiter;
    this.clock = clock;
    for (Reason reason : Reason.values()) {
      counters.put(
          reason,
          Counter.builder("statusdesk.auth.refusals")
              .description("requests refused for their credentials")
              .tag("reason", reason.name().toLowerCase(Locale.ROOT))
              .register(registry));
    }
  }

  /** A 429 to answer at once when {@code address} has used up its failures; else empty. */
  public Optional<DomainException> throttled(String address) {
    long wait = limiter.retryAfterSeconds(address);
    if (wait == 0) {
      return Optional.empty();
    }
    return Optional.of(refuse(address, Reason.THROTTLED, DomainException.throttled(wait)));
  }

  /**
   * For a credential whose check takes a while (a query): takes a failure from the address's bucket
   * before the check, or answers the 429 when none is left. {@link #release} it once the check is
   * done, whatever its outcome; a failure is then charged by {@link #refuse}.
   */
  public Optional<DomainException> reserve(String address) {
    long wait = limiter.take(address);
    if (wait == 0) {
      return Optional.empty();
    }
    return Optional.of(refuse(address, Reason.THROTTLED, DomainException.throttled(wait)));
  }

  public void release(String address) {
    limiter.giveBack(address);
  }

  /** Records a refusal of {@code address} and answers the exception to fail the request with. */
  public DomainException refuse(String address, Reason reason, DomainException answer) {
    counters.get(reason).increment();
    if (reason == Reason.MISSING || reason == Reason.UNKNOWN) {
      limiter.failed(address);
    }
    logOncePerMinute(address, reason, answer);
    return answer;
  }

  private synchronized void logOncePerMinute(
      String address, Reason reason, DomainException answer) {
    Instant now = clock.instant();
    LogWindow window = logged.get(address);
    if (window != null && now.isBefore(window.next)) {
      window.heldBack++;
      return;
    }
    if (window == null) {
      if (logged.size() >= MAX_LOGGED_ADDRESSES) {
        logged.values().removeIf(w -> !now.isBefore(w.next));
        if (logged.size() >= MAX_LOGGED_ADDRESSES) {
          return; // a spread attack: the counter still counts it, the log stays readable
        }
      }
      window = new LogWindow();
      logged.put(address, window);
    }
    log.warn(
        "refused a request from {} ({}: {}){}",
        address,
        reason.name().toLowerCase(Locale.ROOT),
        answer.getMessage(),
        window.heldBack == 0 ? "" : "; " + window.heldBack + " more refused in the minute before");
    window.heldBack = 0;
    window.next = now.plus(LOG_EVERY);
  }
}
