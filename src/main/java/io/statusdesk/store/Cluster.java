package io.statusdesk.store;

import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's membership of the cluster of serve instances sharing one PostgreSQL, kept on a
 * connection of its own. It registers in the members table, holds a liveness lock, beats every
 * {@code period}, and learns which members of its location are alive: those that beat within the
 * time-to-live and whose connection still holds their lock, so a killed instance is noticed at the
 * next beat and a hung one after the time-to-live. The same connection holds the locks of the
 * singletons this instance runs (outage tracker, month closer, retention, ...): each is tried at
 * every beat and deployed here when taken; when the connection is lost, PostgreSQL frees the locks
 * and this instance stops its singletons at once, so another takes them over at its next beat.
 */
public final class Cluster extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(Cluster.class);

  /** A part that must run on one instance at a time, made anew each time it is taken. */
  public record Singleton(String name, Supplier<Deployable> verticle) {
    int key() {
      return name.hashCode() & 0x7fffffff;
    }
  }

  private final Database database;
  private final UUID id = UUID.randomUUID();
  private final String location;
  private final String name;
  private final Duration period;
  private final Duration ttl;
  private final List<Singleton> singletons;
  private final Clock clock;
  private final Instant startedAt;

  /** Deployment ids of the singletons running here, by lock key. */
  private final Map<Integer, String> running = new HashMap<>();

  private Function<List<String>, Future<Void>> onMembers = live -> Future.succeededFuture();
  private IntSupplier owned = () -> 0;
  private SqlConnection conn;
  private Optional<Integer> lockKey = Optional.empty();
  private boolean beating;
  private boolean stopping;
  private long timer;
  private volatile List<String> live = List.of();
  private volatile long lastBeatMs;

  /**
   * @param period how often to beat: at most half the shortest check interval, so a dead member's
   *     cells are taken over within two intervals
   */
  public Cluster(
      Database database,
      String location,
      String name,
      Duration period,
      List<Singleton> singletons,
      Clock clock) {
    this.database = database;
    this.location = location;
    this.name = name;
    this.period = period;
    this.ttl = period.multipliedBy(3).plusSeconds(1);
    this.singletons = List.copyOf(singletons);
    this.clock = clock;
    this.startedAt = clock.instant();
  }

  /** The beat period for checks whose shortest interval is {@code shortest}: 0.25 s to 5 s. */
  public static Duration period(Duration shortest) {
    long ms = Math.max(250, Math.min(5_000, shortest.toMillis() / 2));
    return Duration.ofMillis(ms);
  }

  /**
   * Told of the live members of this location (ids, this one included) when they change; the beat
   * (the first one: the start) completes when the returned future does.
   */
  public void onMembers(Function<List<String>, Future<Void>> handler) {
    this.onMembers = handler;
  }

  /** How many cells this instance probes, reported with each beat. */
  public void owned(IntSupplier count) {
    this.owned = count;
  }

  public String id() {
    return id.toString();
  }

  public Duration ttl() {
    return ttl;
  }

  /** Whether this instance's membership is current: its last beat is within the time-to-live. */
  public boolean current() {
    return lastBeatMs > 0 && clock.millis() - lastBeatMs < ttl.toMillis();
  }

  /** Every singleton's name by its lock key, to name the locks other members hold. */
  public Map<Integer, String> singletonNames() {
    Map<Integer, String> out = new HashMap<>();
    singletons.forEach(s -> out.put(s.key(), s.name()));
    return out;
  }

  /** The names of the singletons running here. */
  public List<String> singletonsHere() {
    return singletons.stream()
        .filter(s -> running.containsKey(s.key()))
        .map(Singleton::name)
        .toList();
  }

  @Override
  public Future<?> start() {
    return join()
        .compose(v -> beatOnce())
        .onSuccess(v -> timer = vertx.setPeriodic(period.toMillis(), t -> beat()));
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    return stopSingletons()
        .compose(
            v ->
                conn == null
                    ? Future.succeededFuture()
                    : conn.preparedQuery("DELETE FROM members WHERE id = $1")
                        .execute(io.vertx.sqlclient.Tuple.of(id))
                        .<Void>mapEmpty()
                        .otherwiseEmpty()
                        .eventually(() -> conn.close()));
  }

  /** Connects, takes the liveness lock (the same key again after a reconnect) and registers. */
  private Future<Void> join() {
    return database
        .connect(vertx)
        .timeout(ttl.toMillis(), TimeUnit.MILLISECONDS)
        .compose(
            c ->
                Members.lock(c, lockKey)
                    .compose(
                        key -> {
                          lockKey = Optional.of(key);
                          return Members.register(c, id, location, name, key, startedAt);
                        })
                    .onSuccess(
                        v -> {
                          conn = c;
                          c.closeHandler(x -> lost(c, "the membership connection closed"));
                        })
                    .onFailure(e -> c.close()));
  }

  private void beat() {
    if (beating || stopping) {
      return;
    }
    beating = true;
    Future<Void> ready =
        conn == null
            ? join().onSuccess(v -> log.info("membership connection restored"))
            : Future.succeededFuture();
    ready
        .compose(v -> beatOnce())
        .onFailure(e -> log.debug("beat failed: {}", e.toString()))
        .onComplete(ar -> beating = false);
  }

  private Future<Void> beatOnce() {
    SqlConnection c = conn;
    List<Integer> wanted = new ArrayList<>();
    for (Singleton s : singletons) {
      if (!running.containsKey(s.key())) {
        wanted.add(s.key());
      }
    }
    return Members.beat(c, id, location, owned.getAsInt(), ttl.toMillis(), wanted)
        .timeout(ttl.toMillis(), TimeUnit.MILLISECONDS)
        .onFailure(e -> lost(c, "beat failed: " + e.getMessage()))
        .compose(
            b -> {
              lastBeatMs = clock.millis();
              boolean cutOff =
                  b.previous() != null
                      && Duration.between(b.previous(), b.now()).compareTo(ttl) > 0;
              // After a stall (this instance's or the database's) the others have not beaten
              // yet either: their old beats say nothing, so the share waits for the next beat.
              List<String> members = b.live().stream().sorted().toList();
              if (!members.equals(live) && (!cutOff || live.isEmpty())) {
                live = members;
                log.info("{} member(s) of location {} alive", members.size(), location);
                return onMembers.apply(members).compose(v -> startSingletons(b.acquired()));
              }
              return startSingletons(b.acquired());
            });
  }

  private Future<Void> startSingletons(List<Integer> acquired) {
    List<Future<?>> started = new ArrayList<>();
    for (Singleton s : singletons) {
      if (acquired.contains(s.key())) {
        log.info("running {} on this instance", s.name());
        started.add(
            vertx
                .deployVerticle(s.verticle().get())
                .onSuccess(deployment -> running.put(s.key(), deployment))
                .onFailure(
                    e -> {
                      log.warn("{} did not start: {}", s.name(), e.toString());
                      if (conn != null) {
                        Members.release(conn, s.key());
                      }
                    }));
      }
    }
    return Future.join(started).mapEmpty();
  }

  /**
   * The membership connection is gone or stuck: PostgreSQL frees (or will free) its locks, so this
   * instance must stop acting as the holder at once.
   */
  private void lost(SqlConnection c, String why) {
    if (conn != c || stopping) {
      return;
    }
    conn = null;
    log.warn("lost cluster membership ({}); stopping singletons, rejoining", why);
    c.close();
    stopSingletons();
  }

  private Future<Void> stopSingletons() {
    List<Future<?>> stopped = new ArrayList<>();
    for (Singleton s : singletons) {
      String deployment = running.get(s.key());
      if (deployment != null) {
        log.info("stopping {} on this instance", s.name());
        stopped.add(vertx.undeploy(deployment));
      }
    }
    running.clear();
    return Future.join(stopped).mapEmpty();
  }
}
