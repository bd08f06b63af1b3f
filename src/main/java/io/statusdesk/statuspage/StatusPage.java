package io.statusdesk.statuspage;

import io.statusdesk.Changes;
import io.statusdesk.DomainException;
import io.statusdesk.PageTemplates;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the published snapshot fresh. Requests never compute anything: they read the current {@link
 * Published}. A rebuild re-reads the facts when a writer announced a change, and otherwise only
 * re-checks the components' live statuses every two seconds, rebuilding from the facts it holds
 * when one moved. What changes with time alone (today's uptime, gaps and slow minutes nobody
 * announces) is re-read when a request finds the facts over a minute old ({@link #fresh}), so a
 * page nobody looks at costs nothing.
 */
public final class StatusPage extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(StatusPage.class);
  private static final long TICK_MS = 2_000;
  private static final long CHANGE_DELAY_MS = 100;
  private static final Duration FACTS_MAX_AGE = Duration.ofSeconds(60);

  /** How long a request waits for a re-read before it is served what there is. */
  private static final long FRESH_WAIT_MS = 2_000;

  private final StatusRepository repository;
  private final Clock clock;
  private final String url;
  private final boolean subscribe;
  private volatile Published published;
  private Publisher publisher;
  private StatusFacts facts;
  private volatile Instant factsAt = Instant.EPOCH;
  private boolean dirty;
  private boolean building;
  private Future<Void> reloading;
  private long timer;

  /** {@code subscribe}: whether the pages offer the email subscription form. */
  public StatusPage(StatusRepository repository, String url, boolean subscribe, Clock clock) {
    this.repository = repository;
    this.url = url;
    this.subscribe = subscribe;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    publisher = new Publisher(PageTemplates.engine(vertx), url, subscribe);
    // A change shows within a moment, not at the next tick: every instance answers "within 2 s".
    vertx
        .eventBus()
        .consumer(
            Changes.ADDRESS,
            m -> {
              dirty = true;
              vertx.setTimer(CHANGE_DELAY_MS, id -> tick());
            });
    // A snapshot that cannot be built (database away, a row no page can show) must never keep
    // the service from starting: the pages answer 503 until a rebuild succeeds.
    return refresh(true)
        .otherwiseEmpty()
        .onComplete(v -> timer = vertx.setPeriodic(TICK_MS, id -> tick()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  /**
   * Completes when the snapshot's facts are at most a minute old, re-reading them first if they are
   * older, or after {@link #FRESH_WAIT_MS} (a database away keeps the last snapshot serving). Never
   * fails; completes on the caller's context.
   */
  Future<Void> fresh() {
    if (!stale(clock.instant())) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    Context caller = vertx.getOrCreateContext();
    long bound = vertx.setTimer(FRESH_WAIT_MS, id -> caller.runOnContext(v -> done.tryComplete()));
    context.runOnContext(
        v -> {
          if (reloading == null) {
            reloading = reload();
            reloading.onComplete(ar -> reloading = null);
          }
          reloading.onComplete(
              ar ->
                  caller.runOnContext(
                      x -> {
                        vertx.cancelTimer(bound);
                        done.tryComplete();
                      }));
        });
    return done.future();
  }

  private boolean stale(Instant now) {
    return Duration.between(factsAt, now).compareTo(FACTS_MAX_AGE) > 0;
  }

  /** A re-read of the facts unless they are fresh, after the build under way if there is one. */
  private Future<Void> reload() {
    if (!stale(clock.instant())) {
      return Future.succeededFuture();
    }
    if (building) {
      Promise<Void> done = Promise.promise();
      vertx.setTimer(CHANGE_DELAY_MS, id -> reload().onComplete(done));
      return done.future();
    }
    return refresh(true).otherwiseEmpty();
  }

  /** The current snapshot's pages, or null until the first snapshot was built. */
  Published published() {
    return published;
  }

  /**
   * Renders a history month from this snapshot (cached with it), on this verticle's worker like
   * every other page, so the request's event loop only waits.
   */
  Future<Rendered> history(YearMonth month, String lang) {
    Published current = published;
    Promise<Rendered> rendered = Promise.promise();
    context.runOnContext(
        v ->
            current
                .history(
                    month,
                    lang,
                    () ->
                        repository
                            .incidentsIn(month)
                            .compose(
                                incidents ->
                                    publisher.history(current.snapshot, month, lang, incidents)))
                .onComplete(rendered));
    return rendered.future();
  }

  /** An incident's public page, rendered on this worker once per snapshot; 404 when hidden. */
  Future<Rendered> incident(long id, String lang) {
    Published current = published;
    Promise<Rendered> rendered = Promise.promise();
    context.runOnContext(
        v ->
            current
                .incident(
                    id + ":" + lang,
                    () ->
                        repository
                            .incident(id)
                            .compose(
                                i ->
                                    i.isEmpty()
                                        ? Future.failedFuture(
                                            DomainException.notFound("no incident " + id))
                                        : publisher.incident(current.snapshot, i.get(), lang)))
                .onComplete(rendered));
    return rendered.future();
  }

  /**
   * The last {@link StatusSnapshot#HISTORY_DAYS} days of a component (known to the snapshot),
   * computed on this verticle's worker once per snapshot, so a request never computes a year.
   */
  Future<List<Day>> daily(String component) {
    Published current = published;
    Promise<List<Day>> days = Promise.promise();
    context.runOnContext(
        v ->
            current
                .daily(
                    component,
                    () -> {
                      StatusSnapshot s = current.snapshot;
                      LocalDate today = s.generatedAt().atZone(s.zone()).toLocalDate();
                      return Future.succeededFuture(
                          s.component(component)
                              .orElseThrow()
                              .history()
                              .days(
                                  today.minusDays(StatusSnapshot.HISTORY_DAYS - 1L),
                                  today,
                                  s.generatedAt()));
                    })
                .onComplete(days));
    return days.future();
  }

  private void tick() {
    if (building) {
      return;
    }
    Instant now = clock.instant();
    if (dirty) {
      refresh(true);
      return;
    }
    StatusFacts live = repository.withCurrentStatuses(facts, now);
    if (!statuses(live).equals(statuses(facts))) {
      facts = live;
      refresh(false);
    }
  }

  private Future<Void> refresh(boolean reload) {
    building = true;
    Instant now = clock.instant();
    if (reload) {
      dirty = false;
    }
    Future<StatusFacts> loaded = reload ? repository.load(now) : Future.succeededFuture(facts);
    return loaded
        .compose(
            f -> {
              facts = f;
              if (reload) {
                factsAt = now;
              }
              return publisher.publish(StatusSnapshot.build(f, now), published);
            })
        .onSuccess(p -> published = p)
        .onFailure(
            e -> {
              dirty = true;
              log.warn("status page snapshot not rebuilt: {}", e.toString());
            })
        .onComplete(
            ar -> {
              building = false;
              if (ar.succeeded() && dirty) {
                vertx.setTimer(CHANGE_DELAY_MS, id -> tick());
              }
            })
        .mapEmpty();
  }

  private static Map<String, String> statuses(StatusFacts f) {
    return f.statuses().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().apiValue()));
  }
}
