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
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * SQL of console identity: accounts, their set-up links and recovery codes, and sessions. Secrets
 * (link tokens, session ids, recovery codes) are stored only as SHA-256 hashes. Every change an
 * admin or a sign-in makes is audited in the same transaction.
 */
public final class AccountRepository {
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String ACCOUNT =
      """
      id, email, role, password_hash IS NOT NULL AS enrolled, disabled_at, failed_signins,
      locked_until, created_at, created_by\
      """;

  private final Pool pool;

  public AccountRepository(Pool pool) {
    this.pool = pool;
  }

  /** A new account and its first set-up link, audited. */
  public Future<Account> create(
      String email, Role role, SetupGrant grant, String actor, Instant now) {
    return pool.withTransaction(
            conn ->
                conn.preparedQuery(
                        """
                        INSERT INTO accounts (email, role, created_at, created_by)
                        VALUES ($1, $2, $3, $4) RETURNING \
                        """
                            + ACCOUNT)
                    .execute(Tuple.of(email, role.dbValue(), Sql.ts(now), actor))
                    .map(rows -> account(rows.iterator().next()))
                    .compose(
                        account ->
                            insertLink(conn, account.id(), grant, now)
                                .compose(
                                    v ->
                                        ChangeLog.audit(
                                            conn,
                                            actor,
                                            "account.create",
                                            "account",
                                            String.valueOf(account.id()),
                                            null,
                                            account.toJson(),
                                            now))
                                .map(account)))
        .recover(
            e ->
                e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
                    ? Future.failedFuture(
                        new DomainException(
                            DomainException.Kind.CONFLICT,
                            "email: an account with this email exists"))
                    : Future.failedFuture(e));
  }

  private static Future<Void> insertLink(
      SqlConnection conn, long account, SetupGrant grant, Instant now) {
    return conn.preparedQuery(
            """
            INSERT INTO account_setup_links (token_hash, account_id, totp_secret, created_at,
              expires_at)
            VALUES ($1, $2, $3, $4, $5)\
            """)
        .execute(
            Tuple.of(
                hash(grant.token()),
                account,
                Buffer.buffer(Totp.fromBase32(grant.totpSecret())),
                Sql.ts(now),
                Sql.ts(grant.expiresAt())))
        .mapEmpty();
  }

  /** A set-up link that still works: not used, not expired, its account not disabled. */
  public Future<Optional<SetupLink>> link(String token, Instant now) {
    return pool.preparedQuery(
            """
            SELECT a.id, a.email, a.role, l.totp_secret, l.expires_at
            FROM account_setup_links l JOIN accounts a ON a.id = l.account_id
            WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.expires_at > $2
              AND a.disabled_at IS NULL\
            """)
        .execute(Tuple.of(hash(token), Sql.ts(now)))
        .map(
            rows ->
                Sql.first(
                    rows,
                    r ->
                        new SetupLink(
                            r.getLong("id"),
                            r.getString("email"),
                            Role.parse(r.getString("role")),
                            Totp.base32(r.getBuffer("totp_secret").getBytes()),
                            Sql.instant(r, "expires_at"))));
  }

  /**
   * Spends a set-up link: the account gets its password hash, the link's TOTP secret (with the step
   * of the code that proved it) and new recovery codes; earlier codes and every session end. Empty
   * when the link was spent or expired meanwhile.
   */
  public Future<Optional<Long>> completeSetup(
      String token, String passwordHash, long totpStep, List<String> recovery, Instant now) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    """
                    UPDATE account_setup_links SET used_at = $2
                    WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
                    RETURNING account_id, totp_secret\
                    """)
                .execute(Tuple.of(hash(token), Sql.ts(now)))
                .compose(
                    rows -> {
                      if (rows.size() == 0) {
                        return Future.succeededFuture(Optional.<Long>empty());
                      }
                      Row link = rows.iterator().next();
                      long id = link.getLong("account_id");
                      return conn.preparedQuery(
                              """
                              UPDATE accounts SET password_hash = $2, totp_secret = $3,
                                totp_last_step = $4, failed_signins = 0, locked_until = NULL
                              WHERE id = $1 AND disabled_at IS NULL RETURNING email, role\
                              """)
                          .execute(
                              Tuple.of(id, passwordHash, link.getBuffer("totp_secret"), totpStep))
                          .compose(
                              updated -> {
                                if (updated.size() == 0) {
                                  return Future.succeededFuture(Optional.<Long>empty());
                                }
                                Row a = updated.iterator().next();
                                return replaceRecoveryCodes(conn, id, recovery)
                                    .compose(v -> endSessions(conn, id))
                                    .compose(
                                        v ->
                                            ChangeLog.audit(
                                                conn,
                                                actor(a),
                                                "account.setup",
                                                "account",
                                                String.valueOf(id),
                                                null,
                                                new JsonObject()
                                                    .put("password", "set")
                                                    .put("second_factor", "enrolled")
                                                    .put("recovery_codes", recovery.size()),
                                                now))
                                    .map(v -> Optional.of(id));
                              });
                    }));
  }

  private static Future<Void> replaceRecoveryCodes(
      SqlConnection conn, long account, List<String> codes) {
    return conn.preparedQuery("DELETE FROM recovery_codes WHERE account_id = $1")
        .execute(Tuple.of(account))
        .compose(
            v ->
                conn.preparedQuery(
                        """
                        INSERT INTO recovery_codes (account_id, code_hash)
                        SELECT $1, unnest($2::bytea[])\
                        """)
                    .execute(
                        Tuple.tuple()
                            .addValue(account)
                            .addValue(
                                codes.stream()
                                    .map(c -> Buffer.buffer(RecoveryCodes.hash(c)))
                                    .toArray(Buffer[]::new))))
        .mapEmpty();
  }

  /** What checking a sign-in needs to know of an account. */
  public record Credentials(
      Account account, String passwordHash, String totpSecret, long totpLastStep) {}

  /** The account with {@code email} (any case), if there is one. */
  public Future<Optional<Credentials>> credentials(String email) {
    return pool.preparedQuery(
            "SELECT "
                + ACCOUNT
                + ", password_hash, totp_secret, totp_last_step FROM accounts"
                + " WHERE lower(email) = lower($1)")
        .execute(Tuple.of(email))
        .map(
            rows ->
                Sql.first(
                    rows,
                    r -> {
                      Buffer secret = r.getBuffer("totp_secret");
                      return new Credentials(
                          account(r),
                          r.getString("password_hash"),
                          secret == null ? null : Totp.base32(secret.getBytes()),
                          r.getLong("totp_last_step"));
                    }));
  }

  /** How a second factor was proved. */
  public sealed interface Proof {}

  /** An authenticator code of this 30-second step. */
  public record CodeStep(long step) implements Proof {}

  /** A recovery code as typed. */
  public record RecoveryCode(String code) implements Proof {}

  /**
   * Opens a session after a correct password, spending the second factor: a TOTP step only if it is
   * later than the last one used, a recovery code only if unused. Both are conditional writes, so
   * two sign-ins racing with one code cannot both win. The session presented with the sign-in (if
   * any) ends: the new one has a new id. Empty when the proof was already spent.
   */
  public Future<Optional<Account>> signIn(
      long accountId,
      Proof proof,
      String sessionId,
      String csrf,
      Optional<String> previousSession,
      Instant now) {
    return pool.withTransaction(
        conn -> {
          Future<Integer> spent =
              proof instanceof CodeStep c
                  ? conn.preparedQuery(
                          """
                          UPDATE accounts SET totp_last_step = $2
                          WHERE id = $1 AND totp_last_step < $2\
                          """)
                      .execute(Tuple.of(accountId, c.step()))
                      .map(r -> r.rowCount())
                  : conn.preparedQuery(
                          """
                          UPDATE recovery_codes SET used_at = $3
                          WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL\
                          """)
                      .execute(
                          Tuple.of(
                              accountId,
                              Buffer.buffer(RecoveryCodes.hash(((RecoveryCode) proof).code())),
                              Sql.ts(now)))
                      .map(r -> r.rowCount());
          return spent.compose(
              n -> {
                if (n == 0) {
                  return Future.succeededFuture(Optional.<Account>empty());
                }
                return conn.preparedQuery(
                        """
                        UPDATE accounts SET failed_signins = 0, locked_until = NULL
                        WHERE id = $1 AND disabled_at IS NULL RETURNING \
                        """
                            + ACCOUNT)
                    .execute(Tuple.of(accountId))
                    .compose(
                        rows -> {
                          if (rows.size() == 0) {
                            return Future.succeededFuture(Optional.<Account>empty());
                          }
                          Account account = account(rows.iterator().next());
                          return previousSession
                              .map(p -> endSession(conn, p))
                              .orElse(Future.succeededFuture())
                              .compose(
                                  v ->
                                      conn.preparedQuery(
                                              """
                                              INSERT INTO console_sessions (id_hash, account_id,
                                                csrf_token, created_at, last_seen_at, expires_at)
                                              VALUES ($1, $2, $3, $4, $4, $5)\
                                              """)
                                          .execute(
                                              Tuple.of(
                                                  hash(sessionId),
                                                  accountId,
                                                  csrf,
                                                  Sql.ts(now),
                                                  Sql.ts(now.plus(SignInRules.ABSOLUTE)))))
                              .compose(
                                  v ->
                                      conn.preparedQuery(
                                              "DELETE FROM console_sessions WHERE expires_at < $1")
                                          .execute(Tuple.of(Sql.ts(now))))
                              .compose(
                                  v ->
                                      ChangeLog.audit(
                                          conn,
                                          account.principal().actor(),
                                          "account.sign_in",
                                          "account",
                                          String.valueOf(accountId),
                                          null,
                                          new JsonObject()
                                              .put(
                                                  "second_factor",
                                                  proof instanceof CodeStep
                                                      ? "authenticator"
                                                      : "recovery code"),
                                          now))
                              .map(v -> Optional.of(account));
                        });
              });
        });
  }

  /**
   * Counts a failed sign-in against {@code account} and locks it as {@link SignInRules} says,
   * audited; answers until when it is now locked.
   */
  public Future<Optional<Instant>> failed(Account account, String why, Instant now) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    """
                    UPDATE accounts SET failed_signins = failed_signins + 1 WHERE id = $1
                    RETURNING failed_signins\
                    """)
                .execute(Tuple.of(account.id()))
                .compose(
                    rows -> {
                      int failures = rows.iterator().next().getInteger(0);
                      Optional<Instant> locked = SignInRules.lockedUntil(failures, now);
                      JsonObject after =
                          new JsonObject()
                              .put("reason", why)
                              .put("consecutive_failures", failures)
                              .put("locked_until", locked.map(Instant::toString).orElse(null));
                      return conn.preparedQuery(
                              "UPDATE accounts SET locked_until = $2 WHERE id = $1")
                          .execute(Tuple.of(account.id(), Sql.ts(locked.orElse(null))))
                          .compose(
                              v ->
                                  ChangeLog.audit(
                                      conn,
                                      account.principal().actor(),
                                      locked.isPresent()
                                          ? "account.locked"
                                          : "account.sign_in_failed",
                                      "account",
                                      String.valueOf(account.id()),
                                      null,
                                      after,
                                      now))
                          .map(locked);
                    }));
  }

  /** A live-looking session (the caller judges its age) with its account, if enabled. */
  public Future<Optional<Session>> session(String id) {
    return pool.preparedQuery(
            """
            SELECT a.id, a.email, a.role, s.csrf_token, s.created_at, s.last_seen_at
            FROM console_sessions s JOIN accounts a ON a.id = s.account_id
            WHERE s.id_hash = $1 AND a.disabled_at IS NULL AND a.password_hash IS NOT NULL\
            """)
        .execute(Tuple.of(hash(id)))
        .map(
            rows ->
                Sql.first(
                    rows,
                    r ->
                        new Session(
                            r.getLong("id"),
                            new Principal(r.getString("email"), Role.parse(r.getString("role"))),
                            r.getString("csrf_token"),
                            Sql.instant(r, "created_at"),
                            Sql.instant(r, "last_seen_at"))));
  }

  public Future<Void> touch(String id, Instant now) {
    return pool.preparedQuery("UPDATE console_sessions SET last_seen_at = $2 WHERE id_hash = $1")
        .execute(Tuple.of(hash(id), Sql.ts(now)))
        .mapEmpty();
  }

  /** Ends one session (sign-out, or found expired). */
  public Future<Void> endSession(String id) {
    return pool.withConnection(conn -> endSession(conn, id));
  }

  private static Future<Void> endSession(SqlConnection conn, String id) {
    return conn.preparedQuery("DELETE FROM console_sessions WHERE id_hash = $1")
        .execute(Tuple.of(hash(id)))
        .mapEmpty();
  }

  private static Future<Void> endSessions(SqlConnection conn, long account) {
    return conn.preparedQuery("DELETE FROM console_sessions WHERE account_id = $1")
        .execute(Tuple.of(account))
        .mapEmpty();
  }

  /** Accounts by email, {@code limit} after {@code afterEmail} (keyset). */
  public Future<List<Account>> list(String afterEmail, int limit) {
    return pool.preparedQuery(
            "SELECT "
                + ACCOUNT
                + " FROM accounts WHERE lower(email) > lower($1) ORDER BY lower(email) LIMIT $2")
        .execute(Tuple.of(afterEmail, limit))
        .map(
            rows -> {
              List<Account> out = new ArrayList<>();
              rows.forEach(r -> out.add(account(r)));
              return out;
            });
  }

  public Future<Optional<Account>> get(long id) {
    return pool.preparedQuery("SELECT " + ACCOUNT + " FROM accounts WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> Sql.first(rows, AccountRepository::account));
  }

  /** An admin's change to an account. */
  public enum Change {
    ROLE,
    DISABLE,
    ENABLE,
    RESET
  }

  /**
   * Applies an admin's change, audited: a new role, disabling (its sessions end), enabling, or a
   * reset of its second factor (password, authenticator and recovery codes are cleared, its
   * sessions end, and {@code grant} becomes its new set-up link).
   */
  public Future<Account> change(
      long id, Change change, Role role, SetupGrant grant, String actor, Instant now) {
    String set =
        switch (change) {
          case ROLE -> "role = $2";
          case DISABLE -> "disabled_at = coalesce(disabled_at, $2)";
          case ENABLE -> "disabled_at = NULL, failed_signins = 0, locked_until = NULL";
          case RESET ->
              "password_hash = NULL, totp_secret = NULL, totp_last_step = 0, "
                  + "failed_signins = 0, locked_until = NULL";
        };
    Tuple args =
        switch (change) {
          case ROLE -> Tuple.of(id, role.dbValue());
          case DISABLE -> Tuple.of(id, Sql.ts(now));
          case ENABLE, RESET -> Tuple.of(id);
        };
    return pool.withTransaction(
        conn ->
            conn.preparedQuery("SELECT " + ACCOUNT + " FROM accounts WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(id))
                .compose(
                    rows -> {
                      if (rows.size() == 0) {
                        return Future.failedFuture(DomainException.notFound("no account " + id));
                      }
                      Account before = account(rows.iterator().next());
                      return conn.preparedQuery(
                              "UPDATE accounts SET " + set + " WHERE id = $1 RETURNING " + ACCOUNT)
                          .execute(args)
                          .compose(
                              updated -> {
                                Account after = account(updated.iterator().next());
                                Future<Void> extra =
                                    switch (change) {
                                      case ROLE, ENABLE -> Future.succeededFuture();
                                      case DISABLE -> endSessions(conn, id);
                                      case RESET ->
                                          endSessions(conn, id)
                                              .compose(
                                                  v -> replaceRecoveryCodes(conn, id, List.of()))
                                              .compose(v -> insertLink(conn, id, grant, now));
                                    };
                                return extra
                                    .compose(
                                        v ->
                                            ChangeLog.audit(
                                                conn,
                                                actor,
                                                "account." + change.name().toLowerCase(Locale.ROOT),
                                                "account",
                                                String.valueOf(id),
                                                before.toJson(),
                                                after.toJson(),
                                                now))
                                    .map(after);
                              });
                    }));
  }

  /** Secrets handed out (link tokens, session ids) are kept only as their SHA-256. */
  private static Buffer hash(String secret) {
    return Buffer.buffer(Digest.sha256(secret));
  }

  private static Account account(Row r) {
    return new Account(
        r.getLong("id"),
        r.getString("email"),
        Role.parse(r.getString("role")),
        r.getBoolean("enrolled"),
        Sql.optionalInstant(r, "disabled_at"),
        r.getInteger("failed_signins"),
        Sql.optionalInstant(r, "locked_until"),
        Sql.instant(r, "created_at"),
        r.getString("created_by"));
  }

  private static String actor(Row r) {
    return new Principal(r.getString("email"), Role.parse(r.getString("role"))).actor();
  }
}
