package io.statusdesk.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusdesk.DomainException;
import io.statusdesk.probe.Impact;
import io.statusdesk.sla.OutageClass;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules of an operator's incident, as tables: no database, no Vert.x. */
class IncidentRulesTest {
  private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

  private static Optional<Instant> at(String value) {
    return value == null ? Optional.empty() : Optional.of(Instant.parse(value));
  }

  @ParameterizedTest(name = "started {0}, resolved {1}, {2}: {3}")
  @CsvSource(
      nullValues = "-",
      value = {
        "2026-11-30T09:00:00Z, -,                    investigating, ",
        "2026-11-30T09:00:00Z, 2026-11-30T09:30:00Z, resolved,      ",
        "2026-11-30T10:00:00Z, -,                    identified,    ",
        "2026-11-30T10:00:01Z, -,                    investigating, started_at: must not be in the"
            + " future",
        "2026-11-30T09:00:00Z, -,                    resolved,      resolved_at: given exactly when"
            + " status is resolved",
        "2026-11-30T09:00:00Z, 2026-11-30T09:30:00Z, monitoring,    resolved_at: given exactly when"
            + " status is resolved",
        "2026-11-30T09:00:00Z, 2026-11-30T09:00:00Z, resolved,      resolved_at: must be after"
            + " started_at and not in the future",
        "2026-11-30T09:00:00Z, 2026-11-30T08:00:00Z, resolved,      resolved_at: must be after"
            + " started_at and not in the future",
        "2026-11-30T09:00:00Z, 2026-11-30T10:00:01Z, resolved,      resolved_at: must be after"
            + " started_at and not in the future",
      })
  void anIncidentIsRecordedAsItHappened(
      String started, String resolved, String status, String error) {
    var check =
        assertThatCode(
            () ->
                IncidentRules.checkOpening(
                    Instant.parse(started),
                    at(resolved),
                    IncidentStatus.parse("status", status),
                    NOW));
    if (error == null) {
      check.doesNotThrowAnyException();
    } else {
      check
          .isInstanceOf(DomainException.class)
          .hasMessage(error)
          .matches(e -> ((DomainException) e).kind() == DomainException.Kind.INVALID);
    }
  }

  @ParameterizedTest(name = "until {0}: {1}")
  @CsvSource({
    "2026-11-30T10:00:01Z, true",
    "2026-12-07T10:00:00Z, true",
    "2026-12-07T10:00:01Z, false",
    "2026-11-30T10:00:00Z, false",
    "2026-11-29T10:00:00Z, false",
  })
  void aStatusSetByHandExpiresWithinAWeek(String until, boolean allowed) {
    var check = assertThatCode(() -> IncidentRules.checkOverride(Instant.parse(until), NOW));
    if (allowed) {
      check.doesNotThrowAnyException();
    } else {
      check.hasMessage("until: after now and at most 7 days ahead");
    }
  }

  @ParameterizedTest(name = "{0} on a {1} component, class {2}: {3}")
  @CsvSource(
      nullValues = "-",
      value = {
        "major_outage,         major,   -,       MAJOR",
        "major_outage,         major,   major,   MAJOR",
        "major_outage,         major,   partial, PARTIAL",
        "major_outage,         partial, -,       PARTIAL",
        "partial_outage,       major,   -,       PARTIAL",
        "partial_outage,       major,   major,   PARTIAL",
        "degraded_performance, major,   -,       -",
      })
  void theManualOutageFollowsTheProbesRule(
      String impact, String componentImpact, String cap, String expected) {
    Map<String, OutageClass> classes =
        IncidentRules.outageClasses(
            Map.of("email", ComponentStatus.parse("impact", impact)),
            Map.of("email", Impact.valueOf(componentImpact.toUpperCase(Locale.ROOT))),
            Optional.ofNullable(cap).map(c -> OutageClass.valueOf(c.toUpperCase(Locale.ROOT))));
    assertThat(Optional.ofNullable(classes.get("email")))
        .isEqualTo(Optional.ofNullable(expected).map(OutageClass::valueOf));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"operational", "under_maintenance", "broken"})
  void anImpactIsHowBadItIs(String value) {
    assertThatThrownBy(() -> IncidentRules.impact("impacts.email", value))
        .isInstanceOf(DomainException.class)
        .hasMessageStartingWith("impacts.email: ");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "MAJOR,   major_outage",
    "PARTIAL, partial_outage",
  })
  void aClassAloneGivesEveryComponentTheSameImpact(OutageClass outageClass, String impact) {
    Map<String, ComponentStatus> expected = new LinkedHashMap<>();
    expected.put("email", ComponentStatus.parse("i", impact));
    expected.put("portal", ComponentStatus.parse("i", impact));
    assertThat(IncidentRules.impacts(List.of("email", "portal"), outageClass))
        .containsExactlyEntriesOf(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"investigating, false", "monitoring, false", "resolved, true"})
  void aResolvedIncidentTakesNoMoreUpdates(String status, boolean refused) {
    var check =
        assertThatCode(() -> IncidentRules.checkOpen(7, IncidentStatus.parse("status", status)));
    if (refused) {
      check
          .hasMessage("incident 7 is resolved")
          .matches(e -> ((DomainException) e).kind() == DomainException.Kind.CONFLICT);
    } else {
      check.doesNotThrowAnyException();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"email, ", "'email,portal', ", "'email,chat', chat", "main, main"})
  void onlyComponentsOfChecksYaml(String given, String unknown) {
    var check =
        assertThatCode(
            () -> IncidentRules.checkKnown(List.of(given.split(",")), Set.of("email", "portal")));
    if (unknown == null) {
      check.doesNotThrowAnyException();
    } else {
      check.hasMessage("components: unknown component '" + unknown + "'");
    }
  }
}
