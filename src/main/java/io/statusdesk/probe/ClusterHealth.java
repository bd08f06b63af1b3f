package io.statusdesk.probe;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every instance's view of every cell across the probe locations. It reads each location's health
 * (written by whichever instance or agent probes there) as it changes, woken by a notification (or
 * a resubscription, as notifications sent meanwhile are lost) and every half minute regardless, and
 * judges each cell with the {@link Quorum}. Whether a location still has recent results matters
 * only while some location sees the cell failing, so only then are the rollups asked when each
 * location last sampled it. The board shows the verdicts; the outage tracker, wherever it runs, is
 * told of every change.
 */
public final class ClusterHealth extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ClusterHealth.class);
  private static final long POLL_MS = 30_000;
  private static final long SWEEP_MS = 2_000;
  private static final Duration LOOK_BACK = Duration.ofMinutes(15);

  /** Told of each change of a cell's verdict, and of each late run, on this verticle's context. */
  public interface Listener {
    void judged(Cell cell, Quorum.Judgement judgement, Instant at);

    /**
     * {@code location} saw {@code cell} failing from {@code from} to {@code to}, and no verdict
     * could count it live (see {@link LateRuns}): it is judged at the time it describes.
     */
    void late(Cell cell, String location, Instant from, Instant to);
  }

  private final ProbeRepository repository;
  private final Map<Integer, Cell> cells = new HashMap<>();
  private final Locations locations;
  private final CheckBoard board;
  private final Clock clock;
  private final Map<Integer, Map<String, LocationHealth>> views = new HashMap<>();
  private final Map<Integer, Map<String, Instant>> lastSamples = new HashMap<>();
  private final Map<Integer, Quorum.Judgement> verdicts = new HashMap<>();

  /** Cells with no verdict yet because a location's first word is awaited. */
  private final Map<Integer, Quorum.Judgement> awaiting = new HashMap<>();

  /**
   * When a failing (or network) cell began to wait for a location's word: the moment the failure it
   * had changed, from which a change it waits for dates.
   */
  private final Map<Integer, Instant> pendingFrom = new HashMap<>();

  private final LateRuns lateRuns = new LateRuns();

  /**
   * Late runs found while no tracker listened here (it runs elsewhere, or is starting), for the
   * last {@link #LOOK_BACK}: told to a tracker that starts here later, since recording one twice
   * changes nothing.
   */
  private final ArrayDeque<Untold> untold = new ArrayDeque<>();

  private record Untold(Instant found, LateRuns.Late late) {}

  private Instant watchedSince;
  private long cursor;
  private boolean polling;
  private boolean again;
  private Listener listener;

  public ClusterHealth(
      ProbeRepository repository,
      Map<String, Integer> ids,
      List<Cell> cells,
      Locations locations,
      CheckBoard board,
      Clock clock) {
    this.repository = repository;
    cells.forEach(c -> this.cells.put(ids.get(c.key()), c));
    this.locations = locations;
    this.board = board;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    watchedSince = clock.instant();
    cells.values().forEach(c -> board.judged(c, CheckHealth.unknown(), null, List.of()));
    vertx.setPeriodic(POLL_MS, id -> poll());
    vertx.setPeriodic(SWEEP_MS, id -> sweep());
    Promise<Void> loaded = Promise.promise();
    poll(loaded::handle);
    return loaded.future();
  }

  /** A location's health changed somewhere (a notification): read what changed. */
  public void changed() {
    // Before start there is nothing to update: start reads every row.
    if (context != null) {
      context.runOnContext(v -> poll());
    }
  }

  /**
   * Makes {@code l} the one listener and answers the verdicts so far (what cells are failing, or
   * failing from too few locations), by cell key.
   */
  public Future<Map<String, Quorum.Judgement>> listen(Listener l) {
    Promise<Map<String, Quorum.Judgement>> current = Promise.promise();
    context.runOnContext(
        v -> {
          listener = l;
          tell(List.of());
          Map<String, Quorum.Judgement> out = new HashMap<>();
          awaiting.forEach((id, j) -> out.put(cells.get(id).key(), j));
          verdicts.forEach((id, j) -> out.put(cells.get(id).key(), j));
          current.complete(out);
        });
    return current.future();
  }

  /** Stops telling {@code l} (the tracker stopped, or this instance lost its lease). */
  public void unlisten(Listener l) {
    context.runOnContext(
        v -> {
          if (listener == l) {
            listener = null;
          }
        });
  }

  private void poll() {
    poll(ar -> {});
  }

  private void poll(Handler<AsyncResult<Void>> done) {
    if (polling) {
      again = true;
      done.handle(Future.succeededFuture());
      return;
    }
    polling = true;
    repository
        .healthSince(cursor)
        .compose(
            found -> {
              cursor = found.cursor();
              tell(lateRuns.logged(found.logged()));
              Map<Integer, Instant> changedAt = new HashMap<>();
              for (LocationHealth h : found.changed()) {
                if (!cells.containsKey(h.checkId())) {
                  continue;
                }
                views.computeIfAbsent(h.checkId(), k -> new HashMap<>()).put(h.location(), h);
                lastSamples
                    .computeIfAbsent(h.checkId(), k -> new HashMap<>())
                    .merge(h.location(), h.at(), ClusterHealth::later);
                changedAt.merge(h.checkId(), h.since(), ClusterHealth::later);
              }
              return judge(changedAt);
            })
        .onFailure(e -> log.warn("cannot read the locations' health: {}", e.toString()))
        .onComplete(
            ar -> {
              polling = false;
              done.handle(ar);
              if (again) {
                again = false;
                poll();
              }
            });
  }

  /** Judges again the cells some location sees failing: a location may have fallen silent. */
  private void sweep() {
    if (polling) {
      return;
    }
    Instant now = clock.instant();
    Map<Integer, Instant> failing = new HashMap<>();
    views.forEach(
        (id, byLocation) -> {
          if (byLocation.values().stream().anyMatch(LocationHealth::failing)) {
            failing.put(id, now);
          }
        });
    if (!failing.isEmpty()) {
      polling = true;
      judge(failing)
          .onFailure(e -> log.warn("cannot judge failing cells: {}", e.toString()))
          .onComplete(ar -> polling = false);
    }
  }

  /**
   * Judges {@code cells} (each with the instant its change happened), first asking when each
   * location last sampled those some location sees failing.
   */
  private Future<Void> judge(Map<Integer, Instant> changed) {
    if (changed.isEmpty()) {
      return Future.succeededFuture();
    }
    Set<Integer> failing = new HashSet<>();
    changed
        .keySet()
        .forEach(
            id -> {
              if (views.getOrDefault(id, Map.of()).values().stream()
                  .anyMatch(LocationHealth::failing)) {
                failing.add(id);
              }
            });
    Future<Void> fresh =
        failing.isEmpty()
            ? Future.succeededFuture()
            : repository
                .latestByLocation(failing, clock.instant().minus(LOOK_BACK))
                .map(
                    latest -> {
                      latest.forEach(
                          (id, byLocation) ->
                              byLocation.forEach(
                                  (location, at) ->
                                      lastSamples
                                          .computeIfAbsent(id, k -> new HashMap<>())
                                          .merge(location, at, ClusterHealth::later)));
                      return null;
                    });
    return fresh.map(
        v -> {
          Instant now = clock.instant();
          changed.forEach((id, at) -> judgeOne(id, at, now));
          return null;
        });
  }

  private void judgeOne(int checkId, Instant eventAt, Instant now) {
    Cell cell = cells.get(checkId);
    Map<String, LocationHealth> byLocation = views.getOrDefault(checkId, Map.of());
    Map<String, Instant> samples = lastSamples.getOrDefault(checkId, Map.of());
    List<Quorum.Seen> seen = new ArrayList<>();
    // A location's last word older than a restart's replay says nothing any more: as after a
    // restart, the cell is rediscovered rather than resumed.
    Instant forgotten = now.minus(LocationHealth.REPLAY);
    byLocation.forEach(
        (location, h) -> {
          if (h.at().isAfter(forgotten)) {
            seen.add(new Quorum.Seen(location, h.failing(), h.since(), samples.get(location)));
          }
        });
    Duration recent = Quorum.recent(cell.timing().interval());
    Quorum.Judgement judgement = judge(cell, seen, recent, now);
    // Nobody with recent results: the cell keeps what its locations last said (no_data changes
    // no outage); only a cell no location ever decided is unknown.
    Quorum.Judgement effective =
        judgement.kind() == Quorum.Kind.NO_DATA && !seen.isEmpty()
            ? judge(
                cell,
                seen.stream()
                    .map(s -> new Quorum.Seen(s.location(), s.failing(), s.since(), now))
                    .toList(),
                recent,
                now)
            : judgement;
    // Against the verdict that stands: when nobody has recent results, what each location last
    // said goes on counting, so none of them is late.
    tell(lateRuns.judged(checkId, effective, seen));
    List<LocationHealth> views =
        byLocation.values().stream()
            .sorted(Comparator.comparing(LocationHealth::location))
            .toList();
    Quorum.Judgement before = verdicts.get(checkId);
    // Waiting for a location's first word changes nothing yet: the cell stays as it was.
    boolean pending = effective.kind() == Quorum.Kind.PENDING;
    board.judged(
        cell, pending && before != null ? health(before) : health(effective), judgement, views);
    if (pending && before == null) {
      awaiting.put(checkId, effective);
    }
    if (pending && before != null && before.kind() != Quorum.Kind.HEALTHY) {
      pendingFrom.putIfAbsent(checkId, eventAt);
    }
    if (pending || effective.kind() == Quorum.Kind.NO_DATA) {
      return;
    }
    verdicts.put(checkId, effective);
    // What the wait ends dates from the change that began it (a location's recovery), not from
    // the moment the awaited location's chance passed; a failure it ends in continued.
    Instant waitedFrom = pendingFrom.remove(checkId);
    Quorum.Kind was = before == null ? Quorum.Kind.HEALTHY : before.kind();
    // A cell's first verdict after it was awaited is told even when healthy: the tracker kept
    // an outage open for it (see OutageTracker#resume).
    boolean awaited = awaiting.remove(checkId) != null;
    if ((was != effective.kind() || awaited) && listener != null) {
      listener.judged(
          cell,
          effective,
          Quorum.changedAt(was, effective, waitedFrom != null ? waitedFrom : eventAt));
    }
  }

  private void tell(List<LateRuns.Late> found) {
    if (found.isEmpty() && (listener == null || untold.isEmpty())) {
      return;
    }
    Instant now = clock.instant();
    while (!untold.isEmpty() && untold.peekFirst().found().isBefore(now.minus(LOOK_BACK))) {
      untold.removeFirst();
    }
    List<LateRuns.Late> late = new ArrayList<>();
    if (listener == null) {
      found.forEach(l -> untold.addLast(new Untold(now, l)));
      return;
    }
    untold.forEach(u -> late.add(u.late()));
    untold.clear();
    late.addAll(found);
    late.forEach(
        l -> {
          Cell cell = cells.get(l.checkId());
          if (cell != null) {
            listener.late(cell, l.location(), l.from(), l.to());
          }
        });
  }

  private Quorum.Judgement judge(Cell cell, List<Quorum.Seen> seen, Duration recent, Instant now) {
    // Agents never probe a heartbeat cell (it is pushed to the service): no location's first word
    // is awaited for it, or it would wait after every start while failing, its outage with it.
    List<String> awaited =
        cell.target() instanceof Target.Heartbeat ? List.of() : locations.names();
    return locations.quorum().judge(seen, awaited, watchedSince, recent, now);
  }

  /** The judged health as the API shows it: failing from the earliest first failure. */
  private static CheckHealth health(Quorum.Judgement j) {
    return switch (j.kind()) {
      case FAILING -> new CheckHealth(CheckHealth.State.FAILING, 0, 0, j.since(), j.since());
      case NO_DATA, PENDING -> CheckHealth.unknown();
      default -> new CheckHealth(CheckHealth.State.HEALTHY, 0, 0, j.since(), j.since());
    };
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
