package io.statusdesk.maintenance;

import io.statusdesk.Input;
import io.statusdesk.Lang;
import io.statusdesk.admin.Console;
import io.statusdesk.admin.Section;
import io.statusdesk.probe.Component;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The console's maintenance pages: a month calendar, one-off and recurring windows (the rule built
 * from a form, the next ten occurrences previewed in the contract zone, a warning before saving a
 * window with under 7 days' notice or starting within the hour), edit, end early and cancel. The
 * forms go through the API's own parsing ({@link MaintenanceRoutes}) and {@link Maintenance}.
 */
public final class MaintenanceConsole {
  private static final int PREVIEW = 10;
  private static final int PAGE = 50;
  private static final Set<String> TIMES = Set.of("starts_at", "ends_at");
  private static final Set<String> FORM_ONLY =
      Set.of("repeat", "interval", "days", "count", "until", "confirmed", "components", "rrule");

  private final Maintenance maintenance;
  private final List<Component> components;
  private final Console console;

  public MaintenanceConsole(Maintenance maintenance, List<Component> components, Console console) {
    this.maintenance = maintenance;
    this.components = List.copyOf(components);
    this.console = console;
  }

  public Router router(Vertx vertx) {
    Router r = Router.router(vertx);
    console.get(r, "/admin/maintenance", Section.MAINTENANCE).handler(this::calendar);
    console
        .getForm(r, "/admin/maintenance/new", Section.MAINTENANCE)
        .handler(ctx -> form(ctx, 200, Map.of()));
    console.post(r, "/admin/maintenance/preview", Section.MAINTENANCE).handler(this::preview);
    console.post(r, "/admin/maintenance", Section.MAINTENANCE).handler(this::create);
    console
        .get(r, "/admin/maintenance/:window", Section.MAINTENANCE)
        .handler(ctx -> show(ctx, 200, Map.of()));
    console.post(r, "/admin/maintenance/:window", Section.MAINTENANCE).handler(this::change);
    console.post(r, "/admin/maintenance/:window/end", Section.MAINTENANCE).handler(this::end);
    console.post(r, "/admin/maintenance/:window/cancel", Section.MAINTENANCE).handler(this::cancel);
    return r;
  }

  /** A month of weeks (Monday first) with every occurrence on its day, and the windows. */
  private void calendar(RoutingContext ctx) {
    String asked = ctx.request().getParam("month");
    Instant now = console.now();
    YearMonth month =
        asked == null ? YearMonth.from(now.atZone(console.zone())) : Input.month("month", asked);
    long before = Input.queryLong(ctx, "before", Long.MAX_VALUE, 1, Long.MAX_VALUE);
    String lang = Lang.of(ctx);
    LocalDate first = month.atDay(1).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    LocalDate last = month.atEndOfMonth().with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY));
    Map<LocalDate, List<Map<String, Object>>> byDay = new HashMap<>();
    for (Occurrence o :
        maintenance
            .calendar()
            .occurrences(
                first.atStartOfDay(console.zone()).toInstant(),
                last.plusDays(1).atStartOfDay(console.zone()).toInstant())) {
      LocalDate day = o.start().atZone(console.zone()).toLocalDate();
      byDay
          .computeIfAbsent(day, d -> new ArrayList<>())
          .add(
              Map.of(
                  "id", o.window().id(),
                  "title", o.window().title().in(lang),
                  "time",
                      console.when(o.start()).substring(11)
                          + "–"
                          + console.when(o.end()).substring(11),
                  "cancelled", o.window().cancelled()));
    }
    LocalDate today = now.atZone(console.zone()).toLocalDate();
    List<List<Map<String, Object>>> weeks = new ArrayList<>();
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      if (d.getDayOfWeek() == DayOfWeek.MONDAY) {
        weeks.add(new ArrayList<>());
      }
      weeks
          .get(weeks.size() - 1)
          .add(
              Map.of(
                  "day", d.getDayOfMonth(),
                  "date", d.toString(),
                  "in_month", YearMonth.from(d).equals(month),
                  "today", d.equals(today),
                  "items", byDay.getOrDefault(d, List.of())));
    }
    List<Window> windows =
        maintenance.windows().stream()
            .filter(w -> w.id() < before)
            .sorted((a, b) -> Long.compare(b.id(), a.id()))
            .limit(PAGE + 1L)
            .toList();
    Map<String, Object> model = new HashMap<>();
    model.put("section", "maintenance");
    model.put("month", month.toString());
    model.put("previous", month.minusMonths(1).toString());
    model.put("next", month.plusMonths(1).toString());
    model.put("weeks", weeks);
    model.put(
        "windows",
        windows.subList(0, Math.min(PAGE, windows.size())).stream()
            .map(w -> row(w, lang, now))
            .toList());
    model.put(
        "next_href",
        windows.size() > PAGE
            ? "/admin/maintenance?month=" + month + "&before=" + windows.get(PAGE - 1).id()
            : "");
    console.render(ctx, "maintenance", model);
  }

  private Map<String, Object> row(Window w, String lang, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", w.id());
    m.put("title", w.title().in(lang));
    m.put("starts", console.when(w.startsAt()));
    m.put("ends", console.when(w.endsAt()));
    m.put(
        "series",
        w.rrule()
            .map(r -> SeriesText.describe(r, w.startsAt().atZone(console.zone()), w.length(), lang))
            .orElse(""));
    m.put("components", String.join(", ", w.components().stream().sorted().toList()));
    m.put("cancelled", w.cancelled());
    m.put("begun", !now.isBefore(w.startsAt()));
    return m;
  }

  private void form(RoutingContext ctx, int status, Map<String, Object> extra) {
    Map<String, Object> model = new HashMap<>(extra);
    model.put("section", "maintenance");
    String lang = Lang.of(ctx);
    List<Map<String, Object>> choices = new ArrayList<>();
    for (Component c : components) {
      choices.add(Map.of("id", c.id(), "name", c.name(lang)));
    }
    model.put("components", choices);
    model.put("weekdays", List.of("MO", "TU", "WE", "TH", "FR", "SA", "SU"));
    Instant start = console.now().plus(Window.NOTICE).plus(Duration.ofDays(1));
    model.putIfAbsent(
        "form",
        Map.of(
            "starts_at",
            console.local(start),
            "ends_at",
            console.local(start.plus(Duration.ofHours(2))),
            "repeat",
            "none",
            "interval",
            "1"));
    console.render(ctx, status, "maintenance-new", model);
  }

  /** The form as the API's announcement, its recurrence built from the repeat fields. */
  private Maintenance.Announcement announcement(RoutingContext ctx) {
    JsonObject body = console.json(ctx, TIMES);
    List<String> chosen = Console.fields(ctx, "components");
    JsonArray list = new JsonArray();
    if (chosen.contains("*") || chosen.isEmpty()) {
      list.add("*");
    } else {
      chosen.forEach(list::add);
    }
    String typed = Console.field(ctx, "rrule");
    Optional<String> rule =
        typed != null
            ? Optional.of(typed)
            : new RruleForm(
                    Console.field(ctx, "repeat"),
                    number(ctx, "interval").orElse(1),
                    Console.fields(ctx, "days"),
                    number(ctx, "count"),
                    date(ctx, "until"))
                .rule(console.zone());
    FORM_ONLY.forEach(body::remove);
    body.put("components", list);
    rule.ifPresent(r -> body.put("rrule", r));
    return MaintenanceRoutes.announcement(body, maintenance);
  }

  private static Optional<Integer> number(RoutingContext ctx, String field) {
    String value = Console.field(ctx, field);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Integer.parseInt(value));
    } catch (NumberFormatException e) {
      throw Input.invalid(field + ": a whole number");
    }
  }

  private static Optional<LocalDate> date(RoutingContext ctx, String field) {
    String value = Console.field(ctx, field);
    try {
      return Optional.ofNullable(value).map(LocalDate::parse);
    } catch (DateTimeException e) {
      throw Input.invalid(field + ": a date as yyyy-MM-dd");
    }
  }

  private void preview(RoutingContext ctx) {
    Console.attempt(() -> Future.succeededFuture(announcement(ctx)))
        .onSuccess(a -> previewed(ctx, 200, a, Map.of()))
        .onFailure(e -> failedForm(ctx, e));
  }

  private void previewed(
      RoutingContext ctx, int status, Maintenance.Announcement a, Map<String, Object> extra) {
    Console.attempt(() -> Future.succeededFuture(maintenance.preview(a, PREVIEW, Lang.of(ctx))))
        .onSuccess(
            p -> {
              Map<String, Object> model = new HashMap<>(extra);
              model.put("form", Console.echo(ctx));
              model.put(
                  "preview",
                  Map.of(
                      "occurrences",
                      p.next().stream()
                          .map(
                              o ->
                                  Map.of(
                                      "starts", console.when(o.start()),
                                      "ends", console.when(o.end()),
                                      "short_notice", o.shortNotice()))
                          .toList(),
                      "warnings",
                      p.warnings(),
                      "series",
                      p.series().orElse(""),
                      "rrule",
                      a.rrule().orElse("")));
              form(ctx, status, model);
            })
        .onFailure(e -> failedForm(ctx, e));
  }

  private void failedForm(RoutingContext ctx, Throwable e) {
    Console.failed(
        ctx,
        e,
        (status, error) -> form(ctx, status, Map.of("error", error, "form", Console.echo(ctx))));
  }

  /**
   * Saves the window; one with warnings (short notice, starting within the hour) is saved only once
   * the operator confirmed them on the preview.
   */
  private void create(RoutingContext ctx) {
    Console.attempt(
            () -> {
              Maintenance.Announcement a = announcement(ctx);
              boolean confirmed = "1".equals(Console.field(ctx, "confirmed"));
              if (!confirmed && !Scheduling.warnings(a.startsAt(), console.now()).isEmpty()) {
                previewed(ctx, 409, a, Map.of("confirm", true));
                return Future.succeededFuture((Window) null);
              }
              return maintenance.announce(a, Console.principal(ctx).actor());
            })
        .onSuccess(
            w -> {
              if (w != null) {
                Console.seeOther(ctx, "/admin/maintenance/" + w.id() + "?done=maintenance_created");
              }
            })
        .onFailure(e -> failedForm(ctx, e));
  }

  private void show(RoutingContext ctx, int status, Map<String, Object> extra) {
    String lang = Lang.of(ctx);
    maintenance
        .get(Input.pathId(ctx, "window"))
        .onSuccess(
            w -> {
              Instant now = console.now();
              Map<String, Object> model = new HashMap<>(extra);
              model.put("section", "maintenance");
              model.put("window", row(w, lang, now));
              model.put(
                  "occurrences",
                  w.occurrences(console.zone(), now, now.plus(Scheduling.MAX_AHEAD)).stream()
                      .limit(PREVIEW)
                      .map(
                          o ->
                              Map.of(
                                  "starts", console.when(o.start()),
                                  "ends", console.when(o.end()),
                                  "status", o.status(now).apiValue(),
                                  "short_notice", o.shortNotice()))
                      .toList());
              model.putIfAbsent(
                  "form",
                  Map.of(
                      "title", w.title().en(),
                      "title_ko", w.title().ko() == null ? "" : w.title().ko(),
                      "description", w.description().en(),
                      "description_ko", w.description().ko() == null ? "" : w.description().ko(),
                      "starts_at", console.local(w.startsAt()),
                      "ends_at", console.local(w.endsAt())));
              console.render(ctx, status, "maintenance-window", model);
            })
        .onFailure(ctx::fail);
  }

  private void change(RoutingContext ctx) {
    long id = Input.pathId(ctx, "window");
    Console.attempt(
            () ->
                maintenance.change(
                    id,
                    MaintenanceRoutes.windowChange(console.json(ctx, TIMES)),
                    Console.principal(ctx).actor()))
        .onSuccess(
            w -> Console.seeOther(ctx, "/admin/maintenance/" + id + "?done=maintenance_changed"))
        .onFailure(
            e ->
                Console.failed(
                    ctx,
                    e,
                    (status, error) ->
                        show(ctx, status, Map.of("error", error, "form", Console.echo(ctx)))));
  }

  private void end(RoutingContext ctx) {
    long id = Input.pathId(ctx, "window");
    maintenance
        .endNow(id, Console.principal(ctx).actor())
        .onSuccess(
            w -> Console.seeOther(ctx, "/admin/maintenance/" + id + "?done=maintenance_ended"))
        .onFailure(
            e ->
                Console.failed(
                    ctx, e, (status, error) -> show(ctx, status, Map.of("error", error))));
  }

  private void cancel(RoutingContext ctx) {
    long id = Input.pathId(ctx, "window");
    maintenance
        .cancel(id, Console.principal(ctx).actor())
        .onSuccess(
            w -> Console.seeOther(ctx, "/admin/maintenance/" + id + "?done=maintenance_cancelled"))
        .onFailure(ctx::fail);
  }
}
