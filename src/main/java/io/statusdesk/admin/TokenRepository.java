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
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * API tokens. A token is 32 random bytes, so a plain SHA-256 of it is as good as a slow password
 * hash and cheap enough to check on every request; only the hash is stored. Names are unique. A
 * token works until it is revoked or its optional expiry passes; each lookup notes when it was last
 * used. Creating and revoking are audited, in the same transaction, wherever they are done.
 */
public final class TokenRepository {
  /** The channel on which the database announces a revoked or deleted token. */
  public static final String REVOKED_CHANNEL = "statusdesk_token_revoked";

  private static final String UNIQUE_VIOLATION = "23505";
  private static final String COLUMNS =
      "id, name, role, created_at, created_by, expires_at, last_used_at, revoked_at";
  private final Pool pool;

  public TokenRepository(Pool pool) {
    this.pool = pool;
  }

  /** A token as operators see it: never its secret or hash. */
  public record Listed(
      long id,
      String name,
      Role role,
      Instant createdAt,
      Optional<String> createdBy,
      Optional<Instant> expiresAt,
      Optional<Instant> lastUsedAt,
      Optional<Instant> revokedAt) {

    /** {@code active}, {@code expired} or {@code revoked} at {@code now}. */
    public String status(Instant now) {
      if (revokedAt.isPresent()) {
        return "revoked";
      }
      return expiresAt.isPresent() && !expiresAt.get().isAfter(now) ? "expired" : "active";
    }
  }

  /** What a revocation found: when the token was revoked, and whether this call did it. */
  public record Revoked(Instant at, boolean now) {}

  /** A token that works until it is revoked. */
  public Future<String> create(String name, Role role, String actor, Instant now) {
    return create(name, role, Optional.empty(), actor, now);
  }

  /**
   * Stores a new token and answers it; this is the only time it is ever visible. A name already
   * taken (by a revoked token too) is a conflict.
   *
   * <p>Audited as {@code actor}'s, in one transaction.
   *
   * @param expiresAt when it stops working by itself, if ever
   */
  public Future<String> create(
      String name, Role role, Optional<Instant> expiresAt, String actor, Instant now) {
    if (name == null || !Principal.NAME.matcher(name).matches()) {
      throw new DomainException(
          DomainException.Kind.INVALID, "name: 1 to 100 of A-Z a-z 0-9 . _ @ -");
    }
    if (!Role.TOKEN_ROLES.contains(role)) {
      throw new DomainException(
          DomainException.Kind.INVALID, "role: a token is operator, billing, viewer or agent");
    }
    if (expiresAt.isPresent() && !expiresAt.get().isAfter(now)) {
      throw new DomainException(DomainException.Kind.INVALID, "expires: must be in the future");
    }
    String token = "sd_" + Secrets.token();
    return pool.withTransaction(
            conn ->
                conn.preparedQuery(
                        """
                        INSERT INTO api_tokens (name, role, token_hash, created_at, created_by,
                          expires_at)
                        VALUES ($1, $2, $3, $4, $5, $6) RETURNING id\
                        """)
                    .execute(
                        Tuple.of(
                            name,
                            role.dbValue(),
                            Buffer.buffer(hash(token)),
                            Sql.ts(now),
                            actor,
                            Sql.ts(expiresAt.orElse(null))))
                    .compose(
                        rows ->
                            ChangeLog.audit(
                                conn,
                                actor,
                                "token.create",
                                "token",
                                name,
                                null,
                                new JsonObject()
                                    .put("name", name)
                                    .put("role", role.dbValue())
                                    .put(
                                        "expires_at",
                                        expiresAt.map(Instant::toString).orElse(null)),
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

  /** Who holds a live token, and when the token stops working (empty: never). */
  public record Holder(Principal principal, Optional<Instant> expiresAt) {}

  /** The holder of a live token (not revoked, not expired), noting that it was used. */
  public Future<Optional<Holder>> find(String token, Instant now) {
    return pool.preparedQuery(
            """
            UPDATE api_tokens SET last_used_at = $2
            WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)
            RETURNING name, role, expires_at\
            """)
        .execute(Tuple.of(Buffer.buffer(hash(token)), Sql.ts(now)))
        .map(
            rows ->
                Sql.first(
                    rows,
                    r ->
                        new Holder(
                            new Principal(r.getString("name"), Role.parse(r.getString("role"))),
                            Sql.optionalInstant(r, "expires_at"))));
  }

  /** Every token, oldest first. */
  public Future<List<Listed>> list() {
    return pool.query("SELECT " + COLUMNS + " FROM api_tokens ORDER BY id")
        .execute()
        .map(TokenRepository::listed);
  }

  /** Tokens newest first, {@code limit} with ids below {@code before} (keyset). */
  public Future<List<Listed>> list(long before, int limit) {
    // the id column is an int4: without the cast the parameter is sent as one, and a first
    // page's Long.MAX_VALUE wraps to -1 and finds nothing
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM api_tokens WHERE id < $1::bigint ORDER BY id DESC LIMIT $2")
        .execute(Tuple.of(before, limit))
        .map(TokenRepository::listed);
  }

  private static List<Listed> listed(RowSet<Row> rows) {
    List<Listed> out = new ArrayList<>();
    rows.forEach(
        r ->
            out.add(
                new Listed(
                    r.getLong("id"),
                    r.getString("name"),
                    Role.parse(r.getString("role")),
                    Sql.instant(r, "created_at"),
                    Optional.ofNullable(r.getString("created_by")),
                    Sql.optionalInstant(r, "expires_at"),
                    Sql.optionalInstant(r, "last_used_at"),
                    Sql.optionalInstant(r, "revoked_at"))));
    return out;
  }

  /**
   * Revokes the token named {@code name}; revoking it again changes nothing. Services that cache it
   * hear of it from the database ({@link #REVOKED_CHANNEL}) and drop it at once. The revocation is
   * audited as {@code actor}'s, in one transaction.
   */
  public Future<Revoked> revoke(String name, String actor, Instant now) {
    return pool.withTransaction(conn -> revoke(conn, name, actor, now));
  }

  private static Future<Revoked> revoke(
      SqlConnection conn, String name, String actor, Instant now) {
    return conn.preparedQuery(
            """
            UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $2) WHERE name = $1
            RETURNING revoked_at, revoked_at = $2 AS now\
            """)
        .execute(Tuple.of(name, Sql.ts(now)))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.failedFuture(DomainException.notFound("no token named " + name));
              }
              Row row = rows.iterator().next();
              Revoked revoked = new Revoked(Sql.instant(row, "revoked_at"), row.getBoolean("now"));
              return !revoked.now()
                  ? Future.succeededFuture(revoked)
                  : ChangeLog.audit(
                          conn,
                          actor,
                          "token.revoke",
                          "token",
                          name,
                          null,
                          new JsonObject().put("revoked_at", now.toString()),
                          now)
                      .map(revoked);
            });
  }

  static byte[] hash(String token) {
    return Digest.sha256(token);
  }
}
