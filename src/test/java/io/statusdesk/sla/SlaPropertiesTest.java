package io.statusdesk.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Laws of the SLA evaluation that must hold for any month, outages and windows. */
class SlaPropertiesTest {
  private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
  private static final YearMonth MONTH = YearMonth.of(2026, 2);
  private static final long START = MONTH.atDay(1).atStartOfDay(SEOUL).toEpochSecond();
  private static final long END = MONTH.plusMonths(1).atDay(1).atStartOfDay(SEOUL).toEpochSecond();
  private static final SlaPolicy POLICY = SlaPolicy.standard(SEOUL);

  @Provide
  Arbitrary<Outage> outages() {
    Arbitrary<Long> from = Arbitraries.longs().between(START - 86_400, END + 86_400);
    Arbitrary<Long> length = Arbitraries.longs().between(1, 10 * 86_400);
    Arbitrary<OutageClass> cls = Arbitraries.of(OutageClass.class);
    Arbitrary<String> component = Arbitraries.of("ticketing", "email", "sns");
    Arbitrary<Boolean> excluded = Arbitraries.of(false, false, false, true);
    return Combinators.combine(from, length, cls, component, excluded)
        .as(
            (f, l, c, comp, x) ->
                new Outage(
                    f + "+" + l,
                    comp,
                    c,
                    Instant.ofEpochSecond(f),
                    Optional.of(Instant.ofEpochSecond(f + l)),
                    x ? Optional.of("network") : Optional.empty(),
                    true));
  }

  @Provide
  Arbitrary<List<Outage>> outageLists() {
    return outages().list().ofMaxSize(12);
  }

  @Provide
  Arbitrary<List<MaintenanceWindow>> windows() {
    Arbitrary<Long> from = Arbitraries.longs().between(START - 86_400, END);
    Arbitrary<Long> length = Arbitraries.longs().between(1, 3 * 86_400);
    Arbitrary<String> scope = Arbitraries.of("*", "ticketing", "email");
    Arbitrary<Long> notice = Arbitraries.longs().between(-3_600, 30 * 86_400);
    return Combinators.combine(from, length, scope, notice)
        .as(
            (f, l, s, n) ->
                new MaintenanceWindow(
                    f + "w",
                    Set.of(s),
                    Instant.ofEpochSecond(f),
                    Instant.ofEpochSecond(f + l),
                    Instant.ofEpochSecond(f - n),
                    Optional.empty()))
        .list()
        .ofMaxSize(4);
  }

  private static MonthEvaluation evaluate(List<Outage> outages, List<MaintenanceWindow> windows) {
    return SlaEvaluator.evaluate(
        MONTH, POLICY, outages, windows, List.of(), Instant.ofEpochSecond(END));
  }

  private static BigDecimal mup(MonthEvaluation e) {
    return new BigDecimal(e.mup());
  }

  @Property
  void mupStaysBetweenZeroAndHundred(
      @ForAll("outageLists") List<Outage> outages,
      @ForAll("windows") List<MaintenanceWindow> windows) {
    MonthEvaluation e = evaluate(outages, windows);
    assertThat(mup(e)).isBetween(BigDecimal.ZERO, BigDecimal.valueOf(100));
    assertThat(e.scaledDowntime()).isBetween(0L, e.scale() * e.totalSeconds());
  }

  @Property
  void addingDowntimeNeverRaisesMup(
      @ForAll("outageLists") List<Outage> outages,
      @ForAll("outages") Outage extra,
      @ForAll("windows") List<MaintenanceWindow> windows) {
    List<Outage> more = new ArrayList<>(outages);
    more.add(extra);
    MonthEvaluation before = evaluate(outages, windows);
    MonthEvaluation after = evaluate(more, windows);
    assertThat(after.scaledDowntime()).isGreaterThanOrEqualTo(before.scaledDowntime());
    assertThat(mup(after)).isLessThanOrEqualTo(mup(before));
    assertThat(after.creditPct()).isGreaterThanOrEqualTo(before.creditPct());
  }

  @Property
  void movingAnOutageIntoAServiceWideWindowNeverLowersMup(
      @ForAll("outageLists") List<Outage> others,
      @ForAll("outages") Outage outage,
      @ForAll @IntRange(min = 0, max = 27 * 86_400) int windowOffset,
      @ForAll @IntRange(min = 1, max = 48) int windowHours,
      @ForAll @IntRange(min = 0, max = 1_000_000) int shift) {
    long windowStart = START + windowOffset;
    long windowLength = windowHours * 3_600L;
    MaintenanceWindow window =
        new MaintenanceWindow(
            "w",
            Set.of("*"),
            Instant.ofEpochSecond(windowStart),
            Instant.ofEpochSecond(windowStart + windowLength),
            Instant.ofEpochSecond(windowStart - 8 * 86_400),
            Optional.empty());
    long from = outage.start().getEpochSecond();
    long length = Math.min(outage.end().orElseThrow().getEpochSecond() - from, windowLength);
    long movedFrom = windowStart + shift % (windowLength - length + 1);
    List<Outage> before = new ArrayList<>(others);
    before.add(at(outage, from, length));
    List<Outage> after = new ArrayList<>(others);
    after.add(at(outage, movedFrom, length));
    MonthEvaluation outside = evaluate(before, List.of(window));
    MonthEvaluation inside = evaluate(after, List.of(window));
    assertThat(inside.totalSeconds()).isEqualTo(outside.totalSeconds());
    assertThat(inside.scaledDowntime()).isLessThanOrEqualTo(outside.scaledDowntime());
    assertThat(mup(inside)).isGreaterThanOrEqualTo(mup(outside));
    assertThat(inside.creditPct()).isLessThanOrEqualTo(outside.creditPct());
  }

  private static Outage at(Outage o, long from, long length) {
    return new Outage(
        o.id(),
        o.component(),
        o.outageClass(),
        Instant.ofEpochSecond(from),
        Optional.of(Instant.ofEpochSecond(from + length)),
        o.exclusion(),
        o.probed());
  }

  @Property
  void splittingAnIntervalAtAnySecondKeepsDowntime(
      @ForAll("outageLists") List<Outage> others,
      @ForAll("outages") Outage outage,
      @ForAll("windows") List<MaintenanceWindow> windows,
      @ForAll @IntRange(min = 1, max = 1_000_000) int cut) {
    long from = outage.start().getEpochSecond();
    long to = outage.end().orElseThrow().getEpochSecond();
    // any second from its start to its end: a 1-second outage is cut at one of its edges, and a
    // piece of no length must change nothing either
    long at = from + Math.floorMod(cut, to - from + 1);
    List<Outage> whole = new ArrayList<>(others);
    whole.add(outage);
    List<Outage> split = new ArrayList<>(others);
    split.add(
        new Outage(
            "a",
            outage.component(),
            outage.outageClass(),
            outage.start(),
            Optional.of(Instant.ofEpochSecond(at)),
            outage.exclusion(),
            outage.probed()));
    split.add(
        new Outage(
            "b",
            outage.component(),
            outage.outageClass(),
            Instant.ofEpochSecond(at),
            outage.end(),
            outage.exclusion(),
            outage.probed()));
    assertThat(evaluate(split, windows)).isEqualTo(evaluate(whole, windows));
  }
}
