package io.statusdesk.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.statusdesk.DomainException;
import io.statusdesk.admin.AccountRepository;
import io.statusdesk.admin.Accounts;
import io.statusdesk.admin.FailureLimiter;
import io.statusdesk.admin.Refusals;
import io.statusdesk.admin.Role;
import io.statusdesk.admin.TokenRepository;
import io.statusdesk.demo.DemoHelpdesk;
import io.statusdesk.store.Database;
import io.statusdesk.tenant.Plans;
import io.statusdesk.tenant.PriceList;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar statusdesk.jar <command>}: serve, check-config. */
public final class Main {
  private static final String USAGE =
      """
      usage: statusdesk <command>
        serve [--checks FILE] [--demo]   run the service (default checks file: checks.yaml)
        check-config [FILE]              validate a checks file (default: checks.yaml)
        sla evaluate FILE                evaluate SLA cases (sla-vectors.json format) to JSON
        token create --role ROLE --name NAME
                                         print a new API token (operator, billing or viewer)
        account create --email EMAIL --role ROLE
                                         print a one-time set-up link for a console account
                                         (admin, operator, billing or viewer)
      """;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, System::getenv));
  }

  static int run(String[] args, PrintStream out, PrintStream err, Function<String, String> env) {
    if (args.length == 0) {
      err.print(USAGE);
      return 2;
    }
    List<String> rest = List.of(args).subList(1, args.length);
    switch (args[0]) {
      case "serve":
        return serve(rest, err, env);
      case "check-config":
        return checkConfig(rest, out, err, env);
      case "sla":
        return sla(rest, out, err);
      case "token":
        return token(rest, out, err, env);
      case "account":
        return account(rest, out, err, env);
      case "help", "--help", "-h":
        out.print(USAGE);
        return 0;
      default:
        err.println("unknown command '" + args[0] + "'");
        err.print(USAGE);
        return 2;
    }
  }

  static int checkConfig(
      List<String> args, PrintStream out, PrintStream err, Function<String, String> env) {
    if (args.size() > 1) {
      err.print(USAGE);
      return 2;
    }
    Path file = Path.of(args.isEmpty() ? "checks.yaml" : args.get(0));
    try {
      ChecksConfig config = ChecksFile.load(file, env);
      long cells = config.probes().cells().count();
      out.println(
          file
              + ": ok: "
              + config.components().size()
              + " components, "
              + cells
              + " cells, time zone "
              + config.timezone());
      return 0;
    } catch (ConfigException e) {
      e.errors().forEach(err::println);
      return 1;
    }
  }

  static int sla(List<String> args, PrintStream out, PrintStream err) {
    if (args.size() != 2 || !args.get(0).equals("evaluate")) {
      err.print(USAGE);
      return 2;
    }
    try {
      var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
      var file = mapper.readTree(Path.of(args.get(1)).toFile());
      out.println(
          mapper
              .writerWithDefaultPrettyPrinter()
              .writeValueAsString(SlaCaseFile.evaluate(file, PriceList.of(Plans.standard()))));
      return 0;
    } catch (IOException | IllegalArgumentException | java.time.DateTimeException e) {
      err.println(args.get(1) + ": " + e.getMessage());
      return 1;
    }
  }

  /** Creates a token; it is printed once and only its hash is kept. */
  static int token(
      List<String> args, PrintStream out, PrintStream err, Function<String, String> env) {
    Optional<Map<String, String>> options = create(args, "--role", "--name");
    String name = options.map(o -> o.get("--name")).orElse("");
    if (options.isEmpty() || name.isBlank() || name.length() > 100) {
      err.print(USAGE);
      return 2;
    }
    String role = options.get().get("--role");
    Role parsed;
    try {
      parsed = Role.parseTokenRole(role);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    return onDatabase(
        env,
        err,
        "create token",
        (vertx, pool, config) -> {
          String token =
              await(
                  new TokenRepository(pool)
                      .create(name, parsed, Optional.empty(), "command line", Instant.now()));
          out.println(token);
          err.println("token '" + name + "' (" + role + ") created; it is shown only this once");
          return 0;
        });
  }

  /**
   * Creates a console account and prints its set-up link (24 hours, once); the person sets a
   * password and enrols an authenticator there.
   */
  static int account(
      List<String> args, PrintStream out, PrintStream err, Function<String, String> env) {
    Optional<Map<String, String>> options = create(args, "--email", "--role");
    if (options.isEmpty()) {
      err.print(USAGE);
      return 2;
    }
    String email = options.get().get("--email");
    Role parsed;
    try {
      parsed = Role.parse(options.get().get("--role"));
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    return onDatabase(
        env,
        err,
        "create account",
        (vertx, pool, config) -> {
          Clock clock = Clock.systemUTC();
          Accounts accounts =
              new Accounts(
                  new AccountRepository(pool),
                  new Refusals(FailureLimiter.standard(clock), new SimpleMeterRegistry(), clock),
                  vertx,
                  clock);
          Accounts.Invitation invitation = await(accounts.invite(email, parsed, "command line"));
          out.println(invitation.link(Statusdesk.baseUrl(config)));
          err.println(
              "account "
                  + invitation.account().email()
                  + " ("
                  + parsed.dbValue()
                  + ") created; the set-up link works once, until "
                  + invitation.expiresAt()
                  + " (set STATUSDESK_PUBLIC_URL if people reach the service elsewhere)");
          return 0;
        });
  }

  /**
   * The two options of {@code create --first A --second B} (in either order), or empty when the
   * command line is anything else.
   */
  private static Optional<Map<String, String>> create(
      List<String> args, String first, String second) {
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i + 1 < args.size(); i += 2) {
      options.put(args.get(i), args.get(i + 1));
    }
    boolean valid =
        args.size() == 5
            && args.get(0).equals("create")
            && options.size() == 2
            && options.containsKey(first)
            && options.containsKey(second);
    return valid ? Optional.of(options) : Optional.empty();
  }

  /** A command's work on the service's database. */
  private interface DatabaseWork {
    int run(Vertx vertx, Pool pool, AppConfig config) throws Exception;
  }

  /**
   * Runs {@code work} on the database the service uses (its running embedded PostgreSQL, found
   * through data/pg/postmaster.pid, or STATUSDESK_DB_URL), migrated first; answers the exit code.
   */
  private static int onDatabase(
      Function<String, String> env, PrintStream err, String doing, DatabaseWork work) {
    Vertx vertx = Vertx.vertx();
    Database database = null;
    try {
      AppConfig config = AppConfig.fromEnvironment(env);
      database = Database.forCommand(config.dbUrl(), config.dataDir());
      database.migrate();
      Pool pool = database.pool(vertx, 1);
      try {
        return work.run(vertx, pool, config);
      } finally {
        pool.close();
      }
    } catch (ConfigException e) {
      e.errors().forEach(err::println);
      return 1;
    } catch (DomainException e) {
      err.println(e.getMessage());
      return 1;
    } catch (Exception e) {
      err.println("statusdesk: cannot " + doing + ": " + rootMessage(e));
      return 1;
    } finally {
      shutdown(vertx, database);
    }
  }

  private static int serve(List<String> args, PrintStream err, Function<String, String> env) {
    Path checksFile = null;
    boolean demo = false;
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--demo" -> demo = true;
        case "--checks" -> {
          if (i + 1 >= args.size()) {
            err.println("--checks needs a file");
            return 2;
          }
          checksFile = Path.of(args.get(++i));
        }
        default -> {
          err.println("unknown option '" + args.get(i) + "'");
          err.print(USAGE);
          return 2;
        }
      }
    }
    AppConfig config;
    try {
      config = AppConfig.fromEnvironment(env);
    } catch (ConfigException e) {
      e.errors().forEach(err::println);
      return 1;
    }
    Logger log = LoggerFactory.getLogger(Main.class);
    Clock clock = Clock.systemUTC();
    Vertx vertx = Vertx.vertx();
    Database database = null;
    try {
      ChecksConfig checks;
      if (demo) {
        DemoHelpdesk helpdesk = new DemoHelpdesk(config.demoPort(), clock);
        await(vertx.deployVerticle(helpdesk).toCompletionStage().toCompletableFuture());
        String port = String.valueOf(helpdesk.actualPort());
        Function<String, String> demoEnv =
            name -> "DEMO_PORT".equals(name) ? port : env.apply(name);
        checks = checksFile != null ? ChecksFile.load(checksFile, demoEnv) : demoChecks(demoEnv);
        log.info("demo helpdesk on http://127.0.0.1:{} (outages repeat every 12 minutes)", port);
      } else {
        checks = ChecksFile.load(checksFile == null ? Path.of("checks.yaml") : checksFile, env);
      }
      database =
          config.dbUrl().isPresent()
              ? Database.external(config.dbUrl().get())
              : Database.embedded(config.dataDir(), Database.Durability.DURABLE);
      Optional<String> refusal = durabilityRefusal(database, config.allowUnsafeDb());
      if (refusal.isPresent()) {
        err.println(refusal.get());
        shutdown(vertx, database);
        return 1;
      }
      database.migrate();
      Statusdesk service =
          await(
              Statusdesk.start(vertx, config, checks, database, clock)
                  .toCompletionStage()
                  .toCompletableFuture());
      Database db = database;
      // The embedded PostgreSQL registers its own shutdown hook, and hooks run concurrently, so
      // the orderly stop (probes drained, buffered results flushed) runs on the signal itself,
      // before System.exit starts the hooks.
      Runnable stop =
          () -> {
            try {
              service.stop().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
              vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
              db.close();
            } catch (Exception e) {
              log.warn("unclean shutdown: {}", e.toString());
            }
          };
      java.util.concurrent.atomic.AtomicBoolean stopping =
          new java.util.concurrent.atomic.AtomicBoolean();
      for (String signal : List.of("TERM", "INT")) {
        sun.misc.Signal.handle(
            new sun.misc.Signal(signal),
            s -> {
              if (!stopping.compareAndSet(false, true)) {
                return;
              }
              log.info("SIG{} received, stopping", signal);
              stop.run();
              System.exit(0);
            });
      }
      return waitForever();
    } catch (ConfigException e) {
      e.errors().forEach(err::println);
      shutdown(vertx, database);
      return 1;
    } catch (Exception e) {
      err.println("statusdesk: cannot start: " + rootMessage(e));
      log.debug("start-up failure", e);
      shutdown(vertx, database);
      return 1;
    }
  }

  /**
   * Why serving from {@code database} must not start: it can lose commits it acknowledged in a
   * crash, and the operator did not allow that explicitly. Blocking.
   */
  static Optional<String> durabilityRefusal(Database database, boolean allowUnsafe)
      throws SQLException {
    List<String> unsafe = database.unsafeSettings();
    if (unsafe.isEmpty()) {
      return Optional.empty();
    }
    String settings = String.join(", ", unsafe);
    if (allowUnsafe) {
      LoggerFactory.getLogger(Main.class)
          .warn(
              "the database runs with {}: a crash can lose "
                  + "writes it has acknowledged (allowed by STATUSDESK_ALLOW_UNSAFE_DB)",
              settings);
      return Optional.empty();
    }
    return Optional.of(
        "statusdesk: the database runs with "
            + settings
            + ": a crash can lose "
            + "writes it has acknowledged; use a durable PostgreSQL, or set "
            + "STATUSDESK_ALLOW_UNSAFE_DB=true for tests and throwaway demos");
  }

  private static ChecksConfig demoChecks(Function<String, String> env) throws ConfigException {
    try (InputStream in = Main.class.getResourceAsStream("/demo/checks.yaml")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return ChecksFile.parse("demo/checks.yaml", text, env);
    } catch (IOException e) {
      throw new ConfigException(List.of("demo/checks.yaml:1: cannot read: " + e.getMessage()));
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return await(future.toCompletionStage().toCompletableFuture());
  }

  private static <T> T await(java.util.concurrent.CompletableFuture<T> future) throws Exception {
    try {
      return future.get(120, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private static int waitForever() {
    try {
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static void shutdown(Vertx vertx, Database database) {
    vertx.close();
    if (database != null) {
      try {
        database.close();
      } catch (IOException ignored) {
        // already failing; the start-up error is what the operator needs
      }
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
