package io.statusdesk.probe;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's share of the cells: those {@link Rendezvous} gives it among the live members of
 * its location. When the members change it stops probing the cells it lost and starts the ones it
 * won, each resumed from its stored results (health, and the gap since its last sample). A cell won
 * before any of its results was stored (instances starting one after another, the previous owner's
 * first results still in its buffer) has no sample to date a gap from: the time nobody probed it is
 * looked for again once the previous owner's last results must be stored, and recorded as a gap.
 */
public final class Sharing {
  private static final Logger log = LoggerFactory.getLogger(Sharing.class);
  private static final long RETRY_MS = 1_000;

  /**
   * How far before a take-over a previous owner's unstored results may lie: they were probed after
   * its last stored batch, which a writer flushes within five seconds and retries while PostgreSQL
   * is away.
   */
  private static final Duration UNSTORED = Duration.ofMinutes(2);

  private final Vertx vertx;
  private final Clock clock;
  private final List<Cell> cells;
  private final Map<String, Integer> ids;
  private final Map<String, ProbeScheduler> schedulerOf = new HashMap<>();
  private final ProbeRepository repository;
  private final ResultWriter writer;
  private final String location;
  private final String self;
  private final int replayWindow;
  private Set<String> owned = Set.of();
  private List<String> wanted;
  private Future<Void> applying = Future.succeededFuture();
  private volatile int ownedCount;
  private volatile boolean settled;

  /** Gaps already found after a take-over (check id and start), so each is told once. */
  private final Set<String> holesFound = ConcurrentHashMap.newKeySet();

  public Sharing(
      Vertx vertx,
      List<Cell> cells,
      Map<String, Integer> ids,
      List<ProbeScheduler> schedulers,
      ProbeRepository repository,
      ResultWriter writer,
      String location,
      String self,
      Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.cells = cells;
    this.ids = ids;
    for (int i = 0; i < cells.size(); i++) {
      schedulerOf.put(cells.get(i).key(), schedulers.get(i % schedulers.size()));
    }
    this.repository = repository;
    this.writer = writer;
    this.location = location;
    this.self = self;
    this.replayWindow =
        cells.stream()
            .mapToInt(c -> c.timing().failureThreshold() + c.timing().successThreshold())
            .max()
            .orElse(1);
  }

  /** How many cells this instance probes. */
  public int owned() {
    return ownedCount;
  }

  /** Whether this instance probes exactly its share of the members it last heard of. */
  public boolean settled() {
    return settled;
  }

  /** The live members of this location changed (ids, this instance's included). */
  public Future<Void> members(List<String> live) {
    wanted = live;
    settled = false;
    applying = applying.compose(v -> apply(live)).otherwiseEmpty();
    return applying;
  }

  private Future<Void> apply(List<String> live) {
    if (live != wanted) {
      return Future.succeededFuture();
    }
    Set<String> want = new HashSet<>();
    for (Cell c : cells) {
      if (Rendezvous.owner(c.key(), live).map(self::equals).orElse(false)) {
        want.add(c.key());
      }
    }
    Map<ProbeScheduler, List<String>> lost = new HashMap<>();
    owned.stream()
        .filter(k -> !want.contains(k))
        .forEach(k -> lost.computeIfAbsent(schedulerOf.get(k), s -> new ArrayList<>()).add(k));
    lost.forEach(ProbeScheduler::release);
    List<Cell> won =
        cells.stream().filter(c -> want.contains(c.key()) && !owned.contains(c.key())).toList();
    owned = want;
    ownedCount = want.size();
    if (!lost.isEmpty() || !won.isEmpty()) {
      log.info(
          "probing {} cells at {} ({} taken over, {} handed over)",
          want.size(),
          location,
          won.size(),
          lost.values().stream().mapToInt(List::size).sum());
    }
    return start(won)
        .onSuccess(v -> settled = live == wanted)
        .onFailure(
            e -> {
              // Not probed yet: forget them so the retry starts them.
              Set<String> retry = new HashSet<>(owned);
              won.forEach(c -> retry.remove(c.key()));
              owned = retry;
              log.warn("cannot resume {} cells yet ({}); retrying", won.size(), e.toString());
              vertx.setTimer(RETRY_MS, id -> members(wanted));
            });
  }

  /**
   * Looks for the spans nobody probed {@code cells} (won with no stored sample, by interval) a few
   * times after the previous owner's last results must have been stored, and records each as a
   * {@code monitor_down} gap.
   */
  private void coverHoles(Map<Integer, Duration> cells) {
    if (cells.isEmpty()) {
      return;
    }
    Duration longest = cells.values().stream().max(Comparator.naturalOrder()).orElseThrow();
    Instant since = clock.instant().minus(UNSTORED).minus(longest.multipliedBy(2));
    for (Duration after : holeScans(longest)) {
      vertx.setTimer(
          after.toMillis(),
          id ->
              repository
                  .unrecordedHoles(location, cells, since)
                  .onSuccess(
                      found ->
                          found.stream()
                              .filter(g -> holesFound.add(g.checkId() + "@" + g.startedAt()))
                              .forEach(writer::gap))
                  .onFailure(e -> log.warn("cannot look for unrecorded gaps: {}", e.toString())));
    }
  }

  /**
   * When to look for a take-over's unrecorded gaps: once its own first results are stored (two
   * intervals), then later for a previous owner whose writes were held up.
   */
  private static List<Duration> holeScans(Duration interval) {
    Duration first = interval.multipliedBy(2);
    return List.of(
        first.plusSeconds(5), first.plusSeconds(20), first.plusSeconds(60), first.plus(UNSTORED));
  }

  /** Resumes {@code won} from their stored results and hands them to their schedulers. */
  private Future<Void> start(List<Cell> won) {
    if (won.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Integer> wonIds = won.stream().map(c -> ids.get(c.key())).toList();
    Map<Integer, Duration> intervals = new HashMap<>();
    won.forEach(c -> intervals.put(ids.get(c.key()), c.timing().interval()));
    return repository
        .lastSamples(location, wonIds)
        .compose(
            last -> {
              writer.resumeAfter(last, intervals, ids -> repository.lastSamples(location, ids));
              Map<Integer, Duration> unstored = new HashMap<>(intervals);
              unstored.keySet().removeAll(last.keySet());
              coverHoles(unstored);
              return repository.recent(location, replayWindow, wonIds, clock.instant());
            })
        .map(
            recent -> {
              Map<ProbeScheduler, List<ProbeScheduler.Assignment>> byScheduler = new HashMap<>();
              for (Cell c : won) {
                byScheduler
                    .computeIfAbsent(schedulerOf.get(c.key()), s -> new ArrayList<>())
                    .add(
                        new ProbeScheduler.Assignment(
                            c, recent.getOrDefault(ids.get(c.key()), List.of())));
              }
              byScheduler.forEach(ProbeScheduler::own);
              return null;
            });
  }
}
