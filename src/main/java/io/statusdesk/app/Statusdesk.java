package io.statusdesk.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statusdesk.Changes;
import io.statusdesk.Localized;
import io.statusdesk.admin.AccountRepository;
import io.statusdesk.admin.Accounts;
import io.statusdesk.admin.AuditRepository;
import io.statusdesk.admin.AuditRoutes;
import io.statusdesk.admin.Auth;
import io.statusdesk.admin.Console;
import io.statusdesk.admin.ConsoleRoutes;
import io.statusdesk.admin.FailureLimiter;
import io.statusdesk.admin.Refusals;
import io.statusdesk.admin.TokenRepository;
import io.statusdesk.ledger.Ledger;
import io.statusdesk.ledger.LedgerConsole;
import io.statusdesk.ledger.LedgerRoutes;
import io.statusdesk.ledger.MonthCloser;
import io.statusdesk.ledger.PolicyRepository;
import io.statusdesk.ledger.PolicyRoutes;
import io.statusdesk.maintenance.Maintenance;
import io.statusdesk.maintenance.MaintenanceConsole;
import io.statusdesk.maintenance.MaintenanceNotices;
import io.statusdesk.maintenance.MaintenanceRepository;
import io.statusdesk.maintenance.MaintenanceRoutes;
import io.statusdesk.maintenance.MaintenanceSchedule;
import io.statusdesk.maintenance.Reminders;
import io.statusdesk.notify.Dispatcher;
import io.statusdesk.notify.MessageContext;
import io.statusdesk.notify.Notifications;
import io.statusdesk.notify.NotificationsConsole;
import io.statusdesk.notify.NotifyRoutes;
import io.statusdesk.notify.SubscribeRoutes;
import io.statusdesk.outage.ComponentStatus;
import io.statusdesk.outage.ComponentV2;
import io.statusdesk.outage.IncidentRepository;
import io.statusdesk.outage.Incidents;
import io.statusdesk.outage.OutageConsole;
import io.statusdesk.outage.OutageNotices;
import io.statusdesk.outage.OutageRepository;
import io.statusdesk.outage.OutageRoutes;
import io.statusdesk.outage.OutageTracker;
import io.statusdesk.outage.OverrideRepository;
import io.statusdesk.probe.AgentResults;
import io.statusdesk.probe.Cell;
import io.statusdesk.probe.CheckBoard;
import io.statusdesk.probe.ClusterHealth;
import io.statusdesk.probe.Component;
import io.statusdesk.probe.Heartbeats;
import io.statusdesk.probe.Instances;
import io.statusdesk.probe.InstancesConsole;
import io.statusdesk.probe.PipelineHealth;
import io.statusdesk.probe.ProbeMetrics;
import io.statusdesk.probe.ProbeRepository;
import io.statusdesk.probe.ProbeRoutes;
import io.statusdesk.probe.ProbeScheduler;
import io.statusdesk.probe.ResultWriter;
import io.statusdesk.probe.Retention;
import io.statusdesk.probe.Sharing;
import io.statusdesk.statuspage.OverviewConsole;
import io.statusdesk.statuspage.StatusPage;
import io.statusdesk.statuspage.StatusPageRoutes;
import io.statusdesk.statuspage.StatusRepository;
import io.statusdesk.statuspage.TenantView;
import io.statusdesk.store.Cluster;
import io.statusdesk.store.Database;
import io.statusdesk.store.DatabaseHealth;
import io.statusdesk.tenant.PlanRepository;
import io.statusdesk.tenant.TenantConsole;
import io.statusdesk.tenant.TenantRepository;
import io.statusdesk.tenant.TenantRoutes;
import io.statusdesk.tenant.Tenants;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service, wired: probes, the result writer and the HTTP API on one Vert.x. Start-up
 * order matters: checks are registered and their health replayed from the database before the first
 * probe, so a restart resumes where the last run stopped.
 */
public final class Statusdesk {
  private static final Logger log = LoggerFactory.getLogger(Statusdesk.class);
  private static final String CHANGES = "statusdesk_changed";
  private static final String BEATS = "statusdesk_beat";

  private final Vertx vertx;
  private final Parts parts;
  private final Pool pool;
  private final CheckBoard board;
  private final PrometheusMeterRegistry registry;
  private final List<String> deployments;
  private final int httpPort;
  private final OptionalInt managementPort;

  private Statusdesk(
      Vertx vertx,
      Pool pool,
      Parts parts,
      PrometheusMeterRegistry registry,
      int httpPort,
      OptionalInt managementPort) {
    this.vertx = vertx;
    this.parts = parts;
    this.board = parts.board;
    this.deployments = parts.deployments;
    this.pool = pool;
    this.registry = registry;
    this.httpPort = httpPort;
    this.managementPort = managementPort;
  }

  public static Future<Statusdesk> start(
      Vertx vertx, AppConfig config, ChecksConfig checks, Database database, Clock clock) {
    PrometheusMeterRegistry registry = Metrics.registry();
    Pool pool = database.pool(vertx, 8);
    Parts parts = new Parts(vertx, config, checks, database, pool, registry, clock);
    HttpVerticle http = new HttpVerticle(parts::router, config.httpHost(), config.httpPort());
    HttpVerticle management =
        config
            .management()
            .map(at -> new HttpVerticle(parts::management, at.host(), at.port()))
            .orElse(null);
    return parts
        .startProbing()
        .compose(v -> parts.startStatusPage())
        .compose(v -> parts.notifications.start())
        .compose(v -> parts.deploy(parts.dispatcher()))
        .compose(v -> parts.deploy(parts.health))
        .compose(v -> parts.deploy(http))
        .compose(v -> management == null ? Future.succeededFuture() : parts.deploy(management))
        .map(
            v -> {
              log.info(
                  "statusdesk listening on http://{}:{} with {} checks",
                  config.httpHost(),
                  http.actualPort(),
                  parts.cells.size());
              if (management != null) {
                log.info(
                    "metrics and health on http://{}:{} (no token)",
                    config.management().get().host(),
                    management.actualPort());
              }
              return new Statusdesk(
                  vertx,
                  pool,
                  parts,
                  registry,
                  http.actualPort(),
                  management == null
                      ? OptionalInt.empty()
                      : OptionalInt.of(management.actualPort()));
            })
        .onFailure(e -> pool.close());
  }

  /** The service's parts, built once and started in order. */
  private static final class Parts {
    final Vertx vertx;
    final AppConfig config;
    final ChecksConfig checks;
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
    final MaintenanceNotices maintenanceNotices;
    final Ledger ledger;
    final TenantRepository tenants;
    final PlanRepository plans;
    final Refusals refusals;
    final Auth auth;
    final DatabaseHealth health;
    final PipelineHealth pipeline;
    final EventLoopWatch loops;
    final ResultWriter writer;
    final io.statusdesk.store.Notifications signals;
    final Cluster cluster;
    final List<ProbeScheduler> schedulers = new ArrayList<>();
    ClusterHealth clusterHealth;
    Sharing sharing;
    AgentResults agentResults;
    final OpsRoutes ops;
    final Incidents incidents;
    final Maintenance maintenanceService;
    final Tenants tenantService;
    final String publicUrl;
    final MessageContext messages;
    final Notifications notifications;
    final IncidentRepository incidentRepository;
    final OverrideRepository overrides;
    final Accounts accounts;
    StatusPage statusPage;
    volatile Router root;

    Parts(
        Vertx vertx,
        AppConfig config,
        ChecksConfig checks,
        Database database,
        Pool pool,
        PrometheusMeterRegistry registry,
        Clock clock) {
      this.vertx = vertx;
      this.config = config;
      this.checks = checks;
      this.pool = pool;
      this.registry = registry;
      this.clock = clock;
      this.cells = checks.probes().cells().toList();
      this.heartbeats = new Heartbeats(checks.probes());
      this.probes = new ProbeRepository(pool);
      this.publicUrl = config.publicUrl();
      OutageNotices outageNotices =
          new OutageNotices(checks.components(), checks.timezone(), publicUrl);
      ComponentV2 shapes = new ComponentV2(checks.components(), checks.timezone());
      this.outages = new OutageRepository(pool, outageNotices);
      this.incidentRepository = new IncidentRepository(pool, outageNotices);
      this.overrides = new OverrideRepository(pool, outageNotices);
      this.maintenanceNotices =
          new MaintenanceNotices(
              publicUrl,
              checks.timezone(),
              lang -> shapes.objects(lang, id -> ComponentStatus.OPERATIONAL, id -> null, null));
      this.maintenance = new MaintenanceRepository(pool, maintenanceNotices);
      Map<String, Localized> names = new HashMap<>();
      checks.components().forEach(c -> names.put(c.id(), new Localized(c.nameEn(), c.nameKo())));
      this.messages = new MessageContext(checks.timezone(), publicUrl, names);
      this.notifications =
          new Notifications(
              pool,
              checks.components().stream().map(Component::id).toList(),
              config.mail().isPresent(),
              clock);
      this.schedule = new MaintenanceSchedule(maintenance, checks.timezone());
      this.ledger = new Ledger(pool);
      this.tenants = new TenantRepository(pool, ledger, checks.timezone());
      this.plans = new PlanRepository(pool);
      this.refusals = new Refusals(FailureLimiter.standard(clock), registry, clock);
      this.auth = new Auth(new TokenRepository(pool), refusals, registry, clock);
      this.accounts = new Accounts(new AccountRepository(pool), refusals, vertx, clock);
      this.health = new DatabaseHealth(pool);
      this.pipeline = new PipelineHealth(cells, clock);
      this.loops = new EventLoopWatch(clock);
      this.writer =
          new ResultWriter(
              (results, gaps, locations, events) ->
                  probes.write(results, gaps, locations, events).onSuccess(v -> health.answered()),
              ResultWriter.flushEvery(cells),
              config.resultBuffer(),
              clock,
              registry,
              pipeline);
      this.cluster =
          new Cluster(
              database,
              config.location(),
              Main.instanceName(),
              Cluster.period(
                  cells.stream()
                      .map(c -> c.timing().interval())
                      .min(Duration::compareTo)
                      .orElse(Duration.ofSeconds(30))),
              singletons(),
              clock);
      this.signals = signals(database);
      Runnable changed = () -> Changes.announce(vertx);
      Set<String> componentIds =
          checks.components().stream().map(Component::id).collect(Collectors.toSet());
      this.incidents =
          new Incidents(
              incidentRepository,
              outages,
              overrides,
              checks.components(),
              board,
              schedule,
              clock,
              checks.timezone(),
              changed);
      this.maintenanceService =
          new Maintenance(maintenance, schedule, componentIds, clock, checks.timezone(), changed);
      this.tenantService =
          new Tenants(
              tenants, plans, cells.stream().map(Cell::key).collect(Collectors.toSet()), clock);
      this.ops =
          new OpsRoutes(
              pool,
              registry,
              new Liveness(pipeline, writer, loops, registry),
              database::restarting,
              this::unready);
    }

    /**
     * What runs on one instance of the cluster at a time, each made anew when this instance takes
     * it over.
     */
    private List<Cluster.Singleton> singletons() {
      return List.of(
          new Cluster.Singleton(
              "outage tracker",
              () ->
                  new OutageTracker(
                      checks.components(),
                      outages,
                      schedule,
                      clusterHealth,
                      checks.incidents().updateDebounce(),
                      clock)),
          new Cluster.Singleton(
              "month closer",
              () ->
                  new MonthCloser(ledger, checks.timezone(), checks.billing().closeGrace(), clock)),
          new Cluster.Singleton(
              "retention", () -> new Retention(probes, checks.probes().retentionDays())),
          // idempotent by key, so a hand-over that overlaps tells nothing twice
          new Cluster.Singleton(
              "maintenance reminders",
              () ->
                  new Reminders(
                      pool,
                      schedule,
                      maintenanceNotices,
                      checks.notifications().reminders(),
                      Duration.ofSeconds(15),
                      clock)));
    }

    /**
     * What other instances tell this one: a location's health changed, a writer changed what the
     * pages show, a heartbeat arrived there. This instance's own announcements go out the same way.
     */
    private io.statusdesk.store.Notifications signals(Database database) {
      String self = cluster.id();
      heartbeats.onBeat(
          (key, at) ->
              signals
                  .send(BEATS, key + " " + at.toEpochMilli())
                  .onFailure(e -> log.debug("heartbeat not passed on: {}", e.toString())));
      vertx
          .eventBus()
          .consumer(
              Changes.ADDRESS,
              m -> {
                if (m.headers().contains(Changes.LOCAL)) {
                  signals
                      .send(CHANGES, self)
                      .onFailure(e -> log.debug("change not passed on: {}", e.toString()));
                }
              });
      return new io.statusdesk.store.Notifications(database, pool)
          .on(TokenRepository.REVOKED_CHANNEL, payload -> auth.forgetCached())
          .on(Dispatcher.OUTBOX_CHANNEL, payload -> vertx.eventBus().publish(Dispatcher.WAKE, null))
          .on(
              ProbeRepository.HEALTH_CHANNEL,
              payload -> {
                if (clusterHealth != null) {
                  clusterHealth.changed();
                }
              })
          .on(
              CHANGES,
              payload -> {
                if (!payload.equals(self)) {
                  vertx.eventBus().publish(Changes.ADDRESS, null);
                }
              })
          .on(
              BEATS,
              payload -> {
                int space = payload.indexOf(' ');
                if (space > 0) {
                  heartbeats.heard(
                      payload.substring(0, space),
                      Instant.ofEpochMilli(Long.parseLong(payload.substring(space + 1))));
                }
              });
    }

    /** Why this instance should not get traffic yet (empty when ready), for {@code /ready}. */
    List<String> unready() {
      List<String> out = new ArrayList<>();
      if (!health.up()) {
        out.add("database: not answering");
      }
      if (!cluster.current()) {
        out.add("membership: no recent beat");
      }
      if (sharing == null || !sharing.settled()) {
        out.add("probing: share not taken yet");
      }
      return out;
    }

    /**
     * Registers the checks and loads every location's view of them, then starts the writer and the
     * schedulers (idle), and joins the cluster: the first beat gives this instance its share of the
     * cells (each resumed from its stored results) and the singletons nobody else holds.
     */
    Future<Void> startProbing() {
      if (!checks.locations().allows(config.location())) {
        return Future.failedFuture(
            new IllegalArgumentException(
                "STATUSDESK_LOCATION: '"
                    + config.location()
                    + "' is not one of the locations in "
                    + checks.source()
                    + " ("
                    + String.join(", ", checks.locations().names())
                    + ")"));
      }
      // Partitions first (a no-op once they exist): creating one locks the results table, which
      // must not happen while probes and pages start.
      return probes
          .maintainPartitions(checks.probes().retentionDays())
          .compose(v -> deploy(signals))
          .compose(v -> probes.register(cells, clock.instant()))
          .compose(
              ids -> {
                clusterHealth =
                    new ClusterHealth(probes, ids, cells, checks.locations(), board, clock);
                agentResults = new AgentResults(probes, ids, cells, checks.locations());
                Map<Integer, Cell> byId = new HashMap<>();
                cells.forEach(c -> byId.put(ids.get(c.key()), c));
                writer.cells(byId);
                return plans
                    .recordConfigured(checks.billing().plans(), clock.instant())
                    .compose(n -> schedule.reload())
                    .compose(c -> loops.deploy(vertx).onSuccess(deployments::add))
                    .compose(c -> deploy(writer))
                    .compose(v -> deploy(clusterHealth))
                    .compose(v -> deploySchedulers(ids))
                    .compose(
                        v -> {
                          sharing =
                              new Sharing(
                                  vertx,
                                  cells,
                                  ids,
                                  schedulers,
                                  probes,
                                  writer,
                                  config.location(),
                                  cluster.id(),
                                  clock);
                          cluster.onMembers(sharing::members);
                          cluster.owned(sharing::owned);
                          return deploy(cluster);
                        });
              });
    }

    /** One scheduler per event-loop thread; the cells are handed out as the share changes. */
    Future<Void> deploySchedulers(Map<String, Integer> ids) {
      int loops = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), cells.size()));
      ProbeMetrics metrics = new ProbeMetrics(registry, pipeline);
      List<Future<String>> started = new ArrayList<>();
      for (int i = 0; i < loops; i++) {
        ProbeScheduler scheduler =
            new ProbeScheduler(
                ids,
                board,
                writer,
                writer::offerHealth,
                heartbeats,
                metrics,
                clock,
                config.location(),
                Math.max(1, checks.probes().maxInFlight() / loops));
        schedulers.add(scheduler);
        started.add(vertx.deployVerticle(scheduler).onSuccess(deployments::add));
      }
      return Future.all(started).mapEmpty();
    }

    Future<Void> startStatusPage() {
      statusPage =
          new StatusPage(
              new StatusRepository(
                  pool, incidentRepository, overrides, checks.components(), board, schedule),
              publicUrl,
              notifications.emailEnabled(),
              clock);
      // Rendering every page of a snapshot takes tens of milliseconds: a worker keeps that off
      // the event loops that serve requests.
      return vertx
          .deployVerticle(
              statusPage, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
          .onSuccess(deployments::add)
          .mapEmpty();
    }

    /** Delivers the outbox: alerts, subscribers, tenants' statements. */
    Dispatcher dispatcher() {
      return new Dispatcher(
          pool,
          checks.notifications(),
          config.mail(),
          messages,
          registry,
          clock,
          Dispatcher.Options.standard());
    }

    Future<Void> deploy(Deployable verticle) {
      return vertx.deployVerticle(verticle).onSuccess(deployments::add).mapEmpty();
    }

    /**
     * One router per feature, mounted here. Heartbeats come before the database guard: they are
     * answered from memory and must keep arriving while the database is away.
     */
    Router router(Vertx v) {
      ProbeRoutes probeRoutes =
          new ProbeRoutes(board, heartbeats, auth, refusals, clock, agentResults, instances());
      DatabaseDeadline deadline = new DatabaseDeadline(health);
      AllowList allowList = new AllowList(config.adminAllow());
      root =
          framed(
              v,
              root -> {
                root.route("/admin/*").handler(allowList);
                root.route("/api/v1/*").handler(allowList);
                root.route("/*").subRouter(ops.router(v, auth.anyRole()));
                root.get("/api/v1/openapi.json").handler(OpenApi::serve);
                root.route("/api/v1/*").subRouter(probeRoutes.heartbeats(v));
                // the daily uptime API is served from the snapshot, like the other documents
                root.routeWithRegex("/api/v1/(?!uptime/).*").handler(deadline);
                root.route("/tenant/*").handler(deadline);
                if (notifications.emailEnabled()) {
                  // the subscription pages read and write the database like the tenant view
                  for (String page : List.of("/subscribe*", "/subscription", "/unsubscribe")) {
                    root.route(page).handler(deadline);
                  }
                }
                root.route("/admin/*").handler(deadline);
                api(v, probeRoutes).forEach(r -> root.route("/api/v1/*").subRouter(r));
                if (notifications.emailEnabled()) {
                  root.route("/*")
                      .subRouter(new SubscribeRoutes(notifications, messages).router(v));
                }
                console(v).forEach(r -> root.route("/*").subRouter(r));
                root.route("/*")
                    .subRouter(
                        new TenantView(
                                v,
                                config.statusPage(),
                                pool,
                                tenants,
                                ledger,
                                checks.components(),
                                checks.timezone(),
                                refusals,
                                notifications,
                                clock)
                            .router(v));
                root.route("/*")
                    .subRouter(
                        new StatusPageRoutes(statusPage, config.statusPage(), clock).router(v));
              });
      return root;
    }

    /** The loopback listener: metrics and health without a token. */
    Router management(Vertx v) {
      return framed(v, root -> root.route("/*").subRouter(ops.router(v, RoutingContext::next)));
    }

    /** Every listener: the edge first, 404 for what no route took, the one error handler. */
    private Router framed(Vertx v, Consumer<Router> routes) {
      Router root = Router.router(v);
      root.route().handler(new Edge(config.trustedProxies()));
      routes.accept(root);
      root.route().last().handler(ctx -> ctx.fail(404));
      root.route().failureHandler(ErrorHandler::handle);
      return root;
    }

    /** The console's pages: identity's own, then each feature's beside its API. */
    private List<Router> console(Vertx v) {
      Console console = new Console(v, accounts, checks.timezone());
      return List.of(
          new ConsoleRoutes(
                  console, new TokenRepository(pool), new AuditRepository(pool), config.publicUrl())
              .router(v),
          new OverviewConsole(
                  console,
                  checks.components(),
                  board,
                  incidents,
                  schedule,
                  probes,
                  writer::buffered,
                  config.resultBuffer(),
                  notifications,
                  clock)
              .router(v),
          new OutageConsole(
                  incidents,
                  proposal -> ledger.preview(proposal, clock.instant(), checks.timezone()),
                  checks.components(),
                  console)
              .router(v),
          new MaintenanceConsole(maintenanceService, checks.components(), console).router(v),
          new TenantConsole(tenantService, console).router(v),
          new LedgerConsole(ledger, new PolicyRepository(pool), console).router(v),
          new NotificationsConsole(notifications, console).router(v),
          new InstancesConsole(instances(), console).router(v));
    }

    private Instances instances() {
      return new Instances(probes, cluster::id, cluster.ttl(), cluster.singletonNames());
    }

    private List<Router> api(Vertx v, ProbeRoutes probeRoutes) {
      return List.of(
          probeRoutes.router(v),
          new OutageRoutes(incidents, auth).router(v),
          new MaintenanceRoutes(maintenanceService, auth).router(v),
          new AuditRoutes(new AuditRepository(pool), auth).router(v),
          new TenantRoutes(tenantService, auth).router(v),
          new LedgerRoutes(ledger, auth, clock).router(v),
          new PolicyRoutes(new PolicyRepository(pool), auth, clock).router(v),
          new NotifyRoutes(notifications, auth).router(v));
    }
  }

  /** Every endpoint the service answers, as {@code "METHOD /path/{param}"}. */
  public List<String> routes() {
    return RouteTable.of(parts.root);
  }

  public int httpPort() {
    return httpPort;
  }

  /** The management listener's port, unless it is off. */
  public OptionalInt managementPort() {
    return managementPort;
  }

  public CheckBoard board() {
    return board;
  }

  /** The singletons (outage tracker, month closer, ...) this instance runs now. */
  public List<String> singletonsHere() {
    return parts.cluster.singletonsHere();
  }

  /** This instance's id among the members. */
  public String memberId() {
    return parts.cluster.id();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Stops probing, flushes buffered results (bounded), then closes the pool. */
  public Future<Void> stop() {
    return undeployInReverse(vertx, deployments)
        .compose(v -> pool.close())
        .onComplete(ar -> registry.close());
  }

  /** Undeploys {@code deployments} last first, each whatever became of the one before. */
  static Future<Void> undeployInReverse(Vertx vertx, List<String> deployments) {
    List<String> reversed = new ArrayList<>(deployments);
    Collections.reverse(reversed);
    Future<Void> chain = Future.succeededFuture();
    for (String id : reversed) {
      chain = chain.compose(v -> vertx.undeploy(id).otherwiseEmpty());
    }
    return chain;
  }
}
