package io.statusdesk.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statusdesk.probe.AgentSink;
import io.statusdesk.probe.Cell;
import io.statusdesk.probe.CheckBoard;
import io.statusdesk.probe.Heartbeats;
import io.statusdesk.probe.PipelineHealth;
import io.statusdesk.probe.ProbeMetrics;
import io.statusdesk.probe.ProbeScheduler;
import io.statusdesk.probe.ResultWriter;
import io.statusdesk.probe.Target;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code statusdesk agent}: probes every cell from another location, with no database, and pushes
 * the results to the central service in batches. It shares the local service's scheduler and
 * writer, so it buffers while the service is unreachable (bounded, with gap records for what does
 * not fit) and sends each batch until it is acknowledged. Heartbeat cells are pushed to the service
 * itself, so an agent leaves them out.
 */
public final class Agent {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  private final Vertx vertx;
  private final List<String> deployments = new ArrayList<>();
  private final PrometheusMeterRegistry registry = Metrics.registry();

  private Agent(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Starts probing {@code checks} from {@code location}, pushing to {@code server} with {@code
   * token} (an API token of role agent).
   */
  public static Future<Agent> start(
      Vertx vertx,
      ChecksConfig checks,
      String location,
      URI server,
      String token,
      int buffer,
      Clock clock) {
    Agent agent = new Agent(vertx);
    List<Cell> cells =
        checks.probes().cells().filter(c -> !(c.target() instanceof Target.Heartbeat)).toList();
    Map<String, Integer> ids = new HashMap<>();
    for (int i = 0; i < cells.size(); i++) {
      ids.put(cells.get(i).key(), i + 1);
    }
    PipelineHealth pipeline = new PipelineHealth(cells, clock);
    AgentSink sink =
        new AgentSink(
            vertx.createHttpClient(
                new HttpClientOptions()
                    .setSsl(server.getScheme().equals("https"))
                    .setConnectTimeout(5_000),
                new PoolOptions().setHttp1MaxSize(4)),
            server,
            token,
            location,
            ids);
    ResultWriter writer =
        new ResultWriter(
            sink, ResultWriter.flushEvery(cells), buffer, clock, agent.registry, pipeline);
    int loops = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), cells.size()));
    ProbeMetrics metrics = new ProbeMetrics(agent.registry, pipeline);
    List<ProbeScheduler> schedulers = new ArrayList<>();
    for (int i = 0; i < loops; i++) {
      schedulers.add(
          new ProbeScheduler(
              ids,
              new CheckBoard(),
              writer,
              writer::offerHealth,
              new Heartbeats(checks.probes()),
              metrics,
              clock,
              location,
              Math.max(1, checks.probes().maxInFlight() / loops)));
    }
    Future<Void> chain = agent.deploy(writer);
    for (ProbeScheduler s : schedulers) {
      chain = chain.compose(v -> agent.deploy(s));
    }
    return chain.map(
        v -> {
          List<List<ProbeScheduler.Assignment>> shares = new ArrayList<>();
          schedulers.forEach(s -> shares.add(new ArrayList<>()));
          for (int i = 0; i < cells.size(); i++) {
            shares.get(i % loops).add(new ProbeScheduler.Assignment(cells.get(i), List.of()));
          }
          for (int i = 0; i < loops; i++) {
            schedulers.get(i).own(shares.get(i));
          }
          log.info("agent probing {} cells from {}, pushing to {}", cells.size(), location, server);
          return agent;
        });
  }

  private Future<Void> deploy(Deployable verticle) {
    return vertx.deployVerticle(verticle).onSuccess(deployments::add).mapEmpty();
  }

  /** Stops probing and pushes what is buffered (bounded by the writer's few seconds). */
  public Future<Void> stop() {
    return Statusdesk.undeployInReverse(vertx, deployments).onComplete(ar -> registry.close());
  }
}
