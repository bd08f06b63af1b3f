package io.statusdesk.statuspage;

import io.statusdesk.Digest;
import io.statusdesk.store.Sql;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * SQL of tenant sign-in: single-use sign-in tokens and the sessions they open. Rows past their
 * expiry are swept on each sign-in.
 */
final class TenantSessions {
  static final Duration SESSION = Duration.ofHours(12);
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Pool pool;

  TenantSessions(Pool pool) {
    this.pool = pool;
  }

  /**
   * Spends a sign-in token, known by its JWS signing input ({@code header.payload} as sent), and
   * opens a session for its tenant, in one transaction; empty when it was used before (a replay).
   */
  Future<Optional<String>> open(
      String signingInput, Instant tokenExpiry, String tenantId, Instant now) {
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    String session = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    """
                    INSERT INTO sso_tokens_used (token_hash, expires_at) VALUES ($1, $2)
                    ON CONFLICT DO NOTHING RETURNING 1\
                    """)
                .execute(Tuple.of(Buffer.buffer(Digest.sha256(signingInput)), Sql.ts(tokenExpiry)))
                .compose(
                    rows -> {
                      if (rows.size() == 0) {
                        return Future.succeededFuture(Optional.<String>empty());
                      }
                      return conn.preparedQuery(
                              """
                              INSERT INTO tenant_sessions (id, tenant_id, created_at, expires_at)
                              VALUES ($1, $2, $3, $4)\
                              """)
                          .execute(
                              Tuple.of(session, tenantId, Sql.ts(now), Sql.ts(now.plus(SESSION))))
                          .compose(
                              v ->
                                  conn.preparedQuery(
                                          "DELETE FROM sso_tokens_used WHERE expires_at < $1")
                                      .execute(Tuple.of(Sql.ts(now))))
                          .compose(
                              v ->
                                  conn.preparedQuery(
                                          "DELETE FROM tenant_sessions WHERE expires_at < $1")
                                      .execute(Tuple.of(Sql.ts(now))))
                          .map(v -> Optional.of(session));
                    }));
  }

  /** The tenant of a live session. */
  Future<Optional<String>> tenant(String session, Instant now) {
    return pool.preparedQuery(
            "SELECT tenant_id FROM tenant_sessions WHERE id = $1 AND expires_at > $2")
        .execute(Tuple.of(session, Sql.ts(now)))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(rows.iterator().next().getString(0)));
  }

  Future<Void> close(String session) {
    return pool.preparedQuery("DELETE FROM tenant_sessions WHERE id = $1")
        .execute(Tuple.of(session))
        .mapEmpty();
  }
}
