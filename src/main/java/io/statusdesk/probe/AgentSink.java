package io.statusdesk.probe;

import io.statusdesk.notify.Event;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * An agent's batches, pushed to the central service ({@code POST /api/v1/results}). A batch keeps
 * its id until it is acknowledged, so a batch whose answer was lost and is sent again is written
 * once. Each check's first result of this run is marked, so the service records the time nobody
 * probed it from here (the agent was down) as a {@code monitor_down} gap.
 */
public final class AgentSink implements ResultWriter.Sink {
  private static final long TIMEOUT_MS = 10_000;

  private final HttpClient client;
  private final URI server;
  private final String token;
  private final String location;
  private final UUID agent = UUID.randomUUID();
  private final Map<Integer, String> keys = new HashMap<>();
  private final Set<Integer> sent = new HashSet<>();
  private List<ProbeResult> batch;
  private UUID batchId;
  private Set<Integer> firsts = Set.of();

  /**
   * @param ids the cells' numbers in this agent (the service knows them by {@code component/cell})
   */
  public AgentSink(
      HttpClient client, URI server, String token, String location, Map<String, Integer> ids) {
    this.client = client;
    this.server = server;
    this.token = token;
    this.location = location;
    ids.forEach((key, id) -> keys.put(id, key));
  }

  /** The events are not sent: the service makes them from the gaps, in the gaps' transaction. */
  @Override
  public Future<Void> write(
      List<ProbeResult> results,
      List<MonitoringGap> gaps,
      List<LocationHealth> health,
      List<Event> events) {
    if (results != batch) {
      batch = results;
      batchId = UUID.randomUUID();
      Set<Integer> first = new HashSet<>();
      results.forEach(
          r -> {
            if (!sent.contains(r.checkId())) {
              first.add(r.checkId());
            }
          });
      firsts = first;
    }
    JsonObject body = body(results, gaps, health);
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(server.resolve("/api/v1/results").toString())
            .putHeader("Authorization", "Bearer " + token)
            .putHeader("Content-Type", "application/json")
            .setTimeout(TIMEOUT_MS);
    return client
        .request(request)
        .compose(req -> req.send(body.toBuffer()))
        .compose(
            resp ->
                resp.body()
                    .compose(
                        text ->
                            resp.statusCode() / 100 == 2
                                ? Future.<Void>succeededFuture()
                                : Future.<Void>failedFuture(
                                    "the service answered " + resp.statusCode() + ": " + text)))
        .onSuccess(v -> sent.addAll(firsts));
  }

  private JsonObject body(
      List<ProbeResult> results, List<MonitoringGap> gaps, List<LocationHealth> health) {
    JsonArray r = new JsonArray();
    Set<Integer> marked = new HashSet<>();
    for (ProbeResult p : results) {
      JsonObject o =
          new JsonObject()
              .put("check", keys.get(p.checkId()))
              .put("at", p.probedAt().toString())
              .put("outcome", p.outcome().dbValue())
              .put("latency_ms", p.latencyMs())
              .put("error", p.error());
      // the earliest result of the batch comes first: that is the one the gap ends at
      if (firsts.contains(p.checkId()) && marked.add(p.checkId())) {
        o.put("first", true);
      }
      r.add(o);
    }
    JsonArray g = new JsonArray();
    for (MonitoringGap gap : gaps) {
      g.add(
          new JsonObject()
              .put("check", keys.get(gap.checkId()))
              .put("from", gap.startedAt().toString())
              .put("to", gap.endedAt().toString())
              .put("reason", gap.reason()));
    }
    JsonArray h = new JsonArray();
    for (LocationHealth l : health) {
      h.add(
          new JsonObject()
              .put("check", keys.get(l.checkId()))
              .put("state", l.state().name().toLowerCase(Locale.ROOT))
              .put("since", l.since().toString())
              .put("degraded", l.degraded())
              .put("at", l.at().toString()));
    }
    return new JsonObject()
        .put("batch", batchId.toString())
        .put("agent", agent.toString())
        .put("location", location)
        .put("results", r)
        .put("gaps", g)
        .put("health", h);
  }
}
