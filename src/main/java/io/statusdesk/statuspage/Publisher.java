package io.statusdesk.statuspage;

import io.statusdesk.Digest;
import io.statusdesk.Messages;
import io.statusdesk.maintenance.Occurrence;
import io.statusdesk.outage.Incident;
import io.statusdesk.sla.ContractMonth;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.templ.freemarker.FreeMarkerTemplateEngine;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Renders every page, API document, feed and badge of a snapshot, in both languages. */
final class Publisher {
  static final List<String> LANGS = List.of("en", "ko");
  static final String HTML = "text/html; charset=utf-8";
  static final String JSON = "application/json; charset=utf-8";
  private static final String STATE_PLACEHOLDER = "statusdesk-state-placeholder";
  private static final Pattern UPDATED = Pattern.compile("<p id=\"updated\">.*?</p>");

  private final FreeMarkerTemplateEngine engine;
  private final String url;
  private final boolean subscribe;

  /** {@code subscribe}: whether the index and the widget offer the email subscription form. */
  Publisher(FreeMarkerTemplateEngine engine, String url, boolean subscribe) {
    this.engine = engine;
    this.url = url;
    this.subscribe = subscribe;
  }

  Future<Published> publish(StatusSnapshot snapshot, Published previous) {
    Instant now = snapshot.generatedAt();
    Map<String, Rendered> pages = new HashMap<>();
    List<Future<?>> rendering = new ArrayList<>();
    for (String lang : LANGS) {
      PageModel model = new PageModel(snapshot, lang);
      Map<String, Object> index = model.index();
      index.put("subscribe", subscribe);
      Map<String, Object> embed = model.embed();
      embed.put("subscribe", subscribe);
      rendering.add(live(pages, lang, index, now, previous));
      rendering.add(
          html(pages, "html:embed:" + lang, "templates/embed.ftlh", embed, now, previous));
      rendering.add(
          html(pages, "html:sla:" + lang, "templates/sla.ftlh", model.sla(), now, previous));
      StatuspageJson v2 = new StatuspageJson(snapshot, lang, url);
      json(pages, "v2:status:" + lang, v2.status(), now, previous);
      json(pages, "v2:summary:" + lang, v2.summary(), now, previous);
      json(pages, "v2:components:" + lang, v2.components(), now, previous);
      json(pages, "v2:incidents:" + lang, v2.incidents(false), now, previous);
      json(pages, "v2:incidents/unresolved:" + lang, v2.incidents(true), now, previous);
      json(
          pages,
          "v2:scheduled-maintenances:" + lang,
          v2.maintenances(snapshot.maintenance()),
          now,
          previous);
      json(
          pages,
          "v2:scheduled-maintenances/upcoming:" + lang,
          v2.maintenances(snapshot.upcoming()),
          now,
          previous);
      json(
          pages,
          "v2:scheduled-maintenances/active:" + lang,
          v2.maintenances(snapshot.active()),
          now,
          previous);
      List<Feeds.Item> items = Feeds.items(snapshot, snapshot.maintenance(), lang, url);
      String title = Messages.of(lang).get("site");
      put(
          pages,
          "feed:rss:" + lang,
          Feeds.rss(items, title, url, lang, now),
          "application/rss+xml; charset=utf-8",
          now,
          previous);
      put(
          pages,
          "feed:atom:" + lang,
          Feeds.atom(items, title, url, lang, now),
          "application/atom+xml; charset=utf-8",
          now,
          previous);
      put(
          pages,
          "feed:ics:" + lang,
          Feeds.ics(snapshot.maintenance(), lang),
          "text/calendar; charset=utf-8",
          now,
          previous);
    }
    String svg = "image/svg+xml; charset=utf-8";
    put(
        pages,
        "badge:status",
        Badges.badge(
            "status", snapshot.indicator().description("en"), snapshot.indicator().apiValue()),
        svg,
        now,
        previous);
    for (ComponentView v : snapshot.components()) {
      String id = v.component().id();
      String name = v.component().nameEn();
      put(
          pages,
          "badge:" + id + ":status",
          Badges.badge(
              name,
              Messages.EN.get("state_" + v.status().apiValue()).toLowerCase(Locale.ROOT),
              v.status().apiValue()),
          svg,
          now,
          previous);
      String u30 = v.uptime30().orElse("");
      String u90 = v.uptime90().orElse("");
      put(
          pages,
          "badge:" + id + ":uptime-30d",
          Badges.badge(
              name + " 30d", u30.isEmpty() ? "no data" : u30 + "%", Badges.uptimeState(u30)),
          svg,
          now,
          previous);
      put(
          pages,
          "badge:" + id + ":uptime-90d",
          Badges.badge(
              name + " 90d", u90.isEmpty() ? "no data" : u90 + "%", Badges.uptimeState(u90)),
          svg,
          now,
          previous);
    }
    return Future.all(rendering).map(v -> new Published(snapshot, pages));
  }

  /** One history month, rendered when first asked for. */
  Future<Rendered> history(
      StatusSnapshot snapshot, YearMonth month, String lang, List<Incident> incidents) {
    YearMonth current = YearMonth.from(snapshot.generatedAt().atZone(snapshot.zone()));
    ContractMonth bounds = new ContractMonth(month, snapshot.zone());
    Instant from = bounds.start();
    Instant to = bounds.end();
    List<Occurrence> maintenance =
        snapshot.maintenance().stream()
            .filter(o -> o.start().isBefore(to) && o.end().isAfter(from))
            .toList();
    Map<String, Object> model =
        new PageModel(snapshot, lang).history(month, current, incidents, maintenance);
    return engine
        .render(model, "templates/history.ftlh")
        .map(b -> Rendered.of(b.toString(), HTML, snapshot.generatedAt(), null));
  }

  /** An incident's own page, rendered when first asked for. */
  Future<Rendered> incident(StatusSnapshot snapshot, Incident incident, String lang) {
    return engine
        .render(new PageModel(snapshot, lang).incidentPage(incident), "templates/incident.ftlh")
        .map(b -> Rendered.of(b.toString(), HTML, snapshot.generatedAt(), null));
  }

  /**
   * The index page, which refreshes itself: it carries a digest of what it shows (everything but
   * the "updated" line), and {@code /state.json} answers the current one.
   */
  private Future<Void> live(
      Map<String, Rendered> pages,
      String lang,
      Map<String, Object> model,
      Instant now,
      Published previous) {
    model.put("state", STATE_PLACEHOLDER);
    return engine
        .render(model, "templates/index.ftlh")
        .map(
            body -> {
              String page = body.toString();
              String state =
                  HexFormat.of()
                      .formatHex(
                          Arrays.copyOf(Digest.sha256(UPDATED.matcher(page).replaceAll("")), 12));
              synchronized (pages) {
                pages.put(
                    "html:index:" + lang,
                    Rendered.of(
                        page.replace(STATE_PLACEHOLDER, state),
                        HTML,
                        now,
                        prior(previous, "html:index:" + lang)));
                pages.put(
                    "state:" + lang,
                    Rendered.of(
                        new JsonObject().put("state", state).encode(),
                        JSON,
                        now,
                        prior(previous, "state:" + lang)));
              }
              return null;
            });
  }

  private Future<Void> html(
      Map<String, Rendered> pages,
      String key,
      String template,
      Map<String, Object> model,
      Instant now,
      Published previous) {
    return engine
        .render(model, template)
        .map(
            body -> {
              synchronized (pages) {
                pages.put(key, Rendered.of(body.toString(), HTML, now, prior(previous, key)));
              }
              return null;
            });
  }

  private static void json(
      Map<String, Rendered> pages, String key, JsonObject body, Instant now, Published previous) {
    put(pages, key, body.encode(), JSON, now, previous);
  }

  private static void put(
      Map<String, Rendered> pages,
      String key,
      String body,
      String type,
      Instant now,
      Published previous) {
    synchronized (pages) {
      pages.put(key, Rendered.of(body, type, now, prior(previous, key)));
    }
  }

  private static Rendered prior(Published previous, String key) {
    return previous == null ? null : previous.previous(key);
  }
}
