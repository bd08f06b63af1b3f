package io.statusdesk.probe;

import io.statusdesk.admin.Console;
import io.statusdesk.admin.Section;
import io.statusdesk.store.Members;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The console's view of {@code GET /api/v1/instances}: every instance and agent with its location,
 * the cells it owns, its last heartbeat, whether it is alive and the singletons it runs.
 */
public final class InstancesConsole {
  private final Instances instances;
  private final Console console;

  public InstancesConsole(Instances instances, Console console) {
    this.instances = instances;
    this.console = console;
  }

  public Router router(Vertx vertx) {
    Router r = Router.router(vertx);
    console.get(r, "/admin/instances", Section.INSTANCES).handler(this::page);
    return r;
  }

  private void page(RoutingContext ctx) {
    instances
        .members()
        .onSuccess(
            members ->
                console.render(
                    ctx,
                    "instances",
                    Map.of(
                        "section",
                        "instances",
                        "members",
                        members.stream().map(this::row).toList())))
        .onFailure(ctx::fail);
  }

  private Map<String, Object> row(Members.Member m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", m.id());
    out.put("kind", m.kind());
    out.put("name", m.name());
    out.put("location", m.location());
    out.put("cells", m.kind().equals("serve") ? String.valueOf(m.cellsOwned()) : "");
    out.put("started", console.when(m.startedAt()));
    out.put("heartbeat", console.when(m.heartbeatAt()));
    out.put("live", m.live());
    out.put("singletons", String.join(", ", m.singletons()));
    out.put("self", m.id().equals(instances.self()));
    return out;
  }
}
