package io.statusdesk.app;

import io.statusdesk.Changes;
import io.statusdesk.MutableClock;
import io.statusdesk.notify.Dispatcher;
import io.statusdesk.notify.MailSettings;
import io.statusdesk.probe.CheckStatus;
import io.statusdesk.statuspage.StatusPageConfig;
import io.statusdesk.store.Database;
import io.statusdesk.store.TestDatabase;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Starts the real service in-process against a test database; blocking helpers for tests. */
public final class ServiceHarness implements AutoCloseable {
  public final Vertx vertx;
  public final String dbUrl;

  /**
   * The service's clock, kept across restarts. It runs with the system clock until a test moves it,
   * to cross an instant (a window's end, a heartbeat's silence, a session's idle timeout) without
   * waiting for it.
   */
  public final MutableClock clock = MutableClock.running();

  public Statusdesk service;

  /** Probes run by the last service instance, read once it stopped and flushed. */
  public double counterAfterStop;

  /** Results the last service instance dropped because its buffer was full. */
  public double droppedAfterStop;

  private final ChecksConfig checks;
  private final Database database;
  private final int resultBuffer;

  /** Tokens made so far, per role. */
  private final Map<String, Integer> tokens = new HashMap<>();

  /** Public page settings of the next start; tests that sign tenants in set a key here. */
  public StatusPageConfig statusPage = StatusPageConfig.defaults();

  /** How mail is sent from the next start on; notification tests point it at GreenMail. */
  public Optional<MailSettings> mail = Optional.empty();

  /** This instance's probe location from the next start on. */
  public String location = "test";

  /** Reverse proxies believed from the next start on; tests of forwarded requests set them. */
  public TrustedProxies trustedProxies = TrustedProxies.none();

  /** Who may use the console and the API from the next start on (empty: anyone). */
  public Networks adminAllow = Networks.parse("");

  private ServiceHarness(
      Vertx vertx, String dbUrl, Database database, ChecksConfig checks, int resultBuffer) {
    this.vertx = vertx;
    this.dbUrl = dbUrl;
    this.database = database;
    this.checks = checks;
    this.resultBuffer = resultBuffer;
    // the dispatcher sleeps until its next delivery falls due by the clock; a move may have
    // crossed that instant (the end of quiet hours), which its safety poll would find a minute on
    clock.onMove(() -> vertx.eventBus().publish(Dispatcher.WAKE, null));
    // likewise the status page times its next look by the clock (a window's start or end)
    clock.onMove(() -> vertx.eventBus().publish(Changes.ADDRESS, null));
  }

  /** Parses {@code yaml} (with {@code vars} as its environment) and starts the service. */
  public static ServiceHarness start(Vertx vertx, String yaml, Map<String, String> vars)
      throws Exception {
    ServiceHarness h = prepare(vertx, yaml, vars);
    h.restart();
    return h;
  }

  /** As {@link #start}, but not started: the test may move {@link #clock}, then restart. */
  public static ServiceHarness prepare(Vertx vertx, String yaml, Map<String, String> vars)
      throws Exception {
    String url = TestDatabase.fresh();
    return new ServiceHarness(
        vertx, url, Database.external(url), ChecksFile.parse("test.yaml", yaml, vars::get), 10_000);
  }

  /**
   * As {@link #prepare}, on the database at {@code dbUrl} that another service (a child process)
   * used before.
   */
  public static ServiceHarness prepareOn(
      Vertx vertx, String dbUrl, String yaml, Map<String, String> vars) throws Exception {
    return new ServiceHarness(
        vertx,
        dbUrl,
        Database.external(dbUrl),
        ChecksFile.parse("test.yaml", yaml, vars::get),
        10_000);
  }

  /** As {@link #start}, with the given public page settings (URL, framing, sign-in keys). */
  public static ServiceHarness start(
      Vertx vertx, String yaml, Map<String, String> vars, StatusPageConfig statusPage)
      throws Exception {
    return start(vertx, yaml, vars, statusPage, TrustedProxies.none());
  }

  /** As {@link #start}, believing forwarding headers from {@code proxies}. */
  public static ServiceHarness start(
      Vertx vertx,
      String yaml,
      Map<String, String> vars,
      StatusPageConfig statusPage,
      TrustedProxies proxies)
      throws Exception {
    return start(vertx, yaml, vars, statusPage, proxies, Optional.empty());
  }

  /** As {@link #start}, sending mail as {@code mail} says (a test SMTP server). */
  public static ServiceHarness start(
      Vertx vertx,
      String yaml,
      Map<String, String> vars,
      StatusPageConfig statusPage,
      TrustedProxies proxies,
      Optional<MailSettings> mail)
      throws Exception {
    String url = TestDatabase.fresh();
    ChecksConfig checks = ChecksFile.parse("test.yaml", yaml, vars::get);
    ServiceHarness h = new ServiceHarness(vertx, url, Database.external(url), checks, 10_000);
    h.statusPage = statusPage;
    h.trustedProxies = proxies;
    h.mail = mail;
    h.restart();
    return h;
  }

  /** As {@link #start}, but the service connects through {@code connectUrl} (e.g. a proxy). */
  public static ServiceHarness startOn(
      Vertx vertx, String dbUrl, String connectUrl, String yaml, Map<String, String> vars)
      throws Exception {
    return startOn(vertx, dbUrl, connectUrl, yaml, vars, 10_000);
  }

  /** As {@link #startOn}, holding at most {@code resultBuffer} results while the DB is away. */
  public static ServiceHarness startOn(
      Vertx vertx,
      String dbUrl,
      String connectUrl,
      String yaml,
      Map<String, String> vars,
      int resultBuffer)
      throws Exception {
    ChecksConfig checks = ChecksFile.parse("test.yaml", yaml, vars::get);
    ServiceHarness h =
        new ServiceHarness(vertx, dbUrl, Database.external(connectUrl), checks, resultBuffer);
    h.restart();
    return h;
  }

  /** One instance of a cluster at {@code location}, on the database at {@code dbUrl}. */
  public static ServiceHarness instance(
      Vertx vertx, String dbUrl, String connectUrl, String yaml, String location) throws Exception {
    ChecksConfig checks = ChecksFile.parse("test.yaml", yaml, Map.<String, String>of()::get);
    ServiceHarness h =
        new ServiceHarness(vertx, dbUrl, Database.external(connectUrl), checks, 10_000);
    h.location = location;
    h.restart();
    return h;
  }

  /** As {@link #start}, on {@code database} (e.g. an embedded cluster of the test's own). */
  public static ServiceHarness startOn(
      Vertx vertx, Database database, String yaml, Map<String, String> vars) throws Exception {
    ChecksConfig checks = ChecksFile.parse("test.yaml", yaml, vars::get);
    ServiceHarness h = new ServiceHarness(vertx, database.url(), database, checks, 10_000);
    h.restart();
    return h;
  }

  public void restart() throws Exception {
    AppConfig config =
        new AppConfig(
            "127.0.0.1",
            0,
            Optional.of(database.url()),
            null,
            location,
            resultBuffer,
            0,
            statusPage,
            trustedProxies,
            Optional.of(new AppConfig.HostPort("127.0.0.1", 0)),
            true,
            mail,
            adminAllow);
    service =
        Statusdesk.start(vertx, config, checks, database, clock)
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
  }

  public void stop() throws Exception {
    if (service != null) {
      service.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      counterAfterStop = counter("statusdesk.probes");
      droppedAfterStop = counter("statusdesk.results.dropped");
      service = null;
    }
  }

  /** A new API token of {@code role}, made the way an operator makes one: the CLI. */
  public String token(String role) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    Map<String, String> env = Map.of("STATUSDESK_DB_URL", dbUrl);
    // names are unique: a second token of a role gets a number
    int n = tokens.merge(role, 1, Integer::sum);
    String name = role + "-test" + (n == 1 ? "" : "-" + n);
    int code =
        DataCommands.token(
            List.of("create", "--role", role, "--name", name),
            new PrintStream(out),
            new PrintStream(err),
            env::get);
    if (code != 0) {
      throw new IllegalStateException("token create failed: " + err);
    }
    return out.toString(StandardCharsets.UTF_8).trim();
  }

  public CheckStatus status(String key) {
    return service.board().get(key);
  }

  public long count(String sql) throws Exception {
    try (Connection c = TestDatabase.connect(dbUrl);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  public String text(String sql) throws Exception {
    try (Connection c = TestDatabase.connect(dbUrl);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** Runs a statement against the service's database, as a test's setup. */
  public void execute(String sql) throws Exception {
    try (Connection c = TestDatabase.connect(dbUrl);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  public double counter(String name, String... tags) {
    var search = service.registry().find(name);
    if (tags.length > 0) {
      search = search.tags(tags);
    }
    return search.counters().stream().mapToDouble(c -> c.count()).sum();
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
