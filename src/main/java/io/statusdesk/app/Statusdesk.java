package io.statusdesk.app;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statusdesk.admin.AuditRepository;
import io.statusdesk.admin.AuditRoutes;
import io.statusdesk.admin.Auth;
import io.statusdesk.admin.TokenRepository;
import io.statusdesk.ledger.LedgerRepository;
import io.statusdesk.ledger.LedgerRoutes;
import io.statusdesk.ledger.MonthCloser;
import io.statusdesk.ledger.PolicyRepository;
import io.statusdesk.ledger.PolicyRoutes;
import io.statusdesk.maintenance.MaintenanceRepository;
import io.statusdesk.maintenance.MaintenanceRoutes;
import io.statusdesk.maintenance.MaintenanceSchedule;
import io.statusdesk.outage.IncidentRepository;
import io.statusdesk.outage.OutageRepository;
import io.statusdesk.outage.OutageRoutes;
import io.statusdesk.outage.OutageTracker;
import io.statusdesk.probe.Cell;
import io.statusdesk.probe.Component;
import io.statusdesk.probe.CheckBoard;
import io.statusdesk.probe.CheckHealth;
import io.statusdesk.probe.CheckStatus;
import io.statusdesk.probe.ChecksConfig;
import io.statusdesk.probe.Heartbeats;
import io.statusdesk.probe.ProbeMetrics;
import io.statusdesk.probe.ProbeRepository;
import io.statusdesk.probe.ProbeResult;
import io.statusdesk.probe.ProbeRoutes;
import io.statusdesk.probe.ProbeScheduler;
import io.statusdesk.probe.ResultWriter;
import io.statusdesk.statuspage.StatusPage;
import io.statusdesk.statuspage.StatusPageRoutes;
import io.statusdesk.statuspage.StatusRepository;
import io.statusdesk.statuspage.TenantView;
import io.statusdesk.store.Database;
import io.statusdesk.tenant.TenantRepository;
import io.statusdesk.tenant.TenantRoutes;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service, wired: probes, the result writer and the HTTP API on one Vert.x. Start-up
 * order matters: checks are registered and their health replayed from the database before the
 * first probe, so a restart resumes where the last run stopped.
 */
public final class Statusdesk {
  private static final Logger log = LoggerFactory.getLogger(Statusdesk.class);
  private static final int BODY_LIMIT = 64 * 1024;

  private final Vertx vertx;
  private final Pool pool;
  private final CheckBoard board;
  private final PrometheusMeterRegistry registry;
  private final List<String> deployments;
  private final int httpPort;

  private Statusdesk(Vertx vertx, Pool pool, CheckBoard board, PrometheusMeterRegistry registry,
      List<String> deployments, int httpPort) {
    this.vertx = vertx;
    this.pool = pool;
    this.board = board;
    this.registry = registry;
    this.deployments = deployments;
    this.httpPort = httpPort;
  }

  public static Future<Statusdesk> start(Vertx vertx, AppConfig config, ChecksConfig checks,
      Database database, Clock clock) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    Pool pool = database.pool(vertx, 8);
    Parts parts = new Parts(vertx, config, checks, database, pool, registry, clock);
    return parts.startProbing()
        .compose(v -> parts.startStatusPage())
        .compose(v -> {
          HttpVerticle http = new HttpVerticle(parts::router, config.httpHost(),
              config.httpPort());
          return vertx.deployVerticle(http).map(id -> {
            parts.deployments.add(id);
            log.info("statusdesk listening on http://{}:{} with {} checks", config.httpHost(),
                http.actualPort(), parts.cells.size());
            return new Statusdesk(vertx, pool, parts.board, registry, parts.deployments,
                http.actualPort());
          });
        })
        .onFailure(e -> pool.close());
  }

  /** The service's parts, built once and started in order. */
  private static final class Parts {
    final Vertx vertx;
    final AppConfig config;
    final ChecksConfig checks;
    final Database database;
    final Pool pool;
    final Clock clock;
    final PrometheusMeterRegistry registry;
    final List<Cell> cells;
    final List<String> deployments = new ArrayList<>();
    final CheckBoard board = new CheckBoard();
    final Heartbeats heartbeats;
    final ProbeRepository probes;
    final OutageRepository outages;
    final MaintenanceRepository maintenance;
    final MaintenanceSchedule schedule;
    final LedgerRepository ledger;
    final TenantRepository tenants;
    final Auth auth;
    StatusPage statusPage;

    Parts(Vertx vertx, AppConfig config, ChecksConfig checks, Database database, Pool pool,
        PrometheusMeterRegistry registry, Clock clock) {
      this.vertx = vertx;
      this.config = config;
      this.checks = checks;
      this.database = database;
      this.pool = pool;
      this.registry = registry;
      this.clock = clock;
      this.cells = checks.cells().toList();
      this.heartbeats = new Heartbeats(checks);
      this.probes = new ProbeRepository(pool);
      this.outages = new OutageRepository(pool);
      this.maintenance = new MaintenanceRepository(pool);
      this.schedule = new MaintenanceSchedule(maintenance, checks.timezone());
      this.ledger = new LedgerRepository(pool, checks.plans());
      this.tenants = new TenantRepository(pool, ledger);
      this.auth = new Auth(new TokenRepository(pool));
    }

    /**
     * Registers the checks, replays their recent results, tells the writer when each was last
     * sampled (the time the monitor was down ends at its next sample), then starts the writer,
     * the outage tracker, the month closer and the schedulers.
     */
    Future<Void> startProbing() {
      int window = cells.stream()
          .mapToInt(c -> c.timing().failureThreshold() + c.timing().successThreshold())
          .max().orElse(1);
      ResultWriter writer = new ResultWriter(probes, config.resultBuffer(),
          checks.retentionDays(), clock, registry);
      return probes.register(cells).compose(ids -> probes.recent(config.location(), window)
          .compose(recent -> {
            Map<String, CheckStatus> recovered = replay(cells, ids, recent);
            Map<Integer, Duration> intervals = new HashMap<>();
            cells.forEach(c -> intervals.put(ids.get(c.key()), c.timing().interval()));
            OutageTracker tracker = new OutageTracker(checks.components(), outages, schedule,
                recovered, clock);
            return probes.lastSamples(config.location(), intervals.keySet())
                .onSuccess(last -> writer.resumeAfter(last, intervals))
                .compose(last -> schedule.reload())
                .compose(c -> deploy(writer))
                .compose(v -> deploy(tracker))
                .compose(v -> deploy(new MonthCloser(ledger, checks.timezone(),
                    checks.closeGrace(), clock)))
                .compose(v -> deploySchedulers(vertx, config, checks, cells, ids, recovered,
                    board, writer, tracker, heartbeats, new ProbeMetrics(registry), clock,
                    deployments));
          }));
    }

    Future<Void> startStatusPage() {
      statusPage = new StatusPage(
          new StatusRepository(pool, checks.components(), board, schedule),
          config.statusPage().publicUrl().orElse("http://" + config.httpHost() + ":"
              + config.httpPort()), clock);
      // Rendering every page of a snapshot takes tens of milliseconds: a worker keeps that off
      // the event loops that serve requests.
      return vertx.deployVerticle(statusPage,
              new DeploymentOptions().setThreadingModel(io.vertx.core.ThreadingModel.WORKER))
          .onSuccess(deployments::add).mapEmpty();
    }

    private Future<Void> deploy(io.vertx.core.Deployable verticle) {
      return vertx.deployVerticle(verticle).onSuccess(deployments::add).mapEmpty();
    }

    /** One router per feature, mounted here; the error handler answers for all of them. */
    Router router(Vertx v) {
      Router root = Router.router(v);
      root.post("/api/v1/tenants/import").handler(TenantRoutes.importBody());
      root.route().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
      new OpsRoutes(pool, registry, database::restarting).mount(v, root);
      List<Router> api = List.of(
          new ProbeRoutes(board, heartbeats, auth, clock).router(v),
          new OutageRoutes(new IncidentRepository(pool), outages, checks.components(), board,
              schedule, auth, clock, checks.timezone()).router(v),
          new MaintenanceRoutes(maintenance, schedule, checks.components().stream()
              .map(Component::id).collect(java.util.stream.Collectors.toSet()), auth, clock,
              checks.timezone()).router(v),
          new AuditRoutes(new AuditRepository(pool), auth).router(v),
          new TenantRoutes(tenants, checks.plans(), auth, clock).router(v),
          new LedgerRoutes(ledger, auth, clock).router(v),
          new PolicyRoutes(new PolicyRepository(pool), auth, clock).router(v));
      api.forEach(r -> root.route("/api/v1/*").subRouter(r));
      root.route("/*").subRouter(new TenantView(v, config.statusPage(), pool, tenants, ledger,
          checks.components(), checks.timezone(), clock).router(v));
      root.route("/*").subRouter(new StatusPageRoutes(statusPage, config.statusPage()).router(v));
      root.route().last().handler(ctx -> ctx.fail(404));
      root.route().failureHandler(ErrorHandler::handle);
      return root;
    }
  }

  private static Future<Void> deploySchedulers(Vertx vertx, AppConfig config,
      ChecksConfig checks, List<Cell> cells, Map<String, Integer> ids,
      Map<String, CheckStatus> recovered, CheckBoard board, ResultWriter writer,
      ProbeScheduler.TransitionListener listener, Heartbeats heartbeats, ProbeMetrics metrics, Clock clock, List<String> deployments) {
    int loops = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), cells.size()));
    List<Future<String>> started = new ArrayList<>();
    for (int i = 0; i < loops; i++) {
      List<Cell> share = new ArrayList<>();
      for (int c = i; c < cells.size(); c += loops) {
        share.add(cells.get(c));
      }
      ProbeScheduler scheduler = new ProbeScheduler(share, ids, recovered, board, writer::offer,
          listener, heartbeats, metrics, clock, config.location(),
          Math.max(1, checks.maxInFlight() / loops));
      started.add(vertx.deployVerticle(scheduler, new DeploymentOptions())
          .onSuccess(deployments::add));
    }
    return Future.all(started).mapEmpty();
  }

  /** Replays each check's latest results through its state machine. */
  private static Map<String, CheckStatus> replay(List<Cell> cells, Map<String, Integer> ids,
      Map<Integer, List<ProbeResult>> recent) {
    Map<String, CheckStatus> out = new HashMap<>();
    for (Cell cell : cells) {
      List<ProbeResult> results = recent.getOrDefault(ids.get(cell.key()), List.of());
      CheckHealth health = CheckHealth.unknown();
      for (ProbeResult r : results) {
        health = health.next(r.outcome().ok(), r.probedAt(), cell.timing().failureThreshold(),
            cell.timing().successThreshold()).health();
      }
      if (!results.isEmpty()) {
        out.put(cell.key(), new CheckStatus(cell, health, results.get(results.size() - 1)));
      }
    }
    return out;
  }

  public int httpPort() {
    return httpPort;
  }

  public CheckBoard board() {
    return board;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Stops probing, flushes buffered results (bounded), then closes the pool. */
  public Future<Void> stop() {
    List<String> reversed = new ArrayList<>(deployments);
    java.util.Collections.reverse(reversed);
    Future<Void> chain = Future.succeededFuture();
    for (String id : reversed) {
      chain = chain.compose(v -> vertx.undeploy(id).otherwiseEmpty());
    }
    return chain.compose(v -> pool.close()).onComplete(ar -> registry.close());
  }
}
