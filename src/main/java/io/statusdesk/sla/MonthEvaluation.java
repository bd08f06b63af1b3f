package io.statusdesk.sla;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.YearMonth;

/**
 * One month judged by the SLA, in exact integers: seconds, and downtime scaled by the partial
 * weight's denominator so 0.3 x partial stays whole.
 *
 * @param totalSeconds TT: month seconds minus counted service-wide maintenance
 * @param majorSeconds seconds a counted major outage covers
 * @param partialSeconds seconds only counted partial outages cover
 * @param scaledDowntime DT x weight denominator
 * @param scale the weight denominator
 * @param creditPct the tier's credit
 */
public record MonthEvaluation(
    YearMonth month,
    long totalSeconds,
    long majorSeconds,
    long partialSeconds,
    long scaledDowntime,
    long scale,
    int creditPct) {

  /** MUP as an exact fraction compared with {@code bound}: is MUP >= bound? */
  static boolean reaches(long totalSeconds, long scaledDowntime, long scale, BigDecimal bound) {
    BigDecimal left =
        BigDecimal.valueOf(100).multiply(BigDecimal.valueOf(scale * totalSeconds - scaledDowntime));
    return left.compareTo(bound.multiply(BigDecimal.valueOf(scale * totalSeconds))) >= 0;
  }

  /** MUP truncated to 3 decimals, as shown ("98.999"). */
  public String mup() {
    if (totalSeconds == 0) {
      return "100.000";
    }
    BigInteger num =
        BigInteger.valueOf(scale * totalSeconds - scaledDowntime)
            .multiply(BigInteger.valueOf(100_000));
    BigInteger thousandths = num.divide(BigInteger.valueOf(scale * totalSeconds));
    return new BigDecimal(thousandths, 3).toPlainString();
  }

  public String ttMinutes() {
    return minutes(BigDecimal.valueOf(totalSeconds));
  }

  public String majorMinutes() {
    return minutes(BigDecimal.valueOf(majorSeconds));
  }

  public String partialMinutes() {
    return minutes(BigDecimal.valueOf(partialSeconds));
  }

  public String downtimeMinutes() {
    return minutes(BigDecimal.valueOf(scaledDowntime).divide(BigDecimal.valueOf(scale)));
  }

  /** Minutes with at most 4 decimals (half-up), trailing zeros and dot removed: "403.2167". */
  public static String minutes(BigDecimal seconds) {
    BigDecimal m =
        seconds.divide(BigDecimal.valueOf(60), 4, RoundingMode.HALF_UP).stripTrailingZeros();
    return m.scale() < 0 ? m.setScale(0).toPlainString() : m.toPlainString();
  }
}
