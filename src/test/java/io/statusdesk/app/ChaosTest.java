package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.statusdesk.store.Database;
import io.statusdesk.store.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The part of the chaos suite (bench/chaos) that runs in every build, shrunk to about a minute:
 * three instances starting at once and two agents on one durable embedded PostgreSQL, 30 healthy
 * checks at 1 s, while one instance is cut off as a killed process would be, an agent is killed and
 * restarted, the postmaster is killed, PostgreSQL is stopped (SIGSTOP) for 10 s and an agent's
 * network is cut; month closes stream in through the instances meanwhile. Afterwards, from the
 * database: no cell went unprobed for more than two intervals outside a recorded gap, no result
 * twice, no outage (the targets never failed), and last month closed once: one report, one entry
 * per tenant.
 */
@ExtendWith(VertxExtension.class)
class ChaosTest {
  private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
  private static final int CELLS = 30;
  private static final int TENANTS = 5;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  private final YearMonth month = YearMonth.now(SEOUL).minusMonths(1);
  private final List<ServiceHarness> instances = new ArrayList<>();
  private final List<TcpProxy> proxies = new ArrayList<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicInteger closesAcked = new AtomicInteger();
  private WebClient client;

  private static String checks(int port) {
    StringBuilder yaml =
        new StringBuilder(
            """
            locations: [central, a1, a2]
            defaults: {interval: 1s, timeout: 500ms, failure_threshold: 2, success_threshold: 2}
            components:
              - id: ticketing
                impact: major
                cells:
            """);
    for (int i = 0; i < CELLS; i++) {
      yaml.append("      - {id: k")
          .append(i)
          .append(", url: \"http://127.0.0.1:")
          .append(port)
          .append("/k")
          .append(i)
          .append("\"}\n");
    }
    return yaml.toString();
  }

  /** An agent on a Vert.x of its own, pushing through a proxy the test can cut. */
  private record RunningAgent(Vertx vertx, Agent agent, TcpProxy network) {
    void kill() throws Exception {
      network.cut();
      get(vertx.close());
    }
  }

  private RunningAgent agent(String location, int port, int servicePort, String token)
      throws Exception {
    Vertx own = Vertx.vertx();
    TcpProxy network = new TcpProxy(own, "127.0.0.1", servicePort);
    int via = get(network.start());
    Agent agent =
        get(
            Agent.start(
                own,
                ChecksFile.parse(location + ".yaml", checks(port), name -> null),
                location,
                URI.create("http://127.0.0.1:" + via),
                token,
                10_000,
                Clock.systemUTC()));
    return new RunningAgent(own, agent, network);
  }

  @Test
  void instancesAgentsAndPostgresqlFailWithoutLosingProbesOrClosingTwice(Vertx vertx)
      throws Exception {
    Database db = Database.embedded(dir.resolve("data"), Database.Durability.DURABLE);
    RunningAgent a1 = null;
    RunningAgent a2 = null;
    try {
      db.migrate();
      int central = ProbeTarget.listen(vertx, new AtomicInteger(200));
      AtomicInteger a2View = new AtomicInteger(200);
      int a1Port = ProbeTarget.listen(vertx, new AtomicInteger(200));
      int a2Port = ProbeTarget.listen(vertx, a2View);
      // All three start at once, as a deployment's would: cells move between them before any
      // result of theirs is stored, which must leave no unrecorded hole.
      ExecutorService starting = Executors.newFixedThreadPool(3);
      List<Future<ServiceHarness>> started = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        TcpProxy.ProxiedDatabase via = TcpProxy.to(vertx, db.url());
        proxies.add(via.proxy());
        started.add(
            starting.submit(
                () ->
                    ServiceHarness.instance(
                        vertx, db.url(), via.viaProxy(), checks(central), "central")));
      }
      for (Future<ServiceHarness> f : started) {
        instances.add(f.get());
      }
      starting.shutdown();
      client = WebClient.create(vertx);
      ServiceHarness first = instances.get(1);
      String billing = first.token("billing");
      String operator = first.token("operator");
      String agentToken = first.token("agent");
      seed(first, billing, operator);
      a1 = agent("a1", a1Port, instances.get(1).service.httpPort(), agentToken);
      a2 = agent("a2", a2Port, instances.get(2).service.httpPort(), agentToken);
      Thread closer = new Thread(() -> closeLoop(billing));
      closer.start();
      pause(Duration.ofSeconds(5));

      // 1. An instance dies: its connections drop as a killed process's do.
      proxies.get(0).cut();
      instances.get(0).stop();
      pause(Duration.ofSeconds(5));
      // 2. An agent dies and comes back.
      a1.kill();
      pause(Duration.ofSeconds(3));
      a1 = agent("a1", a1Port, instances.get(1).service.httpPort(), agentToken);
      pause(Duration.ofSeconds(4));
      // 3. kill -9 of the postmaster; the supervisor starts it again over its stale lock file.
      long postmaster = postmaster();
      ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();
      // the lock file is missing for a moment while the supervisor starts it again
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .until(() -> postmaster() != postmaster && !db.restarting());
      pause(Duration.ofSeconds(4));
      // 4. PostgreSQL stops answering for 10 s (every one of its processes stopped).
      signal("STOP");
      pause(Duration.ofSeconds(10));
      signal("CONT");
      pause(Duration.ofSeconds(5));
      // 5. An agent's network is cut: it cannot push, and what it probes fails.
      a2.network().cut();
      a2View.set(503);
      pause(Duration.ofSeconds(6));
      a2View.set(200);
      a2.network().restore();
      pause(Duration.ofSeconds(8));

      stopping.set(true);
      closer.join();
      get(a1.agent().stop());
      get(a2.agent().stop());
      for (ServiceHarness h : instances) {
        h.stop();
      }
      assertThat(closesAcked.get()).as("closes acknowledged").isPositive();
      check(db);
    } finally {
      for (RunningAgent a : new RunningAgent[] {a1, a2}) {
        if (a != null) {
          a.vertx().close();
        }
      }
      for (ServiceHarness h : instances) {
        h.stop();
      }
      db.close();
    }
  }

  private void check(Database db) throws Exception {
    try (Connection c = TestDatabase.connect(db.url());
        Statement s = c.createStatement()) {
      assertThat(number(s, Fixtures.unrecordedHoles("2 seconds")))
          .as("cells unprobed for more than two intervals outside a recorded gap")
          .isZero();
      assertThat(number(s, "SELECT count(DISTINCT location) FROM probe_results")).isEqualTo(3);
      assertThat(number(s, "SELECT sum(up + degraded + down) FROM probe_rollup_minute"))
          .as("rollups count each stored result once: no result twice")
          .isEqualTo(number(s, "SELECT count(*) FROM probe_results"));
      assertThat(number(s, "SELECT count(*) FROM outages WHERE source = 'probe'"))
          .as("outages of healthy targets")
          .isZero();
      String ofMonth = "FROM ledger_entries WHERE month = '" + month + "'";
      assertThat(number(s, "SELECT count(*) FROM month_reports WHERE month = '" + month + "'"))
          .isEqualTo(1);
      assertThat(number(s, "SELECT count(*) " + ofMonth + " AND kind = 'issue'"))
          .isEqualTo(TENANTS);
      assertThat(number(s, "SELECT count(*) " + ofMonth + " AND kind <> 'issue'")).isZero();
    }
  }

  /** Paying tenants since two months ago, and a major outage last month that earns credit. */
  private void seed(ServiceHarness h, String billing, String operator) throws Exception {
    try (Connection c = TestDatabase.connect(h.dbUrl);
        Statement s = c.createStatement()) {
      s.execute("UPDATE checks SET created_at = now() - interval '120 days'");
    }
    String since = month.minusMonths(1).atDay(1).atStartOfDay(SEOUL).toOffsetDateTime().toString();
    for (int i = 0; i < TENANTS; i++) {
      HttpResponse<Buffer> r =
          get(
              client
                  .put(h.service.httpPort(), "127.0.0.1", "/api/v1/tenants/t" + i)
                  .putHeader("Authorization", "Bearer " + billing)
                  .sendJsonObject(
                      new JsonObject()
                          .put("name", "Tenant " + i)
                          .put("plan", "earth")
                          .put("members", 1 + i)
                          .put("status", "current")
                          .put("effective_from", since)));
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    }
    String day = month.atDay(10).toString();
    HttpResponse<Buffer> incident =
        get(
            client
                .post(h.service.httpPort(), "127.0.0.1", "/api/v1/incidents")
                .putHeader("Authorization", "Bearer " + operator)
                .sendJsonObject(
                    new JsonObject()
                        .put("title", "Chaos outage")
                        .put("components", new JsonArray().add("ticketing"))
                        .put("class", "major")
                        .put("started_at", day + "T10:00:00+09:00")
                        .put("resolved_at", day + "T18:00:00+09:00")
                        .put("status", "resolved")
                        .put("message", "seeded")));
    assertThat(incident.statusCode()).as(incident.bodyAsString()).isEqualTo(201);
  }

  /** Closes last month through a different live instance each time, until told to stop. */
  private void closeLoop(String billing) {
    for (int n = 0; !stopping.get(); n++) {
      ServiceHarness h = instances.get(1 + n % 2);
      try {
        HttpResponse<Buffer> r =
            client
                .post(h.service.httpPort(), "127.0.0.1", "/api/v1/months/" + month + "/close")
                .putHeader("Authorization", "Bearer " + billing)
                .timeout(15_000)
                .send()
                .toCompletionStage()
                .toCompletableFuture()
                .get();
        if (r.statusCode() == 200) {
          closesAcked.incrementAndGet();
        } else if (r.statusCode() < 500) {
          throw new IllegalStateException("close refused: " + r.bodyAsString());
        }
      } catch (IllegalStateException e) {
        throw e;
      } catch (Exception retry) {
        // the database is away: the next attempt will do
      }
      pause(Duration.ofSeconds(1));
    }
  }

  private long postmaster() throws Exception {
    return Long.parseLong(
        Files.readAllLines(dir.resolve("data").resolve("pg").resolve("postmaster.pid"))
            .get(0)
            .trim());
  }

  /** Sends {@code kill -SIG} to the postmaster and every process it started. */
  private void signal(String sig) throws Exception {
    ProcessHandle postmaster = ProcessHandle.of(postmaster()).orElseThrow();
    List<String> command = new ArrayList<>(List.of("kill", "-" + sig));
    command.add(String.valueOf(postmaster.pid()));
    postmaster.descendants().forEach(p -> command.add(String.valueOf(p.pid())));
    assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).isZero();
  }

  private static long number(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void pause(Duration d) {
    await().pollDelay(d).atMost(d.plusSeconds(5)).until(() -> true);
  }
}
