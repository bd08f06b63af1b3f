package io.statusdesk.statuspage;

import io.statusdesk.Messages;
import io.statusdesk.maintenance.Occurrence;
import io.statusdesk.maintenance.SeriesText;
import io.statusdesk.outage.Incident;
import io.statusdesk.probe.Component;
import io.statusdesk.sla.PolicyVersion;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a snapshot into the plain maps and lists the templates read, in one language. Only names,
 * titles and messages reach a page: never probe targets, hosts or errors.
 */
final class PageModel {
  /** Days a narrow screen shows of the 90. */
  static final int SHORT_BARS = 30;

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm zzz", Locale.ENGLISH);

  private final StatusSnapshot snapshot;
  private final String lang;
  private final Map<String, String> t;
  private final Map<String, Component> components = new HashMap<>();

  PageModel(StatusSnapshot snapshot, String lang) {
    this.snapshot = snapshot;
    this.lang = lang;
    this.t = Messages.of(lang);
    snapshot.components().forEach(c -> components.put(c.component().id(), c.component()));
  }

  private Map<String, Object> base(String path) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lang", lang);
    m.put("other_lang", "ko".equals(lang) ? "en" : "ko");
    m.put("path", path);
    m.put("t", t);
    m.put("zone", snapshot.zone().getId());
    m.put("updated", when(snapshot.generatedAt()));
    m.put(
        "indicator",
        Map.of(
            "value",
            snapshot.indicator().apiValue(),
            "description",
            snapshot.indicator().description(lang)));
    return m;
  }

  Map<String, Object> index() {
    Map<String, Object> m = base("/");
    Map<String, List<Object>> groups = new LinkedHashMap<>();
    for (ComponentView view : snapshot.components()) {
      groups
          .computeIfAbsent(view.component().group().in(lang), g -> new ArrayList<>())
          .add(component(view));
    }
    List<Object> groupList = new ArrayList<>();
    groups.forEach((name, list) -> groupList.add(Map.of("name", name, "components", list)));
    m.put("groups", groupList);
    m.put("incidents", snapshot.unresolved().stream().map(this::incident).toList());
    m.put("active_maintenance", snapshot.active().stream().map(this::occurrence).toList());
    m.put("upcoming_maintenance", series(snapshot.upcoming()));
    return m;
  }

  Map<String, Object> embed() {
    Map<String, Object> m = base("/embed");
    m.put(
        "components",
        snapshot.components().stream()
            .map(
                v ->
                    Map.of(
                        "name",
                        name(v.component()),
                        "status",
                        v.status().apiValue(),
                        "status_label",
                        t.get("state_" + v.status().apiValue())))
            .toList());
    m.put("incidents", snapshot.unresolved().stream().map(this::incident).toList());
    return m;
  }

  Map<String, Object> history(
      YearMonth month, YearMonth current, List<Incident> incidents, List<Occurrence> maintenance) {
    Map<String, Object> m = base("/history");
    m.put("month", month.toString());
    m.put("previous", month.minusMonths(1).toString());
    m.put("next", month.isBefore(current) ? month.plusMonths(1).toString() : "");
    m.put("incidents", incidents.stream().map(this::incident).toList());
    m.put("maintenance", maintenance.stream().map(this::occurrence).toList());
    return m;
  }

  Map<String, Object> sla() {
    Map<String, Object> m = base("/sla");
    m.put("policy", policy(snapshot.policy()));
    List<Object> versions = new ArrayList<>();
    snapshot.policies().forEach(v -> versions.add(0, policy(v)));
    m.put("versions", versions);
    m.put(
        "months",
        snapshot.months().stream()
            .map(
                s ->
                    Map.of(
                        "month",
                        s.month().toString(),
                        "mup",
                        s.mup(),
                        "credit",
                        s.creditPct(),
                        "version",
                        snapshot.policies().stream()
                            .filter(v -> v.id() == s.policyId())
                            .findFirst()
                            .map(v -> when(v.effectiveFrom()))
                            .orElse("#" + s.policyId())))
            .toList());
    return m;
  }

  private Map<String, Object> component(ComponentView view) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("id", view.component().id());
    c.put("name", name(view.component()));
    c.put("status", view.status().apiValue());
    c.put("status_label", t.get("state_" + view.status().apiValue()));
    c.put("uptime30", view.uptime30().orElse(""));
    c.put("uptime90", view.uptime90().orElse(""));
    c.put("since30", measuredSince(view, 30));
    c.put("since90", measuredSince(view, 90));
    c.put("bars", bars(view.days()));
    return c;
  }

  /** "since ..." when monitoring began within the last {@code days}: the uptime's real base. */
  private String measuredSince(ComponentView view, int days) {
    Instant since = view.monitoredSince();
    return since.isAfter(snapshot.generatedAt().minus(Duration.ofDays(days)))
        ? t.get("measured_since").replace("{0}", when(since))
        : "";
  }

  /**
   * The day bars, oldest first. Runs of days with nothing to tell (operational, or not yet
   * monitored) are drawn as one element as wide as its days, so a page of 200 components stays
   * small; a day with something to tell is its own bar with its details. Runs break where the last
   * {@link #SHORT_BARS} days begin, so a narrow screen can show only those.
   */
  private List<Object> bars(List<Day> days) {
    List<Object> out = new ArrayList<>();
    int recent = days.size() - SHORT_BARS;
    for (int i = 0; i < days.size(); ) {
      Day first = days.get(i);
      int j = i + 1;
      while (first.quiet()
          && j < days.size()
          && j != recent
          && days.get(j).quiet()
          && days.get(j).state().equals(first.state())) {
        j++;
      }
      out.add(bar(days.subList(i, j), i < recent));
      i = j;
    }
    return out;
  }

  private Map<String, Object> bar(List<Day> run, boolean older) {
    Day first = run.get(0);
    Day last = run.get(run.size() - 1);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dates", run.size() == 1 ? first.date().toString() : first.date() + " – " + last.date());
    m.put("date", last.date().toString());
    m.put("days", run.size());
    m.put("state", first.state());
    m.put("state_label", t.get("state_" + first.state()));
    m.put("older", older);
    List<String> lines = new ArrayList<>();
    Day d = first;
    add(lines, d.majorSeconds(), "major_downtime");
    add(lines, d.partialSeconds(), "partial_downtime");
    if (d.degradedMinutes() > 0) {
      lines.add(t.get("slow") + " " + duration(Duration.ofMinutes(d.degradedMinutes())));
    }
    add(lines, d.maintenanceSeconds(), "maintenance");
    add(lines, d.noDataSeconds(), "no_data_minutes");
    m.put("figures", lines);
    m.put("incidents", d.incidents().stream().map(i -> i.title().in(lang)).distinct().toList());
    return m;
  }

  private void add(List<String> lines, long seconds, String key) {
    if (seconds > 0) {
      lines.add(t.get(key) + " " + duration(Duration.ofSeconds(seconds)));
    }
  }

  /** An incident's own page: everything about it, its whole timeline and the postmortem. */
  Map<String, Object> incidentPage(Incident i) {
    Map<String, Object> m = base("/incidents/" + i.id());
    Map<String, Object> incident = incident(i);
    incident.put(
        "impacts",
        i.impacts().entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(
                e ->
                    Map.of(
                        "component",
                        componentName(e.getKey()),
                        "status",
                        e.getValue().apiValue(),
                        "label",
                        t.get("state_" + e.getValue().apiValue())))
            .toList());
    incident.put(
        "duration",
        duration(Duration.between(i.startedAt(), i.resolvedAt().orElse(snapshot.generatedAt()))));
    incident.put("postmortem", i.postmortem().map(p -> p.in(lang)).orElse(""));
    m.put("incident", incident);
    return m;
  }

  /** A duration for people: whole minutes, hours and days ("2 h 5 min"; under a minute "< 1"). */
  String duration(Duration d) {
    long minutes = d.toMinutes();
    if (minutes < 1) {
      return t.get("under_a_minute");
    }
    long days = minutes / 1440;
    long hours = minutes % 1440 / 60;
    long rest = minutes % 60;
    StringBuilder out = new StringBuilder();
    if (days > 0) {
      out.append(days).append(' ').append(t.get("days_unit")).append(' ');
    }
    if (hours > 0) {
      out.append(hours).append(' ').append(t.get("hours_unit")).append(' ');
    }
    if (rest > 0) {
      out.append(rest).append(' ').append(t.get("minutes"));
    }
    return out.toString().strip();
  }

  Map<String, Object> incident(Incident i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", i.id());
    m.put("title", i.title().in(lang));
    m.put("status", i.status().apiValue());
    m.put("status_label", t.get("incident_" + i.status().apiValue()));
    m.put("class", i.outageClass().name().toLowerCase(Locale.ROOT));
    m.put("started", when(i.startedAt()));
    m.put("month", YearMonth.from(i.startedAt().atZone(snapshot.zone())).toString());
    m.put("resolved", i.resolvedAt().map(this::when).orElse(""));
    m.put("components", i.components().stream().map(this::componentName).toList());
    m.put(
        "updates",
        i.newestFirst().stream()
            .map(
                u ->
                    Map.of(
                        "status_label",
                        t.get("incident_" + u.status().apiValue()),
                        "message",
                        u.message().in(lang),
                        "at",
                        when(u.at())))
            .toList());
    return m;
  }

  /**
   * Upcoming maintenance, a series as one card ("every Tuesday 02:00–04:00 KST") showing its next
   * occurrence, a one-off window as itself.
   */
  private List<Object> series(List<Occurrence> upcoming) {
    Map<Long, Occurrence> first = new LinkedHashMap<>();
    upcoming.forEach(o -> first.putIfAbsent(o.window().id(), o));
    return first.values().stream()
        .map(
            o -> {
              Map<String, Object> card = occurrence(o);
              card.put(
                  "repeats",
                  o.window()
                      .rrule()
                      .map(
                          rule ->
                              SeriesText.describe(
                                  rule,
                                  o.window().startsAt().atZone(snapshot.zone()),
                                  o.window().length(),
                                  lang))
                      .orElse(""));
              return (Object) card;
            })
        .toList();
  }

  Map<String, Object> occurrence(Occurrence o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("title", o.window().title().in(lang));
    m.put("description", o.window().description().in(lang));
    m.put("starts", when(o.start()));
    m.put("ends", when(o.end()));
    m.put("short_notice", o.shortNotice());
    m.put("repeats", "");
    m.put("status_label", t.get("maintenance_" + o.status(snapshot.generatedAt()).apiValue()));
    m.put(
        "components",
        o.window().serviceWide()
            ? List.of(t.get("all_components"))
            : o.window().components().stream().sorted().map(this::componentName).toList());
    return m;
  }

  private Map<String, Object> policy(PolicyVersion v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("text", v.text().in(lang));
    m.put("effective_from", when(v.effectiveFrom()));
    m.put("published", when(v.publishedAt()));
    m.put("timezone", v.policy().timezone().getId());
    m.put(
        "weight",
        BigDecimal.valueOf(v.policy().partialWeightNumerator())
            .divide(BigDecimal.valueOf(v.policy().partialWeightDenominator()))
            .toPlainString());
    m.put(
        "tiers",
        v.policy().tiers().stream()
            .map(tier -> Map.of("min", tier.minMup().toPlainString(), "credit", tier.creditPct()))
            .toList());
    return m;
  }

  private String componentName(String id) {
    Component c = components.get(id);
    return c == null ? id : name(c);
  }

  private String name(Component c) {
    return c.name(lang);
  }

  String when(Instant instant) {
    ZoneId zone = snapshot.zone();
    return WHEN.format(instant.atZone(zone));
  }
}
