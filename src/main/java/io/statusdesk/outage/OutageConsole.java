package io.statusdesk.outage;

import io.statusdesk.Input;
import io.statusdesk.Lang;
import io.statusdesk.Localized;
import io.statusdesk.admin.Console;
import io.statusdesk.admin.Section;
import io.statusdesk.probe.Component;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The console's incident and outage pages: open an incident with its impact on each component, post
 * updates in both languages, edit, hide a mistaken one, write a postmortem; and reclassify, re-time
 * or exclude an outage after previewing what that does to its months' MUP and credits. Every form
 * goes through the API's own parsing ({@link OutageRoutes}) and {@link Incidents}.
 */
public final class OutageConsole {
  private static final int PAGE = 50;
  private static final Set<String> TIMES = Set.of("started_at", "resolved_at", "ended_at");
  private static final List<String> IMPACTS =
      List.of("degraded_performance", "partial_outage", "major_outage");

  private final Incidents incidents;
  private final OutageImpact impact;
  private final List<Component> components;
  private final Console console;

  public OutageConsole(
      Incidents incidents, OutageImpact impact, List<Component> components, Console console) {
    this.incidents = incidents;
    this.impact = impact;
    this.components = List.copyOf(components);
    this.console = console;
  }

  public Router router(Vertx vertx) {
    Router r = Router.router(vertx);
    console.get(r, "/admin/incidents", Section.INCIDENTS).handler(this::list);
    console
        .getForm(r, "/admin/incidents/new", Section.INCIDENTS)
        .handler(ctx -> newForm(ctx, 200, Map.of()));
    console.post(r, "/admin/incidents", Section.INCIDENTS).handler(this::open);
    console.get(r, "/admin/incidents/:incident", Section.INCIDENTS).handler(this::show);
    console.post(r, "/admin/incidents/:incident/updates", Section.INCIDENTS).handler(this::post);
    console.post(r, "/admin/incidents/:incident/edit", Section.INCIDENTS).handler(this::edit);
    console.get(r, "/admin/outages", Section.INCIDENTS).handler(this::outages);
    console
        .get(r, "/admin/outages/:outage", Section.INCIDENTS)
        .handler(ctx -> outage(ctx, 200, Map.of()));
    console.post(r, "/admin/outages/:outage/preview", Section.INCIDENTS).handler(this::preview);
    console.post(r, "/admin/outages/:outage", Section.INCIDENTS).handler(this::change);
    return r;
  }

  private void list(RoutingContext ctx) {
    long before = Input.queryLong(ctx, "before", Long.MAX_VALUE, 1, Long.MAX_VALUE);
    String lang = Lang.of(ctx);
    incidents
        .page(before, PAGE + 1)
        .onSuccess(
            list -> {
              Map<String, Object> model = new HashMap<>();
              model.put("section", "incidents");
              model.put(
                  "incidents",
                  list.subList(0, Math.min(PAGE, list.size())).stream()
                      .map(i -> summary(i, lang))
                      .toList());
              model.put(
                  "next_href",
                  list.size() > PAGE ? "/admin/incidents?before=" + list.get(PAGE - 1).id() : "");
              model.put("month", YearMonth.now(console.zone()).toString());
              console.render(ctx, "incidents", model);
            })
        .onFailure(ctx::fail);
  }

  private Map<String, Object> summary(Incident i, String lang) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", i.id());
    m.put("title", i.title().in(lang));
    m.put("status", i.status().apiValue());
    m.put("source", i.source().dbValue());
    m.put("started", console.when(i.startedAt()));
    m.put("resolved", i.resolvedAt().map(console::when).orElse(""));
    m.put("components", String.join(", ", i.components()));
    m.put("hidden", i.hiddenAt().isPresent());
    return m;
  }

  private List<Map<String, Object>> componentChoices(String lang, Map<String, String> chosen) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Component c : components) {
      out.add(
          Map.of(
              "id", c.id(),
              "name", c.name(lang),
              "impact", chosen.getOrDefault(c.id(), "")));
    }
    return out;
  }

  private void newForm(RoutingContext ctx, int status, Map<String, Object> extra) {
    Map<String, Object> model = new HashMap<>(extra);
    model.put("section", "incidents");
    @SuppressWarnings("unchecked")
    Map<String, Object> form = (Map<String, Object>) extra.getOrDefault("form", Map.of());
    Map<String, String> chosen = new HashMap<>();
    form.forEach(
        (k, v) -> {
          if (k.startsWith("impact_") && v instanceof String s) {
            chosen.put(k.substring(7), s);
          }
        });
    model.put("components", componentChoices(Lang.of(ctx), chosen));
    model.put("impacts", IMPACTS);
    model.put("statuses", statuses());
    model.putIfAbsent("form", Map.of("started_at", console.local(console.now())));
    console.render(ctx, status, "incident-new", model);
  }

  private static List<String> statuses() {
    List<String> out = new ArrayList<>();
    for (IncidentStatus s : IncidentStatus.values()) {
      out.add(s.apiValue());
    }
    return out;
  }

  /** The form's per-component impact selects as the API's {@code impacts} object. */
  private static JsonObject withImpacts(JsonObject body) {
    JsonObject impacts = new JsonObject();
    for (String name : Set.copyOf(body.fieldNames())) {
      if (name.startsWith("impact_")) {
        impacts.put(name.substring(7), body.remove(name));
      }
    }
    if (!impacts.isEmpty()) {
      body.put("impacts", impacts);
    }
    return body;
  }

  private void open(RoutingContext ctx) {
    Console.attempt(
            () -> {
              JsonObject body = withImpacts(console.json(ctx, TIMES));
              if (!body.containsKey("impacts")) {
                throw Input.invalid(
                    "impacts: choose how the incident affects at least one component");
              }
              return incidents.open(
                  OutageRoutes.opening(body, incidents), Console.principal(ctx).actor());
            })
        .onSuccess(
            i -> Console.seeOther(ctx, "/admin/incidents/" + i.id() + "?done=incident_opened"))
        .onFailure(
            e ->
                Console.failed(
                    ctx,
                    e,
                    (status, error) ->
                        newForm(ctx, status, Map.of("error", error, "form", Console.echo(ctx)))));
  }

  private void show(RoutingContext ctx) {
    show(ctx, 200, Map.of());
  }

  private void show(RoutingContext ctx, int status, Map<String, Object> extra) {
    long id = Input.pathId(ctx, "incident");
    String lang = Lang.of(ctx);
    Future.all(incidents.get(id), incidents.outagesOf(id))
        .onSuccess(
            all -> {
              Incident i = all.resultAt(0);
              List<OutageRecord> outages = all.resultAt(1);
              Map<String, Object> model = new HashMap<>(extra);
              model.put("section", "incidents");
              model.put("incident", summary(i, lang));
              model.put(
                  "title",
                  Map.of("en", i.title().en(), "ko", i.title().ko() == null ? "" : i.title().ko()));
              model.put(
                  "postmortem",
                  Map.of(
                      "en", i.postmortem().map(Localized::en).orElse(""),
                      "ko", i.postmortem().map(p -> p.ko() == null ? "" : p.ko()).orElse("")));
              List<Map<String, Object>> updates = new ArrayList<>();
              for (Incident.Update u : i.newestFirst()) {
                updates.add(
                    Map.of(
                        "status", u.status().apiValue(),
                        "message", u.message().in(lang),
                        "at", console.when(u.at())));
              }
              model.put("updates", updates);
              Map<String, String> chosen = new HashMap<>();
              i.impacts().forEach((c, s) -> chosen.put(c, s.apiValue()));
              model.put("components", componentChoices(lang, chosen));
              model.put("impacts", IMPACTS);
              model.put("statuses", statuses());
              model.put("open", i.status() != IncidentStatus.RESOLVED);
              model.put("outages", outages.stream().map(this::outageRow).toList());
              console.render(ctx, status, "incident", model);
            })
        .onFailure(ctx::fail);
  }

  private void post(RoutingContext ctx) {
    long id = Input.pathId(ctx, "incident");
    Console.attempt(
            () -> {
              JsonObject body = console.json(ctx, Set.of());
              IncidentStatus status =
                  IncidentStatus.parse("status", Input.text(body, "status", 16));
              return incidents.post(
                  id, status, OutageRoutes.message(body), Console.principal(ctx).actor());
            })
        .onSuccess(i -> Console.seeOther(ctx, "/admin/incidents/" + id + "?done=update_posted"))
        .onFailure(
            e ->
                Console.failed(
                    ctx,
                    e,
                    (status, error) ->
                        show(ctx, status, Map.of("error", error, "form", Console.echo(ctx)))));
  }

  /**
   * One form edits what people read: title, impacts, postmortem, and hidden (with a reason) or
   * shown again.
   */
  private void edit(RoutingContext ctx) {
    long id = Input.pathId(ctx, "incident");
    Console.attempt(
            () -> {
              JsonObject body = withImpacts(console.json(ctx, Set.of()));
              body.put("hidden", "on".equals(body.remove("hidden")));
              if (!body.getBoolean("hidden")) {
                body.remove("hidden_reason");
              }
              return incidents.edit(
                  id, OutageRoutes.incidentEdit(body, incidents), Console.principal(ctx).actor());
            })
        .onSuccess(i -> Console.seeOther(ctx, "/admin/incidents/" + id + "?done=incident_edited"))
        .onFailure(
            e ->
                Console.failed(
                    ctx, e, (status, error) -> show(ctx, status, Map.of("error", error))));
  }

  private Map<String, Object> outageRow(OutageRecord o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", o.id());
    m.put("component", o.component());
    m.put("class", o.outageClass().name().toLowerCase(Locale.ROOT));
    m.put("started", console.when(o.start()));
    m.put("ended", o.end().map(console::when).orElse(""));
    m.put("source", o.source().dbValue());
    m.put("cells", String.join(", ", o.cells()));
    m.put("exclusion", o.exclusion().map(Exclusion::reason).orElse(""));
    m.put("incident", o.incidentId().map(String::valueOf).orElse(""));
    return m;
  }

  private void outages(RoutingContext ctx) {
    String asked = ctx.request().getParam("month");
    YearMonth month = asked == null ? YearMonth.now(console.zone()) : Input.month("month", asked);
    incidents
        .outages(month)
        .onSuccess(
            list -> {
              Map<String, Object> model = new HashMap<>();
              model.put("section", "incidents");
              model.put("month", month.toString());
              model.put("previous", month.minusMonths(1).toString());
              model.put("next", month.plusMonths(1).toString());
              model.put("outages", list.stream().map(this::outageRow).toList());
              console.render(ctx, "outages", model);
            })
        .onFailure(ctx::fail);
  }

  private void outage(RoutingContext ctx, int status, Map<String, Object> extra) {
    incidents
        .outage(Input.pathId(ctx, "outage"))
        .onSuccess(
            o -> {
              Map<String, Object> model = new HashMap<>(extra);
              model.put("section", "incidents");
              model.put("outage", outageRow(o));
              model.putIfAbsent(
                  "form",
                  Map.of(
                      "class", o.outageClass().name().toLowerCase(Locale.ROOT),
                      "started_at", console.local(o.start()),
                      "ended_at", o.end().map(console::local).orElse(""),
                      "exclusion_reason", o.exclusion().map(Exclusion::reason).orElse(""),
                      "exclusion_note", o.exclusion().map(Exclusion::note).orElse("")));
              model.put("reasons", List.copyOf(new TreeSet<>(Exclusion.REASONS)));
              model.put("open", o.end().isEmpty());
              console.render(ctx, status, "outage", model);
            })
        .onFailure(ctx::fail);
  }

  /** The form as the API's outage change: an empty reason lifts an exclusion. */
  private OutageEdit edit(RoutingContext ctx, OutageRecord current) {
    JsonObject body = console.json(ctx, TIMES);
    String reason = (String) body.remove("exclusion_reason");
    String note = (String) body.remove("exclusion_note");
    if (reason != null) {
      body.put("exclusion", new JsonObject().put("reason", reason).put("note", note));
    } else if (current.exclusion().isPresent()) {
      body.putNull("exclusion");
    }
    return OutageRoutes.outageEdit(body);
  }

  private void preview(RoutingContext ctx) {
    long id = Input.pathId(ctx, "outage");
    Console.attempt(
            () ->
                incidents
                    .outage(id)
                    .compose(current -> incidents.propose(id, edit(ctx, current)))
                    .compose(impact::preview))
        .onSuccess(
            effects -> {
              List<Map<String, Object>> rows = new ArrayList<>();
              for (OutageImpact.MonthEffect e : effects) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("month", e.month().toString());
                row.put("judged", e.judged());
                row.put("mup_before", e.mupBefore());
                row.put("mup_after", e.mupAfter());
                row.put("pct_before", e.creditPctBefore());
                row.put("pct_after", e.creditPctAfter());
                row.put("credits_before", e.creditsBeforeKrw());
                row.put("credits_after", e.creditsAfterKrw());
                row.put("changed", !e.mupBefore().equals(e.mupAfter()));
                rows.add(row);
              }
              outage(ctx, 200, Map.of("preview", rows, "form", Console.echo(ctx)));
            })
        .onFailure(
            e ->
                Console.failed(
                    ctx,
                    e,
                    (status, error) ->
                        outage(ctx, status, Map.of("error", error, "form", Console.echo(ctx)))));
  }

  private void change(RoutingContext ctx) {
    long id = Input.pathId(ctx, "outage");
    Console.attempt(
            () ->
                incidents
                    .outage(id)
                    .compose(
                        current ->
                            incidents.change(
                                id, edit(ctx, current), Console.principal(ctx).actor())))
        .onSuccess(o -> Console.seeOther(ctx, "/admin/outages/" + id + "?done=outage_changed"))
        .onFailure(
            e ->
                Console.failed(
                    ctx,
                    e,
                    (status, error) ->
                        outage(ctx, status, Map.of("error", error, "form", Console.echo(ctx)))));
  }
}
