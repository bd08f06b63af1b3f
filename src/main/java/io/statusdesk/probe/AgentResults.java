package io.statusdesk.probe;

import io.statusdesk.Input;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Result batches pushed by agents probing from other locations ({@code POST /api/v1/results}). A
 * batch is written once, with its results, gaps and health changes, in one transaction; one sent
 * again (its answer was lost) is acknowledged without writing anything. Its gaps are told to the
 * operators through the outbox in that transaction, as the local writer's are. The first result of
 * each check in an agent's run ends a {@code monitor_down} gap from the last sample stored for that
 * location, as the local writer does after a restart.
 */
public final class AgentResults {
  /** Most results one batch may carry (an agent sends at most 5,000). */
  public static final int MAX_RESULTS = 20_000;

  private final ProbeRepository repository;
  private final Map<String, Integer> ids;
  private final Map<Integer, Duration> intervals = new HashMap<>();
  private final Map<Integer, Cell> cells = new HashMap<>();
  private final Locations locations;

  /** What one push carries, checked. */
  public record Batch(
      UUID id,
      UUID agent,
      String location,
      List<ProbeResult> results,
      Set<Integer> firsts,
      List<MonitoringGap> gaps,
      List<LocationHealth> health) {}

  public AgentResults(
      ProbeRepository repository, Map<String, Integer> ids, List<Cell> cells, Locations locations) {
    this.repository = repository;
    this.ids = ids;
    cells.forEach(
        c -> {
          intervals.put(ids.get(c.key()), c.timing().interval());
          this.cells.put(ids.get(c.key()), c);
        });
    this.locations = locations;
  }

  /** Writes {@code batch}; true when it was new, false when it had been written before. */
  public Future<Boolean> accept(Batch batch, String agentName) {
    return repository
        .lastSamples(batch.location(), batch.firsts())
        .compose(
            last -> {
              List<MonitoringGap> gaps = new ArrayList<>(batch.gaps());
              Set<Integer> done = new HashSet<>();
              for (ProbeResult r : batch.results()) {
                Integer id = r.checkId();
                if (batch.firsts().contains(id) && done.add(id) && last.containsKey(id)) {
                  MonitoringGap.monitorDown(r, last.get(id), intervals.get(id))
                      .ifPresent(gaps::add);
                }
              }
              return repository.writeBatch(
                  batch.id(),
                  batch.agent(),
                  agentName,
                  batch.location(),
                  batch.results(),
                  gaps,
                  batch.health(),
                  ProbeNotices.gaps(gaps, cells));
            });
  }

  /** The fields of a push (POST /api/v1/results); any other is refused. */
  public static final Set<String> FIELDS =
      Set.of("batch", "agent", "location", "results", "gaps", "health");

  /** Reads a push; a 400 names the first field that is wrong. */
  public Batch parse(JsonObject body) {
    UUID id = uuid(body, "batch");
    UUID agent = uuid(body, "agent");
    String location = Input.text(body, "location", 32);
    if (!locations.allows(location)) {
      throw Input.invalid(
          "location: '" + location + "' is not one of " + String.join(", ", locations.names()));
    }
    JsonArray results = array(body, "results", MAX_RESULTS);
    List<ProbeResult> parsed = new ArrayList<>();
    Set<Integer> firsts = new HashSet<>();
    for (int i = 0; i < results.size(); i++) {
      String field = "results[" + i + "]";
      JsonObject r = object(results, i, field);
      int check = check(r, field);
      Outcome outcome;
      try {
        outcome = Outcome.fromDb(Input.text(r, "outcome", 16));
      } catch (IllegalArgumentException e) {
        throw Input.invalid(field + ".outcome: up, degraded or down");
      }
      Integer latency = r.getValue("latency_ms") instanceof Integer n && n >= 0 ? n : null;
      if (latency == null) {
        throw Input.invalid(field + ".latency_ms: a whole number of milliseconds");
      }
      parsed.add(
          new ProbeResult(
              check,
              location,
              Input.instant(r, "at"),
              outcome,
              latency,
              Input.optionalText(r, "error", 2_000).orElse(null)));
      if (Boolean.TRUE.equals(r.getValue("first"))) {
        firsts.add(check);
      }
    }
    JsonArray gapList = array(body, "gaps", MAX_RESULTS);
    List<MonitoringGap> gaps = new ArrayList<>();
    for (int i = 0; i < gapList.size(); i++) {
      String field = "gaps[" + i + "]";
      JsonObject g = object(gapList, i, field);
      String reason = Input.text(g, "reason", 32);
      if (!reason.equals("buffer_overflow") && !reason.equals("monitor_down")) {
        throw Input.invalid(field + ".reason: buffer_overflow or monitor_down");
      }
      MonitoringGap gap =
          new MonitoringGap(
              check(g, field), location, Input.instant(g, "from"), Input.instant(g, "to"), reason);
      if (!gap.endedAt().isAfter(gap.startedAt())) {
        throw Input.invalid(field + ".to: must be after from");
      }
      gaps.add(gap);
    }
    JsonArray healthList = array(body, "health", MAX_RESULTS);
    List<LocationHealth> health = new ArrayList<>();
    for (int i = 0; i < healthList.size(); i++) {
      String field = "health[" + i + "]";
      JsonObject h = object(healthList, i, field);
      String state = Input.text(h, "state", 16);
      if (!state.equals("healthy") && !state.equals("failing")) {
        throw Input.invalid(field + ".state: healthy or failing");
      }
      health.add(
          new LocationHealth(
              check(h, field),
              location,
              CheckHealth.State.valueOf(state.toUpperCase(Locale.ROOT)),
              Input.instant(h, "since"),
              Boolean.TRUE.equals(h.getValue("degraded")),
              Input.instant(h, "at"),
              false));
    }
    return new Batch(id, agent, location, parsed, firsts, gaps, health);
  }

  private int check(JsonObject o, String field) {
    String key = Input.text(o, "check", 200);
    Integer id = ids.get(key);
    if (id == null) {
      throw Input.invalid(field + ".check: no cell '" + key + "' in the checks file");
    }
    return id;
  }

  private static UUID uuid(JsonObject body, String field) {
    try {
      return UUID.fromString(Input.text(body, field, 36));
    } catch (IllegalArgumentException e) {
      throw Input.invalid(field + ": a UUID");
    }
  }

  private static JsonArray array(JsonObject body, String field, int max) {
    Object value = body.getValue(field);
    if (value == null) {
      return new JsonArray();
    }
    if (!(value instanceof JsonArray a)) {
      throw Input.invalid(field + ": must be a list");
    }
    if (a.size() > max) {
      throw Input.invalid(field + ": at most " + max + " entries");
    }
    return a;
  }

  private static JsonObject object(JsonArray list, int i, String field) {
    if (!(list.getValue(i) instanceof JsonObject o)) {
      throw Input.invalid(field + ": must be an object");
    }
    return o;
  }
}
