package io.statusdesk.admin;

import java.time.Instant;

/**
 * A set-up link that still works, as its page needs it.
 *
 * @param totpSecret the secret (base32) the person enrols in the authenticator app
 */
public record SetupLink(
    long accountId, String email, Role role, String totpSecret, Instant expiresAt) {}
