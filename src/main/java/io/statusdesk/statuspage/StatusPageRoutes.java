package io.statusdesk.statuspage;

import io.statusdesk.DomainException;
import io.statusdesk.Input;
import io.statusdesk.Lang;
import io.statusdesk.Resources;
import io.statusdesk.sla.Availability;
import io.statusdesk.sla.MonthEvaluation;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The public surface: pages, Statuspage v2 JSON, feeds and badges. Every answer comes from the
 * published snapshot with {@code ETag}/{@code Last-Modified} and a short {@code Cache-Control};
 * HTML carries a Content-Security-Policy, and only {@code /embed} may be framed (by the configured
 * ancestors).
 */
public final class StatusPageRoutes {
  private static final String CSP =
      "default-src 'none'; style-src 'self'; img-src 'self' data:; "
          + "script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; "
          + "frame-ancestors ";
  private static final String CACHE = "public, max-age=15";

  private final StatusPage page;
  private final String frameAncestors;
  private final Rendered stylesheet;
  private final Rendered script;

  /** Static files are dated {@code clock}'s now: they change only with a new start. */
  public StatusPageRoutes(StatusPage page, StatusPageConfig config, Clock clock) {
    this.page = page;
    this.frameAncestors = config.frameAncestors();
    Instant started = clock.instant();
    this.stylesheet =
        Rendered.of(
            new String(Resources.read("templates/static/statusdesk.css"), StandardCharsets.UTF_8),
            "text/css; charset=utf-8",
            started,
            null);
    this.script =
        Rendered.of(
            new String(Resources.read("templates/static/refresh.js"), StandardCharsets.UTF_8),
            "text/javascript; charset=utf-8",
            started,
            null);
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().handler(this::ready);
    router.get("/").handler(ctx -> html(ctx, "index", "'none'"));
    router.get("/embed").handler(ctx -> html(ctx, "embed", frameAncestors));
    router.get("/sla").handler(ctx -> html(ctx, "sla", "'none'"));
    router.get("/history").handler(this::history);
    router.get("/incidents/:incident").handler(this::incident);
    router.get("/static/statusdesk.css").handler(ctx -> send(ctx, stylesheet));
    router.get("/static/refresh.js").handler(ctx -> send(ctx, script));
    router.get("/state.json").handler(ctx -> document(ctx, "state:" + Lang.query(ctx)));
    router.get("/history.rss").handler(ctx -> document(ctx, "feed:rss:" + Lang.query(ctx)));
    router.get("/history.atom").handler(ctx -> document(ctx, "feed:atom:" + Lang.query(ctx)));
    router.get("/maintenance.ics").handler(ctx -> document(ctx, "feed:ics:" + Lang.query(ctx)));
    router.get("/api/v2/*").handler(this::cors);
    for (String doc :
        new String[] {
          "status",
          "summary",
          "components",
          "incidents",
          "incidents/unresolved",
          "scheduled-maintenances",
          "scheduled-maintenances/upcoming",
          "scheduled-maintenances/active"
        }) {
      router
          .get("/api/v2/" + doc + ".json")
          .handler(ctx -> document(ctx, "v2:" + doc + ":" + Lang.query(ctx)));
    }
    router.get("/badge/status.svg").handler(ctx -> document(ctx, "badge:status"));
    router
        .get("/badge/:component/status.svg")
        .handler(ctx -> document(ctx, "badge:" + ctx.pathParam("component") + ":status"));
    router.get("/badge/:component/:uptime").handler(this::uptimeBadge);
    router.get("/api/v1/uptime/:component").handler(this::uptime);
    return router;
  }

  private void html(RoutingContext ctx, String name, String ancestors) {
    String lang = Lang.of(ctx);
    sendHtml(ctx, current().page("html:" + name + ":" + lang).orElseThrow(), lang, ancestors);
  }

  /** A page in the visitor's language, varying by what picks the language. */
  private void sendHtml(RoutingContext ctx, Rendered page, String lang, String ancestors) {
    ctx.response()
        .putHeader("Content-Security-Policy", CSP + ancestors)
        .putHeader("Content-Language", lang)
        .putHeader(HttpHeaders.VARY, "Accept-Language, Cookie");
    send(ctx, page);
  }

  private void history(RoutingContext ctx) {
    String lang = Lang.of(ctx);
    StatusSnapshot snapshot = current().snapshot;
    YearMonth now = YearMonth.from(snapshot.generatedAt().atZone(snapshot.zone()));
    String asked = ctx.request().getParam("month");
    YearMonth month = asked == null ? now : Input.month("month", asked);
    if (month.isAfter(now) || month.isBefore(now.minusYears(20))) {
      throw DomainException.notFound("no history for " + month);
    }
    page.history(month, lang).onSuccess(r -> sendHtml(ctx, r, lang, "'none'")).onFailure(ctx::fail);
  }

  private void incident(RoutingContext ctx) {
    long id = Input.pathId(ctx, "incident");
    String lang = Lang.of(ctx);
    page.incident(id, lang).onSuccess(r -> sendHtml(ctx, r, lang, "'none'")).onFailure(ctx::fail);
  }

  private void uptimeBadge(RoutingContext ctx) {
    String file = ctx.pathParam("uptime");
    if (!file.equals("uptime-30d.svg") && !file.equals("uptime-90d.svg")) {
      ctx.next();
      return;
    }
    document(ctx, "badge:" + ctx.pathParam("component") + ":" + file.replace(".svg", ""));
  }

  /**
   * {@code ?from=yyyy-MM-dd&to=yyyy-MM-dd} (within the last 366 days; default the last 30), sliced
   * from the snapshot's daily figures: a request never queries or computes a year.
   */
  private void uptime(RoutingContext ctx) {
    Published current = current();
    StatusSnapshot snapshot = current.snapshot;
    String id = ctx.pathParam("component");
    if (snapshot.component(id).isEmpty()) {
      throw DomainException.notFound("no component " + id);
    }
    LocalDate today = snapshot.generatedAt().atZone(snapshot.zone()).toLocalDate();
    LocalDate to = date(ctx, "to", today);
    LocalDate from = date(ctx, "from", to.minusDays(29));
    LocalDate earliest = today.minusDays(StatusSnapshot.HISTORY_DAYS - 1L);
    if (from.isAfter(to) || from.isBefore(earliest) || to.isAfter(today)) {
      throw Input.invalid(
          "from: must be on or before to, both between " + earliest + " and " + today);
    }
    current
        .uptime(
            id + ":" + from + ":" + to,
            () ->
                page.daily(id)
                    .map(
                        days -> {
                          JsonArray out = new JsonArray();
                          for (Day d : days) {
                            if (d.date().isBefore(from) || d.date().isAfter(to)) {
                              continue;
                            }
                            Availability a = d.availability();
                            out.add(
                                new JsonObject()
                                    .put("date", d.date().toString())
                                    .put("monitored", d.monitored())
                                    .put("uptime_pct", a.uptimePercent(3).orElse(null))
                                    .put("major_minutes", minutes(a.majorSeconds()))
                                    .put("partial_minutes", minutes(a.partialSeconds()))
                                    .put("maintenance_minutes", minutes(a.maintenanceSeconds()))
                                    .put("no_data_minutes", minutes(a.noDataSeconds())));
                          }
                          return Rendered.of(
                              new JsonObject()
                                  .put("component", id)
                                  .put("timezone", snapshot.zone().getId())
                                  .put("days", out)
                                  .encode(),
                              Publisher.JSON,
                              snapshot.generatedAt(),
                              null);
                        }))
        .onSuccess(
            r -> {
              ctx.response().putHeader("Access-Control-Allow-Origin", "*");
              send(ctx, r);
            })
        .onFailure(ctx::fail);
  }

  private static String minutes(long seconds) {
    return MonthEvaluation.minutes(BigDecimal.valueOf(seconds));
  }

  private static LocalDate date(RoutingContext ctx, String name, LocalDate fallback) {
    String value = ctx.request().getParam(name);
    if (value == null) {
      return fallback;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw Input.invalid(name + ": a date as yyyy-MM-dd");
    }
  }

  private void document(RoutingContext ctx, String key) {
    Optional<Rendered> rendered = current().page(key);
    if (rendered.isEmpty()) {
      ctx.next();
      return;
    }
    send(ctx, rendered.get());
  }

  private void cors(RoutingContext ctx) {
    ctx.response().putHeader("Access-Control-Allow-Origin", "*");
    ctx.next();
  }

  /**
   * Until the first snapshot exists there is nothing true to show: 503, come back soon. Then each
   * request is served a snapshot whose facts are at most a minute old (see {@link
   * StatusPage#fresh}).
   */
  private void ready(RoutingContext ctx) {
    if (page.published() != null) {
      page.fresh().onComplete(ar -> ctx.next());
      return;
    }
    ctx.response()
        .setStatusCode(503)
        .putHeader("Retry-After", "5")
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .end("The status page is being prepared; try again in a few seconds.\n");
  }

  private Published current() {
    return page.published();
  }

  /**
   * Answers 304 when the client's copy is current (vertx-web judges freshness from the validators),
   * else the body, compressed once per snapshot for clients that take gzip.
   */
  private static void send(RoutingContext ctx, Rendered r) {
    ctx.etag(r.etag()).lastModified(r.lastModified());
    HttpServerResponse response = ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, CACHE);
    if (ctx.isFresh()) {
      response.setStatusCode(304).end();
      return;
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, r.contentType());
    if (r.gzipped() == null) {
      response.end(r.body());
      return;
    }
    response.headers().add(HttpHeaders.VARY, "Accept-Encoding");
    boolean gzip =
        ctx.parsedHeaders().acceptEncoding().stream()
            .anyMatch(e -> e.value().equalsIgnoreCase("gzip") && e.weight() > 0);
    if (gzip) {
      response.putHeader(HttpHeaders.CONTENT_ENCODING, "gzip").end(r.gzipped());
    } else {
      response.end(r.body());
    }
  }
}
