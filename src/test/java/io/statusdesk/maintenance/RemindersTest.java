package io.statusdesk.maintenance;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.statusdesk.Localized;
import io.statusdesk.MutableClock;
import io.statusdesk.store.Database;
import io.statusdesk.store.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reminders go out at their instants as the clock moves (a controllable clock), each moment once:
 * the scheduler restarted, or down across a moment, tells nothing twice and the latest due only.
 */
@ExtendWith(VertxExtension.class)
class RemindersTest {
  private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  private static final Instant START = T0.plus(Duration.ofDays(10));
  private static final Duration TICK = Duration.ofMillis(50);

  private String url;
  private Pool pool;
  private MaintenanceSchedule schedule;
  private MaintenanceNotices notices;
  private final MutableClock clock = MutableClock.at(T0);
  private String deployment;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    url = TestDatabase.fresh();
    pool = Database.external(url).pool(vertx, 2);
    notices = new MaintenanceNotices("https://status.example.com", SEOUL, lang -> Map.of());
    MaintenanceRepository windows = new MaintenanceRepository(pool, notices);
    schedule = new MaintenanceSchedule(windows, SEOUL);
    get(
        windows.create(
            new Window(
                0,
                new Localized("Database upgrade", "데이터베이스 업그레이드"),
                new Localized("", null),
                Set.of("*"),
                START,
                START.plus(Duration.ofHours(2)),
                Optional.empty(),
                T0,
                Optional.empty()),
            "operator-test",
            SEOUL));
    get(schedule.reload());
  }

  @AfterEach
  void tearDown() throws Exception {
    get(pool.close());
  }

  private void run(Vertx vertx) throws Exception {
    deployment =
        get(
            vertx.deployVerticle(
                new Reminders(
                    pool,
                    schedule,
                    notices,
                    List.of(Duration.ofDays(7), Duration.ofHours(24), Duration.ofHours(1)),
                    TICK,
                    clock)));
  }

  private void halt(Vertx vertx) throws Exception {
    get(vertx.undeploy(deployment));
  }

  /** The maintenance moments told so far, as {@code kind@occurred_at}. */
  private List<String> told() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = TestDatabase.connect(url);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT kind, occurred_at, payload FROM notify_events"
                    + " WHERE kind <> 'maintenance.scheduled' ORDER BY id")) {
      while (rs.next()) {
        JsonObject data = new JsonObject(rs.getString(3)).getJsonObject("en");
        Object before = data.getValue("reminder_before_seconds");
        out.add(
            rs.getString(1)
                + (before == null
                    ? ""
                    : "(" + Duration.ofSeconds(((Number) before).longValue()) + ")")
                + "@"
                + rs.getTimestamp(2).toInstant());
      }
    }
    return out;
  }

  private void at(Instant at) {
    clock.set(at);
  }

  /** Nothing more is told while the scheduler looks several times. */
  private void stillTold(int count) {
    await()
        .during(TICK.multipliedBy(6))
        .atMost(Duration.ofSeconds(10))
        .until(() -> told().size() == count);
  }

  @Test
  void remindersStartAndEndAreToldAtTheirInstantsOnce(Vertx vertx) throws Exception {
    run(vertx);
    at(START.minus(Duration.ofDays(7)).minusSeconds(1));
    stillTold(0);
    at(START.minus(Duration.ofDays(7)));
    await().until(() -> told().size() == 1);
    at(START.minus(Duration.ofDays(6)));
    stillTold(1);
    at(START.minus(Duration.ofHours(24)));
    await().until(() -> told().size() == 2);
    // restarted between two moments: nothing is told twice
    halt(vertx);
    run(vertx);
    at(START.minus(Duration.ofHours(1)));
    await().until(() -> told().size() == 3);
    at(START);
    await().until(() -> told().size() == 4);
    at(START.plus(Duration.ofHours(2)));
    await().until(() -> told().size() == 5);
    at(START.plus(Duration.ofHours(2)).plus(Duration.ofMinutes(30)));
    halt(vertx);
    run(vertx);
    at(START.plus(Duration.ofHours(2)).plus(Duration.ofMinutes(40)));
    stillTold(5);
    assertThat(told())
        .containsExactly(
            "maintenance.reminder(PT168H)@" + START.minus(Duration.ofDays(7)),
            "maintenance.reminder(PT24H)@" + START.minus(Duration.ofHours(24)),
            "maintenance.reminder(PT1H)@" + START.minus(Duration.ofHours(1)),
            "maintenance.started@" + START,
            "maintenance.ended@" + START.plus(Duration.ofHours(2)));
  }

  @Test
  void aSchedulerDownAcrossTwoRemindersTellsOnlyTheLatest(Vertx vertx) throws Exception {
    clock.set(START.minus(Duration.ofHours(3)));
    run(vertx);
    await().until(() -> told().size() == 1);
    at(START.minus(Duration.ofMinutes(50)));
    await().until(() -> told().size() == 2);
    stillTold(2);
    assertThat(told())
        .containsExactly(
            "maintenance.reminder(PT24H)@" + START.minus(Duration.ofHours(24)),
            "maintenance.reminder(PT1H)@" + START.minus(Duration.ofHours(1)));
  }
}
