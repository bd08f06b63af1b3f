package io.statusdesk.admin;

import io.statusdesk.Digest;
import io.statusdesk.DomainException;
import io.statusdesk.store.ChangeLog;
import io.statusdesk.store.Sql;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * API tokens. A token is 32 random bytes, so a plain SHA-256 of it is as good as a slow password
 * hash and cheap enough to check on every request; only the hash is stored. Names are unique.
 */
public final class TokenRepository {
  /** The channel on which the database announces a revoked or deleted token. */
  public static final String REVOKED_CHANNEL = "statusdesk_token_revoked";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String UNIQUE_VIOLATION = "23505";
  private final Pool pool;

  public TokenRepository(Pool pool) {
    this.pool = pool;
  }

  /** A token as operators see it: never its secret or hash. */
  public record Listed(
      String name,
      Role role,
      Instant createdAt,
      Optional<Instant> lastUsedAt,
      Optional<Instant> revokedAt) {}

  /** What a revocation found: when the token was revoked, and whether this call did it. */
  public record Revoked(Instant at, boolean now) {}

  /**
   * Stores a new token and answers it; this is the only time it is ever visible. A name already
   * taken (by a revoked token too) is a conflict. Audited as {@code actor}'s, in one transaction.
   */
  public Future<String> create(String name, Role role, String actor, Instant now) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String token = "sd_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return pool.withTransaction(
            conn ->
                conn.preparedQuery(
                        "INSERT INTO api_tokens (name, role, token_hash, created_at)"
                            + " VALUES ($1, $2, $3, $4)")
                    .execute(
                        Tuple.of(name, role.dbValue(), Buffer.buffer(hash(token)), Sql.ts(now)))
                    .compose(
                        v ->
                            ChangeLog.audit(
                                conn,
                                actor,
                                "token.create",
                                "token",
                                name,
                                null,
                                new JsonObject().put("name", name).put("role", role.dbValue()),
                                now)))
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
                        ? new DomainException(
                            DomainException.Kind.CONFLICT, "a token named " + name + " exists")
                        : e))
        .map(token);
  }

  /** The holder of a live token, noting that it was used. */
  public Future<Optional<Principal>> find(String token, Instant now) {
    return pool.preparedQuery(
            """
            UPDATE api_tokens SET last_used_at = $2
            WHERE token_hash = $1 AND revoked_at IS NULL RETURNING name, role\
            """)
        .execute(Tuple.of(Buffer.buffer(hash(token)), Sql.ts(now)))
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

  /** Every token, oldest first. */
  public Future<List<Listed>> list() {
    return pool.query(
            """
            SELECT name, role, created_at, last_used_at, revoked_at FROM api_tokens ORDER BY id\
            """)
        .execute()
        .map(
            rows -> {
              List<Listed> out = new ArrayList<>();
              rows.forEach(
                  r ->
                      out.add(
                          new Listed(
                              r.getString("name"),
                              Role.parse(r.getString("role")),
                              Sql.instant(r, "created_at"),
                              Sql.optionalInstant(r, "last_used_at"),
                              Sql.optionalInstant(r, "revoked_at"))));
              return out;
            });
  }

  /**
   * Revokes the token named {@code name}; revoking it again changes nothing. Services that cache it
   * hear of it from the database ({@link #REVOKED_CHANNEL}) and drop it at once. The revocation is
   * audited as {@code actor}'s, in one transaction.
   */
  public Future<Revoked> revoke(String name, String actor, Instant now) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    """
                    UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $2) WHERE name = $1
                    RETURNING revoked_at, revoked_at = $2 AS now\
                    """)
                .execute(Tuple.of(name, Sql.ts(now)))
                .compose(
                    rows -> {
                      if (rows.size() == 0) {
                        return Future.failedFuture(
                            DomainException.notFound("no token named " + name));
                      }
                      Row row = rows.iterator().next();
                      Revoked revoked =
                          new Revoked(Sql.instant(row, "revoked_at"), row.getBoolean("now"));
                      return !revoked.now()
                          ? Future.succeededFuture(revoked)
                          : ChangeLog.audit(
                                  conn, actor, "token.revoke", "token", name, null, null, now)
                              .map(revoked);
                    }));
  }

  static byte[] hash(String token) {
    return Digest.sha256(token);
  }
}
