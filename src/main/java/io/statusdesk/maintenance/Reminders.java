package io.statusdesk.maintenance;

import io.statusdesk.notify.Event;
import io.statusdesk.notify.EventKind;
import io.statusdesk.notify.Outbox;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells people of maintenance as it comes: reminders before each occurrence, its start and its end,
 * from the calendar. Each moment is recorded with a key naming the occurrence and the moment, so a
 * restart, a second instance or a retried write never tells it twice; a moment missed while the
 * service was down is told when it comes back (see {@link ReminderRules}).
 */
public final class Reminders extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(Reminders.class);

  private final Pool pool;
  private final MaintenanceSchedule schedule;
  private final MaintenanceNotices notices;
  private final List<Duration> offsets;
  private final Duration tick;
  private final Clock clock;

  /** Keys recorded by this instance, with when they became due: no need to write them again. */
  private final Map<String, Instant> recorded = new HashMap<>();

  private boolean scanning;
  private long timer;

  /**
   * @param offsets how long before each occurrence's start the reminders go out
   * @param tick how often the calendar is looked at; a moment is told within a tick of it
   */
  public Reminders(
      Pool pool,
      MaintenanceSchedule schedule,
      MaintenanceNotices notices,
      List<Duration> offsets,
      Duration tick,
      Clock clock) {
    this.pool = pool;
    this.schedule = schedule;
    this.notices = notices;
    this.offsets = List.copyOf(offsets);
    this.tick = tick;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(0, tick.toMillis(), id -> scan());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private void scan() {
    if (scanning) {
      return;
    }
    Instant now = clock.instant();
    Duration ahead = offsets.stream().max(Comparator.naturalOrder()).orElse(Duration.ZERO);
    List<Event> due = new ArrayList<>();
    for (Occurrence o :
        schedule
            .calendar()
            .occurrences(now.minus(ReminderRules.END_NOTICE), now.plus(ahead).plusSeconds(1))) {
      for (ReminderRules.Due d : ReminderRules.due(o, offsets, now)) {
        Event event =
            notices.occurrence(
                o,
                switch (d.moment()) {
                  case REMINDER -> EventKind.MAINTENANCE_REMINDER;
                  case STARTED -> EventKind.MAINTENANCE_STARTED;
                  case ENDED -> EventKind.MAINTENANCE_ENDED;
                },
                d.before(),
                d.at());
        if (!recorded.containsKey(event.idempotencyKey())) {
          due.add(event);
        }
      }
    }
    recorded.values().removeIf(at -> at.isBefore(now.minus(ahead).minus(Duration.ofDays(2))));
    if (due.isEmpty()) {
      return;
    }
    scanning = true;
    pool.withTransaction(conn -> Outbox.recordAll(conn, due))
        .onSuccess(v -> due.forEach(e -> recorded.put(e.idempotencyKey(), e.occurredAt())))
        .onFailure(e -> log.warn("maintenance notices not recorded, next tick retries: {}", e))
        .onComplete(ar -> scanning = false);
  }
}
