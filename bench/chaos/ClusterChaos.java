import io.statusdesk.store.Database;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * See run.sh (cluster). Three serve instances and two agents (child processes) on one PostgreSQL
 * that this benchmark runs embedded, 300 checks at 1 s; kill -9 an instance, an agent and the
 * postmaster (its supervisor here starts it again over the stale postmaster.pid), SIGSTOP
 * PostgreSQL, and cut an agent's network (its pushes through a proxy this benchmark cuts, and its
 * targets failing meanwhile). Month closes stream in through the instances. Then the database is
 * checked: holes without a gap, duplicate results, outages of targets that never failed, ledger
 * entries written twice, month closes that are not exactly one.
 */
public class ClusterChaos {
  private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
  private static final int CHECKS = 300;
  private static final int TENANTS = 50;
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private final Path dir = Path.of("target", "bench-chaos-cluster").toAbsolutePath();
  private final YearMonth month = YearMonth.now(SEOUL).minusMonths(1);
  private final Vertx vertx = Vertx.vertx();
  private final List<Integer> ports = new ArrayList<>();
  private final Process[] instances = new Process[3];
  private final Process[] agents = new Process[2];
  private final List<String> log = new ArrayList<>();
  private final AtomicInteger closes = new AtomicInteger();
  private final Set<String> cutAgents = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;
  private Database db;
  private Path checks;
  private String agentToken;
  private int agentProxyPort;
  private final Set<NetSocket> agentSockets = ConcurrentHashMap.newKeySet();

  public static void main(String[] args) throws Exception {
    int stopSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    new ClusterChaos().run(stopSeconds);
  }

  void run(int stopSeconds) throws Exception {
    if (Files.exists(dir)) {
      try (var walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(dir);
    int central = target(path -> 200);
    int edge = target(path -> cutAgents.contains("a2") && path.startsWith("/a2/") ? 503 : 200);
    checks = writeChecks(central, edge);
    db = Database.embedded(dir.resolve("data"), Database.Durability.DURABLE);
    try {
      db.migrate();
      for (int i = 0; i < 3; i++) {
        ports.add(freePort());
        instances[i] = startInstance(i);
      }
      for (int i = 0; i < 3; i++) {
        waitReady(i);
      }
      String billing = token("billing");
      String operator = token("operator");
      agentToken = token("agent");
      seed(billing, operator);
      agentProxyPort = agentProxy(ports.get(1));
      agents[0] = startAgent("a1", ports.get(2));
      agents[1] = startAgent("a2", agentProxyPort);
      Thread closer = new Thread(() -> closeLoop(billing));
      closer.start();
      pause(15);

      step("kill -9 instance 1");
      instances[0].destroyForcibly().waitFor();
      pause(10);
      instances[0] = startInstance(0);
      waitReady(0);
      pause(5);
      step("kill -9 agent a1");
      agents[0].destroyForcibly().waitFor();
      pause(5);
      agents[0] = startAgent("a1", ports.get(2));
      pause(10);
      step("kill -9 the postmaster");
      long postmaster = postmaster();
      ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();
      while (postmaster() == postmaster || db.restarting()) {
        Thread.sleep(100);
      }
      step("PostgreSQL back");
      pause(10);
      step("SIGSTOP PostgreSQL for " + stopSeconds + " s");
      signal("STOP");
      pause(stopSeconds);
      signal("CONT");
      step("SIGCONT PostgreSQL");
      pause(20);
      step("cut agent a2's network for 30 s");
      cutAgents.add("a2");
      agentSockets.forEach(NetSocket::close);
      pause(30);
      cutAgents.remove("a2");
      step("agent a2's network back");
      pause(30);
      stopping = true;
      closer.join();
      for (Process p : agents) {
        p.destroy();
        p.waitFor();
      }
      for (Process p : instances) {
        p.destroy();
        p.waitFor();
      }
      report();
    } finally {
      for (Process p : agents) {
        if (p != null) {
          p.destroyForcibly();
        }
      }
      for (Process p : instances) {
        if (p != null) {
          p.destroyForcibly();
        }
      }
      db.close();
      vertx.close();
    }
  }

  private void report() throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://" + db.url().substring(db.url().indexOf('@') + 1),
                "postgres",
                "postgres");
        Statement s = c.createStatement()) {
      Map<String, Long> figures = new LinkedHashMap<>();
      figures.put("results stored", number(s, "SELECT count(*) FROM probe_results"));
      figures.put(
          "cells x locations unprobed > 2 intervals outside a recorded gap",
          number(
              s,
              """
              SELECT count(*) FROM (
                SELECT check_id, location, probed_at,
                  lag(probed_at) OVER (PARTITION BY check_id, location ORDER BY probed_at) AS prev
                FROM probe_results) r
              WHERE probed_at - prev > interval '2 seconds'
                AND NOT EXISTS (SELECT 1 FROM monitoring_gaps g WHERE g.check_id = r.check_id
                  AND g.location = r.location AND g.started_at <= r.prev
                  AND g.ended_at >= r.probed_at)\
              """));
      figures.put(
          "duplicate results (rollup counts minus rows)",
          number(s, "SELECT sum(up + degraded + down) FROM probe_rollup_minute")
              - number(s, "SELECT count(*) FROM probe_results"));
      figures.put(
          "outages (targets never failed)",
          number(s, "SELECT count(*) FROM outages WHERE source = 'probe'"));
      figures.put(
          "network events (a2 cut off)",
          number(s, "SELECT count(*) FROM outages WHERE source = 'network'"));
      // Each failing run a2 reported (its failure, to its next state change) and whether an
      // outage of its component, counted or network, covers it to the second.
      String a2Runs =
          """
          WITH runs AS (
            SELECT l.check_id, l.location, l.state, l.since,
              lead(l.since) OVER (PARTITION BY l.check_id, l.location ORDER BY l.since) AS until
            FROM location_health_log l)
          SELECT count(*) FROM runs r JOIN checks c ON c.id = r.check_id
          WHERE r.location = 'a2' AND r.state = 'failing'\
          """;
      figures.put("failing runs a2 reported", number(s, a2Runs));
      figures.put(
          "of those, not covered by an outage (network or counted)",
          number(
              s,
              a2Runs
                  + """

                  AND NOT EXISTS (SELECT 1 FROM outages o WHERE o.component = c.component
                    AND o.started_at <= date_trunc('second', r.since)
                    AND (o.ended_at IS NULL
                      OR o.ended_at >= date_trunc('second', coalesce(r.until, now()))))\
                  """));
      figures.put("monitoring gaps", number(s, "SELECT count(*) FROM monitoring_gaps"));
      figures.put("month closes acknowledged", (long) closes.get());
      figures.put(
          "report revisions of " + month,
          number(s, "SELECT count(*) FROM month_reports WHERE month = '" + month + "'"));
      figures.put(
          "issue entries of " + month + " (one per tenant: " + TENANTS + ")",
          number(
              s,
              "SELECT count(*) FROM ledger_entries WHERE month = '"
                  + month
                  + "' AND kind = 'issue'"));
      figures.put(
          "tenants with more than one entry of " + month,
          number(
              s,
              "SELECT count(*) FROM (SELECT tenant_id FROM ledger_entries WHERE month = '"
                  + month
                  + "' GROUP BY 1 HAVING count(*) > 1) t"));
      System.out.println();
      log.forEach(System.out::println);
      System.out.println();
      System.out.println("| check | found |");
      System.out.println("|---|---|");
      figures.forEach((k, v) -> System.out.printf("| %s | %d |%n", k, v));
    }
  }

  private void step(String what) {
    String line = Instant.now() + "  " + what;
    log.add(line);
    System.out.println(line);
  }

  private Path writeChecks(int central, int edge) throws Exception {
    StringBuilder yaml =
        new StringBuilder(
            """
            locations: [central, a1, a2]
            plans: {continent: 19000, earth: 39000, universe: 59000, island: 0}
            defaults: {interval: 1s, timeout: 500ms, failure_threshold: 3, success_threshold: 2}
            components:
            """);
    for (int c = 0; c < CHECKS / 100; c++) {
      yaml.append("  - id: c").append(c).append("\n    impact: major\n    cells:\n");
      for (int i = 0; i < 100; i++) {
        yaml.append("      - {id: k")
            .append(i)
            .append(", url: \"http://127.0.0.1:${TARGET_PORT}/${TARGET_PREFIX:-x}/c")
            .append(c)
            .append("/k")
            .append(i)
            .append("\"}\n");
      }
    }
    Path file = dir.resolve("checks.yaml");
    Files.writeString(file, yaml);
    targetPorts.put("central", central);
    targetPorts.put("edge", edge);
    return file;
  }

  private final Map<String, Integer> targetPorts = new ConcurrentHashMap<>();

  private int target(java.util.function.ToIntFunction<String> status) {
    return vertx
        .createHttpServer()
        .requestHandler(req -> req.response().setStatusCode(status.applyAsInt(req.path())).end())
        .listen(0, "127.0.0.1")
        .await()
        .actualPort();
  }

  /** A proxy in front of an instance that the benchmark cuts to stage a2's network failure. */
  private int agentProxy(int to) {
    NetClient client = vertx.createNetClient();
    NetServer server =
        vertx
            .createNetServer()
            .connectHandler(
                front -> {
                  if (cutAgents.contains("a2")) {
                    front.close();
                    return;
                  }
                  front.pause();
                  client
                      .connect(to, "127.0.0.1")
                      .onSuccess(
                          back -> {
                            agentSockets.add(front);
                            front.handler(back::write);
                            back.handler(front::write);
                            front.closeHandler(v -> back.close());
                            back.closeHandler(v -> front.close());
                            front.resume();
                          })
                      .onFailure(e -> front.close());
                });
    return server.listen(0, "127.0.0.1").await().actualPort();
  }

  private ProcessBuilder jar(String name, String... args) {
    List<String> command =
        new ArrayList<>(List.of("java", "-Xmx512m", "-jar", "target/statusdesk.jar"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("STATUSDESK_DB_URL", db.url());
    pb.environment().put("STATUSDESK_MANAGEMENT_ADDR", "off");
    pb.environment().put("TARGET_PORT", String.valueOf(targetPorts.get("central")));
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()));
    return pb;
  }

  private Process startInstance(int i) throws Exception {
    ProcessBuilder pb = jar("instance-" + (i + 1), "serve", "--checks", checks.toString());
    pb.environment().put("STATUSDESK_HTTP_PORT", String.valueOf(ports.get(i)));
    pb.environment().put("STATUSDESK_LOCATION", "central");
    return pb.start();
  }

  private Process startAgent(String location, int servicePort) throws Exception {
    ProcessBuilder pb =
        jar(
            "agent-" + location,
            "agent",
            "--location",
            location,
            "--server",
            "http://127.0.0.1:" + servicePort,
            "--checks",
            checks.toString());
    pb.environment().put("STATUSDESK_AGENT_TOKEN", agentToken);
    pb.environment().put("TARGET_PORT", String.valueOf(targetPorts.get("edge")));
    pb.environment().put("TARGET_PREFIX", location);
    return pb.start();
  }

  private String token(String role) throws Exception {
    Process p =
        jar("token", "token", "create", "--role", role, "--name", "chaos-" + role)
            // the token alone: token create says on stderr that it is shown only once
            .redirectErrorStream(false)
            .redirectOutput(ProcessBuilder.Redirect.PIPE)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String token = new String(p.getInputStream().readAllBytes()).trim();
    if (p.waitFor() != 0 || token.isEmpty()) {
      throw new IllegalStateException("token create failed");
    }
    return token;
  }

  private void seed(String billing, String operator) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://" + db.url().substring(db.url().indexOf('@') + 1),
                "postgres",
                "postgres");
        Statement s = c.createStatement()) {
      s.execute("UPDATE checks SET created_at = now() - interval '120 days'");
    }
    String since = month.minusMonths(1).atDay(1).atStartOfDay(SEOUL).toOffsetDateTime().toString();
    for (int i = 0; i < TENANTS; i++) {
      send(
          "PUT",
          0,
          "/api/v1/tenants/t" + i,
          billing,
          """
          {"name": "Tenant %d", "plan": "earth", "members": %d, "status": "current",
           "effective_from": "%s"}\
          """
              .formatted(i, 1 + i % 5, since),
          200);
    }
    String day = month.atDay(10).toString();
    send(
        "POST",
        0,
        "/api/v1/incidents",
        operator,
        """
        {"title": "Chaos outage", "components": ["c0"], "class": "major",
         "started_at": "%sT10:00:00+09:00", "resolved_at": "%sT18:00:00+09:00",
         "status": "resolved", "message": "seeded"}\
        """
            .formatted(day, day),
        201);
  }

  private void send(String method, int instance, String path, String token, String body, int want)
      throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(instance) + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(15))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != want) {
      throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.body());
    }
  }

  /** Closes last month through the instances in turn, every second, until the run stops. */
  private void closeLoop(String billing) {
    for (int n = 0; !stopping; n++) {
      try {
        send("POST", n % 3, "/api/v1/months/" + month + "/close", billing, "", 200);
        closes.incrementAndGet();
      } catch (IllegalStateException e) {
        if (!e.getMessage().contains(": 503") && !e.getMessage().contains(": 5")) {
          System.out.println("close refused: " + e.getMessage());
        }
      } catch (Exception away) {
        // an instance or the database is down: the next attempt will do
      }
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private long postmaster() throws Exception {
    Path pid = dir.resolve("data").resolve("pg").resolve("postmaster.pid");
    return Files.exists(pid) ? Long.parseLong(Files.readAllLines(pid).get(0).trim()) : -1;
  }

  private void signal(String sig) throws Exception {
    ProcessHandle postmaster = ProcessHandle.of(postmaster()).orElseThrow();
    List<String> command = new ArrayList<>(List.of("kill", "-" + sig));
    command.add(String.valueOf(postmaster.pid()));
    postmaster.descendants().forEach(p -> command.add(String.valueOf(p.pid())));
    new ProcessBuilder(command).inheritIO().start().waitFor();
  }

  private void waitReady(int i) throws Exception {
    long deadline = System.currentTimeMillis() + 180_000;
    while (System.currentTimeMillis() < deadline) {
      try {
        HttpResponse<String> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(i) + "/ready"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (Exception notYet) {
        // starting
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("instance " + (i + 1) + " did not become ready");
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static long number(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void pause(int seconds) throws InterruptedException {
    Thread.sleep(seconds * 1000L);
  }
}
