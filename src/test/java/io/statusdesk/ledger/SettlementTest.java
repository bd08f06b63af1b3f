package io.statusdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.tenant.Tenant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a tenant's month settles, worked by hand: fee 390,000 KRW (Earth, 10 members). */
class SettlementTest {
  private static final long FEE = 390_000;

  private static Settlement.Billed billed(String status, long fee) {
    return new Settlement.Billed(Tenant.of("acme", "Acme", "earth", 10, status, List.of()), fee);
  }

  /**
   * {@code held} is granted/unrecovered/issued, {@code entries} kind:amount pairs. A correction
   * down takes back only the balance; the rest is unrecovered, and a later correction up restores
   * the write-off before it grants new points.
   */
  @ParameterizedTest(name = "{0}% with held {1} and balance {2} -> {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        // first close: 10 % of 390,000
        "10 | 0/0/false       | 0      | issue:39000",
        "0  | 0/0/false       | 0      | ",
        // nothing changed: nothing written
        "10 | 39000/0/true    | 39000  | ",
        // from 10 % to 25 %: the difference
        "25 | 39000/0/true    | 39000  | adjust:58500",
        // from 10 % to 0 with the points unspent: all taken back
        "0  | 39000/0/true    | 39000  | adjust:-39000",
        // ... with 30,000 spent: 9,000 taken back, 30,000 written off
        "0  | 39000/0/true    | 9000   | adjust:-9000,unrecovered:-30000",
        // ... with everything spent or expired: all written off, the balance stays at zero
        "0  | 39000/0/true    | 0      | unrecovered:-39000",
        // ... and back to 10 %: the tenant kept those points, so only the write-off is undone
        "10 | 39000/-39000/true | 0    | unrecovered:39000",
        // ... and up to 25 %: the write-off undone, then 58,500 new points
        "25 | 39000/-39000/true | 0    | unrecovered:39000,adjust:58500",
        // the same month closed again with nothing new: nothing written
        "0  | 39000/-39000/true | 0    | ",
        // a credit once adjusted to zero comes back as an adjustment, never a second issue
        "10 | 0/0/true        | 0      | adjust:39000",
      })
  void entriesBringTheMonthToWhatIsDue(int pct, String held, long balance, String entries) {
    String[] h = held.split("/", -1);
    Settlement.Held have =
        new Settlement.Held(Long.parseLong(h[0]), Long.parseLong(h[1]), Boolean.parseBoolean(h[2]));
    List<Settlement.Entry> out =
        Settlement.entries(
            pct,
            List.of(billed("current", FEE)),
            have.grantedKrw() == 0 && !have.issued() ? Map.of() : Map.of("acme", have),
            Map.of("acme", balance));
    assertThat(out)
        .extracting(e -> e.kind().dbValue() + ":" + e.amountKrw())
        .containsExactly(entries == null ? new String[0] : entries.split(","));
  }

  @ParameterizedTest(name = "{0}, fee {1}, {2}% -> due {3}, {4}")
  @CsvSource(
      delimiter = '|',
      value = {
        "current    | 390000 | 10 | 39000 | ",
        "current    | 118001 | 10 | 11800 | ",
        "current    | 0      | 50 | 0     | free_plan",
        "past_due   | 390000 | 50 | 0     | not_current",
        "terminated | 390000 | 50 | 0     | not_current",
        "current    | 390000 | 0  | 0     | no_tier",
      })
  void dueIsTheFlooredShareOfTheFeeOrAReason(
      String status, long fee, int pct, long due, String reason) {
    Settlement.Billed b = billed(status, fee);
    assertThat(Settlement.due(b, pct)).isEqualTo(due);
    assertThat(Settlement.zeroReason(b, pct).orElse(null)).isEqualTo(reason);
  }
}
