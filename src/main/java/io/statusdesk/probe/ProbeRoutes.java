package io.statusdesk.probe;

import io.statusdesk.Client;
import io.statusdesk.DomainException;
import io.statusdesk.admin.Auth;
import io.statusdesk.admin.Refusals;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Locale;

/**
 * HTTP surface of probing: the check list (it shows probe errors, so it needs an API token) and the
 * heartbeat push endpoint (each heartbeat cell has its own token; wrong ones are throttled like API
 * tokens). Heartbeats are answered from memory, so they keep working while the database is away.
 */
public final class ProbeRoutes {
  private final CheckBoard board;
  private final Heartbeats heartbeats;
  private final Auth auth;
  private final Refusals refusals;
  private final Clock clock;

  public ProbeRoutes(
      CheckBoard board, Heartbeats heartbeats, Auth auth, Refusals refusals, Clock clock) {
    this.board = board;
    this.heartbeats = heartbeats;
    this.auth = auth;
    this.refusals = refusals;
    this.clock = clock;
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/checks").handler(auth.anyRole()).handler(this::list);
    return router;
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
              .put("since", s.health().since() == null ? null : s.health().since().toString());
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
