package io.statusdesk.admin;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * API tokens. A token is 32 random bytes, so a plain SHA-256 of it is as good as a slow password
 * hash and cheap enough to check on every request; only the hash is stored.
 */
public final class TokenRepository {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Pool pool;

  public TokenRepository(Pool pool) {
    this.pool = pool;
  }

  /** Stores a new token and answers it; this is the only time it is ever visible. */
  public Future<String> create(String name, Role role) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String token = "sd_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return pool.preparedQuery("INSERT INTO api_tokens (name, role, token_hash) VALUES ($1, $2, $3)")
        .execute(Tuple.of(name, role.dbValue(), Buffer.buffer(hash(token))))
        .map(token);
  }

  public Future<Optional<Principal>> find(String token) {
    return pool.preparedQuery(
            "SELECT name, role FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(Buffer.buffer(hash(token))))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row row = rows.iterator().next();
              return Optional.of(
                  new Principal(row.getString("name"), Role.parse(row.getString("role"))));
            });
  }

  static byte[] hash(String token) {
    return io.statusdesk.Digest.sha256(token);
  }
}
