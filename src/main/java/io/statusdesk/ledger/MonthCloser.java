package io.statusdesk.ledger;

import io.statusdesk.Changes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes each month by itself {@code close_grace} after it ends, and closes again any month an
 * operator change marked for re-evaluation. Closes take the ledger's lock and are idempotent, so
 * every instance can run this and the work is done once.
 */
public final class MonthCloser extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(MonthCloser.class);
  private static final Duration EVERY = Duration.ofMinutes(10);
  static final String ACTOR = "statusdesk (automatic close)";

  private final Ledger ledger;
  private final ZoneId zone;
  private final Duration grace;
  private final Clock clock;
  private long timer;
  private boolean running;

  public MonthCloser(Ledger ledger, ZoneId zone, Duration grace, Clock clock) {
    this.ledger = ledger;
    this.zone = zone;
    this.grace = grace;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(5_000, EVERY.toMillis(), id -> run());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  /** The latest month whose grace has passed at {@code now}. */
  static YearMonth lastClosable(Instant now, ZoneId zone, Duration grace) {
    return YearMonth.from(now.minus(grace).atZone(zone)).minusMonths(1);
  }

  private void run() {
    if (running) {
      return;
    }
    running = true;
    Instant now = clock.instant();
    YearMonth last = lastClosable(now, zone, grace);
    LedgerRepository.monitoringSince(ledger.repository().pool())
        .compose(
            since ->
                since.isEmpty()
                    ? Future.succeededFuture(List.<YearMonth>of())
                    : ledger
                        .repository()
                        .monthsToClose(YearMonth.from(since.get().atZone(zone)), last))
        .compose(
            months -> {
              Future<Void> chain = Future.succeededFuture();
              for (YearMonth m : months) {
                chain =
                    chain.compose(
                        v ->
                            ledger
                                .close(m, ACTOR, clock.instant())
                                .map(
                                    c -> {
                                      Changes.announce(vertx);
                                      log.info(
                                          "closed {}: revision {}{}, {} entries, {} KRW",
                                          m,
                                          c.revision(),
                                          c.newRevision() ? " (new)" : "",
                                          c.entriesWritten(),
                                          c.creditedKrw());
                                      return null;
                                    }));
              }
              return chain;
            })
        .onFailure(e -> log.warn("automatic month close failed: {}", e.toString()))
        .onComplete(ar -> running = false);
  }
}
