package io.statusdesk.maintenance;

import io.vertx.core.Future;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The current {@link MaintenanceCalendar}, reloaded after every write and handed to readers on any
 * thread; listeners (the outage tracker) hear of each reload.
 */
public final class MaintenanceSchedule {
  private final MaintenanceRepository repository;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile MaintenanceCalendar calendar;

  public MaintenanceSchedule(MaintenanceRepository repository, ZoneId zone) {
    this.repository = repository;
    this.calendar = MaintenanceCalendar.empty(zone);
  }

  public MaintenanceCalendar calendar() {
    return calendar;
  }

  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  public Future<MaintenanceCalendar> reload() {
    return repository
        .all()
        .map(
            windows -> {
              calendar = new MaintenanceCalendar(calendar.zone(), windows);
              listeners.forEach(Runnable::run);
              return calendar;
            });
  }
}
