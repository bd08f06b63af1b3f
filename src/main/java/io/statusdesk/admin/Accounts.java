package io.statusdesk.admin;

import io.statusdesk.Compute;
import io.statusdesk.DomainException;
import io.statusdesk.admin.Refusals.Reason;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Every action on console identity, whichever door it comes through (the command line, the console
 * pages): inviting people, the set-up link, signing in with a password and a second factor,
 * sessions, and what admins do to accounts. Failed sign-ins are charged to the client's address
 * ({@link Refusals}, shared with the API) and to the account ({@link SignInRules}).
 */
public final class Accounts {
  private static final String WRONG = "the email, password or code is not right";

  private final AccountRepository repository;
  private final Refusals refusals;
  private final Vertx vertx;
  private final Clock clock;

  public Accounts(AccountRepository repository, Refusals refusals, Vertx vertx, Clock clock) {
    this.repository = repository;
    this.refusals = refusals;
    this.vertx = vertx;
    this.clock = clock;
  }

  public Instant now() {
    return clock.instant();
  }

  /**
   * A new account and the token of its one-time set-up link.
   *
   * @param token goes in the link {@code /admin/setup?token=...}; shown once, only its hash kept
   */
  public record Invitation(Account account, String token, Instant expiresAt) {

    /** The set-up link on the service at {@code baseUrl}. */
    public String link(String baseUrl) {
      return baseUrl + "/admin/setup?token=" + token;
    }
  }

  /** Creates an account that signs in once its set-up link has been used. */
  public Future<Invitation> invite(String email, Role role, String actor) {
    String address = SignInRules.email(email);
    Instant now = clock.instant();
    SetupGrant grant = SetupGrant.fresh(now);
    return repository
        .create(address, role, grant, actor, now)
        .map(a -> new Invitation(a, grant.token(), grant.expiresAt()));
  }

  /** The set-up link behind {@code token}, if it still works. */
  public Future<Optional<SetupLink>> link(String token) {
    if (token == null || token.length() > 100) {
      return Future.succeededFuture(Optional.empty());
    }
    return repository.link(token, clock.instant());
  }

  /**
   * Uses a set-up link: sets the password, enrols the authenticator (the code proves the app has
   * the secret) and answers the new recovery codes, which are shown this once.
   */
  public Future<List<String>> completeSetup(
      String token, String password, String repeated, String code) {
    return link(token)
        .compose(
            link -> {
              Instant now = clock.instant();
              if (link.isEmpty()) {
                throw expiredLink();
              }
              String weakness = Passwords.weakness(password);
              if (weakness != null) {
                throw invalid(weakness);
              }
              if (!password.equals(repeated)) {
                throw invalid("password_repeat: the two passwords differ");
              }
              OptionalLong step = Totp.verify(link.get().totpSecret(), strip(code), now, 0);
              if (step.isEmpty()) {
                throw invalid(
                    "code: not the code the authenticator shows now; check the phone's clock");
              }
              List<String> codes = RecoveryCodes.generate();
              return Compute.run(vertx, () -> Passwords.hash(password))
                  .compose(
                      hash ->
                          repository.completeSetup(
                              token, hash, step.getAsLong(), codes, clock.instant()))
                  .map(
                      done -> {
                        if (done.isEmpty()) {
                          throw expiredLink();
                        }
                        return codes;
                      });
            });
  }

  /** A new session: its id (the cookie's value) and who it belongs to. */
  public record SignedIn(String sessionId, Principal principal) {}

  /**
   * Signs in with an email, a password and either the authenticator's current code or an unused
   * recovery code. A failure says only that something was wrong; it counts against the address and,
   * for a known account, the account (which then locks for a while, see {@link SignInRules}). The
   * session presented with the request, if any, ends: the new one has a new id.
   */
  public Future<SignedIn> signIn(
      String email, String password, String code, String address, Optional<String> previous) {
    Optional<DomainException> throttled = refusals.reserve(address);
    if (throttled.isPresent()) {
      return Future.failedFuture(throttled.get());
    }
    Instant now = clock.instant();
    String typed = email == null ? "" : email.strip();
    return (typed.isEmpty() || typed.length() > 254
            ? Future.succeededFuture(Optional.<AccountRepository.Credentials>empty())
            : repository.credentials(typed))
        .compose(
            found -> {
              Optional<Instant> locked =
                  found.flatMap(c -> c.account().lockedUntil()).filter(now::isBefore);
              if (locked.isPresent()) {
                long seconds = Math.max(1, Duration.between(now, locked.get()).toSeconds() + 1);
                return Future.failedFuture(
                    DomainException.throttled(
                        "too many failed sign-ins for this account; try again in "
                            + ((seconds + 59) / 60)
                            + " min",
                        seconds));
              }
              String hash = found.map(AccountRepository.Credentials::passwordHash).orElse(null);
              return Compute.run(vertx, () -> Passwords.verify(password, hash))
                  .compose(ok -> secondFactor(found, ok, strip(code), now, previous));
            })
        .onComplete(ar -> refusals.release(address))
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof DomainException d
                            && d.kind() == DomainException.Kind.UNAUTHENTICATED
                        ? refusals.refuse(address, Reason.UNKNOWN, d)
                        : e));
  }

  private Future<SignedIn> secondFactor(
      Optional<AccountRepository.Credentials> found,
      boolean passwordOk,
      String code,
      Instant now,
      Optional<String> previous) {
    if (found.isEmpty()) {
      return Future.failedFuture(DomainException.unauthenticated(WRONG));
    }
    AccountRepository.Credentials c = found.get();
    if (!passwordOk || c.account().disabledAt().isPresent() || c.totpSecret() == null) {
      return failed(c.account(), passwordOk ? "account not usable" : "password", now);
    }
    AccountRepository.Proof proof;
    if (RecoveryCodes.looksLikeOne(code)) {
      proof = new AccountRepository.RecoveryCode(code);
    } else {
      OptionalLong step = Totp.verify(c.totpSecret(), code, now, c.totpLastStep());
      if (step.isEmpty()) {
        return failed(c.account(), "second factor", now);
      }
      proof = new AccountRepository.CodeStep(step.getAsLong());
    }
    String session = Secrets.token();
    return repository
        .signIn(c.account().id(), proof, session, Secrets.token(), previous, now)
        .compose(
            account ->
                account.isPresent()
                    ? Future.succeededFuture(new SignedIn(session, account.get().principal()))
                    : failed(c.account(), "second factor already used", now));
  }

  private Future<SignedIn> failed(Account account, String why, Instant now) {
    return repository
        .failed(account, why, now)
        .compose(locked -> Future.failedFuture(DomainException.unauthenticated(WRONG)));
  }

  /**
   * The live session behind a cookie's value: it must exist, its account be enabled, and it must
   * have been used within {@link SignInRules#IDLE} and begun within {@link SignInRules#ABSOLUTE}. A
   * dead one is deleted; a live one is noted as used.
   */
  public Future<Optional<Session>> session(String id) {
    if (id == null || id.isEmpty() || id.length() > 100) {
      return Future.succeededFuture(Optional.empty());
    }
    Instant now = clock.instant();
    return repository
        .session(id)
        .compose(
            found -> {
              if (found.isEmpty()) {
                return Future.succeededFuture(Optional.<Session>empty());
              }
              Session s = found.get();
              if (!SignInRules.alive(s.createdAt(), s.lastSeenAt(), now)) {
                return repository.endSession(id).map(v -> Optional.<Session>empty());
              }
              return SignInRules.touch(s.lastSeenAt(), now)
                  ? repository.touch(id, now).map(v -> Optional.of(s))
                  : Future.succeededFuture(Optional.of(s));
            });
  }

  public Future<Void> signOut(String sessionId) {
    return sessionId == null || sessionId.length() > 100
        ? Future.succeededFuture()
        : repository.endSession(sessionId);
  }

  /** Accounts by email, {@code limit} after {@code afterEmail}. */
  public Future<List<Account>> list(String afterEmail, int limit) {
    return repository.list(afterEmail, limit);
  }

  public Future<Account> changeRole(long id, Role role, Principal actor) {
    return others(id, actor)
        .compose(
            a ->
                repository.change(
                    id, AccountRepository.Change.ROLE, role, null, actor.actor(), clock.instant()));
  }

  /** Disabling ends its sessions at once. */
  public Future<Account> disable(long id, Principal actor) {
    return others(id, actor)
        .compose(
            a ->
                repository.change(
                    id, AccountRepository.Change.DISABLE, null, null, actor.actor(), now()));
  }

  public Future<Account> enable(long id, Principal actor) {
    return others(id, actor)
        .compose(
            a ->
                repository.change(
                    id, AccountRepository.Change.ENABLE, null, null, actor.actor(), now()));
  }

  /**
   * Resets an account's second factor: its password, authenticator and recovery codes are cleared,
   * its sessions end, and a new set-up link lets the person set both again.
   */
  public Future<Invitation> resetSecondFactor(long id, Principal actor) {
    SetupGrant grant = SetupGrant.fresh(now());
    return others(id, actor)
        .compose(
            a ->
                repository.change(
                    id, AccountRepository.Change.RESET, null, grant, actor.actor(), now()))
        .map(a -> new Invitation(a, grant.token(), grant.expiresAt()));
  }

  /** An admin never changes their own account here, so the console always keeps an admin. */
  private Future<Account> others(long id, Principal actor) {
    return repository
        .get(id)
        .compose(
            a -> {
              if (a.isEmpty()) {
                return Future.failedFuture(DomainException.notFound("no account " + id));
              }
              if (a.get().email().equalsIgnoreCase(actor.name())) {
                return Future.failedFuture(
                    new DomainException(
                        DomainException.Kind.CONFLICT,
                        "account: admins cannot change their own account; ask another admin"));
              }
              return Future.succeededFuture(a.get());
            });
  }

  private static String strip(String code) {
    return code == null ? "" : code.strip().replace(" ", "");
  }

  private static DomainException expiredLink() {
    return DomainException.notFound(
        "this set-up link was used, has expired or was replaced; ask an admin for a new one");
  }

  private static DomainException invalid(String message) {
    return new DomainException(DomainException.Kind.INVALID, message);
  }
}
