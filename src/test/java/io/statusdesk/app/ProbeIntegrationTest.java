package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.util.concurrent.EventExecutor;
import io.statusdesk.probe.CheckHealth.State;
import io.statusdesk.probe.CheckStatus;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole probe pipeline against targets whose answers the test controls, on the embedded
 * PostgreSQL: thresholds, stored results and rollups, restarts, TCP/TLS probes, heartbeats and a
 * database outage.
 */
@ExtendWith(VertxExtension.class)
class ProbeIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private ServiceHarness harness;

  @AfterEach
  void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  /** One cell probing {@code port} over HTTP, every 200 ms. */
  static String httpChecks(int port) {
    return """
    defaults: {interval: 200ms, timeout: 150ms, failure_threshold: 3, success_threshold: 2}
    components:
      - id: ticketing
        impact: major
        cells:
          - id: kr-1
            url: http://127.0.0.1:%d/health
            conditions: ["[STATUS] == 200", "[BODY].status == UP"]
    """
        .formatted(port);
  }

  private State state(String key) {
    CheckStatus s = harness.status(key);
    return s == null ? null : s.health().state();
  }

  @Test
  void aCellFailsAfterTheThresholdFromItsFirstFailedProbeAndRecovers(Vertx vertx) throws Exception {
    AtomicInteger status = new AtomicInteger(200);
    harness = ServiceHarness.start(vertx, httpChecks(ProbeTarget.listen(vertx, status)), Map.of());
    await().atMost(WAIT).until(() -> state("ticketing/kr-1") == State.HEALTHY);

    status.set(503);
    await().atMost(WAIT).until(() -> state("ticketing/kr-1") == State.FAILING);
    Instant failingSince = harness.status("ticketing/kr-1").health().since();
    assertThat(harness.status("ticketing/kr-1").last().error()).isEqualTo("[STATUS] (503) == 200");

    status.set(200);
    await().atMost(WAIT).until(() -> state("ticketing/kr-1") == State.HEALTHY);
    Instant healthySince = harness.status("ticketing/kr-1").health().since();
    harness.stop();

    // The failure is dated from the first failed probe of its run (a cold start's first probes
    // may time out once before it), the recovery from the first good one.
    assertThat(
            Instant.parse(
                harness.text(
                    "SELECT to_char(min(probed_at) AT TIME ZONE 'UTC',"
                        + " 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM probe_results WHERE outcome ="
                        + " 'down' AND probed_at > (SELECT max(probed_at) FROM probe_results WHERE"
                        + " outcome = 'up' AND probed_at < '"
                        + healthySince
                        + "')")))
        .isEqualTo(failingSince);
    assertThat(
            Instant.parse(
                harness.text(
                    "SELECT to_char(min(probed_at) AT TIME ZONE 'UTC',"
                        + " 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM probe_results WHERE outcome ="
                        + " 'up' AND probed_at > '"
                        + failingSince
                        + "'")))
        .isEqualTo(healthySince);
    assertThat(harness.count("SELECT count(*) FROM probe_results WHERE outcome = 'down'"))
        .isGreaterThanOrEqualTo(3);
    // Rollups account for every raw result, by outcome.
    assertThat(harness.count("SELECT sum(up + degraded + down) FROM probe_rollup_minute"))
        .isEqualTo(harness.count("SELECT count(*) FROM probe_results"));
    assertThat(harness.count("SELECT sum(down) FROM probe_rollup_minute"))
        .isEqualTo(harness.count("SELECT count(*) FROM probe_results WHERE outcome = 'down'"));
  }

  @Test
  void aRestartKeepsResultsResumesStateAndRecordsTheGap(Vertx vertx) throws Exception {
    AtomicInteger status = new AtomicInteger(503);
    harness = ServiceHarness.start(vertx, httpChecks(ProbeTarget.listen(vertx, status)), Map.of());
    await().atMost(WAIT).until(() -> state("ticketing/kr-1") == State.FAILING);
    Instant since = harness.status("ticketing/kr-1").health().since();
    harness.stop();
    long before = harness.count("SELECT count(*) FROM probe_results");
    long rollups = harness.count("SELECT sum(up + degraded + down) FROM probe_rollup_minute");
    assertThat(rollups).isEqualTo(before);

    // the service is away for two seconds of its clock: longer than 1.5 intervals, a gap
    harness.clock.advance(Duration.ofSeconds(2));
    harness.restart();
    // Before any new probe, the failing state and its start come back from the database.
    CheckStatus resumed = harness.status("ticketing/kr-1");
    assertThat(resumed.health().state()).isEqualTo(State.FAILING);
    assertThat(resumed.health().since()).isEqualTo(since);
    await().atMost(WAIT).until(() -> harness.count("SELECT count(*) FROM probe_results") > before);
    // The time without samples ends at the first one of this run.
    await()
        .atMost(WAIT)
        .until(
            () ->
                harness.count(
                        "SELECT count(*) FROM monitoring_gaps WHERE reason = 'monitor_down' AND"
                            + " ended_at - started_at >= interval '2 seconds'")
                    == 1);
    assertThat(state("ticketing/kr-1")).isEqualTo(State.FAILING);
    assertThat(harness.status("ticketing/kr-1").health().since()).isEqualTo(since);
  }

  @Test
  void timeWithoutSamplesAcrossARestartIsAGapFromTheLastSampleToTheFirst(Vertx vertx)
      throws Exception {
    AtomicInteger status = new AtomicInteger(200);
    int port = ProbeTarget.listen(vertx, status);
    harness =
        ServiceHarness.start(
            vertx,
            """
            defaults: {timeout: 300ms, failure_threshold: 2, success_threshold: 1}
            components:
              - id: ticketing
                impact: major
                cells:
                  - {id: kr-1, interval: 1s, url: "http://127.0.0.1:%1$d/a"}
                  - {id: kr-2, interval: 700ms, url: "http://127.0.0.1:%1$d/b"}
            """
                .formatted(port),
            Map.of());
    String perCheck =
        "SELECT min(n) FROM (SELECT count(r.check_id) AS n FROM checks c "
            + "LEFT JOIN probe_results r ON r.check_id = c.id GROUP BY c.id) x";
    await().atMost(WAIT).until(() -> harness.count(perCheck) >= 2);
    harness.stop();
    long before = harness.count(perCheck);

    // three seconds of the service's clock without it: longer than 1.5 of either interval
    Instant away = harness.clock.instant();
    harness.clock.advance(Duration.ofSeconds(3));
    harness.restart();
    await().atMost(WAIT).until(() -> harness.count(perCheck) >= before + 2);
    harness.stop();

    // Per check, the span from its last sample before the restart to its first after it is
    // covered exactly by one gap, and nothing else is. (Spans between samples of one run are
    // not judged: a busy machine may start a probe late.)
    String acrossRestart =
        """
        WITH s AS (
          SELECT r.check_id, r.probed_at,
            lag(r.probed_at) OVER (PARTITION BY r.check_id ORDER BY r.probed_at) AS previous
          FROM probe_results r)
        SELECT count(*) FROM s WHERE previous < '%s' AND probed_at > '%s'\
        """
            .formatted(away, away);
    assertThat(harness.count(acrossRestart)).isEqualTo(2);
    assertThat(
            harness.count(
                acrossRestart
                    + " AND EXISTS (SELECT 1 FROM monitoring_gaps g "
                    + "WHERE g.check_id = s.check_id AND g.reason = 'monitor_down' "
                    + "AND g.started_at = s.previous AND g.ended_at = s.probed_at)"))
        .isEqualTo(2);
    assertThat(harness.count("SELECT count(*) FROM monitoring_gaps")).isEqualTo(2);
    // operators are told of each gap once, in the transaction that recorded it
    assertThat(toldGaps("monitoring.gap")).isEqualTo(2);
  }

  /** How many gaps the outbox's events of {@code kind} tell of. */
  private long toldGaps(String kind) throws Exception {
    return harness.count(
        "SELECT coalesce(sum((payload->'en'->'gap'->>'count')::int), 0) FROM notify_events"
            + " WHERE kind = '"
            + kind
            + "'");
  }

  @Test
  void tcpAndTlsCellsAreProbedWithCertificateExpiry(Vertx vertx) throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    NetServer tcp =
        get(vertx.createNetServer().connectHandler(s -> s.close()).listen(0, "127.0.0.1"));
    NetServer tls =
        get(
            vertx
                .createNetServer(
                    new NetServerOptions().setSsl(true).setKeyCertOptions(cert.keyCertOptions()))
                .connectHandler(s -> {})
                .listen(0, "127.0.0.1"));
    HttpServer https =
        get(
            vertx
                .createHttpServer(
                    new HttpServerOptions().setSsl(true).setKeyCertOptions(cert.keyCertOptions()))
                .requestHandler(r -> r.response().end("ok"))
                .listen(0, "127.0.0.1"));
    harness =
        ServiceHarness.start(
            vertx,
            """
            defaults: {interval: 200ms, timeout: 190ms, failure_threshold: 2, success_threshold: 1}
            components:
              - id: email
                impact: major
                cells:
                  - {id: mx, url: "tcp://127.0.0.1:%d", conditions: ["[CONNECTED] == true"]}
              - id: portal
                impact: major
                cells:
                  - id: tls-ok
                    url: "tls://localhost:%d"
                    insecure_tls: true
                    conditions: ["[CONNECTED] == true", "[CERTIFICATE_EXPIRATION] > 336h"]
                  - id: tls-expiring
                    url: "tls://localhost:%d"
                    insecure_tls: true
                    conditions: ["[CERTIFICATE_EXPIRATION] < 336h"]
                  - id: tls-untrusted
                    url: "tls://localhost:%d"
                    conditions: ["[CONNECTED] == true"]
                  - id: https
                    url: "https://localhost:%d/"
                    insecure_tls: true
                    conditions:
                      - "[STATUS] == 200"
                      - "[BODY] == ok"
                      - "[CERTIFICATE_EXPIRATION] > 336h"
            """
                .formatted(
                    tcp.actualPort(),
                    tls.actualPort(),
                    tls.actualPort(),
                    tls.actualPort(),
                    https.actualPort()),
            Map.of());
    // A busy machine times a TLS handshake out now and then: each cell's own verdict is awaited,
    // not read from whichever probe happened to come last.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(state("email/mx")).isEqualTo(State.HEALTHY);
              assertThat(state("portal/tls-ok")).isEqualTo(State.HEALTHY);
              assertThat(state("portal/https")).isEqualTo(State.HEALTHY);
              assertThat(state("portal/tls-expiring")).isEqualTo(State.FAILING);
              assertThat(state("portal/tls-untrusted")).isEqualTo(State.FAILING);
              assertThat(harness.status("portal/tls-expiring").last().error())
                  .startsWith("[CERTIFICATE_EXPIRATION] (")
                  .endsWith(") < 336h");
              assertThat(harness.status("portal/tls-untrusted").last().error())
                  .isEqualTo("TLS certificate not trusted");
            });

    get(tcp.close());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(state("email/mx")).isEqualTo(State.FAILING);
              assertThat(harness.status("email/mx").last().error()).isEqualTo("connection refused");
            });
  }

  @Test
  void aProbeNeverOutlivesItsTimeout(Vertx vertx) throws Exception {
    HttpServer silent =
        get(vertx.createHttpServer().requestHandler(req -> {}).listen(0, "127.0.0.1"));
    harness =
        ServiceHarness.start(
            vertx,
            """
            defaults: {interval: 2s, timeout: 300ms, failure_threshold: 1}
            components:
              - {id: reports, impact: partial, url: "http://127.0.0.1:%d/slow"}
            """
                .formatted(silent.actualPort()),
            Map.of());
    await().atMost(WAIT).until(() -> state("reports/main") == State.FAILING);
    var last = harness.status("reports/main").last();
    // Only its timer can end a probe of a server that never answers, and a timer never fires
    // early. It may fire late on a busy machine, but a verdict a second past the timeout would
    // have been discarded, and the next slot is two seconds away: an end well short of either
    // is the timeout's.
    assertThat(last.error()).isEqualTo("timeout after 300ms");
    assertThat(last.latencyMs()).isGreaterThanOrEqualTo(300).isLessThan(300 + 700);
  }

  /**
   * An instance that stalls (a start-up on a loaded machine, a long pause) skips the slots it could
   * not probe and discards what it measured meanwhile: that time is recorded as a gap, not left as
   * a hole between samples.
   */
  @Test
  void slotsMissedWhileThisInstanceStalledAreAGap(Vertx vertx) throws Exception {
    int port = ProbeTarget.listen(vertx, new AtomicInteger(200));
    harness =
        ServiceHarness.start(
            vertx,
            """
            defaults: {interval: 200ms, timeout: 100ms}
            components:
              - {id: reports, impact: partial, url: "http://127.0.0.1:%d/r"}
            """
                .formatted(port),
            Map.of());
    String stored = "SELECT count(*) FROM probe_results";
    await().atMost(WAIT).until(() -> harness.count(stored) > 0);
    // Again, with a sample stored: a cell first probed with none is looked at again later.
    harness.stop();
    harness.restart();
    long restarted = harness.count(stored);
    await().atMost(WAIT).until(() -> harness.count(stored) > restarted);
    // Every event loop busy for 1.5 s: seven slots come round while none can run.
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      loop.execute(
          () -> {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
            while (System.nanoTime() < until) {
              Thread.onSpinWait();
            }
          });
    }
    long before = harness.count(stored);
    await().atMost(WAIT).until(() -> harness.count(stored) > before + 10);
    assertThat(harness.count(Fixtures.unrecordedHoles("300 milliseconds")))
        .as("spans that missed a slot outside a recorded gap")
        .isZero();
  }

  @Test
  void slotsASlowTargetRanIntoAreItsOwnTimeNotAGap(Vertx vertx) throws Exception {
    // answers after 300 ms: each probe times out at 200 ms, past its next slot, which is skipped
    int port =
        vertx
            .createHttpServer()
            .requestHandler(req -> vertx.setTimer(300, id -> req.response().end("late")))
            .listen(0, "127.0.0.1")
            .await()
            .actualPort();
    harness =
        ServiceHarness.start(
            vertx,
            """
            defaults: {interval: 200ms, timeout: 200ms}
            components:
              - {id: reports, impact: partial, url: "http://127.0.0.1:%d/r"}
            """
                .formatted(port),
            Map.of());
    await()
        .atMost(WAIT)
        .until(
            () -> harness.count("SELECT count(*) FROM probe_results WHERE outcome = 'down'") > 8);
    harness.stop();
    assertThat(harness.count("SELECT count(*) FROM monitoring_gaps"))
        .as("the target's slowness is the target's time, not the monitor's")
        .isZero();
  }

  @Test
  void heartbeatsNeedTheCellTokenAndSilenceFails(Vertx vertx) throws Exception {
    harness =
        ServiceHarness.start(
            vertx,
            """
            defaults: {interval: 200ms, timeout: 100ms, failure_threshold: 2, success_threshold: 1}
            components:
              - id: email
                impact: major
                cells:
                  - {id: inbound, heartbeat: {max_silence: 1m, token: "${HB}"}}
            """,
            Map.of("HB", "a-long-heartbeat-token"));
    WebClient client = WebClient.create(vertx);
    String uri = "/api/v1/heartbeats/email/inbound";
    int port = harness.service.httpPort();
    HttpResponse<?> none = get(client.request(HttpMethod.POST, port, "127.0.0.1", uri).send());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.bodyAsJsonObject().getString("error"))
        .isEqualTo("missing or wrong heartbeat token");
    HttpResponse<?> wrong =
        get(
            client
                .request(HttpMethod.POST, port, "127.0.0.1", uri)
                .bearerTokenAuthentication("a-long-heartbeat-tokem")
                .send());
    assertThat(wrong.statusCode()).isEqualTo(401);
    HttpResponse<?> unknown =
        get(
            client
                .request(HttpMethod.POST, port, "127.0.0.1", "/api/v1/heartbeats/email/outbound")
                .bearerTokenAuthentication("x")
                .send());
    assertThat(unknown.statusCode()).isEqualTo(404);

    // A fresh start has max_silence of grace; a minute and a half of the service's clock
    // without a beat fails the cell, and one beat heals it.
    await().atMost(WAIT).until(() -> state("email/inbound") == State.HEALTHY);
    harness.clock.advance(Duration.ofSeconds(90));
    await().atMost(WAIT).until(() -> state("email/inbound") == State.FAILING);
    assertThat(harness.status("email/inbound").last().error())
        .matches("no heartbeat for 1m[0-9]+s \\(max 1m\\)");
    HttpResponse<?> beat =
        get(
            client
                .request(HttpMethod.POST, port, "127.0.0.1", uri)
                .bearerTokenAuthentication("a-long-heartbeat-token")
                .send());
    assertThat(beat.statusCode()).isEqualTo(204);
    await().atMost(WAIT).until(() -> state("email/inbound") == State.HEALTHY);
    harness.clock.advance(Duration.ofSeconds(90));
    await().atMost(WAIT).until(() -> state("email/inbound") == State.FAILING);
  }

  /**
   * Two pushed cells within their hour of grace: every probe passes whatever the machine's load, so
   * a failure among the stored results could only come from how they were stored.
   */
  private static String quietCells(String interval) {
    return """
    defaults: {interval: %s, timeout: %s, failure_threshold: 2, success_threshold: 1}
    components:
      - id: ticketing
        impact: major
        cells:
          - {id: kr-1, heartbeat: {max_silence: 1h, token: a-long-heartbeat-token}}
          - {id: kr-2, heartbeat: {max_silence: 1h, token: a-long-heartbeat-token}}
    """
        .formatted(interval, interval);
  }

  @Test
  void aDatabaseOutageLosesNoResultAndRecordsNoFailure(Vertx vertx) throws Exception {
    TcpProxy.ProxiedDatabase db = TcpProxy.database(vertx);
    TcpProxy proxy = db.proxy();
    harness = ServiceHarness.startOn(vertx, db.url(), db.viaProxy(), quietCells("250ms"), Map.of());
    await().atMost(WAIT).until(() -> harness.counter("statusdesk.results.written") > 10);

    Instant cutAt = harness.clock.instant();
    proxy.cut();
    await()
        .atMost(WAIT)
        .until(() -> harness.counter("statusdesk.result.batches", "result", "failed") >= 2);
    double probedDuringOutage = harness.counter("statusdesk.probes");
    await()
        .atMost(WAIT)
        .until(() -> harness.counter("statusdesk.probes") > probedDuringOutage + 12);
    assertThat(state("ticketing/kr-1")).isEqualTo(State.HEALTHY);
    proxy.restore();

    harness.stop();
    double probed = harness.counterAfterStop;
    assertThat(harness.count("SELECT count(*) FROM probe_results")).isEqualTo((long) probed);
    // From the last result before the cut on: a probe's first answers, on a cold JVM that is still
    // starting the service, may take longer than this test's 250 ms timeout.
    assertThat(
            harness.text(
                "SELECT string_agg(outcome || ': ' || error || ' at ' || probed_at, '; ') "
                    + "FROM probe_results WHERE outcome <> 'up' AND probed_at > '"
                    + cutAt.minusMillis(250)
                    + "'"))
        .as("cut at " + cutAt)
        .isNull();
    assertThat(harness.count("SELECT count(*) FROM monitoring_gaps")).isZero();
    assertThat(harness.count("SELECT sum(up) FROM probe_rollup_minute")).isEqualTo((long) probed);
  }

  @Test
  void resultsThatOverflowTheBufferBecomeGapsNotFailures(Vertx vertx) throws Exception {
    TcpProxy.ProxiedDatabase db = TcpProxy.database(vertx);
    TcpProxy proxy = db.proxy();
    harness =
        ServiceHarness.startOn(vertx, db.url(), db.viaProxy(), quietCells("100ms"), Map.of(), 100);
    await().atMost(WAIT).until(() -> harness.counter("statusdesk.results.written") > 5);

    proxy.cut();
    await().atMost(WAIT).until(() -> harness.counter("statusdesk.results.dropped") > 20);
    proxy.restore();
    await().atMost(WAIT).until(() -> harness.counter("statusdesk.results.written") > 120);
    harness.stop();

    long stored = harness.count("SELECT count(*) FROM probe_results");
    assertThat(stored + (long) harness.droppedAfterStop).isEqualTo((long) harness.counterAfterStop);
    assertThat(harness.count("SELECT count(*) FROM probe_results WHERE outcome <> 'up'")).isZero();
    // One gap per cell, spanning exactly the samples that were dropped.
    assertThat(
            harness.count(
                "SELECT count(DISTINCT check_id) FROM monitoring_gaps "
                    + "WHERE reason = 'buffer_overflow' AND ended_at > started_at"))
        .isEqualTo(2);
    assertThat(
            harness.count(
                "SELECT count(*) FROM probe_results r JOIN monitoring_gaps g USING (check_id) WHERE"
                    + " r.probed_at >= g.started_at AND r.probed_at < g.ended_at"))
        .isZero();
    assertThat(toldGaps("monitoring.buffer_overflow"))
        .isEqualTo(harness.count("SELECT count(*) FROM monitoring_gaps"))
        .isPositive();
    assertThat(toldGaps("monitoring.gap")).isZero();
  }

  /**
   * A certificate that ends within 14 days is told to operators once: not at every probe, and not
   * again after a restart.
   */
  @Test
  void aCertificateNearItsEndIsToldOnce(Vertx vertx, @TempDir Path dir) throws Exception {
    Path store = dir.resolve("short.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "short",
                "-keyalg",
                "EC",
                "-dname",
                "CN=localhost",
                "-validity",
                "5",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue())
        .as(new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isZero();
    NetServer tls =
        get(
            vertx
                .createNetServer(
                    new NetServerOptions()
                        .setSsl(true)
                        .setKeyCertOptions(
                            new PfxOptions().setPath(store.toString()).setPassword("changeit")))
                .connectHandler(s -> {})
                .listen(0, "127.0.0.1"));
    String yaml =
        """
        defaults: {interval: 200ms, timeout: 190ms, failure_threshold: 2, success_threshold: 1}
        components:
          - id: portal
            impact: major
            cells:
              - id: web
                url: "tls://localhost:%d"
                insecure_tls: true
                conditions: ["[CONNECTED] == true"]
        """
            .formatted(tls.actualPort());
    harness = ServiceHarness.start(vertx, yaml, Map.of());
    String told = "SELECT count(*) FROM notify_events WHERE kind = 'certificate.expiring'";
    await().atMost(WAIT).until(() -> harness.count(told) == 1);
    JsonObject certificate =
        new JsonObject(
                harness.text("SELECT payload::text FROM notify_events WHERE kind LIKE 'cert%'"))
            .getJsonObject("en")
            .getJsonObject("certificate");
    assertThat(certificate.getString("component")).isEqualTo("portal");
    assertThat(certificate.getString("cell")).isEqualTo("web");
    assertThat(certificate.getLong("days_left")).isBetween(4L, 5L);
    assertThat(harness.text("SELECT components::text FROM notify_events")).isEqualTo("{portal}");

    harness.stop();
    long probed = (long) harness.counterAfterStop;
    harness.restart();
    await().atMost(WAIT).until(() -> harness.counter("statusdesk.probes") >= 5);
    harness.stop();
    assertThat(probed).isPositive();
    assertThat(harness.count(told)).isEqualTo(1);
  }

  @Test
  void healthAndMetricsAnswer(Vertx vertx) throws Exception {
    AtomicInteger status = new AtomicInteger(200);
    harness = ServiceHarness.start(vertx, httpChecks(ProbeTarget.listen(vertx, status)), Map.of());
    await().atMost(WAIT).until(() -> harness.counter("statusdesk.results.written") >= 2);
    WebClient client = WebClient.create(vertx);
    int port = harness.service.httpPort();
    HttpResponse<?> health = get(client.get(port, "127.0.0.1", "/health").send());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.bodyAsJsonObject().getString("database")).isEqualTo("up");
    assertThat(health.bodyAsJsonObject().getJsonArray("stalled")).isEmpty();
    // without a token only on the management listener
    String metrics =
        get(client.get(harness.service.managementPort().getAsInt(), "127.0.0.1", "/metrics").send())
            .bodyAsString();
    assertThat(metrics)
        .contains(
            "statusdesk_probes_total{outcome=\"up\"}",
            "statusdesk_probe_latency_seconds_bucket",
            "statusdesk_schedule_lag_seconds_bucket",
            "statusdesk_probes_in_flight",
            "statusdesk_result_batches_total{result=\"ok\"}",
            "statusdesk_result_batches_total{result=\"failed\"}",
            "statusdesk_result_buffer",
            "jvm_memory_used_bytes",
            "statusdesk_stalls",
            "statusdesk_last_probe_age_seconds",
            "statusdesk_probes_discarded_total");
    assertThat(get(client.get(port, "127.0.0.1", "/api/v1/checks").send()).statusCode())
        .isEqualTo(401);
    JsonObject checks =
        get(client
                .get(port, "127.0.0.1", "/api/v1/checks")
                .bearerTokenAuthentication(harness.token("viewer"))
                .send())
            .bodyAsJsonObject();
    JsonObject first = checks.getJsonArray("checks").getJsonObject(0);
    assertThat(first.getString("component")).isEqualTo("ticketing");
    assertThat(first.getString("state")).isEqualTo("healthy");
    assertThat(first.getJsonObject("last_result").getString("outcome")).isEqualTo("up");
    assertThat(first.encode()).doesNotContain("127.0.0.1");
    HttpResponse<?> missing = get(client.get(port, "127.0.0.1", "/api/v1/nope").send());
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.bodyAsJsonObject().getString("error")).isEqualTo("not found");
  }
}
