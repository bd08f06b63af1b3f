package io.statusdesk.outage;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.outage.OutagePlan.Amend;
import io.statusdesk.outage.OutagePlan.Close;
import io.statusdesk.outage.OutagePlan.Keep;
import io.statusdesk.outage.OutagePlan.Open;
import io.statusdesk.outage.OutagePlan.Split;
import io.statusdesk.sla.OutageClass;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OutagePlanTest {
  private static final Instant T0 = Instant.parse("2026-11-30T01:00:00Z");
  private static final OutageClass MAJOR = OutageClass.MAJOR;
  private static final OutageClass PARTIAL = OutageClass.PARTIAL;

  static Stream<Arguments> steps() {
    OpenOutage partialA = new OpenOutage(PARTIAL, T0, Set.of("a"));
    OpenOutage majorAb = new OpenOutage(MAJOR, T0, Set.of("a", "b"));
    Instant later = T0.plusSeconds(90).plusMillis(700);
    Instant laterSecond = T0.plusSeconds(90);
    return Stream.of(
        Arguments.of("nothing open, nothing failing", null, null, Set.of(), T0, new Keep()),
        Arguments.of(
            "opens on the whole second",
            null,
            PARTIAL,
            Set.of("a"),
            T0.plusMillis(400),
            new Open(PARTIAL, T0, Set.of("a"))),
        Arguments.of(
            "second cell fails: split",
            partialA,
            MAJOR,
            Set.of("a", "b"),
            later,
            new Split(MAJOR, laterSecond, Set.of("a", "b"))),
        Arguments.of(
            "one cell recovers: split back",
            majorAb,
            PARTIAL,
            Set.of("b"),
            later,
            new Split(PARTIAL, laterSecond, Set.of("b"))),
        Arguments.of("all recover: close", majorAb, null, Set.of(), later, new Close(laterSecond)),
        Arguments.of(
            "another cell of a partial-impact component",
            partialA,
            PARTIAL,
            Set.of("a", "c"),
            later,
            new Amend(PARTIAL, Set.of("a", "c"))),
        Arguments.of("same class, same cells", partialA, PARTIAL, Set.of("a"), later, new Keep()),
        Arguments.of(
            "dated before the open start: takes effect at its start",
            partialA,
            MAJOR,
            Set.of("a", "b"),
            T0.minusSeconds(5),
            new Amend(MAJOR, Set.of("a", "b"))),
        Arguments.of(
            "close within the first second: nothing lasted",
            partialA,
            null,
            Set.of(),
            T0.minusSeconds(5),
            new Close(T0)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("steps")
  void decides(
      String name,
      OpenOutage open,
      OutageClass wanted,
      Set<String> failing,
      Instant at,
      OutagePlan.Step expected) {
    OutagePlan.Step step =
        OutagePlan.next(Optional.ofNullable(open), Optional.ofNullable(wanted), failing, at);
    assertThat(step).isEqualTo(expected);
  }
}
