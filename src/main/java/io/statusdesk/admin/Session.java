package io.statusdesk.admin;

import java.time.Instant;

/**
 * A signed-in console session.
 *
 * @param csrf the token every form of this session must carry
 * @param createdAt sign-in; the session ends {@link SignInRules#ABSOLUTE} later at the latest
 * @param lastSeenAt its last use (to within {@link SignInRules#TOUCH_EVERY})
 */
public record Session(
    long accountId, Principal principal, String csrf, Instant createdAt, Instant lastSeenAt) {}
