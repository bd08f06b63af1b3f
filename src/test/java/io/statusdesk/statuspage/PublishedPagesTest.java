package io.statusdesk.statuspage;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.Localized;
import io.statusdesk.maintenance.MaintenanceCalendar;
import io.statusdesk.maintenance.Occurrence;
import io.statusdesk.maintenance.Window;
import io.statusdesk.outage.ComponentStatus;
import io.statusdesk.outage.Incident;
import io.statusdesk.outage.IncidentStatus;
import io.statusdesk.outage.OutageRecord;
import io.statusdesk.outage.Source;
import io.statusdesk.probe.Component;
import io.statusdesk.probe.Impact;
import io.statusdesk.sla.OutageClass;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.templ.freemarker.FreeMarkerTemplateEngine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the published pages weigh and list, rendered from snapshots built in memory. */
class PublishedPagesTest {
  private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
  private static final Instant NOW = Instant.parse("2026-11-30T03:00:00Z");
  private static Vertx vertx;
  private static Publisher publisher;

  @BeforeAll
  static void engine() {
    vertx = Vertx.vertx();
    publisher =
        new Publisher(
            FreeMarkerTemplateEngine.create(vertx, "ftlh"), "https://status.example.com", false);
  }

  @AfterAll
  static void close() {
    vertx.close();
  }

  private static Window window(
      long id, Instant start, Duration length, String rrule, Instant created) {
    return new Window(
        id,
        new Localized("Window " + id, null),
        new Localized("", null),
        Set.of("c0"),
        start,
        start.plus(length),
        Optional.ofNullable(rrule),
        created,
        Optional.empty());
  }

  private static StatusFacts facts(
      List<Component> components,
      List<OutageRecord> outages,
      List<Incident> incidents,
      List<Window> windows) {
    Map<String, ComponentStatus> statuses = new HashMap<>();
    Map<String, Instant> since = new HashMap<>();
    components.forEach(
        c -> {
          statuses.put(c.id(), ComponentStatus.OPERATIONAL);
          since.put(c.id(), NOW.minus(Duration.ofDays(400)));
        });
    return new StatusFacts(
        components,
        statuses,
        outages,
        incidents,
        new MaintenanceCalendar(SEOUL, windows),
        List.of(),
        Map.of(),
        since,
        List.of(),
        List.of());
  }

  /**
   * 200 components with an eventful quarter each (a day of partial outage, a day with an incident),
   * one in twenty with a terrible one (a day of outage in every nine): the page stays lean. Quiet
   * days cost nothing per day; each eventful day about 160 bytes.
   */
  @Test
  void twoHundredComponentsMakeAPageUnder300Kilobytes() throws Exception {
    List<Component> components = new ArrayList<>();
    List<OutageRecord> outages = new ArrayList<>();
    List<Incident> incidents = new ArrayList<>();
    for (int c = 0; c < 200; c++) {
      String id = "component-" + c;
      components.add(
          new Component(
              id,
              "Component number " + c,
              "구성 요소 " + c,
              new Localized("Group " + (c / 20), null),
              Impact.PARTIAL,
              List.of()));
      for (int day = 1; day < 90; day += c % 20 == 0 ? 9 : 90) {
        Instant start = NOW.minus(Duration.ofDays(day)).minusSeconds(600);
        outages.add(
            new OutageRecord(
                outages.size() + 1,
                id,
                OutageClass.PARTIAL,
                start,
                Optional.of(start.plusSeconds(300)),
                List.of("kr-1"),
                Source.PROBE,
                Optional.empty(),
                Optional.empty()));
      }
      Instant began = NOW.minus(Duration.ofDays(5));
      incidents.add(
          new Incident(
              c + 1,
              new Localized("Slow replies on " + id, null),
              List.of(id),
              OutageClass.PARTIAL,
              IncidentStatus.RESOLVED,
              Source.PROBE,
              began,
              Optional.of(began.plusSeconds(300)),
              began,
              List.of(),
              Map.of(id, ComponentStatus.PARTIAL_OUTAGE),
              Optional.empty(),
              Optional.empty()));
    }
    StatusSnapshot snapshot =
        StatusSnapshot.build(facts(components, outages, incidents, List.of()), NOW);
    Published published = get(publisher.publish(snapshot, null));
    for (String lang : List.of("en", "ko")) {
      int bytes = published.page("html:index:" + lang).orElseThrow().body().length();
      assertThat(bytes).as(lang + " index bytes").isLessThan(300 * 1024);
    }
    String html =
        published.page("html:index:en").orElseThrow().body().toString(StandardCharsets.UTF_8);
    // each eventful day keeps its own bar and details; the quiet days between are runs
    assertThat(html).contains("Slow replies on component-7", "Partial outage");
    assertThat(html).contains("class=\"operational run w60 older\"");
  }

  @Test
  void daysBeforeMonitoringAreNotMonitoredAndUptimeStatesItsBase() throws Exception {
    Component fresh =
        new Component("c0", "Fresh", null, new Localized("Core", null), Impact.MAJOR, List.of());
    StatusFacts facts = facts(List.of(fresh), List.of(), List.of(), List.of());
    facts =
        new StatusFacts(
            facts.components(),
            facts.statuses(),
            List.of(),
            List.of(),
            facts.calendar(),
            List.of(),
            Map.of(),
            Map.of("c0", NOW.minusSeconds(600)),
            List.of(),
            List.of());
    StatusSnapshot snapshot = StatusSnapshot.build(facts, NOW);
    ComponentView view = snapshot.component("c0").orElseThrow();
    assertThat(view.days().subList(0, 89)).allMatch(d -> !d.monitored());
    Day today = view.days().get(89);
    assertThat(today.state()).isEqualTo("operational");
    assertThat(today.noDataSeconds()).isZero();
    assertThat(view.uptime30()).contains("100.00");
    String html =
        get(publisher.publish(snapshot, null))
            .page("html:index:en")
            .orElseThrow()
            .body()
            .toString(StandardCharsets.UTF_8);
    assertThat(html)
        .contains(
            "class=\"not_monitored run w60 older\"",
            "class=\"not_monitored run w29\"",
            "Not monitored yet",
            "30-day uptime: 100.00% · 90-day uptime: 100.00% (since 2026-11-30 11:50 KST)")
        .doesNotContain("No data");
  }

  /**
   * A daily series announced to run for ever must not push a window due in three days out of the
   * lists: they hold the nearest occurrences, by start, within 90 days.
   */
  @Test
  void aLongSeriesNeverHidesTheNearestWindows() throws Exception {
    Instant created = NOW.minus(Duration.ofDays(30));
    Window series =
        window(
            1,
            NOW.plus(Duration.ofDays(1)),
            Duration.ofHours(1),
            "FREQ=DAILY;COUNT=99999999",
            created);
    Window soon =
        window(
            2, NOW.plus(Duration.ofDays(3)).plusSeconds(1800), Duration.ofHours(2), null, created);
    Window past =
        window(
            3,
            NOW.minus(Duration.ofDays(2)),
            Duration.ofHours(2),
            null,
            created.minus(Duration.ofDays(10)));
    StatusSnapshot snapshot =
        StatusSnapshot.build(
            facts(
                List.of(
                    new Component(
                        "c0", "C", null, new Localized("Core", null), Impact.MAJOR, List.of())),
                List.of(),
                List.of(),
                List.of(series, soon, past)),
            NOW);
    List<Occurrence> listed = snapshot.maintenance();
    assertThat(listed).extracting(o -> o.window().id()).contains(2L, 3L);
    assertThat(listed).allMatch(o -> o.start().isBefore(NOW.plus(Duration.ofDays(91))));
    assertThat(listed).isSortedAccordingTo(Comparator.comparing(Occurrence::start));

    Published published = get(publisher.publish(snapshot, null));
    JsonObject v2 =
        new JsonObject(published.page("v2:scheduled-maintenances:en").orElseThrow().body());
    assertThat(v2.getJsonArray("scheduled_maintenances")).hasSize(50);
    assertThat(v2.getJsonArray("scheduled_maintenances").encode()).contains("Window 2", "Window 3");
    String ics =
        published.page("feed:ics:en").orElseThrow().body().toString(StandardCharsets.UTF_8);
    assertThat(ics).contains("SUMMARY:Window 2", "SUMMARY:Window 3");
  }
}
