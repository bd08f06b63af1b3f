import io.statusdesk.ledger.LedgerRepository;
import io.statusdesk.store.Database;
import io.statusdesk.tenant.Plans;
import io.statusdesk.tenant.Tenant;
import io.statusdesk.tenant.TenantRepository;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * See run.sh. Runs the service jar, writes through its HTTP API while killing its PostgreSQL and
 * the service itself, then opens the data directory afresh and compares what the service
 * acknowledged with what is stored.
 */
public class ChaosBench {
  private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
  private static final int CHECKS = 50;
  private static final int TENANTS = 200;
  private static final Duration BETWEEN_CRASHES = Duration.ofSeconds(4);
  // HTTP/1.1: the JDK client's h2c upgrade can hang past the request timeout when the server
  // on the other end was killed.
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private static final Pattern WRITTEN =
      Pattern.compile("(?m)^statusdesk_results_written_total(?:\\{[^}]*})? ([0-9.E+]+)$");

  /** One crash: what it was, when, how long until /health said 200 again. */
  record Crash(String kind, Instant at, Duration recovery, double resultsWrittenBefore) {}

  /** A write the service acknowledged, and when. */
  record Ack(String key, Instant at) {}

  private final Path dir = Path.of("target", "bench-chaos").toAbsolutePath();
  private final Path data = dir.resolve("data");
  private final int port;
  private final String base;
  private final YearMonth month = YearMonth.now(SEOUL).minusMonths(1);
  private final List<Crash> crashes = new CopyOnWriteArrayList<>();
  private final List<Ack> applications = new CopyOnWriteArrayList<>();
  private final List<Ack> closes = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> closeEntries = new ConcurrentHashMap<>();
  private volatile boolean stopping;
  private volatile RuntimeException failure;

  /** statusdesk_results_written_total of the running service, read every 100 ms. */
  private volatile double written;

  /** What the services before the running one had written, by their last reading. */
  private volatile double writtenByEarlier;

  private Process service;
  private int serviceRuns;

  ChaosBench() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    base = "http://127.0.0.1:" + port;
  }

  public static void main(String[] args) throws Exception {
    int postmasterKills = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    new ChaosBench().run(Math.max(1, postmasterKills));
  }

  void run(int postmasterKills) throws Exception {
    if (Files.exists(dir)) {
      try (var walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(dir);
    Vertx vertx = Vertx.vertx();
    int target =
        vertx
            .createHttpServer()
            .requestHandler(req -> req.response().end("{\"status\":\"UP\"}"))
            .listen(0, "127.0.0.1")
            .await()
            .actualPort();
    Path checks = writeChecks(target);
    startService(checks);
    String billing = token("billing");
    String operator = token("operator");
    seed(vertx, operator);
    // The first close gives the tenants the credit the applications draw on.
    close(billing);

    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int worker = w;
      workers.add(start(() -> applyLoop(billing, worker)));
    }
    workers.add(start(() -> closeLoop(billing)));
    workers.add(start(this::watchMetrics));

    // Postmaster kills, the service kill once after the first half of them, then the rest.
    int before = (postmasterKills + 1) / 2;
    for (int k = 0; k < postmasterKills + 1; k++) {
      Thread.sleep(BETWEEN_CRASHES.toMillis());
      if (k == before) {
        killService(checks);
      } else {
        killPostmaster();
      }
    }
    Thread.sleep(BETWEEN_CRASHES.toMillis());
    stopping = true;
    for (Thread t : workers) {
      t.join();
    }
    if (failure != null) {
      service.destroy();
      throw failure;
    }
    Instant end = Instant.now();
    double writtenAtEnd = writtenByEarlier + written;
    service.destroy();
    service.waitFor(60, TimeUnit.SECONDS);
    vertx.close().await();
    report(end, writtenAtEnd);
  }

  private Path writeChecks(int target) throws IOException {
    StringBuilder yaml =
        new StringBuilder(
            """
            plans: {continent: 19000, earth: 39000, universe: 59000, island: 0}
            defaults: {interval: 1s, timeout: 500ms, failure_threshold: 3, success_threshold: 2}
            components:
              - id: ticketing
                impact: major
                cells:
            """);
    for (int i = 0; i < CHECKS; i++) {
      yaml.append("      - {id: k")
          .append(i)
          .append(", url: \"http://127.0.0.1:")
          .append(target)
          .append("/k")
          .append(i)
          .append("\"}\n");
    }
    Path file = dir.resolve("checks.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private ProcessBuilder jar(String... args) {
    List<String> command =
        new ArrayList<>(List.of("java", "-Xmx512m", "-jar", "target/statusdesk.jar"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("STATUSDESK_HTTP_PORT", String.valueOf(port));
    pb.environment().put("STATUSDESK_DATA_DIR", data.toString());
    return pb;
  }

  private void startService(Path checks) throws Exception {
    serviceRuns++;
    service =
        jar("serve", "--checks", checks.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("service-" + serviceRuns + ".log").toFile())
            .start();
    waitForHealth();
  }

  private String token(String role) throws Exception {
    Process p =
        jar("token", "create", "--role", role, "--name", "chaos-" + role)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String token = new String(p.getInputStream().readAllBytes()).trim();
    if (p.waitFor() != 0 || token.isEmpty()) {
      throw new IllegalStateException("token create failed");
    }
    return token;
  }

  /**
   * Tenants paying since two months ago (recorded through the tenant repository, which the API
   * cannot date back), and an eight-hour major incident last month: 10 % credit each.
   */
  private void seed(Vertx vertx, String operator) throws Exception {
    Database db = Database.forCommand(Optional.empty(), data);
    Pool pool = db.pool(vertx, 2);
    Plans plans = Plans.standard();
    List<Tenant> tenants = new ArrayList<>();
    for (int i = 0; i < TENANTS; i++) {
      tenants.add(
          Tenant.of(
              tenant(i),
              "Tenant " + i,
              "earth",
              1 + i % 5,
              "current",
              List.of("k" + i % CHECKS),
              plans));
    }
    new TenantRepository(pool, new LedgerRepository(pool, plans))
        .write(
            tenants, "chaos-bench", month.minusMonths(1).atDay(1).atStartOfDay(SEOUL).toInstant())
        .await();
    pool.close().await();
    String day = month.atDay(10).toString();
    HttpResponse<String> incident =
        post(
            "/api/v1/incidents",
            operator,
            """
            {"title": "Chaos bench outage", "components": ["ticketing"], "class": "major",
             "started_at": "%sT10:00:00+09:00", "resolved_at": "%sT18:00:00+09:00",
             "status": "resolved", "message": "seeded"}\
            """
                .formatted(day, day));
    if (incident.statusCode() != 201) {
      throw new IllegalStateException("incident: " + incident.statusCode() + " " + incident.body());
    }
  }

  private static String tenant(int i) {
    return String.format("t%03d", i);
  }

  /** Applications of 1 KRW, each retried with its key until the service acknowledges it. */
  private void applyLoop(String billing, int worker) {
    for (int n = 0; !stopping; n++) {
      String key = "w" + worker + "-" + n;
      String body =
          """
          {"tenant_id": "%s", "amount_krw": 1, "invoice_ref": "INV-%s", "idempotency_key": "%s"}\
          """
              .formatted(tenant((n * 2 + worker) % TENANTS), key, key);
      while (true) {
        Optional<HttpResponse<String>> r = attempt("/api/v1/ledger/applications", billing, body);
        int status = r.map(HttpResponse::statusCode).orElse(0);
        if (status == 201 || status == 200) {
          applications.add(new Ack(key, Instant.now()));
          break;
        }
        if (status >= 400 && status < 500) {
          throw new IllegalStateException("application refused: " + r.get().body());
        }
        if (stopping) {
          return;
        }
        pause(100);
      }
    }
  }

  /** Closes last month again every two seconds: each re-close must write nothing. */
  private void closeLoop(String billing) {
    while (!stopping) {
      pause(2_000);
      close(billing);
    }
  }

  /** Closes last month, retrying until the service acknowledges it (or the run stops). */
  private void close(String billing) {
    while (!stopping) {
      Optional<HttpResponse<String>> r = attempt("/api/v1/months/" + month + "/close", billing, "");
      if (r.isPresent() && r.get().statusCode() == 200) {
        Matcher m = Pattern.compile("\"entries_written\":(\\d+)").matcher(r.get().body());
        String key = "close-" + closes.size();
        closeEntries.put(key, m.find() ? Integer.parseInt(m.group(1)) : -1);
        closes.add(new Ack(key, Instant.now()));
        return;
      }
      if (r.isPresent() && r.get().statusCode() < 500) {
        throw new IllegalStateException("close refused: " + r.get().body());
      }
      pause(100);
    }
  }

  private void watchMetrics() {
    while (!stopping) {
      try {
        Matcher m = WRITTEN.matcher(get("/metrics").body());
        if (m.find()) {
          written = Double.parseDouble(m.group(1));
        }
      } catch (Exception notUp) {
        // restarting
      }
      pause(100);
    }
  }

  private void killPostmaster() throws Exception {
    long pid =
        Long.parseLong(
            Files.readAllLines(data.resolve("pg").resolve("postmaster.pid")).get(0).trim());
    double before = writtenByEarlier + written;
    Instant at = Instant.now();
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    // /health turns 503 within the supervisor's 0.2 s watch; then wait for 200.
    long deadline = System.currentTimeMillis() + 5_000;
    while (healthStatus() == 200 && System.currentTimeMillis() < deadline) {
      pause(20);
    }
    waitForHealth();
    crashes.add(new Crash("postmaster kill -9", at, Duration.between(at, Instant.now()), before));
  }

  private void killService(Path checks) throws Exception {
    double before = writtenByEarlier + written;
    Instant at = Instant.now();
    service.destroyForcibly().waitFor();
    writtenByEarlier = before;
    written = 0;
    startService(checks);
    crashes.add(new Crash("service kill -9", at, Duration.between(at, Instant.now()), before));
  }

  /** What was acknowledged in the windows before the crashes of one kind, and what was found. */
  static final class Tally {
    int crashes;
    Duration slowest = Duration.ZERO;
    long applications;
    long applicationsFound;
    long applicationsDuplicated;
    long closes;
    long closesFound;
    long resultsWritten;
    long resultsStored;
    long holes;
  }

  private void report(Instant end, double writtenAtEnd) throws Exception {
    try (Database db = Database.embedded(data, Database.Durability.DURABLE);
        Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://" + db.url().substring(db.url().indexOf('@') + 1),
                "postgres",
                "postgres");
        Statement s = c.createStatement()) {
      Map<String, Long> stored = new HashMap<>();
      try (ResultSet rs =
          s.executeQuery(
              "SELECT idempotency_key, count(*) FROM ledger_entries "
                  + "WHERE kind = 'application' GROUP BY 1")) {
        while (rs.next()) {
          stored.put(rs.getString(1), rs.getLong(2));
        }
      }
      String ofMonth = "FROM ledger_entries WHERE month = '" + month + "'";
      long issues = number(s, "SELECT count(*) " + ofMonth + " AND kind = 'issue'");
      long otherEntries = number(s, "SELECT count(*) " + ofMonth + " AND kind <> 'issue'");
      long revisions =
          number(s, "SELECT count(*) FROM month_reports WHERE month = '" + month + "'");
      boolean closed = revisions == 1 && issues == TENANTS && otherEntries == 0;
      long rows = number(s, "SELECT count(*) FROM probe_results");
      long rollupExtra =
          number(s, "SELECT coalesce(sum(up + degraded + down), 0) FROM " + "probe_rollup_minute")
              - rows;
      List<Instant> holes = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              """
              SELECT previous FROM (
                SELECT check_id, probed_at,
                  lag(probed_at) OVER (PARTITION BY check_id ORDER BY probed_at) AS previous
                FROM probe_results) s
              WHERE probed_at - previous > interval '1.5 seconds'
                AND NOT EXISTS (SELECT 1 FROM monitoring_gaps g WHERE g.check_id = s.check_id
                  AND g.started_at <= s.previous AND g.ended_at >= s.probed_at)\
              """)) {
        while (rs.next()) {
          holes.add(rs.getTimestamp(1).toInstant());
        }
      }
      List<Instant> probed = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT probed_at FROM probe_results")) {
        while (rs.next()) {
          probed.add(rs.getTimestamp(1).toInstant());
        }
      }

      List<Crash> windows = new ArrayList<>(crashes);
      windows.add(new Crash("(after the last crash)", end, Duration.ZERO, writtenAtEnd));
      Map<String, Tally> byKind = new LinkedHashMap<>();
      Instant from = Instant.EPOCH;
      double writtenBefore = 0;
      for (Crash k : windows) {
        Instant since = from;
        Instant until = k.at();
        Tally t = byKind.computeIfAbsent(k.kind(), x -> new Tally());
        t.crashes++;
        t.slowest = k.recovery().compareTo(t.slowest) > 0 ? k.recovery() : t.slowest;
        for (Ack a : applications) {
          if (!a.at().isBefore(since) && a.at().isBefore(until)) {
            long n = stored.getOrDefault(a.key(), 0L);
            t.applications++;
            t.applicationsFound += n > 0 ? 1 : 0;
            t.applicationsDuplicated += Math.max(0, n - 1);
          }
        }
        t.closes +=
            closes.stream().filter(a -> !a.at().isBefore(since) && a.at().isBefore(until)).count();
        t.closesFound = closed ? t.closes : 0;
        t.resultsWritten += Math.round(k.resultsWrittenBefore() - writtenBefore);
        t.resultsStored +=
            probed.stream().filter(p -> !p.isBefore(since) && p.isBefore(until)).count();
        t.holes += holes.stream().filter(p -> !p.isBefore(since) && p.isBefore(until)).count();
        from = until;
        writtenBefore = k.resultsWrittenBefore();
      }

      System.out.printf(
          "%d checks every 1 s, %d paying tenants, month closed: %s%n%n", CHECKS, TENANTS, month);
      System.out.println(
          "Writes acknowledged since the previous crash, up to the crash, and "
              + "what the data directory holds afterwards:");
      System.out.println();
      System.out.println(
          "| crash | n | back in (max) | applications acked | found | lost | "
              + "duplicated | closes acked | found | lost | results written (metrics) | stored "
              + "(probed in window) | holes |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
      for (Map.Entry<String, Tally> e : byKind.entrySet()) {
        Tally t = e.getValue();
        System.out.printf(
            "| %s | %d | %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |%n",
            e.getKey(),
            t.crashes,
            t.slowest.isZero() ? "-" : String.format("%.1f s", t.slowest.toMillis() / 1000.0),
            t.applications,
            t.applicationsFound,
            t.applications - t.applicationsFound,
            t.applicationsDuplicated,
            t.closes,
            t.closesFound,
            t.closes - t.closesFound,
            t.resultsWritten,
            t.resultsStored,
            t.holes);
      }
      System.out.println();
      System.out.printf(
          "applications: %d acknowledged, %d stored (unacknowledged retries "
              + "included), %d lost, %d duplicated%n",
          applications.size(),
          stored.size(),
          applications.stream().filter(a -> !stored.containsKey(a.key())).count(),
          stored.values().stream().mapToLong(n -> n - 1).sum());
      System.out.printf(
          "month close: %d acknowledged (the first wrote %d entries, later ones "
              + "at most %d); %d report revision, %d issue entries for %d tenants, %d other%n",
          closes.size(),
          closeEntries.getOrDefault("close-0", -1),
          closeEntries.entrySet().stream()
              .filter(x -> !x.getKey().equals("close-0"))
              .mapToInt(Map.Entry::getValue)
              .max()
              .orElse(0),
          revisions,
          issues,
          TENANTS,
          otherEntries);
      System.out.printf(
          "probe results: written >= %.0f (counter read every 0.1 s), stored %d, "
              + "rollups minus raw rows %d, holes without a gap %d, monitor_down gaps %d%n",
          writtenAtEnd,
          rows,
          rollupExtra,
          holes.size(),
          number(s, "SELECT count(*) FROM monitoring_gaps WHERE reason = 'monitor_down'"));
    }
  }

  /** Runs {@code body} on a thread of its own; a failure stops the run and is reported. */
  private Thread start(Runnable body) {
    Thread t =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (RuntimeException e) {
                failure = e;
                stopping = true;
              }
            });
    t.start();
    return t;
  }

  private static long number(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private Optional<HttpResponse<String>> attempt(String path, String token, String body) {
    try {
      return Optional.of(post(path, token, body));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private HttpResponse<String> post(String path, String token, String body)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)));
  }

  /** Sends with a bound the client cannot overstay: a request to a killed service just fails. */
  private static HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    try {
      return HTTP.sendAsync(
              request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString())
          .get(12, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException(e);
    }
  }

  private int healthStatus() {
    try {
      return get("/health").statusCode();
    } catch (IOException | InterruptedException e) {
      return 0;
    }
  }

  private void waitForHealth() throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    while (healthStatus() != 200) {
      if (!service.isAlive()) {
        throw new IllegalStateException(
            "service exited; see " + dir + "/service-" + serviceRuns + ".log");
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("service did not become healthy");
      }
      pause(50);
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
