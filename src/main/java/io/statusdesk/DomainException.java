package io.statusdesk;

/**
 * A request that cannot be carried out as asked, in the domain's terms: the input is invalid, the
 * thing is not there, the state forbids it. Rules throw it (or fail a future with it); the HTTP
 * error handler in {@code app} alone decides which status code each {@link Kind} becomes.
 */
public final class DomainException extends RuntimeException {

  /** What went wrong. */
  public enum Kind {
    /** The input breaks a rule; nothing was changed. */
    INVALID,
    /** Who is asking is not known. */
    UNAUTHENTICATED,
    /** Who is asking may not do this. */
    FORBIDDEN,
    /** What was named does not exist. */
    NOT_FOUND,
    /** The input is fine but the current state does not allow it. */
    CONFLICT,
    /** Too many failed attempts; wait. */
    THROTTLED,
    /** A resource the answer needs is away for now; retry. */
    UNAVAILABLE
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
    return throttled(
        "too many failed sign-ins from this address; " + "retry in " + retryAfterSeconds + " s",
        retryAfterSeconds);
  }

  /** Too many attempts of something other than signing in; {@code message} says what. */
  public static DomainException throttled(String message, long retryAfterSeconds) {
    return new DomainException(Kind.THROTTLED, message, retryAfterSeconds);
  }

  public static DomainException unavailable(String message, long retryAfterSeconds) {
    return new DomainException(Kind.UNAVAILABLE, message, retryAfterSeconds);
  }
}
