package io.statusdesk.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.statusdesk.DomainException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyRulesTest {
  private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

  /** "99.0:0 95.0:10 90.0:25 0:50" */
  static SlaPolicy policy(String tiers, String weight, String zone) {
    List<SlaPolicy.Tier> list = new ArrayList<>();
    for (String t : tiers.split(" ", -1)) {
      String[] p = t.split(":", -1);
      list.add(new SlaPolicy.Tier(new BigDecimal(p[0]), Integer.parseInt(p[1])));
    }
    BigDecimal w = new BigDecimal(weight);
    return new SlaPolicy(
        ZoneId.of(zone),
        w.unscaledValue().longValueExact(),
        BigDecimal.TEN.pow(w.scale()).longValueExact(),
        list);
  }

  @ParameterizedTest(name = "{0} / {1} / {2} -> reduces {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "99.0:0 95.0:10 90.0:25 0:50 | 0.3 | Asia/Seoul | false",
        "99.5:0 95.0:10 90.0:25 0:50 | 0.3 | Asia/Seoul | false",
        "99.0:0 95.0:15 90.0:25 0:50 | 0.3 | Asia/Seoul | false",
        "99.0:0 95.0:10 90.0:25 0:50 | 0.5 | Asia/Seoul | false",
        "98.0:0 95.0:10 90.0:25 0:50 | 0.3 | Asia/Seoul | true",
        "99.0:0 95.0:5 90.0:25 0:50  | 0.3 | Asia/Seoul | true",
        "99.0:0 94.0:10 90.0:25 0:50 | 0.3 | Asia/Seoul | true",
        "99.0:0 90.0:25 0:50         | 0.3 | Asia/Seoul | false",
        "99.0:0 95.0:10 0:50         | 0.3 | Asia/Seoul | false",
        "99.0:0 95.0:10 90.0:25 0:50 | 0.2 | Asia/Seoul | true",
        "99.0:0 95.0:10 90.0:25 0:50 | 0.3 | UTC        | true",
      })
  void reducingABenefit(String tiers, String weight, String zone, boolean reduces) {
    SlaPolicy standard = SlaPolicy.standard(SEOUL);
    assertThat(PolicyRules.reducesBenefits(standard, policy(tiers, weight, zone)))
        .isEqualTo(reduces);
  }

  @ParameterizedTest(name = "{0}, effective after {1} days -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "98.0:0 95.0:10 90.0:25 0:50 | 30  | ok",
        "98.0:0 95.0:10 90.0:25 0:50 | 29  | at least 30 days",
        "99.5:0 95.0:10 90.0:25 0:50 | 0   | ok",
        "99.5:0 95.0:10 90.0:25 0:50 | -1  | cannot apply before it is published",
        "99.0:0 95.0:10 90.0:25      | 40  | lowest tier must start at min_mup 0",
        "99.0:10 95.0:0 0:50         | 40  | never earn less credit",
        "99.0:0 99.0:10 0:50         | 40  | appears twice",
        "101:0 0:50                  | 40  | between 0 and 100",
      })
  void publishing(String tiers, int days, String outcome) {
    Instant published = Instant.parse("2026-11-01T00:00:00Z");
    var check =
        assertThatCode(
            () ->
                PolicyRules.checkPublishable(
                    SlaPolicy.standard(SEOUL),
                    policy(tiers, "0.3", "Asia/Seoul"),
                    published,
                    published.plusSeconds(days * 86_400L)));
    if (outcome.equals("ok")) {
      check.doesNotThrowAnyException();
    } else {
      check.isInstanceOf(DomainException.class).hasMessageContaining(outcome);
    }
  }
}
