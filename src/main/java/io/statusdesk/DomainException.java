package io.statusdesk;

/**
 * A request that cannot be carried out as asked. Each feature throws it (or fails a future with
 * it); the single HTTP error handler in {@code app} turns its {@link Kind} into a status code and
 * its message into {@code {"error": "..."}}, with {@code Retry-After} when a retry may succeed.
 */
public final class DomainException extends RuntimeException {

  /** What went wrong, in the terms of the HTTP answer it becomes. */
  public enum Kind {
    INVALID(400), UNAUTHENTICATED(401), FORBIDDEN(403), NOT_FOUND(404), CONFLICT(409),
    THROTTLED(429), UNAVAILABLE(503);

    public final int status;

    Kind(int status) {
      this.status = status;
    }
  }

  private final Kind kind;
  private final long retryAfterSeconds;

  public DomainException(Kind kind, String message) {
    this(kind, message, 0);
  }

  private DomainException(Kind kind, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.kind = kind;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public Kind kind() {
    return kind;
  }

  /** Seconds after which the same request may succeed; 0 when waiting would not help. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public static DomainException notFound(String message) {
    return new DomainException(Kind.NOT_FOUND, message);
  }

  public static DomainException unauthenticated(String message) {
    return new DomainException(Kind.UNAUTHENTICATED, message);
  }

  public static DomainException forbidden(String message) {
    return new DomainException(Kind.FORBIDDEN, message);
  }

  public static DomainException throttled(long retryAfterSeconds) {
    return new DomainException(Kind.THROTTLED, "too many failed sign-ins from this address; "
        + "retry in " + retryAfterSeconds + " s", retryAfterSeconds);
  }

  public static DomainException unavailable(String message, long retryAfterSeconds) {
    return new DomainException(Kind.UNAVAILABLE, message, retryAfterSeconds);
  }
}
