package io.statusdesk.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusdesk.DomainException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What billing may record, as tables: no database, no Vert.x. */
class TenantRulesTest {
  private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
  private static final TenantRules RULES =
      new TenantRules(PriceList.of(Plans.standard()), Set.of("email/kr-1", "ticketing/kr-1"));

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      nullValues = "-",
      value = {
        "-,                    2026-11-30T10:00:00Z",
        "2026-10-01T00:00:00Z, 2026-10-01T00:00:00Z",
        "2026-11-30T10:00:00Z, 2026-11-30T10:00:00Z",
        "2026-11-30T10:00:01Z, effective_from: must not be in the future",
      })
  void aStateTakesEffectNowOrBackDatedNeverAhead(String given, String expected) {
    Optional<Instant> at = Optional.ofNullable(given).map(Instant::parse);
    if (expected.startsWith("effective_from")) {
      assertThatCode(() -> TenantRules.effectiveFrom(at, NOW))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(expected);
    } else {
      assertThat(TenantRules.effectiveFrom(at, NOW)).isEqualTo(Instant.parse(expected));
    }
  }

  @ParameterizedTest(name = "{0} {1} KRW max {2} from {3}: {4}")
  @CsvSource(
      nullValues = "-",
      value = {
        "earth,   39000,    -,  2026-12-01T00:00:00Z, ok",
        "earth,   39000,    -,  2026-11-30T10:00:00Z, ok",
        "earth,   0,        3,  2026-12-01T00:00:00Z, ok",
        "earth,   10000000, -,  2026-12-01T00:00:00Z, ok",
        "earth,   39000,    -,  2026-11-30T09:59:59Z, effective_from: must not be in the past",
        "earth,   -1,       -,  2026-12-01T00:00:00Z, price_per_member_krw",
        "earth,   10000001, -,  2026-12-01T00:00:00Z, price_per_member_krw",
        "earth,   39000,    -1, 2026-12-01T00:00:00Z, max_members",
        "Earth!,  39000,    -,  2026-12-01T00:00:00Z, plan",
      })
  void aPriceChangeNeverReachesIntoThePast(
      String name, long price, Integer max, String effective, String outcome) {
    Plan plan = new Plan(name, price, max == null ? OptionalInt.empty() : OptionalInt.of(max));
    var check =
        assertThatCode(() -> TenantRules.checkPriceChange(plan, Instant.parse(effective), NOW));
    if (outcome.equals("ok")) {
      check.doesNotThrowAnyException();
    } else {
      check.isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(outcome);
    }
  }

  @ParameterizedTest(name = "{0} {1} members, cells {2}: {3}")
  @CsvSource(
      nullValues = "-",
      value = {
        "earth,  10, email/kr-1,  ok",
        "island, 3,  email/kr-1,  ok",
        "island, 4,  email/kr-1,  members: plan island allows at most 3",
        "moon,   1,  email/kr-1,  plan: one of",
        "earth,  1,  email/kr-9,  cells: no cell email/kr-9 in checks.yaml",
      })
  void aTenantAgreesWithItsPlanAndChecksYaml(
      String plan, long members, String cell, String outcome) {
    Tenant t = Tenant.of("acme", "ACME", plan, members, "current", List.of(cell));
    var check = assertThatCode(() -> RULES.check(t, NOW));
    if (outcome.equals("ok")) {
      check.doesNotThrowAnyException();
    } else {
      check.isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(outcome);
    }
  }

  @Test
  void aPriceChangeRepricesOnlyAKnownPlanAndKeepsALimitLeftOut() {
    Instant later = NOW.plusSeconds(86_400);
    assertThat(RULES.priceChange("earth", 45_000, Optional.empty(), later).maxMembers())
        .hasValue(30);
    assertThat(
            RULES
                .priceChange("earth", 45_000, Optional.of(OptionalInt.empty()), later)
                .maxMembers())
        .isEmpty();
    assertThat(
            RULES.priceChange("earth", 45_000, Optional.of(OptionalInt.of(50)), later).maxMembers())
        .hasValue(50);
    assertThatThrownBy(() -> RULES.priceChange("mars", 1_000, Optional.empty(), later))
        .isInstanceOf(DomainException.class)
        .hasMessageStartingWith("no plan mars (plans: continent, earth, island, universe)");
  }
}
