package io.statusdesk.statuspage;

import io.statusdesk.Input;
import io.statusdesk.Lang;
import io.statusdesk.admin.Console;
import io.statusdesk.admin.Section;
import io.statusdesk.maintenance.MaintenanceSchedule;
import io.statusdesk.maintenance.Occurrence;
import io.statusdesk.notify.Notifications;
import io.statusdesk.notify.NotificationsConsole;
import io.statusdesk.outage.Incident;
import io.statusdesk.outage.Incidents;
import io.statusdesk.probe.Cell;
import io.statusdesk.probe.CheckBoard;
import io.statusdesk.probe.CheckStatus;
import io.statusdesk.probe.Component;
import io.statusdesk.probe.ProbeRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * The console's overview: every component and cell with its state and, when failing, the failing
 * condition with its actual value; open incidents, active and upcoming maintenance, recent
 * monitoring gaps and how full the result buffer is; and per cell a 24-hour latency chart from the
 * minute rollups. Cells are paged by key (component/cell), 50 at a time.
 */
public final class OverviewConsole {
  private static final int PAGE = 50;
  private static final Duration UPCOMING = Duration.ofDays(14);
  private static final Duration CHART = Duration.ofHours(24);

  private final Console console;
  private final List<Component> components;
  private final Map<String, Component> byId = new HashMap<>();
  private final CheckBoard board;
  private final Incidents incidents;
  private final MaintenanceSchedule schedule;
  private final ProbeRepository probes;
  private final IntSupplier buffered;
  private final int bufferCapacity;
  private final Notifications notifications;
  private final Clock clock;

  /**
   * @param buffered results waiting to be written
   * @param bufferCapacity how many results the buffer holds before it drops
   * @param notifications whose counts show how the dispatcher is doing
   */
  public OverviewConsole(
      Console console,
      List<Component> components,
      CheckBoard board,
      Incidents incidents,
      MaintenanceSchedule schedule,
      ProbeRepository probes,
      IntSupplier buffered,
      int bufferCapacity,
      Notifications notifications,
      Clock clock) {
    this.console = console;
    this.components = List.copyOf(components);
    components.forEach(c -> byId.put(c.id(), c));
    this.board = board;
    this.incidents = incidents;
    this.schedule = schedule;
    this.probes = probes;
    this.buffered = buffered;
    this.bufferCapacity = bufferCapacity;
    this.notifications = notifications;
    this.clock = clock;
  }

  public Router router(Vertx vertx) {
    Router r = Router.router(vertx);
    console.get(r, "/admin/overview", Section.OVERVIEW).handler(this::overview);
    console.get(r, "/admin/overview/:component/:cell", Section.OVERVIEW).handler(this::cell);
    console
        .get(r, "/admin/overview/:component/:cell/latency.json", Section.OVERVIEW)
        .handler(this::latency);
    return r;
  }

  private void overview(RoutingContext ctx) {
    Instant now = clock.instant();
    String lang = Lang.of(ctx);
    String after = Optional.ofNullable(ctx.request().getParam("after")).orElse("");
    boolean failingOnly = "1".equals(ctx.request().getParam("failing"));
    List<Map<String, Object>> cells = new ArrayList<>();
    String last = null;
    boolean more = false;
    for (Component c : components) {
      for (Cell cell : c.cells()) {
        if (cell.key().compareTo(after) <= 0) {
          continue;
        }
        CheckStatus s = board.get(cell.key());
        String state = state(s);
        if (failingOnly && !state.equals("failing")) {
          continue;
        }
        if (cells.size() == PAGE) {
          more = true;
          break;
        }
        cells.add(cellRow(c, cell, s, state, lang));
        last = cell.key();
      }
      if (more) {
        break;
      }
    }
    String nextHref =
        more
            ? "/admin/overview?after=" + Input.urlEncode(last) + (failingOnly ? "&failing=1" : "")
            : "";
    Future.all(
            incidents.states(),
            incidents.recent(50, true),
            probes.recentGaps(10),
            notifications.counts())
        .onSuccess(
            all -> {
              List<Incidents.State> states = all.resultAt(0);
              List<Incident> open = all.resultAt(1);
              List<ProbeRepository.Gap> gaps = all.resultAt(2);
              Map<String, String> shown = new HashMap<>();
              states.forEach(s -> shown.put(s.component().id(), s.shown().apiValue()));
              cells.forEach(row -> row.put("shown", shown.get((String) row.get("component_id"))));
              Map<String, Object> model = new HashMap<>();
              model.put("section", "overview");
              model.put("cells", cells);
              model.put("failing_only", failingOnly);
              model.put("next_href", nextHref);
              model.put("incidents", open.stream().map(i -> incident(i, lang)).toList());
              model.put("maintenance", maintenance(now, lang));
              model.put("gaps", gaps.stream().map(this::gap).toList());
              int n = buffered.getAsInt();
              model.put(
                  "buffer",
                  Map.of(
                      "buffered",
                      n,
                      "capacity",
                      bufferCapacity,
                      "pct",
                      bufferCapacity == 0 ? 0 : Math.min(100, n * 100L / bufferCapacity)));
              model.put(
                  "notifications",
                  NotificationsConsole.counts(all.<Notifications.Counts>resultAt(3)));
              model.put("failing", countFailing());
              model.put("total", components.stream().mapToInt(c -> c.cells().size()).sum());
              console.render(ctx, "overview", model);
            })
        .onFailure(ctx::fail);
  }

  private long countFailing() {
    return components.stream()
        .flatMap(c -> c.cells().stream())
        .filter(cell -> state(board.get(cell.key())).equals("failing"))
        .count();
  }

  private static String state(CheckStatus s) {
    return s == null ? "unknown" : s.health().state().name().toLowerCase(Locale.ROOT);
  }

  private Map<String, Object> cellRow(
      Component c, Cell cell, CheckStatus s, String state, String lang) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("component_id", c.id());
    row.put("component", c.name(lang));
    row.put("cell", cell.id());
    row.put("key", cell.key());
    row.put("state", state);
    row.put(
        "since", s == null || s.health().since() == null ? "" : console.when(s.health().since()));
    row.put("last_at", s == null || s.last() == null ? "" : console.when(s.last().probedAt()));
    row.put("outcome", s == null || s.last() == null ? "" : s.last().outcome().dbValue());
    row.put(
        "latency_ms", s == null || s.last() == null ? "" : String.valueOf(s.last().latencyMs()));
    row.put(
        "error", s == null || s.last() == null || s.last().error() == null ? "" : s.last().error());
    return row;
  }

  private Map<String, Object> incident(Incident i, String lang) {
    return Map.of(
        "id", i.id(),
        "title", i.title().in(lang),
        "status", i.status().apiValue(),
        "started", console.when(i.startedAt()),
        "components", String.join(", ", i.components()));
  }

  private List<Map<String, Object>> maintenance(Instant now, String lang) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Occurrence o : schedule.calendar().occurrences(now, now.plus(UPCOMING))) {
      if (out.size() == 10) {
        break;
      }
      out.add(
          Map.of(
              "id", o.window().id(),
              "title", o.window().title().in(lang),
              "starts", console.when(o.start()),
              "ends", console.when(o.end()),
              "status", o.status(now).apiValue(),
              "short_notice", o.shortNotice(),
              "components", String.join(", ", o.window().components())));
    }
    return out;
  }

  private Map<String, Object> gap(ProbeRepository.Gap g) {
    return Map.of(
        "cell", g.cell(),
        "location", g.location(),
        "from", console.when(g.startedAt()),
        "to", console.when(g.endedAt()),
        "reason", g.reason());
  }

  private Optional<Cell> find(RoutingContext ctx) {
    Component c = byId.get(ctx.pathParam("component"));
    return c == null
        ? Optional.empty()
        : c.cells().stream().filter(x -> x.id().equals(ctx.pathParam("cell"))).findFirst();
  }

  /** One cell: its state, the chart, and the same figures by the hour for reading without it. */
  private void cell(RoutingContext ctx) {
    Optional<Cell> found = find(ctx);
    if (found.isEmpty()) {
      ctx.next();
      return;
    }
    Cell cell = found.get();
    String lang = Lang.of(ctx);
    Instant now = clock.instant();
    probes
        .latency(cell.componentId(), cell.id(), now.minus(CHART), now)
        .onSuccess(
            minutes -> {
              CheckStatus s = board.get(cell.key());
              Map<String, Object> model = new HashMap<>();
              model.put("section", "overview");
              model.put("cell", cellRow(byId.get(cell.componentId()), cell, s, state(s), lang));
              model.put("hours", hours(minutes));
              model.put(
                  "chart_src",
                  "/admin/overview/" + cell.componentId() + "/" + cell.id() + "/latency.json");
              console.render(ctx, "cell", model);
            })
        .onFailure(ctx::fail);
  }

  /** Per hour (newest first): probes, failures, average and worst latency. */
  private List<Map<String, Object>> hours(List<ProbeRepository.LatencyMinute> minutes) {
    Map<Instant, long[]> byHour = new LinkedHashMap<>();
    for (ProbeRepository.LatencyMinute m : minutes) {
      long[] h = byHour.computeIfAbsent(m.minute().truncatedTo(ChronoUnit.HOURS), k -> new long[4]);
      h[0] += m.probes();
      h[1] += m.down();
      h[2] += m.sumMs();
      h[3] = Math.max(h[3], m.maxMs());
    }
    List<Map<String, Object>> out = new ArrayList<>();
    byHour.forEach(
        (hour, h) ->
            out.add(
                0,
                Map.of(
                    "hour", console.when(hour),
                    "probes", h[0],
                    "down", h[1],
                    "avg_ms", h[0] == 0 ? 0 : h[2] / h[0],
                    "max_ms", h[3])));
    return out;
  }

  private void latency(RoutingContext ctx) {
    Optional<Cell> found = find(ctx);
    if (found.isEmpty()) {
      ctx.next();
      return;
    }
    Instant now = clock.instant();
    probes
        .latency(found.get().componentId(), found.get().id(), now.minus(CHART), now)
        .onSuccess(
            minutes -> {
              JsonArray at = new JsonArray();
              JsonArray avg = new JsonArray();
              JsonArray max = new JsonArray();
              for (ProbeRepository.LatencyMinute m : minutes) {
                at.add(m.minute().getEpochSecond());
                avg.add(m.averageMs());
                max.add(m.maxMs());
              }
              ctx.response().putHeader("Cache-Control", "no-store");
              ctx.json(new JsonObject().put("minutes", at).put("avg_ms", avg).put("max_ms", max));
            })
        .onFailure(ctx::fail);
  }
}
