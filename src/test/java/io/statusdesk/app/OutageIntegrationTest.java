package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.statusdesk.probe.CheckHealth;
import io.statusdesk.probe.CheckStatus;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Probes to outages, incidents and maintenance through the running service and its operator API,
 * against targets the test switches between up and down.
 */
@ExtendWith(VertxExtension.class)
class OutageIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** How far each phase moves the clock on: outage boundaries are whole seconds. */
  private static final Duration STEP = Duration.ofSeconds(3);

  private static final List<String> CELLS =
      List.of("ticketing/kr-1", "ticketing/kr-2", "widget/main");

  /** One cell that is never probed over the network, for tests of the operator API alone. */
  private static final String NO_PROBES =
      """
      components:
        - {id: ticketing, impact: major, heartbeat: {max_silence: 1h, token: a-long-beat-token}}
      """;

  private ServiceHarness harness;
  private WebClient client;

  @AfterEach
  void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private static String checks(int kr1, int kr2) {
    return checks(kr1, kr2, "200ms");
  }

  private static String checks(int kr1, int kr2, String debounce) {
    return """
    timezone: Asia/Seoul
    update_debounce: %s
    defaults: {interval: 200ms, timeout: 150ms, failure_threshold: 2, success_threshold: 2}
    components:
      - id: ticketing
        name: {en: Ticketing, ko: 티켓팅}
        impact: major
        cells:
          - {id: kr-1, url: "http://127.0.0.1:%d/health"}
          - {id: kr-2, url: "http://127.0.0.1:%d/health"}
      - id: widget
        impact: partial
        url: http://127.0.0.1:%d/health
    """
        .formatted(debounce, kr1, kr2, kr1);
  }

  /** Starts the service with every cell probing one target; answers its status switch. */
  private AtomicInteger startWithOneTarget(Vertx vertx, int initial) throws Exception {
    AtomicInteger status = new AtomicInteger(initial);
    int port = ProbeTarget.listen(vertx, status);
    harness = ServiceHarness.start(vertx, checks(port, port), Map.of());
    client = WebClient.create(vertx);
    return status;
  }

  private void startWithoutProbes(Vertx vertx) throws Exception {
    harness = ServiceHarness.start(vertx, NO_PROBES, Map.of());
    client = WebClient.create(vertx);
  }

  private HttpResponse<Buffer> call(HttpMethod method, String path, String token, Object body)
      throws Exception {
    HttpRequest<Buffer> request =
        client.request(method, harness.service.httpPort(), "127.0.0.1", path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    if (body == null) {
      return get(request.send());
    }
    return get(
        request
            .putHeader("Content-Type", "application/json")
            .sendBuffer(
                Buffer.buffer(body instanceof JsonObject j ? j.encode() : body.toString())));
  }

  private String ticketingStatus(String token) throws Exception {
    JsonArray list =
        call(HttpMethod.GET, "/api/v1/components", token, null)
            .bodyAsJsonObject()
            .getJsonArray("components");
    return list.getJsonObject(0).getString("status");
  }

  /**
   * Waits until every cell is healthy. The first probes of a cold, busy JVM may time out and open
   * an outage before the test begins, so tests count only what began in their phases.
   */
  private void awaitHealthy() {
    await()
        .atMost(WAIT)
        .until(
            () ->
                CELLS.stream()
                    .allMatch(
                        key -> {
                          CheckStatus s = harness.status(key);
                          return s != null && s.health().state() == CheckHealth.State.HEALTHY;
                        }));
  }

  /**
   * Moves the service's clock on by {@link #STEP} and waits until every cell has been probed since,
   * so no probe that began before the move sees what the test switches next. Whatever a phase
   * changes is dated within it, more than a second after anything earlier. Returns the phase's
   * first instant.
   */
  private Instant nextPhase() {
    harness.clock.advance(STEP);
    Instant phase = harness.clock.instant();
    await()
        .atMost(WAIT)
        .until(
            () ->
                CELLS.stream()
                    .allMatch(
                        key -> {
                          CheckStatus s = harness.status(key);
                          return s != null
                              && s.last() != null
                              && !s.last().probedAt().isBefore(phase);
                        }));
    return phase;
  }

  private static String since(Instant at) {
    return "'" + at.truncatedTo(ChronoUnit.SECONDS) + "'";
  }

  private long ticketingOutagesSince(Instant at) throws Exception {
    return harness.count(
        "SELECT count(*) FROM outages WHERE component = 'ticketing' "
            + "AND started_at >= "
            + since(at));
  }

  /** The ticketing incident's updates since {@code at}, oldest first. */
  private String ticketingUpdatesSince(Instant at) throws Exception {
    return harness.text(
        "SELECT string_agg(u.status, ',' ORDER BY u.id) FROM incident_updates u "
            + "JOIN incidents i ON i.id = u.incident_id WHERE i.components = '{ticketing}' "
            + "AND i.started_at >= "
            + since(at));
  }

  private Instant instant(String sql) throws Exception {
    return Instant.ofEpochMilli(
        Long.parseLong(harness.text("SELECT (extract(epoch FROM (" + sql + ")) * 1000)::bigint")));
  }

  /**
   * When the last run of failures of {@code cell} before {@code before} began: its first failed
   * probe, the instant its outage is dated from.
   */
  private Instant failingFrom(String cell, Instant before) throws Exception {
    String probes =
        "FROM probe_results r JOIN checks c ON c.id = r.check_id "
            + "WHERE c.component = 'ticketing' AND c.cell = '"
            + cell
            + "' ";
    return instant(
        "SELECT min(probed_at) "
            + probes
            + "AND outcome = 'down' AND probed_at > "
            + "(SELECT max(probed_at) "
            + probes
            + "AND outcome <> 'down' "
            + "AND probed_at < '"
            + before
            + "')");
  }

  /** The first good probe of {@code cell} from {@code from} on. */
  private Instant upFrom(String cell, Instant from) throws Exception {
    return instant(
        "SELECT min(probed_at) FROM probe_results r JOIN checks c "
            + "ON c.id = r.check_id WHERE c.component = 'ticketing' AND c.cell = '"
            + cell
            + "' "
            + "AND outcome = 'up' AND probed_at >= '"
            + from
            + "'");
  }

  @Test
  void oneCellThenAllIsOnePartialThenOneMajorInterval(Vertx vertx) throws Exception {
    AtomicInteger kr1 = new AtomicInteger(200);
    AtomicInteger kr2 = new AtomicInteger(200);
    harness =
        ServiceHarness.start(
            vertx,
            checks(ProbeTarget.listen(vertx, kr1), ProbeTarget.listen(vertx, kr2), "1s"),
            Map.of());
    client = WebClient.create(vertx);
    String viewer = harness.token("viewer");
    awaitHealthy();

    Instant partial = nextPhase();
    kr1.set(503);
    await().atMost(WAIT).until(() -> ticketingOutagesSince(partial) == 1);
    assertThat(ticketingStatus(viewer)).isEqualTo("partial_outage");
    Instant major = nextPhase();
    kr2.set(503);
    await().atMost(WAIT).until(() -> ticketingOutagesSince(partial) == 2);
    assertThat(ticketingStatus(viewer)).isEqualTo("major_outage");
    await()
        .atMost(WAIT)
        .until(() -> "investigating,investigating".equals(ticketingUpdatesSince(partial)));
    Instant partialAgain = nextPhase();
    kr2.set(200);
    await().atMost(WAIT).until(() -> ticketingOutagesSince(partial) == 3);
    await()
        .atMost(WAIT)
        .until(
            () ->
                "investigating,investigating,investigating".equals(ticketingUpdatesSince(partial)));
    Instant recovered = nextPhase();
    kr1.set(200);
    await()
        .atMost(WAIT)
        .until(() -> harness.count("SELECT count(*) FROM outages WHERE ended_at IS NULL") == 0);
    assertThat(ticketingStatus(viewer)).isEqualTo("operational");
    assertThat(
            harness.count(
                "SELECT count(*) FROM outages WHERE component = 'widget' "
                    + "AND started_at >= "
                    + since(partial)))
        .isEqualTo(1);
    harness.stop();

    Instant kr1Down = failingFrom("kr-1", recovered);
    Instant kr2Down = failingFrom("kr-2", partialAgain);
    Instant kr2Up = upFrom("kr-2", partialAgain);
    Instant kr1Up = upFrom("kr-1", recovered);
    assertThat(kr1Down).isBetween(partial, major);
    assertThat(kr2Down).isBetween(major, partialAgain);
    assertThat(kr2Up).isBetween(partialAgain, recovered);
    assertThat(kr1Up).isAfterOrEqualTo(recovered);
    // each interval runs from the first probe of the change that began it, to the second
    String rows =
        harness.text(
            """
            SELECT string_agg(outage_class || ' ' || extract(epoch FROM started_at)::bigint || ' '
              || extract(epoch FROM ended_at)::bigint || ' ' || array_to_string(cells, ','), ' | '
              ORDER BY started_at)
            FROM outages WHERE component = 'ticketing' AND started_at >=\
            """
                + since(partial));
    assertThat(rows)
        .isEqualTo(
            String.join(
                " | ",
                "partial " + seconds(kr1Down) + " " + seconds(kr2Down) + " kr-1",
                "major " + seconds(kr2Down) + " " + seconds(kr2Up) + " kr-1,kr-2",
                "partial " + seconds(kr2Up) + " " + seconds(kr1Up) + " kr-1"));
    String incidents =
        "FROM incidents WHERE components = '{ticketing}' AND started_at >= " + since(partial);
    assertThat(
            harness.text(
                "SELECT count(*) || ' ' || min(status) || ' ' || min(outage_class) "
                    + "|| ' ' || min(title_en) "
                    + incidents))
        .isEqualTo("1 resolved major Ticketing unavailable");
    assertThat(ticketingUpdatesSince(partial))
        .isEqualTo("investigating,investigating,investigating,resolved");
    // each change of class is told once it has held for the debounce, not when it happened
    String told =
        "SELECT u.created_at FROM incident_updates u WHERE u.incident_id = "
            + "(SELECT id "
            + incidents
            + ") ORDER BY u.id OFFSET %d LIMIT 1";
    assertThat(instant(told.formatted(1))).isAfterOrEqualTo(kr2Down.plusSeconds(1));
    assertThat(instant(told.formatted(2))).isAfterOrEqualTo(kr2Up.plusSeconds(1));
    assertThat(harness.count("SELECT count(*) FROM outages WHERE incident_id IS NULL")).isZero();
  }

  /** An outage boundary: the whole second of {@code at}. */
  private static long seconds(Instant at) {
    return at.getEpochSecond();
  }

  /**
   * Cells failing a few seconds apart change the outage's class back and forth; the intervals stay
   * exact, but the incident tells one story: opened, then resolved.
   */
  @Test
  void flappingCellsChangeTheIntervalsButNotTheTimeline(Vertx vertx) throws Exception {
    AtomicInteger kr1 = new AtomicInteger(200);
    AtomicInteger kr2 = new AtomicInteger(200);
    harness =
        ServiceHarness.start(
            vertx,
            checks(ProbeTarget.listen(vertx, kr1), ProbeTarget.listen(vertx, kr2), "1h"),
            Map.of());
    awaitHealthy();
    Instant first = nextPhase();
    kr1.set(503);
    await().atMost(WAIT).until(() -> ticketingOutagesSince(first) == 1);
    nextPhase();
    kr2.set(503);
    await().atMost(WAIT).until(() -> ticketingOutagesSince(first) == 2);
    nextPhase();
    kr2.set(200);
    await().atMost(WAIT).until(() -> ticketingOutagesSince(first) == 3);
    nextPhase();
    kr1.set(200);
    await()
        .atMost(WAIT)
        .until(() -> harness.count("SELECT count(*) FROM outages WHERE ended_at IS NULL") == 0);
    assertThat(ticketingUpdatesSince(first)).isEqualTo("investigating,resolved");
    assertThat(
            harness.text(
                "SELECT string_agg(outage_class, ',' ORDER BY started_at) "
                    + "FROM outages WHERE component = 'ticketing' AND started_at >= "
                    + since(first)))
        .isEqualTo("partial,major,partial");
  }

  @Test
  void failuresInsideAnnouncedMaintenanceOpenNothingAndTheOverrunIsDowntime(Vertx vertx)
      throws Exception {
    AtomicInteger up = startWithOneTarget(vertx, 200);
    String operator = harness.token("operator");
    awaitHealthy();
    Instant start = harness.clock.instant().truncatedTo(ChronoUnit.SECONDS).plusSeconds(2);
    HttpResponse<Buffer> created =
        call(
            HttpMethod.POST,
            "/api/v1/maintenance",
            operator,
            new JsonObject()
                .put("title", "Ticketing database upgrade")
                .put("components", new JsonArray().add("ticketing"))
                .put("starts_at", start.toString())
                .put("ends_at", start.plus(Duration.ofHours(1)).toString()));
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getBoolean("short_notice")).isTrue();
    String ticketingOutages =
        "SELECT count(*) FROM outages WHERE component = 'ticketing' "
            + "AND started_at >= "
            + since(start);

    assertThat(nextPhase()).isAfter(start);
    up.set(503);
    await()
        .atMost(WAIT)
        .until(
            () -> harness.status("ticketing/kr-1").health().state() == CheckHealth.State.FAILING);
    assertThat(ticketingStatus(operator)).isEqualTo("under_maintenance");
    assertThat(harness.count(ticketingOutages)).isZero();
    // the partial-impact widget shares the target but no window: it is down, with an incident
    await()
        .atMost(WAIT)
        .until(
            () ->
                harness.count(
                        "SELECT count(*) FROM outages o JOIN incidents i ON i.id = o.incident_id"
                            + " WHERE o.component = 'widget' AND o.outage_class = 'partial' AND"
                            + " o.ended_at IS NULL AND o.started_at >= "
                            + since(start))
                    == 1);

    // The work is declared done, but the failures go on: from the window's end, downtime. (The
    // outage tracker wakes at a window's end on a real timer set from its clock when the
    // calendar changes, so a window ending two real seconds from now ends on time.)
    Instant end = harness.clock.instant().truncatedTo(ChronoUnit.SECONDS).plusSeconds(2);
    assertThat(
            call(
                    HttpMethod.PATCH,
                    "/api/v1/maintenance/" + created.bodyAsJsonObject().getLong("id"),
                    operator,
                    new JsonObject().put("ends_at", end.toString()))
                .statusCode())
        .isEqualTo(200);
    await().atMost(WAIT).until(() -> harness.count(ticketingOutages) == 1);
    assertThat(ticketingStatus(operator)).isEqualTo("major_outage");
    assertThat(
            harness.text(
                "SELECT started_at = '"
                    + end
                    + "'::timestamptz "
                    + "AND outage_class = 'major' FROM outages WHERE component = 'ticketing' "
                    + "AND started_at >= "
                    + since(start)))
        .isEqualTo("t");
    assertThat(
            harness.count(
                "SELECT count(*) FROM incidents WHERE 'ticketing' = ANY(components) "
                    + "AND started_at >= "
                    + since(start)))
        .isEqualTo(1);
  }

  @Test
  void aRestartDuringAnOpenOutageResumesIt(Vertx vertx) throws Exception {
    AtomicInteger status = startWithOneTarget(vertx, 503);
    await()
        .atMost(WAIT)
        .until(
            () ->
                harness.count(
                        "SELECT count(*) FROM outages WHERE ended_at IS NULL AND (component ="
                            + " 'widget' OR outage_class = 'major')")
                    == 2);
    String rows =
        "SELECT string_agg(id || ' ' || component || ' ' || outage_class || ' ' || started_at || '"
            + " ' || coalesce(ended_at::text, 'open'), ' | ' ORDER BY id) FROM outages";
    String before = harness.text(rows);
    harness.stop();
    harness.restart();
    long probes = harness.count("SELECT count(*) FROM probe_results");
    await()
        .atMost(WAIT)
        .until(() -> harness.count("SELECT count(*) FROM probe_results") > probes + 12);
    assertThat(harness.text(rows)).isEqualTo(before);
    assertThat(harness.count("SELECT count(*) FROM incidents")).isEqualTo(2);

    status.set(200);
    await()
        .atMost(WAIT)
        .until(() -> harness.count("SELECT count(*) FROM outages WHERE ended_at IS NULL") == 0);
    assertThat(harness.count("SELECT count(*) FROM incidents WHERE status = 'resolved'"))
        .isEqualTo(2);
    assertThat(harness.text(rows)).startsWith(before.substring(0, before.indexOf(" open")));
  }

  @Test
  void everyWriteRefusesMissingOrWrongTokensAndBadBodiesAndChangesNothing(Vertx vertx)
      throws Exception {
    startWithoutProbes(vertx);
    String operator = harness.token("operator");
    String viewer = harness.token("viewer");
    String billing = harness.token("billing");
    Instant future = Instant.now().plus(Duration.ofDays(10));
    JsonObject incident =
        new JsonObject()
            .put("title", "Email delays")
            .put("components", new JsonArray().add("ticketing"))
            .put("class", "partial")
            .put("started_at", Instant.now().minusSeconds(600).toString())
            .put("status", "investigating")
            .put("message", "Looking into it");
    JsonObject window =
        new JsonObject()
            .put("title", "Upgrade")
            .put("components", new JsonArray().add("*"))
            .put("starts_at", future.toString())
            .put("ends_at", future.plusSeconds(3600).toString());
    List<Object[]> writes =
        List.of(
            new Object[] {HttpMethod.POST, "/api/v1/incidents", incident},
            new Object[] {
              HttpMethod.POST,
              "/api/v1/incidents/1/updates",
              new JsonObject().put("status", "resolved").put("message", "Fixed")
            },
            new Object[] {
              HttpMethod.PATCH, "/api/v1/outages/1", new JsonObject().put("class", "major")
            },
            new Object[] {HttpMethod.POST, "/api/v1/maintenance", window},
            new Object[] {
              HttpMethod.PATCH, "/api/v1/maintenance/1", new JsonObject().put("title", "x")
            },
            new Object[] {HttpMethod.DELETE, "/api/v1/maintenance/1", null});
    for (Object[] w : writes) {
      HttpMethod method = (HttpMethod) w[0];
      String path = (String) w[1];
      assertThat(call(method, path, null, w[2]).statusCode())
          .as("%s %s no token", method, path)
          .isEqualTo(401);
      assertThat(call(method, path, "sd_forged", w[2]).statusCode())
          .as("%s %s forged", method, path)
          .isEqualTo(401);
      assertThat(call(method, path, viewer, w[2]).statusCode())
          .as("%s %s viewer", method, path)
          .isEqualTo(403);
      HttpResponse<Buffer> wrongRole = call(method, path, billing, w[2]);
      assertThat(wrongRole.statusCode()).as("%s %s billing", method, path).isEqualTo(403);
      assertThat(wrongRole.bodyAsJsonObject().getString("error")).contains("billing");
      if (!HttpMethod.DELETE.equals(method)) {
        for (String bad :
            List.of("{not json", "[1,2]", "{}", "{\"title\": 5, \"class\": \"huge\"}")) {
          HttpResponse<Buffer> r = call(method, path, operator, bad);
          assertThat(r.statusCode()).as("%s %s body %s", method, path, bad).isEqualTo(400);
          assertThat(r.bodyAsJsonObject().getString("error")).isNotBlank();
        }
      }
    }
    // bodies that are well-formed JSON but wrong in one field each name that field
    Map<String, JsonObject> invalid =
        Map.of(
            "started_at", incident.copy().put("started_at", "yesterday"),
            "components", incident.copy().put("components", new JsonArray().add("billing")),
            "class", incident.copy().put("class", "catastrophic"),
            "resolved_at", incident.copy().put("status", "resolved"),
            "status", incident.copy().put("status", "panicking"));
    for (var e : invalid.entrySet()) {
      HttpResponse<Buffer> r = call(HttpMethod.POST, "/api/v1/incidents", operator, e.getValue());
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.bodyAsJsonObject().getString("error")).startsWith(e.getKey() + ":");
    }
    HttpResponse<Buffer> badWindow =
        call(
            HttpMethod.POST,
            "/api/v1/maintenance",
            operator,
            window.copy().put("starts_at", "2020-01-01T00:00:00+09:00"));
    assertThat(badWindow.bodyAsJsonObject().getString("error")).startsWith("starts_at:");
    assertThat(call(HttpMethod.DELETE, "/api/v1/maintenance/1", operator, null).statusCode())
        .isEqualTo(404);
    assertThat(call(HttpMethod.GET, "/api/v1/incidents", null, null).statusCode()).isEqualTo(401);
    assertThat(call(HttpMethod.GET, "/api/v1/checks", null, null).statusCode()).isEqualTo(401);
    for (String table :
        List.of(
            "incidents",
            "incident_updates",
            "outages",
            "maintenance_windows",
            "audit_log WHERE action NOT LIKE 'token.%'",
            "sla_months_to_reevaluate")) {
      assertThat(harness.count("SELECT count(*) FROM " + table)).as(table).isZero();
    }
  }

  @Test
  void operatorsRunIncidentsMaintenanceAndOutagesWithAnAuditTrail(Vertx vertx) throws Exception {
    startWithoutProbes(vertx);
    String operator = harness.token("operator");

    Instant windowStart = Instant.now().plus(Duration.ofDays(8)).truncatedTo(ChronoUnit.HOURS);
    JsonObject window =
        call(
                HttpMethod.POST,
                "/api/v1/maintenance",
                operator,
                new JsonObject()
                    .put("title", "Search cluster upgrade")
                    .put("title_ko", "검색 클러스터 업그레이드")
                    .put("description", "<b>Read-only</b> for an hour")
                    .put("components", new JsonArray().add("*"))
                    .put("starts_at", windowStart.toString())
                    .put("ends_at", windowStart.plusSeconds(3600).toString())
                    .put("rrule", "FREQ=WEEKLY;COUNT=2"))
            .bodyAsJsonObject();
    assertThat(window.getString("status")).isEqualTo("scheduled");
    assertThat(window.getBoolean("short_notice")).isFalse();
    assertThat(window.getString("description")).isEqualTo("<b>Read-only</b> for an hour");
    assertThat(window.getJsonArray("next_occurrences")).hasSize(2);
    long windowId = window.getLong("id");
    JsonObject moved =
        call(
                HttpMethod.PATCH,
                "/api/v1/maintenance/" + windowId,
                operator,
                new JsonObject().put("ends_at", windowStart.plusSeconds(1800).toString()))
            .bodyAsJsonObject();
    assertThat(moved.getString("ends_at")).isEqualTo(windowStart.plusSeconds(1800).toString());
    JsonObject cancelled =
        call(HttpMethod.DELETE, "/api/v1/maintenance/" + windowId, operator, null)
            .bodyAsJsonObject();
    assertThat(cancelled.getString("status")).isEqualTo("cancelled");
    assertThat(
            call(HttpMethod.GET, "/api/v1/maintenance", operator, null)
                .bodyAsJsonObject()
                .getJsonArray("maintenance")
                .getJsonObject(0)
                .getString("status"))
        .isEqualTo("cancelled");

    Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(3600);
    HttpResponse<Buffer> created =
        call(
            HttpMethod.POST,
            "/api/v1/incidents",
            operator,
            new JsonObject()
                .put("title", "Replies not sent")
                .put("components", new JsonArray().add("ticketing"))
                .put("class", "partial")
                .put("started_at", started.toString())
                .put("status", "identified")
                .put("message", "A queue is stuck")
                .put("message_ko", "큐가 멈췄습니다"));
    assertThat(created.statusCode()).isEqualTo(201);
    long incidentId = created.bodyAsJsonObject().getLong("id");
    JsonObject resolved =
        call(
                HttpMethod.POST,
                "/api/v1/incidents/" + incidentId + "/updates",
                operator,
                new JsonObject().put("status", "resolved").put("message", "Queue drained"))
            .bodyAsJsonObject();
    assertThat(resolved.getString("status")).isEqualTo("resolved");
    assertThat(resolved.getJsonArray("updates")).hasSize(2);
    assertThat(
            call(
                    HttpMethod.POST,
                    "/api/v1/incidents/" + incidentId + "/updates",
                    operator,
                    new JsonObject().put("status", "monitoring").put("message", "again"))
                .statusCode())
        .isEqualTo(409);

    String month = YearMonth.from(started.atZone(ZoneId.of("Asia/Seoul"))).toString();
    JsonArray outages =
        call(HttpMethod.GET, "/api/v1/outages?month=" + month, operator, null)
            .bodyAsJsonObject()
            .getJsonArray("outages");
    assertThat(outages).hasSize(1);
    JsonObject outage = outages.getJsonObject(0);
    assertThat(outage.getString("source")).isEqualTo("manual");
    assertThat(outage.getString("started_at")).isEqualTo(started.toString());
    assertThat(outage.getString("ended_at")).isNotNull();
    JsonObject excluded =
        call(
                HttpMethod.PATCH,
                "/api/v1/outages/" + outage.getLong("id"),
                operator,
                new JsonObject()
                    .put("class", "major")
                    .put(
                        "exclusion",
                        new JsonObject()
                            .put("reason", "customer_caused")
                            .put("note", "Tenant's mail server refused")))
            .bodyAsJsonObject();
    assertThat(excluded.getString("class")).isEqualTo("major");
    assertThat(excluded.getJsonObject("exclusion").getString("reason"))
        .isEqualTo("customer_caused");
    assertThat(
            call(
                    HttpMethod.PATCH,
                    "/api/v1/outages/" + outage.getLong("id"),
                    operator,
                    new JsonObject()
                        .put(
                            "exclusion",
                            new JsonObject().put("reason", "bad luck").put("note", "x")))
                .statusCode())
        .isEqualTo(400);

    JsonArray audit =
        call(HttpMethod.GET, "/api/v1/audit", operator, null)
            .bodyAsJsonObject()
            .getJsonArray("entries");
    assertThat(audit.stream().map(e -> ((JsonObject) e).getString("action")).toList())
        .containsExactly(
            "outage.change",
            "incident.update",
            "incident.create",
            "maintenance.cancel",
            "maintenance.change",
            "maintenance.create",
            "token.create");
    JsonObject change = audit.getJsonObject(0);
    assertThat(change.getString("actor")).isEqualTo("operator-test (operator)");
    assertThat(change.getJsonObject("before").getString("class")).isEqualTo("partial");
    assertThat(change.getJsonObject("after").getString("class")).isEqualTo("major");
    assertThat(
            harness.count(
                "SELECT count(*) FROM sla_months_to_reevaluate WHERE month = '" + month + "'"))
        .isEqualTo(1);
  }
}
