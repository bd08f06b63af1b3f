package io.statusdesk.sla;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;

/**
 * A calendar month in the contract time zone (docs/sla.md, rule 1): the unit the SLA is judged and
 * settled by. Its seconds are {@code [start, end)}.
 */
public record ContractMonth(YearMonth month, ZoneId zone) {

  public static ContractMonth of(Instant at, ZoneId zone) {
    return new ContractMonth(YearMonth.from(at.atZone(zone)), zone);
  }

  public Instant start() {
    return month.atDay(1).atStartOfDay(zone).toInstant();
  }

  public Instant end() {
    return month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
  }

  public boolean ended(Instant now) {
    return !end().isAfter(now);
  }

  public ContractMonth previous() {
    return new ContractMonth(month.minusMonths(1), zone);
  }

  public ContractMonth next() {
    return new ContractMonth(month.plusMonths(1), zone);
  }

  @Override
  public String toString() {
    return month.toString();
  }
}
