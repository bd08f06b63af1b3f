package io.statusdesk.admin;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;

/**
 * A person's console account.
 *
 * @param enrolled whether a password and an authenticator are set (the set-up link was used)
 * @param disabledAt when an admin disabled it; a disabled account cannot sign in
 * @param failedSignins consecutive failed sign-ins since the last successful one
 * @param lockedUntil until when sign-ins are refused after too many failures
 */
public record Account(
    long id,
    String email,
    Role role,
    boolean enrolled,
    Optional<Instant> disabledAt,
    int failedSignins,
    Optional<Instant> lockedUntil,
    Instant createdAt,
    String createdBy) {

  public Principal principal() {
    return new Principal(email, role);
  }

  /** {@code active}, {@code pending} (not set up yet) or {@code disabled}. */
  public String status() {
    return disabledAt.isPresent() ? "disabled" : enrolled ? "active" : "pending";
  }

  /** As audit rows record it: never a secret. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("email", email)
        .put("role", role.dbValue())
        .put("status", status());
  }
}
