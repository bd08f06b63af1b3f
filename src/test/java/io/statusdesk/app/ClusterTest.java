package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.statusdesk.probe.Quorum;
import io.statusdesk.store.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Several instances on one database, and an agent probing from another location: the cells are
 * split and taken over, singletons handed over, changes shown everywhere, and a failure seen from
 * too few locations kept out of the SLA.
 */
@ExtendWith(VertxExtension.class)
class ClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration INTERVAL = Duration.ofMillis(500);
  private final List<ServiceHarness> instances = new ArrayList<>();
  private final List<Agent> agents = new ArrayList<>();
  private final Map<ServiceHarness, TcpProxy> proxies = new HashMap<>();
  private WebClient client;

  @AfterEach
  void stop() throws Exception {
    for (Agent a : agents) {
      get(a.stop());
    }
    for (ServiceHarness h : instances) {
      h.close();
    }
  }

  private static String checks(int port, int cells, String extra) {
    StringBuilder yaml =
        new StringBuilder(
            extra
                + """
                defaults:
                  {interval: 500ms, timeout: 400ms, failure_threshold: 2, success_threshold: 1}
                update_debounce: 200ms
                components:
                  - id: ticketing
                    impact: major
                    cells:
                """);
    for (int i = 0; i < cells; i++) {
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

  private ServiceHarness instance(Vertx vertx, String url, String yaml, String location)
      throws Exception {
    TcpProxy.ProxiedDatabase db = TcpProxy.to(vertx, url);
    ServiceHarness h = ServiceHarness.instance(vertx, url, db.viaProxy(), yaml, location);
    instances.add(h);
    proxies.put(h, db.proxy());
    return h;
  }

  /** An instance at "central" on a fresh database, probing one cell among {@code locations}. */
  private ServiceHarness central(Vertx vertx, int port, String locations) throws Exception {
    return instance(
        vertx,
        TestDatabase.fresh(),
        checks(port, 1, "locations: [" + locations + "]\n"),
        "central");
  }

  private JsonObject json(ServiceHarness h, String path, String token) throws Exception {
    var request = client.get(h.service.httpPort(), "127.0.0.1", path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    HttpResponse<Buffer> r = get(request.send());
    assertThat(r.statusCode()).as(path + ": " + r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  private static int owned(JsonObject instances, String id) {
    for (Object o : instances.getJsonArray("instances")) {
      JsonObject m = (JsonObject) o;
      if (m.getString("id").equals(id) && m.getBoolean("live")) {
        return m.getInteger("cells_owned");
      }
    }
    return -1;
  }

  @Test
  void instancesSplitTheCellsAndTheSurvivorTakesOverCellsAndSingletons(Vertx vertx)
      throws Exception {
    AtomicInteger status = new AtomicInteger(200);
    int port = ProbeTarget.listen(vertx, status);
    String url = TestDatabase.fresh();
    String yaml = checks(port, 12, "");
    ServiceHarness a = instance(vertx, url, yaml, "test");
    ServiceHarness b = instance(vertx, url, yaml, "test");
    client = WebClient.create(vertx);
    String operator = a.token("operator");
    await()
        .atMost(WAIT)
        .until(
            () -> {
              JsonObject list = json(a, "/api/v1/instances", operator);
              int ofA = owned(list, a.service.memberId());
              int ofB = owned(list, b.service.memberId());
              return ofA > 0 && ofB > 0 && ofA + ofB == 12;
            });
    assertThat(json(a, "/ready", null).getString("status")).isEqualTo("ready");
    ServiceHarness holder = a.service.singletonsHere().contains("outage tracker") ? a : b;
    ServiceHarness survivor = holder == a ? b : a;
    assertThat(survivor.service.singletonsHere()).doesNotContain("outage tracker");

    // The holder is cut off from the database as a killed process would be: its connections
    // drop, so PostgreSQL frees its locks and the survivor takes everything over.
    Instant cut = Instant.now();
    proxies.get(holder).cut();
    await()
        .atMost(WAIT)
        .until(
            () ->
                survivor.service.singletonsHere().contains("outage tracker")
                    && owned(
                            json(survivor, "/api/v1/instances", operator),
                            survivor.service.memberId())
                        == 12);
    Duration takeOver = Duration.between(cut, Instant.now());
    assertThat(takeOver).as("cells and singletons taken over").isLessThan(Duration.ofSeconds(10));
    // The cut-off instance still answers, but asks for no traffic, saying why.
    await()
        .atMost(WAIT)
        .until(
            () -> {
              HttpResponse<Buffer> r =
                  get(client.get(holder.service.httpPort(), "127.0.0.1", "/ready").send());
              return r.statusCode() == 503
                  && r.bodyAsJsonObject().getString("status").equals("not ready")
                  && r.bodyAsJsonObject()
                      .getJsonArray("reasons")
                      .contains("membership: no recent beat");
            });
    // Every cell has a result again within two intervals of the take-over, with a gap record
    // for any hole longer than 1.5 intervals.
    Instant after = Instant.now();
    await()
        .atMost(WAIT)
        .until(
            () ->
                survivor.count(
                        "SELECT count(DISTINCT check_id) FROM probe_results WHERE probed_at > '"
                            + after
                            + "'")
                    == 12);
    assertThat(
            survivor.count(
                """
                SELECT count(*) FROM (
                  SELECT check_id, probed_at,
                    lag(probed_at) OVER (PARTITION BY check_id ORDER BY probed_at) AS previous
                  FROM probe_results) s
                WHERE probed_at - previous > interval '1 second'
                  AND NOT EXISTS (SELECT 1 FROM monitoring_gaps g WHERE g.check_id = s.check_id
                    AND g.started_at <= s.previous AND g.ended_at >= s.probed_at)\
                """))
        .as("holes of more than two intervals without a gap record")
        .isZero();

    // The tracker that moved records outages.
    status.set(503);
    await()
        .atMost(WAIT)
        .until(
            () ->
                survivor.count(
                        "SELECT count(*) FROM outages WHERE source = 'probe' AND ended_at IS NULL")
                    == 1);
    status.set(200);
    await()
        .atMost(WAIT)
        .until(() -> survivor.count("SELECT count(*) FROM outages WHERE ended_at IS NULL") == 0);
  }

  @Test
  void aChangeMadeThroughOneInstanceShowsOnTheOthersPagesAtOnce(Vertx vertx) throws Exception {
    int port = ProbeTarget.listen(vertx, new AtomicInteger(200));
    String url = TestDatabase.fresh();
    String yaml = checks(port, 2, "");
    ServiceHarness a = instance(vertx, url, yaml, "test");
    ServiceHarness b = instance(vertx, url, yaml, "test");
    client = WebClient.create(vertx);
    String operator = a.token("operator");
    // both have built their first snapshot
    json(b, "/api/v2/incidents.json", null);
    Instant posted = Instant.now();
    HttpResponse<Buffer> created =
        get(
            client
                .post(a.service.httpPort(), "127.0.0.1", "/api/v1/incidents")
                .putHeader("Authorization", "Bearer " + operator)
                .sendJsonObject(
                    new JsonObject()
                        .put("title", "Replication lag")
                        .put("components", new JsonArray().add("ticketing"))
                        .put("class", "partial")
                        .put("started_at", posted.minusSeconds(60).toString())
                        .put("status", "investigating")
                        .put("message", "Looking into it")));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> json(b, "/api/v2/incidents.json", null).encode().contains("Replication lag"));
    // Within 2 s on an idle machine; the snapshot's own refresh would take a minute.
    assertThat(Duration.between(posted, Instant.now())).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aFailureSeenFromTooFewLocationsIsANetworkEventAndAQuorumMakesAnOutage(Vertx vertx)
      throws Exception {
    AtomicInteger central = new AtomicInteger(200);
    int port = ProbeTarget.listen(vertx, central);
    int edgePort = ProbeTarget.listen(vertx, new AtomicInteger(503));
    String url = TestDatabase.fresh();
    String locations = "locations: [central, edge]\n";
    // One cell: with several, the outage opens with whichever cell is judged first, and a cell
    // confirmed later with an earlier first failure does not move a start back (OutagePlan).
    ServiceHarness h = instance(vertx, url, checks(port, 1, locations), "central");
    client = WebClient.create(vertx);
    String operator = h.token("operator");
    // The agent at "edge" reaches the same cell through a network that fails it.
    agents.add(
        get(
            Agent.start(
                vertx,
                ChecksFile.parse(
                    "edge.yaml", checks(edgePort, 1, locations), Map.<String, String>of()::get),
                "edge",
                URI.create("http://127.0.0.1:" + h.service.httpPort()),
                h.token("agent"),
                10_000,
                Clock.systemUTC())));
    await()
        .atMost(WAIT)
        .until(
            () ->
                h.count(
                        "SELECT count(*) FROM outages WHERE source = 'network' AND ended_at IS NULL"
                            + " AND exclusion = 'network'")
                    == 1);
    String networkStart = h.text("SELECT started_at::text FROM outages WHERE source = 'network'");
    assertThat(h.count("SELECT count(*) FROM outages WHERE source = 'probe'")).isZero();
    assertThat(h.count("SELECT count(*) FROM incidents")).isZero();
    await()
        .atMost(WAIT)
        .until(
            () ->
                json(h, "/api/v1/checks", operator).getJsonArray("checks").stream()
                    .allMatch(c -> "network".equals(((JsonObject) c).getString("verdict"))));
    JsonObject check = json(h, "/api/v1/checks", operator).getJsonArray("checks").getJsonObject(0);
    assertThat(check.getJsonArray("locations").encode()).contains("central", "edge");
    JsonObject members = json(h, "/api/v1/instances", operator);
    assertThat(members.encode()).contains("\"kind\":\"agent\"", "\"location\":\"edge\"");

    // Now central sees it too: a quorum (2 of 2), an outage dated from the earliest failure.
    central.set(503);
    await()
        .atMost(WAIT)
        .until(
            () ->
                h.count(
                        "SELECT count(*) FROM outages WHERE source = 'probe' AND ended_at IS NULL"
                            + " AND outage_class = 'major'")
                    == 1);
    assertThat(h.text("SELECT started_at::text FROM outages WHERE source = 'probe'"))
        .isEqualTo(networkStart);
    assertThat(h.count("SELECT count(*) FROM incidents")).isEqualTo(1);
    assertThat(
            h.count("SELECT count(*) FROM outages WHERE source = 'network' AND ended_at IS NULL"))
        .isZero();
  }

  /**
   * The start: agents not heard from yet are not "locations without recent results" before the
   * judge has watched as long as results stay recent (10.5 s at 500 ms), so the one location that
   * began does not decide a majority alone; after that it does, from its first failure.
   */
  @Test
  void aLocationAloneWaitsForTheOthersChanceBeforeJudgingAMajority(Vertx vertx) throws Exception {
    int port = ProbeTarget.listen(vertx, new AtomicInteger(503));
    // Before the instance starts, so its judge began after this.
    Instant began = Instant.now();
    ServiceHarness h = central(vertx, port, "central, a1, a2");
    client = WebClient.create(vertx);
    String operator = h.token("operator");
    await().atMost(WAIT).until(() -> verdict(h, operator) != null);
    String verdict = verdict(h, operator);
    // Read after the verdict: an outage opened before it would still be there.
    long outages = h.count("SELECT count(*) FROM outages");
    // A machine too loaded to get this far within the judge's wait cannot see it wait.
    if (Duration.between(began, Instant.now()).compareTo(Quorum.recent(INTERVAL)) < 0) {
      assertThat(verdict).isEqualTo("pending");
      assertThat(outages).isZero();
    }
    await()
        .atMost(WAIT)
        .until(() -> h.count("SELECT count(*) FROM outages WHERE source = 'probe'") == 1);
    assertThat(verdict(h, operator)).isEqualTo("failing");
    assertThat(h.text("SELECT started_at::text FROM outages"))
        .isEqualTo(h.text("SELECT date_trunc('second', since)::text FROM location_health"));
  }

  /**
   * A cell taken over before any result of it was stored (instances starting one after another):
   * the new owner finds no sample to date a gap from, and the previous owner's last results, still
   * in its buffer, are stored after the new owner began. The span between them is recorded.
   */
  @Test
  void aCellTakenOverBeforeItsPreviousOwnersResultsWereStoredGetsItsGap(Vertx vertx)
      throws Exception {
    int port = ProbeTarget.listen(vertx, new AtomicInteger(200));
    ServiceHarness h = central(vertx, port, "central");
    await().atMost(WAIT).until(() -> h.count("SELECT count(*) FROM probe_results") > 0);
    String first =
        "'" + h.text("SELECT min(probed_at)::text FROM probe_results") + "'::timestamptz";
    // The previous owner's last two slots, 2.5 s (five intervals) before this one's first,
    // committed only now.
    h.execute(
        "INSERT INTO probe_results (check_id, location, probed_at, outcome, latency_ms)"
            + " SELECT id, 'central', "
            + first
            + " - s * interval '500 milliseconds', 'up', 1"
            + " FROM checks CROSS JOIN (VALUES (5), (6)) AS v(s)");
    await()
        .atMost(WAIT)
        .until(
            () ->
                h.count(
                        "SELECT count(*) FROM monitoring_gaps WHERE reason = 'monitor_down'"
                            + " AND started_at = "
                            + first
                            + " - interval '2500 milliseconds' AND ended_at = "
                            + first)
                    == 1);
    // Found again by the later looks, it is neither recorded nor told twice (a slot this instance
    // missed on a loaded machine may add a gap of its own).
    assertThat(
            h.count(
                "SELECT count(*) FROM monitoring_gaps a JOIN monitoring_gaps b ON a.id < b.id"
                    + " AND a.started_at < b.ended_at AND b.started_at < a.ended_at"))
        .isZero();
    assertThat(h.count("SELECT count(*) FROM notify_events WHERE kind = 'monitoring.gap'"))
        .isPositive();
  }

  private String verdict(ServiceHarness h, String operator) throws Exception {
    return json(h, "/api/v1/checks", operator)
        .getJsonArray("checks")
        .getJsonObject(0)
        .getString("verdict");
  }

  @Test
  void agentPushesAreCheckedAndWrittenOnce(Vertx vertx) throws Exception {
    int port = ProbeTarget.listen(vertx, new AtomicInteger(200));
    String url = TestDatabase.fresh();
    ServiceHarness h =
        instance(vertx, url, checks(port, 1, "locations: [central, edge]\n"), "central");
    client = WebClient.create(vertx);
    String agent = h.token("agent");
    String operator = h.token("operator");
    Instant at = Instant.parse("2026-05-04T10:00:00.500Z");
    JsonObject batch =
        edgeBatch()
            .put(
                "results",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("check", "ticketing/k0")
                            .put("at", at.toString())
                            .put("outcome", "up")
                            .put("latency_ms", 12)));
    assertThat(push(h, agent, batch).statusCode()).isEqualTo(201);
    HttpResponse<Buffer> again = push(h, agent, batch);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject().getBoolean("duplicate")).isTrue();
    // Another batch with a result of the same slot (a second prober of the cell): kept once.
    assertThat(push(h, agent, batch.copy().put("batch", UUID.randomUUID().toString())).statusCode())
        .isEqualTo(201);
    String edge = "FROM probe_results WHERE location = 'edge'";
    assertThat(h.count("SELECT count(*) " + edge)).isEqualTo(1);
    assertThat(h.count("SELECT sum(up) FROM probe_rollup_minute WHERE location = 'edge'"))
        .isEqualTo(1);

    assertThat(push(h, operator, batch).statusCode()).isEqualTo(403);
    assertThat(push(h, null, batch).statusCode()).isEqualTo(401);
    HttpResponse<Buffer> unknown =
        push(
            h,
            agent,
            batch.copy().put("location", "mars").put("batch", UUID.randomUUID().toString()));
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.bodyAsString()).contains("location");
    JsonObject badCheck = batch.copy().put("batch", UUID.randomUUID().toString());
    badCheck.getJsonArray("results").getJsonObject(0).put("check", "ticketing/nope");
    HttpResponse<Buffer> refused = push(h, agent, badCheck);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.bodyAsString()).contains("results[0].check");
    // a field the service does not know is refused like every write's (a misspelt "gaps" would
    // lose the agent's gap records silently)
    HttpResponse<Buffer> misspelt =
        push(
            h,
            agent,
            batch.copy().put("gap", new JsonArray()).put("batch", UUID.randomUUID().toString()));
    assertThat(misspelt.statusCode()).isEqualTo(400);
    assertThat(misspelt.bodyAsString()).contains("gap: not a field of this request");
    assertThat(h.count("SELECT count(*) " + edge)).isEqualTo(1);
  }

  @Test
  void anAgentsGapsAreToldInTheirBatchsTransaction(Vertx vertx) throws Exception {
    int port = ProbeTarget.listen(vertx, new AtomicInteger(200));
    ServiceHarness h = central(vertx, port, "central, edge");
    client = WebClient.create(vertx);
    String agent = h.token("agent");
    JsonObject batch =
        edgeBatch()
            .put(
                "gaps",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("check", "ticketing/k0")
                            .put("from", "2026-05-04T10:00:00Z")
                            .put("to", "2026-05-04T10:00:07Z")
                            .put("reason", "buffer_overflow")));
    assertThat(push(h, agent, batch).statusCode()).isEqualTo(201);
    assertThat(push(h, agent, batch).statusCode()).isEqualTo(200);
    String told = "FROM notify_events WHERE kind = 'monitoring.buffer_overflow'";
    assertThat(h.count("SELECT count(*) " + told)).isEqualTo(1);
    assertThat(h.text("SELECT payload->'en'->'gap'->'gaps'->0->>'location' " + told))
        .isEqualTo("edge");
    assertThat(h.count("SELECT count(*) FROM monitoring_gaps WHERE location = 'edge'"))
        .isEqualTo(1);
  }

  /**
   * An agent cut off from its targets and from the service pushes the failure and the recovery it
   * buffered in one batch (bench/chaos's agent a2): no verdict ever saw the failure, yet it is a
   * network event from its first failure to its recovery, recorded once however often the batch is
   * sent; another location's overlapping late failure joins it, and nothing is counted, even though
   * in hindsight two of three locations saw the cell failing at once.
   */
  @Test
  void aFailureAndItsRecoveryPushedTogetherAreOneNetworkEvent(Vertx vertx) throws Exception {
    int port = ProbeTarget.listen(vertx, new AtomicInteger(200));
    ServiceHarness h = central(vertx, port, "central, edge, far");
    client = WebClient.create(vertx);
    String agent = h.token("agent");
    String operator = h.token("operator");
    awaitTrackerAndCentral(h);
    Instant failed = h.clock.instant().minusSeconds(8).truncatedTo(ChronoUnit.SECONDS);
    Instant recovered = failed.plusSeconds(4);
    JsonObject batch = run("edge", failed.plusMillis(250), recovered.plusMillis(250));
    assertThat(push(h, agent, batch).statusCode()).isEqualTo(201);
    String network = "FROM outages WHERE source = 'network'";
    await().atMost(WAIT).until(() -> h.count("SELECT count(*) " + network) == 1);
    assertThat(h.text("SELECT started_at || ' ' || ended_at || ' ' || exclusion " + network))
        .isEqualTo(
            h.text(
                "SELECT '"
                    + failed
                    + "'::timestamptz || ' ' || '"
                    + recovered
                    + "'::timestamptz || ' network'"));
    // the month as the service's time zone reckons it
    String zone = json(h, "/api/v1/outages?month=2026-01", operator).getString("timezone");
    YearMonth month = YearMonth.from(failed.atZone(ZoneId.of(zone)));
    JsonObject outages = json(h, "/api/v1/outages?month=" + month, operator);
    assertThat(outages.getJsonArray("outages")).hasSize(1);
    JsonObject event = outages.getJsonArray("outages").getJsonObject(0);
    assertThat(event.getString("source")).isEqualTo("network");
    assertThat(event.getString("started_at")).isEqualTo(failed.toString());
    assertThat(event.getString("ended_at")).isEqualTo(recovered.toString());
    assertThat(event.getJsonObject("exclusion").getString("reason")).isEqualTo("network");

    // Sent again (its answer lost), and again as a new batch: nothing more.
    assertThat(push(h, agent, batch).statusCode()).isEqualTo(200);
    assertThat(push(h, agent, batch.copy().put("batch", UUID.randomUUID().toString())).statusCode())
        .isEqualTo(201);
    // "far" was cut off too, failing from 2 s into edge's failure to 2 s after its end.
    assertThat(
            push(h, agent, run("far", failed.plusMillis(2250), recovered.plusMillis(2250)))
                .statusCode())
        .isEqualTo(201);
    await()
        .atMost(WAIT)
        .until(
            () ->
                h.text("SELECT ended_at::text " + network)
                    .equals(
                        h.text("SELECT '" + recovered.plusSeconds(2) + "'::timestamptz::text")));
    assertThat(h.count("SELECT count(*) " + network)).isEqualTo(1);
    assertThat(h.text("SELECT array_to_string(cells, ',') " + network)).isEqualTo("k0");
    assertThat(h.count("SELECT count(*) FROM outages WHERE source = 'probe'")).isZero();
    assertThat(h.count("SELECT count(*) FROM incidents")).isZero();
    assertThat(h.count("SELECT count(*) FROM location_health_log WHERE location = 'edge'"))
        .isEqualTo(2);
  }

  /**
   * A late failure is judged against what was counted over its span: the seconds a counted outage
   * already covers stay counted, once; only those before and after it are a network event.
   */
  @Test
  void aLateFailureAddsOnlyWhatNoCountedOutageCovers(Vertx vertx) throws Exception {
    AtomicInteger status = new AtomicInteger(200);
    int port = ProbeTarget.listen(vertx, status);
    // One location's word is a quorum: central's failure alone is counted.
    ServiceHarness h =
        instance(
            vertx,
            TestDatabase.fresh(),
            checks(port, 1, "locations: [central, edge]\nquorum: 1\n"),
            "central");
    client = WebClient.create(vertx);
    String agent = h.token("agent");
    awaitTrackerAndCentral(h);
    status.set(503);
    String probe = "FROM outages WHERE source = 'probe'";
    await().atMost(WAIT).until(() -> h.count("SELECT count(*) " + probe) == 1);
    status.set(200);
    await()
        .atMost(WAIT)
        .until(() -> h.count("SELECT count(*) " + probe + " AND ended_at IS NOT NULL") == 1);
    Instant start =
        Instant.ofEpochSecond(h.count("SELECT extract(epoch FROM started_at)::bigint " + probe));
    Instant end =
        Instant.ofEpochSecond(h.count("SELECT extract(epoch FROM ended_at)::bigint " + probe));
    assertThat(
            push(h, agent, run("edge", start.minusMillis(2750), end.plusMillis(3250))).statusCode())
        .isEqualTo(201);
    String network = "FROM outages WHERE source = 'network'";
    await().atMost(WAIT).until(() -> h.count("SELECT count(*) " + network) == 2);
    String spans =
        "SELECT string_agg(extract(epoch FROM started_at)::bigint || '/' || extract(epoch FROM"
            + " ended_at)::bigint, ' ' ORDER BY started_at) ";
    long from = start.getEpochSecond();
    long to = end.getEpochSecond();
    assertThat(h.text(spans + network))
        .isEqualTo((from - 3) + "/" + from + " " + to + "/" + (to + 3));
    assertThat(h.text(spans + probe)).isEqualTo(from + "/" + to);
    assertThat(h.count("SELECT count(*) FROM outages")).isEqualTo(3);
  }

  /**
   * A failure whose first report arrives when its results are no longer recent (the agent's oldest
   * buffered results, pushed after the quorum's window): it is a network event from its first
   * failure to its latest sample, and when the location reports in time again, still failing, the
   * live network event continues it rather than overlapping it.
   */
  @Test
  void aFailureReportedAfterTheQuorumsWindowIsANetworkEventFromItsStart(Vertx vertx)
      throws Exception {
    int port = ProbeTarget.listen(vertx, new AtomicInteger(200));
    ServiceHarness h = central(vertx, port, "central, edge");
    client = WebClient.create(vertx);
    String agent = h.token("agent");
    awaitTrackerAndCentral(h);
    Instant failed = h.clock.instant().minusSeconds(40).truncatedTo(ChronoUnit.SECONDS);
    Instant last = failed.plusSeconds(10);
    JsonArray results = new JsonArray();
    for (Instant t = failed; !t.isAfter(last); t = t.plus(INTERVAL)) {
      results.add(result(t, "down"));
    }
    JsonObject late =
        batch("edge")
            .put("results", results)
            .put("health", new JsonArray().add(health("failing", failed, failed.plus(INTERVAL))));
    assertThat(push(h, agent, late).statusCode()).isEqualTo(201);
    String network = "FROM outages WHERE source = 'network'";
    await().atMost(WAIT).until(() -> h.count("SELECT count(*) " + network) == 1);
    assertThat(h.text("SELECT started_at || ' ' || ended_at " + network))
        .isEqualTo(
            h.text("SELECT '" + failed + "'::timestamptz || ' ' || '" + last + "'::timestamptz"));
    assertThat(h.count("SELECT count(*) FROM outages WHERE source = 'probe'")).isZero();

    Instant now = h.clock.instant();
    JsonObject inTime =
        batch("edge")
            .put(
                "results",
                new JsonArray().add(result(now.minus(INTERVAL), "down")).add(result(now, "down")));
    assertThat(push(h, agent, inTime).statusCode()).isEqualTo(201);
    await()
        .atMost(WAIT)
        .until(() -> h.count("SELECT count(*) " + network + " AND ended_at IS NULL") == 1);
    assertThat(h.count("SELECT count(*) " + network)).isEqualTo(1);
    assertThat(h.text("SELECT started_at::text " + network))
        .isEqualTo(h.text("SELECT '" + failed + "'::timestamptz::text"));
  }

  /**
   * While the judge has just started, a recovery that leaves a failure seen by fewer than the
   * quorum waits for a silent location's chance ({@code pending}); when it has passed, the counted
   * outage ends at that recovery, not at the moment the wait ended.
   */
  @Test
  void anOutageThatWaitedForASilentLocationEndsAtTheRecovery(Vertx vertx) throws Exception {
    int port = ProbeTarget.listen(vertx, new AtomicInteger(200));
    // 20 s checks: results stay recent, and the judge waits, for a minute.
    ServiceHarness h =
        instance(
            vertx,
            TestDatabase.fresh(),
            """
            locations: [central, e1, e2, far]
            quorum: 2
            defaults:
              {interval: 20s, timeout: 400ms, failure_threshold: 2, success_threshold: 1}
            update_debounce: 200ms
            components:
              - id: ticketing
                impact: major
                cells:
                  - {id: k0, url: "http://127.0.0.1:%d/k0"}
            """
                .formatted(port),
            "central");
    client = WebClient.create(vertx);
    String agent = h.token("agent");
    String operator = h.token("operator");
    await().atMost(WAIT).until(() -> h.service.singletonsHere().contains("outage tracker"));
    Instant failed = h.clock.instant().minusSeconds(1);
    for (String location : List.of("e1", "e2")) {
      JsonObject failing =
          batch(location)
              .put("results", new JsonArray().add(result(failed, "down")))
              .put("health", new JsonArray().add(health("failing", failed, failed)));
      assertThat(push(h, agent, failing).statusCode()).isEqualTo(201);
    }
    String probe = "FROM outages WHERE source = 'probe'";
    await().atMost(WAIT).until(() -> h.count("SELECT count(*) " + probe) == 1);
    Instant recovered = h.clock.instant();
    JsonObject recovery =
        batch("e2")
            .put("results", new JsonArray().add(result(recovered, "up")))
            .put("health", new JsonArray().add(health("healthy", recovered, recovered)));
    assertThat(push(h, agent, recovery).statusCode()).isEqualTo(201);
    // "far" is silent: the judge waits for it (a machine too slow to get here within the minute
    // goes straight on).
    await().atMost(WAIT).until(() -> List.of("pending", "network").contains(verdict(h, operator)));
    h.clock.advance(Quorum.recent(Duration.ofSeconds(20)).plusSeconds(1));
    Instant now = h.clock.instant();
    for (String location : List.of("e1", "e2")) {
      JsonObject still =
          batch(location)
              .put(
                  "results",
                  new JsonArray().add(result(now, location.equals("e1") ? "down" : "up")));
      assertThat(push(h, agent, still).statusCode()).isEqualTo(201);
    }
    await()
        .atMost(WAIT)
        .until(() -> h.count("SELECT count(*) " + probe + " AND ended_at IS NOT NULL") == 1);
    assertThat(h.text("SELECT ended_at::text " + probe))
        .isEqualTo(h.text("SELECT date_trunc('second', '" + recovered + "'::timestamptz)::text"));
    await().atMost(WAIT).until(() -> verdict(h, operator).equals("network"));
  }

  /**
   * The tracker runs, and central has judged the cell healthy: a location's late report is then
   * judged against central's view, as in a cluster that has been running for a while.
   */
  private static void awaitTrackerAndCentral(ServiceHarness h) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                h.service.singletonsHere().contains("outage tracker")
                    && h.count("SELECT count(*) FROM location_health WHERE location = 'central'")
                        == 1);
  }

  /** A batch of one failure at {@code location} from {@code failed} to {@code recovered}. */
  private static JsonObject run(String location, Instant failed, Instant recovered) {
    JsonArray results = new JsonArray();
    for (Instant t = failed; t.isBefore(recovered.plusSeconds(1)); t = t.plus(INTERVAL)) {
      results.add(result(t, t.isBefore(recovered) ? "down" : "up"));
    }
    return batch(location)
        .put("results", results)
        .put(
            "health",
            new JsonArray()
                .add(health("failing", failed, failed.plus(INTERVAL)))
                .add(health("healthy", recovered, recovered)));
  }

  private static JsonObject result(Instant at, String outcome) {
    return new JsonObject()
        .put("check", "ticketing/k0")
        .put("at", at.toString())
        .put("outcome", outcome)
        .put("latency_ms", 12);
  }

  private static JsonObject health(String state, Instant since, Instant at) {
    return new JsonObject()
        .put("check", "ticketing/k0")
        .put("state", state)
        .put("since", since.toString())
        .put("at", at.toString());
  }

  /** A new batch from a new agent at {@code location}. */
  private static JsonObject batch(String location) {
    return new JsonObject()
        .put("batch", UUID.randomUUID().toString())
        .put("agent", UUID.randomUUID().toString())
        .put("location", location);
  }

  /** A new batch from a new agent at "edge", to add results or gaps to. */
  private static JsonObject edgeBatch() {
    return new JsonObject()
        .put("batch", UUID.randomUUID().toString())
        .put("agent", UUID.randomUUID().toString())
        .put("location", "edge");
  }

  private HttpResponse<Buffer> push(ServiceHarness h, String token, JsonObject body)
      throws Exception {
    var request = client.post(h.service.httpPort(), "127.0.0.1", "/api/v1/results");
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return get(request.sendJsonObject(body));
  }
}
