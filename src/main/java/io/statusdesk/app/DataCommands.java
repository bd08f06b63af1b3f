package io.statusdesk.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.statusdesk.DomainException;
import io.statusdesk.admin.AccountRepository;
import io.statusdesk.admin.Accounts;
import io.statusdesk.admin.Console;
import io.statusdesk.admin.FailureLimiter;
import io.statusdesk.admin.Principal;
import io.statusdesk.admin.Refusals;
import io.statusdesk.admin.Role;
import io.statusdesk.admin.TokenRepository;
import io.statusdesk.demo.DemoSecret;
import io.statusdesk.statuspage.SignInLink;
import io.statusdesk.store.Database;
import io.statusdesk.tenant.Tenant;
import io.statusdesk.tenant.TenantRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Commands that work on the service's data, while it runs or not: API tokens and tenant sign-in
 * links. They reach the database the service uses (see {@link Database#forCommand}) and never
 * create one.
 */
final class DataCommands {
  /** Exit status of a command used wrongly (the usage is printed). */
  static final int USAGE = 2;

  private DataCommands() {}

  /** {@code token create|list|revoke}; a new token is printed once (only its hash is kept). */
  static int token(
      List<String> args, PrintStream out, PrintStream err, Function<String, String> env) {
    String sub = args.isEmpty() ? "" : args.get(0);
    Optional<Map<String, String>> options =
        options(args.subList(Math.min(1, args.size()), args.size()));
    Instant now = Clock.systemUTC().instant();
    switch (sub) {
      case "create" -> {
        Map<String, String> o = options.orElse(Map.of());
        String name = o.get("--name");
        if (o.size() != 2 || name == null || !o.containsKey("--role")) {
          return USAGE;
        }
        Role role;
        try {
          role = Role.parseTokenRole(o.get("--role"));
        } catch (IllegalArgumentException e) {
          err.println(e.getMessage());
          return USAGE;
        }
        if (!Principal.NAME.matcher(name).matches()) {
          err.println("--name must be 1 to 100 of A-Z a-z 0-9 . _ @ -, not '" + name + "'");
          return USAGE;
        }
        return withDatabase(
            env,
            err,
            (vertx, config, pool) ->
                new TokenRepository(pool)
                    .create(name, role, cliActor(), now)
                    .map(
                        token -> {
                          out.println(token);
                          err.println(
                              "token '"
                                  + name
                                  + "' ("
                                  + role.dbValue()
                                  + ") created; it is shown only this once");
                          return 0;
                        }));
      }
      case "list" -> {
        if (args.size() != 1) {
          return USAGE;
        }
        return withDatabase(
            env,
            err,
            (vertx, config, pool) ->
                new TokenRepository(pool)
                    .list()
                    .map(
                        tokens -> {
                          printTokens(tokens, out);
                          return 0;
                        }));
      }
      case "revoke" -> {
        if (args.size() != 2) {
          return USAGE;
        }
        String name = args.get(1);
        return withDatabase(
            env,
            err,
            (vertx, config, pool) ->
                new TokenRepository(pool)
                    .revoke(name, cliActor(), now)
                    .map(
                        revoked -> {
                          err.println(
                              revoked.now()
                                  ? "token '" + name + "' revoked"
                                  : "token '" + name + "' was already revoked at " + revoked.at());
                          return 0;
                        }));
      }
      default -> {
        return USAGE;
      }
    }
  }

  /**
   * {@code account create --email EMAIL --role ROLE}: a console account and its one-time set-up
   * link (24 hours), printed; the person sets a password and enrols an authenticator there.
   */
  static int account(
      List<String> args, PrintStream out, PrintStream err, Function<String, String> env) {
    Optional<Map<String, String>> options =
        options(args.subList(Math.min(1, args.size()), args.size()));
    Map<String, String> o = options.orElse(Map.of());
    if (args.isEmpty()
        || !args.get(0).equals("create")
        || o.size() != 2
        || !o.containsKey("--email")
        || !o.containsKey("--role")) {
      return USAGE;
    }
    Role role;
    try {
      role = Role.parseAccountRole(o.get("--role"));
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return USAGE;
    }
    return withDatabase(
        env,
        err,
        (vertx, config, pool) -> {
          Clock clock = Clock.systemUTC();
          Accounts accounts =
              new Accounts(
                  new AccountRepository(pool),
                  new Refusals(FailureLimiter.standard(clock), new SimpleMeterRegistry(), clock),
                  vertx,
                  clock);
          return Console.attempt(() -> accounts.invite(o.get("--email"), role, cliActor()))
              .map(
                  invitation -> {
                    out.println(invitation.link(config.publicUrl()));
                    err.println(
                        "account "
                            + invitation.account().email()
                            + " ("
                            + role.dbValue()
                            + ") created; the set-up link works once, until "
                            + invitation.expiresAt()
                            + " (set STATUSDESK_PUBLIC_URL if people reach the service"
                            + " elsewhere)");
                    return 0;
                  });
        });
  }

  /**
   * {@code tenant sign-in-url TENANT [--minutes N] [--private-key-file PEM]}: a link that signs the
   * tenant in once, with the configured key, else the demo's key of the data directory.
   */
  static int tenant(
      List<String> args, PrintStream out, PrintStream err, Function<String, String> env) {
    Optional<Map<String, String>> parsed =
        options(args.subList(Math.min(2, args.size()), args.size()));
    if (args.size() < 2
        || !args.get(0).equals("sign-in-url")
        || parsed.isEmpty()
        || !Set.of("--minutes", "--private-key-file").containsAll(parsed.get().keySet())) {
      return USAGE;
    }
    String tenant = args.get(1);
    Map<String, String> o = parsed.get();
    int minutes;
    try {
      minutes = Integer.parseInt(o.getOrDefault("--minutes", "15"));
    } catch (NumberFormatException e) {
      minutes = -1;
    }
    if (minutes < 1 || minutes > SignInLink.MAX_LIFETIME.toMinutes()) {
      err.println(
          "--minutes must be a whole number from 1 to " + SignInLink.MAX_LIFETIME.toMinutes());
      return USAGE;
    }
    if (!Tenant.ID.matcher(tenant).matches()) {
      err.println("TENANT must be 1 to 64 of A-Z a-z 0-9 . _ -, not '" + tenant + "'");
      return USAGE;
    }
    Optional<String> privateKey;
    try {
      privateKey =
          o.containsKey("--private-key-file")
              ? Optional.of(Files.readString(Path.of(o.get("--private-key-file"))))
              : Optional.empty();
    } catch (IOException e) {
      err.println("statusdesk: cannot read " + o.get("--private-key-file"));
      return 1;
    }
    Duration lifetime = Duration.ofMinutes(minutes);
    return withDatabase(
        env,
        err,
        (vertx, config, pool) -> {
          Instant now = Clock.systemUTC().instant();
          return TenantRepository.at(pool, tenant, now)
              .compose(
                  found -> {
                    if (found.isEmpty()) {
                      return Future.failedFuture(DomainException.notFound("no tenant " + tenant));
                    }
                    Optional<String> demoKey = demoKey(config);
                    AppConfig signing = demoKey.map(config::withSsoSecret).orElse(config);
                    return SignInLink.create(
                            vertx,
                            signing.statusPage(),
                            privateKey,
                            config.publicUrl(),
                            tenant,
                            lifetime)
                        .map(
                            link -> {
                              out.println(link);
                              demoKey.ifPresent(
                                  k ->
                                      err.println(
                                          "signed with the demo sign-in key in "
                                              + DemoSecret.file(config.dataDir())));
                              err.println(
                                  "signs "
                                      + tenant
                                      + " in once, until "
                                      + now.plus(lifetime).truncatedTo(ChronoUnit.SECONDS)
                                      + "; make a new link for each sign-in");
                              return 0;
                            });
                  });
        });
  }

  /** The demo's sign-in key, when no key is configured and a demo ran on the data directory. */
  private static Optional<String> demoKey(AppConfig config) {
    if (config.statusPage().signInConfigured()) {
      return Optional.empty();
    }
    try {
      return DemoSecret.read(config.dataDir());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void printTokens(List<TokenRepository.Listed> tokens, PrintStream out) {
    int width = tokens.stream().mapToInt(t -> t.name().length()).max().orElse(0);
    String format = "%-" + Math.max(4, width) + "s  %-8s  %-20s  %-20s  %s%n";
    out.printf(format, "NAME", "ROLE", "CREATED", "LAST USED", "REVOKED");
    for (TokenRepository.Listed t : tokens) {
      out.printf(
          format,
          t.name(),
          t.role().dbValue(),
          when(Optional.of(t.createdAt())),
          when(t.lastUsedAt()),
          when(t.revokedAt()));
    }
  }

  private static String when(Optional<Instant> at) {
    return at.map(a -> a.truncatedTo(ChronoUnit.SECONDS).toString()).orElse("-");
  }

  /** What a command does with the service's database. */
  interface Work {
    Future<Integer> run(Vertx vertx, AppConfig config, Pool pool);
  }

  /**
   * Runs {@code work} against the service's database and answers its exit status; failures are one
   * line on {@code err}: a domain refusal (a name taken, a token unknown) as it is, anything else
   * as its root cause.
   */
  static int withDatabase(Function<String, String> env, PrintStream err, Work work) {
    Vertx vertx = Vertx.vertx();
    Database database = null;
    try {
      AppConfig config = AppConfig.fromEnvironment(env);
      database = Database.forCommand(config.dbUrl(), config.dataDir());
      database.migrate();
      Pool pool = database.pool(vertx, 1);
      return work.run(vertx, config, pool)
          .eventually(pool::close)
          .toCompletionStage()
          .toCompletableFuture()
          .get(120, TimeUnit.SECONDS);
    } catch (ConfigException e) {
      e.errors().forEach(err::println);
      return 1;
    } catch (ExecutionException e) {
      err.println(
          "statusdesk: "
              + (e.getCause() instanceof DomainException d ? d.getMessage() : Main.rootMessage(e)));
      return 1;
    } catch (Exception e) {
      err.println("statusdesk: " + Main.rootMessage(e));
      return 1;
    } finally {
      vertx.close();
      close(database);
    }
  }

  private static void close(Database database) {
    if (database != null) {
      try {
        database.close();
      } catch (IOException ignored) {
        // the command's own outcome is what the operator needs
      }
    }
  }

  /** {@code --name value} pairs; empty when a value is missing or an argument is no option. */
  static Optional<Map<String, String>> options(List<String> args) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < args.size(); i += 2) {
      if (!args.get(i).startsWith("--")
          || i + 1 >= args.size()
          || out.put(args.get(i), args.get(i + 1)) != null) {
        return Optional.empty();
      }
    }
    return Optional.of(out);
  }

  /** Who ran a command, as the audit log names them: the operating-system user at the shell. */
  private static String cliActor() {
    return "cli:" + System.getProperty("user.name");
  }
}
