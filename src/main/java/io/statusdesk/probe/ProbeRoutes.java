package io.statusdesk.probe;

import io.statusdesk.Client;
import io.statusdesk.DomainException;
import io.statusdesk.Input;
import io.statusdesk.admin.Auth;
import io.statusdesk.admin.Refusals;
import io.statusdesk.admin.Role;
import io.statusdesk.store.Members;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Locale;

/**
 * HTTP surface of probing: the check list (it shows probe errors, so it needs an API token), the
 * instances and agents sharing the work (operators), the agents' result pushes (agent tokens), and
 * the heartbeat push endpoint (each heartbeat cell has its own token; wrong ones are throttled like
 * API tokens). Heartbeats are answered from memory, so they keep working while the database is
 * away.
 */
public final class ProbeRoutes {
  /** Largest agent push: 20,000 results of about 150 bytes. */
  private static final long RESULTS_LIMIT = 4L * 1024 * 1024;

  private final CheckBoard board;
  private final Heartbeats heartbeats;
  private final Auth auth;
  private final Refusals refusals;
  private final Clock clock;
  private final AgentResults agents;
  private final Instances instances;

  public ProbeRoutes(
      CheckBoard board,
      Heartbeats heartbeats,
      Auth auth,
      Refusals refusals,
      Clock clock,
      AgentResults agents,
      Instances instances) {
    this.board = board;
    this.heartbeats = heartbeats;
    this.auth = auth;
    this.refusals = refusals;
    this.clock = clock;
    this.agents = agents;
    this.instances = instances;
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/checks").handler(auth.anyRole()).handler(this::list);
    router.get("/instances").handler(auth.require(Role.OPERATOR)).handler(this::instances);
    auth.withBody(router, HttpMethod.POST, "/results", RESULTS_LIMIT, Role.AGENT)
        .handler(this::results);
    return router;
  }

  private void instances(RoutingContext ctx) {
    instances
        .members()
        .onSuccess(
            members -> {
              JsonArray out = new JsonArray();
              for (Members.Member m : members) {
                out.add(
                    new JsonObject()
                        .put("id", m.id())
                        .put("kind", m.kind())
                        .put("location", m.location())
                        .put("name", m.name())
                        .put("started_at", m.startedAt().toString())
                        .put("last_heartbeat", m.heartbeatAt().toString())
                        .put("cells_owned", m.kind().equals("serve") ? m.cellsOwned() : null)
                        .put("live", m.live())
                        .put("singletons", new JsonArray(m.singletons())));
              }
              ctx.json(new JsonObject().put("answered_by", instances.self()).put("instances", out));
            })
        .onFailure(ctx::fail);
  }

  private void results(RoutingContext ctx) {
    AgentResults.Batch batch = agents.parse(Input.body(ctx, AgentResults.FIELDS));
    agents
        .accept(batch, Auth.principal(ctx).name())
        .onSuccess(
            fresh -> {
              ctx.response().setStatusCode(fresh ? 201 : 200);
              ctx.json(
                  new JsonObject()
                      .put("batch", batch.id().toString())
                      .put("results", batch.results().size())
                      .put("duplicate", !fresh));
            })
        .onFailure(ctx::fail);
  }

  public Router heartbeats(Vertx vertx) {
    Router router = Router.router(vertx);
    router.post("/heartbeats/:component/:cell").handler(this::heartbeat);
    return router;
  }

  private void list(RoutingContext ctx) {
    JsonArray out = new JsonArray();
    for (CheckStatus s : board.all()) {
      JsonObject check =
          new JsonObject()
              .put("component", s.cell().componentId())
              .put("cell", s.cell().id())
              .put("kind", s.cell().target().kind())
              .put("interval", Durations.format(s.cell().timing().interval()))
              .put("state", s.health().state().name().toLowerCase(Locale.ROOT))
              .put("since", s.health().since() == null ? null : s.health().since().toString())
              .put(
                  "verdict",
                  s.judgement() == null
                      ? null
                      : s.judgement().kind().name().toLowerCase(Locale.ROOT))
              .put("locations", locations(s));
      if (s.last() != null) {
        check.put(
            "last_result",
            new JsonObject()
                .put("at", s.last().probedAt().toString())
                .put("outcome", s.last().outcome().dbValue())
                .put("latency_ms", s.last().latencyMs())
                .put("error", s.last().error()));
      } else {
        check.putNull("last_result");
      }
      out.add(check);
    }
    ctx.json(new JsonObject().put("checks", out));
  }

  /** Each location's own view of a cell, and whether it has results recent enough to judge. */
  private static JsonArray locations(CheckStatus s) {
    JsonArray out = new JsonArray();
    for (LocationHealth l : s.locations()) {
      out.add(
          new JsonObject()
              .put("location", l.location())
              .put("state", l.state().name().toLowerCase(Locale.ROOT))
              .put("since", l.since().toString())
              .put("degraded", l.degraded())
              .put(
                  "judging",
                  s.judgement() != null && s.judgement().judging().contains(l.location())));
    }
    return out;
  }

  private void heartbeat(RoutingContext ctx) {
    String address = Client.of(ctx).address();
    refusals
        .throttled(address)
        .ifPresent(
            e -> {
              throw e;
            });
    String token = Auth.bearer(ctx.request());
    try {
      heartbeats.beat(ctx.pathParam("component"), ctx.pathParam("cell"), token, clock.instant());
    } catch (DomainException e) {
      if (e.kind() != DomainException.Kind.UNAUTHENTICATED) {
        throw e;
      }
      throw refusals.refuse(
          address, token == null ? Refusals.Reason.MISSING : Refusals.Reason.UNKNOWN, e);
    }
    ctx.response().setStatusCode(204).end();
  }
}
