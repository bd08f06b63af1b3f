package io.statusdesk.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.statusdesk.store.Database;
import io.statusdesk.tenant.Plans;
import io.statusdesk.tenant.PriceList;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DateTimeException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar statusdesk.jar <command>}: see {@link #USAGE}. */
public final class Main {
  private static final String USAGE =
      """
      usage: statusdesk <command>
        serve [--checks FILE] [--demo]   run the service (default checks file: checks.yaml)
        agent --location NAME --server URL --token TOKEN [--checks FILE]
                                         probe from another location, push to the service
        check-config [FILE]              validate a checks file (default: checks.yaml)
        sla evaluate FILE                evaluate SLA cases (sla-vectors.json format) to JSON
        token create --role ROLE --name NAME
                                         print a new API token (operator, billing, viewer or
                                         agent)
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
    return switch (args[0]) {
      case "serve" -> serve(rest, err, env);
      case "agent" -> agent(rest, err, env);
      case "check-config" -> checkConfig(rest, out, err, env);
      case "sla" -> sla(rest, out, err);
      case "token" -> usageOn(DataCommands.token(rest, out, err, env), err);
      case "tenant" -> usageOn(DataCommands.tenant(rest, out, err, env), err);
      case "account" -> usageOn(DataCommands.account(rest, out, err, env), err);
      case "help", "--help", "-h" -> {
        out.print(USAGE);
        yield 0;
      }
      default -> {
        err.println("unknown command '" + args[0] + "'");
        err.print(USAGE);
        yield 2;
      }
    };
  }

  /**
   * On SIGTERM, SIGINT or exit, in this order: probes drained and buffered results flushed, Vert.x
   * closed, then the embedded PostgreSQL stopped. It is the only shutdown hook: the embedded
   * PostgreSQL registers none of its own, so nothing stops the database under the last flush.
   */
  private static void stopOnExit(
      Vertx vertx, Database database, AtomicReference<Statusdesk> running, Logger log) {
    Runnable stop =
        () -> {
          try {
            Statusdesk service = running.get();
            if (service != null) {
              log.info("stopping");
              service.stop().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
            }
          } catch (Exception e) {
            log.warn("unclean shutdown: {}", e.toString());
          } finally {
            shutdown(vertx, database);
          }
        };
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "statusdesk-stop"));
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
      var mapper = new ObjectMapper();
      var file = mapper.readTree(Path.of(args.get(1)).toFile());
      out.println(
          mapper
              .writerWithDefaultPrettyPrinter()
              .writeValueAsString(SlaCaseFile.evaluate(file, PriceList.of(Plans.standard()))));
      return 0;
    } catch (IOException | IllegalArgumentException | DateTimeException e) {
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
    Vertx vertx = vertx(log);
    Database database = null;
    try {
      ChecksConfig checks =
          demo
              ? null
              : ChecksFile.load(checksFile == null ? Path.of("checks.yaml") : checksFile, env);
      if (checks != null) {
        // a configuration mistake stops the service before it touches the database
        refuseUnsentEmail(checks, config);
      }
      // the data directory first: a second service on it is told so before it binds any port
      database =
          config.dbUrl().isPresent()
              ? Database.external(config.dbUrl().get())
              : Database.embedded(config.dataDir(), Database.Durability.DURABLE);
      AtomicReference<Statusdesk> running = new AtomicReference<>();
      stopOnExit(vertx, database, running, log);
      if (demo) {
        checks = DemoMode.start(vertx, config, checksFile, env, clock);
        config = DemoMode.signIn(config);
      }
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
      running.set(
          await(
              Statusdesk.start(vertx, config, checks, database, clock)
                  .toCompletionStage()
                  .toCompletableFuture()));
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

  /** Email channels need a mail server: without one their alerts would only pile up. */
  private static void refuseUnsentEmail(ChecksConfig checks, AppConfig config)
      throws ConfigException {
    List<String> unsent = checks.notifications().emailChannels();
    if (config.mail().isEmpty() && !unsent.isEmpty()) {
      throw new ConfigException(
          unsent.stream()
              .map(
                  c ->
                      checks.source()
                          + ": channel '"
                          + c
                          + "' sends email: set STATUSDESK_SMTP_URL and STATUSDESK_MAIL_FROM")
              .toList());
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

  /**
   * Probes from another location with no database: {@code --location}, {@code --server} (the
   * service's URL), {@code --token} (role agent; or {@code STATUSDESK_AGENT_TOKEN}, kept out of the
   * process list), {@code --checks} (the service's checks file, default checks.yaml).
   */
  private static int agent(List<String> args, PrintStream err, Function<String, String> env) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.size(); i += 2) {
      options.put(args.get(i), args.get(i + 1));
    }
    String location = options.get("--location");
    String server = options.get("--server");
    String token = options.getOrDefault("--token", env.apply("STATUSDESK_AGENT_TOKEN"));
    if (args.size() % 2 != 0
        || !Set.of("--location", "--server", "--token", "--checks").containsAll(options.keySet())
        || location == null
        || server == null
        || token == null
        || token.isBlank()) {
      err.print(USAGE);
      return 2;
    }
    if (!location.matches("[a-z0-9-]{1,32}")) {
      err.println("--location: must match [a-z0-9-]{1,32}, not '" + location + "'");
      return 2;
    }
    if (!server.matches("https?://[A-Za-z0-9.:\\[\\]-]+/?")) {
      err.println("--server: the service's http(s) URL, e.g. https://status.example.com");
      return 2;
    }
    Logger log = LoggerFactory.getLogger(Main.class);
    Vertx vertx = vertx(log);
    try {
      AppConfig config = AppConfig.fromEnvironment(env);
      ChecksConfig checks =
          ChecksFile.load(Path.of(options.getOrDefault("--checks", "checks.yaml")), env);
      if (!checks.locations().allows(location)) {
        err.println(
            "--location: '"
                + location
                + "' is not one of the locations in the checks file ("
                + String.join(", ", checks.locations().names())
                + ")");
        shutdown(vertx, null);
        return 2;
      }
      Agent agent =
          await(
              Agent.start(
                      vertx,
                      checks,
                      location,
                      URI.create(server),
                      token.trim(),
                      config.resultBuffer(),
                      Clock.systemUTC())
                  .toCompletionStage()
                  .toCompletableFuture());
      // On SIGTERM or SIGINT: probes drained and buffered results pushed, then Vert.x closed.
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      log.info("stopping");
                      agent
                          .stop()
                          .toCompletionStage()
                          .toCompletableFuture()
                          .get(15, TimeUnit.SECONDS);
                    } catch (Exception e) {
                      log.warn("unclean shutdown: {}", e.toString());
                    } finally {
                      shutdown(vertx, null);
                    }
                  },
                  "statusdesk-stop"));
      return waitForever();
    } catch (ConfigException e) {
      e.errors().forEach(err::println);
      shutdown(vertx, null);
      return 1;
    } catch (Exception e) {
      err.println("statusdesk: cannot start the agent: " + rootMessage(e));
      shutdown(vertx, null);
      return 1;
    }
  }

  /** How this process appears among the members: host and process id. */
  static String instanceName() {
    String host = System.getenv("HOSTNAME");
    return (host == null || host.isBlank() ? "localhost" : host)
        + ":"
        + ProcessHandle.current().pid();
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    try {
      return future.get(120, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
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

  /** Closes Vert.x (waiting up to 5 s), then the database; running it twice does no harm. */
  private static void shutdown(Vertx vertx, Database database) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // closing anyway; the database comes next
    }
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

  /**
   * Vert.x on Netty's native epoll transport where there is one (Linux on x86-64 or arm64): each
   * probe costs fewer system calls and wake-ups than with the JDK's selector. Its blocked-thread
   * checker looks every two seconds, the longest an event loop may run before it warns anyway.
   */
  private static Vertx vertx(Logger log) {
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions().setPreferNativeTransport(true).setBlockedThreadCheckInterval(2_000));
    if (!vertx.isNativeTransportEnabled()) {
      log.info(
          "native transport unavailable, using the JDK's: {}",
          String.valueOf(vertx.unavailableNativeTransportCause()));
    }
    return vertx;
  }
}
