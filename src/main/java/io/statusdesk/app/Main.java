package io.statusdesk.app;

import io.statusdesk.store.Database;
import io.statusdesk.tenant.Plans;
import io.statusdesk.tenant.PriceList;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar statusdesk.jar <command>}: see {@link #USAGE}. */
public final class Main {
  private static final String USAGE =
      """
      usage: statusdesk <command>
        serve [--checks FILE] [--demo]   run the service (default checks file: checks.yaml)
        check-config [FILE]              validate a checks file (default: checks.yaml)
        sla evaluate FILE                evaluate SLA cases (sla-vectors.json format) to JSON
        token create --role ROLE --name NAME
                                         print a new API token (operator, billing or viewer)
        token list                       list API tokens (never their secrets)
        token revoke NAME                revoke a token; running services refuse it at once
        tenant sign-in-url TENANT [--minutes N] [--private-key-file PEM]
                                         print a link that signs TENANT in to its view once
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
        return usageOn(DataCommands.token(rest, out, err, env), err);
      case "tenant":
        return usageOn(DataCommands.tenant(rest, out, err, env), err);
      case "account":
        return usageOn(DataCommands.account(rest, out, err, env), err);
      case "help", "--help", "-h":
        out.print(USAGE);
        return 0;
      default:
        err.println("unknown command '" + args[0] + "'");
        err.print(USAGE);
        return 2;
    }
  }

  /** Prints the usage after a command used wrongly. */
  private static int usageOn(int exit, PrintStream err) {
    if (exit == DataCommands.USAGE) {
      err.print(USAGE);
    }
    return exit;
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
        checks = DemoMode.start(vertx, config, checksFile, env, clock);
        config = DemoMode.signIn(config);
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
      if (demo) {
        DemoMode.seed(vertx, database, checks, checksFile == null, clock);
      }
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

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
