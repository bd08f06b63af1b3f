package io.statusdesk.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckHealthTest {
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  /**
   * Feeds a sequence of results (one per minute, '+' ok, '-' failed) with thresholds 3/2 and checks
   * the final state and every confirmed transition as "STATE@minute".
   */
  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          +          | HEALTHY | HEALTHY@0
          -          | UNKNOWN |
          ---        | FAILING | FAILING@0
          +--        | HEALTHY | HEALTHY@0
          +---       | FAILING | HEALTHY@0 FAILING@1
          +--+---    | FAILING | HEALTHY@0 FAILING@4
          +-----     | FAILING | HEALTHY@0 FAILING@1
          +---+      | FAILING | HEALTHY@0 FAILING@1
          +---++     | HEALTHY | HEALTHY@0 FAILING@1 HEALTHY@4
          +---+-++   | HEALTHY | HEALTHY@0 FAILING@1 HEALTHY@6
          +---+-+-   | FAILING | HEALTHY@0 FAILING@1
          +---+++--- | FAILING | HEALTHY@0 FAILING@1 HEALTHY@4 FAILING@7
          """)
  void dampsFlapsAndDatesChangesFromTheFirstProbeOfTheRun(
      String results, String finalState, String transitions) {
    CheckHealth health = CheckHealth.unknown();
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < results.length(); i++) {
      Instant at = T0.plusSeconds(60L * i);
      CheckHealth.Step step = health.next(results.charAt(i) == '+', at, 3, 2);
      health = step.health();
      if (step.transition() != null) {
        long minute = (step.transition().at().getEpochSecond() - T0.getEpochSecond()) / 60;
        seen.add(step.transition().to() + "@" + minute);
      }
    }
    assertThat(health.state().name()).isEqualTo(finalState);
    assertThat(String.join(" ", seen)).isEqualTo(transitions == null ? "" : transitions);
  }

  @ParameterizedTest(name = "threshold 1: {0} -> {1}")
  @CsvSource({"-,FAILING", "-+,HEALTHY", "+-,FAILING", "+-+,HEALTHY"})
  void thresholdOfOneReactsAtOnce(String results, String state) {
    CheckHealth health = CheckHealth.unknown();
    for (int i = 0; i < results.length(); i++) {
      health = health.next(results.charAt(i) == '+', T0.plusSeconds(i), 1, 1).health();
    }
    assertThat(health.state().name()).isEqualTo(state);
  }
}
