package io.statusdesk;

/**
 * A request that cannot be carried out as asked. Each feature throws it (or fails a future with
 * it); the single HTTP error handler in {@code app} turns its {@link Kind} into a status code and
 * its message into {@code {"error": "..."}}.
 */
public final class DomainException extends RuntimeException {

  /** What went wrong, in the terms of the HTTP answer it becomes. */
  public enum Kind {
    INVALID(400), UNAUTHENTICATED(401), FORBIDDEN(403), NOT_FOUND(404), CONFLICT(409);

    public final int status;

    Kind(int status) {
      this.status = status;
    }
  }

  private final Kind kind;

  public DomainException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public static DomainException notFound(String message) {
    return new DomainException(Kind.NOT_FOUND, message);
  }

  public static DomainException unauthenticated(String message) {
    return new DomainException(Kind.UNAUTHENTICATED, message);
  }
}
