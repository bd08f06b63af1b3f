package io.statusdesk.outage;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.outage.LateNetwork.Span;
import io.statusdesk.sla.OutageClass;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LateNetworkTest {
  private static final Instant T = Instant.parse("2026-05-04T10:00:00Z");

  private static Instant at(double seconds) {
    return T.plusMillis(Math.round(seconds * 1000));
  }

  private static Span span(double from, Double to) {
    return new Span(at(from), to == null ? null : at(to));
  }

  @Test
  void wholeSecondsNoCountedOutageCoversBecomeNetwork() {
    assertThat(LateNetwork.uncovered(at(10.4), at(40.7), List.of()))
        .containsExactly(span(10, 40.0));
    assertThat(LateNetwork.uncovered(at(10.4), at(10.9), List.of())).isEmpty();
    assertThat(LateNetwork.uncovered(at(10), at(40), List.of(span(20, 25.0), span(5, 12.0))))
        .containsExactly(span(12, 20.0), span(25, 40.0));
    // an open counted outage covers the rest; one covering it all leaves nothing
    assertThat(LateNetwork.uncovered(at(10), at(40), List.of(span(30, null))))
        .containsExactly(span(10, 30.0));
    assertThat(LateNetwork.uncovered(at(10), at(40), List.of(span(0, 50.0)))).isEmpty();
  }

  @Test
  void aPieceJoinsTheNetworkEventsItMeetsAndOnceCoveredChangesNothing() {
    Span piece = span(10, 40.0);
    assertThat(LateNetwork.merge(piece, OutageClass.PARTIAL, "k0", List.of()))
        .contains(new LateNetwork.Insert(piece, OutageClass.PARTIAL, Set.of("k0")));
    LateNetwork.Event same = new LateNetwork.Event(7, piece, OutageClass.PARTIAL, Set.of("k0"));
    assertThat(LateNetwork.merge(piece, OutageClass.PARTIAL, "k0", List.of(same))).isEmpty();
    LateNetwork.Event before =
        new LateNetwork.Event(3, span(5, 20.0), OutageClass.MAJOR, Set.of("k1"));
    LateNetwork.Event open =
        new LateNetwork.Event(4, span(30, null), OutageClass.PARTIAL, Set.of());
    Optional<LateNetwork.Step> merged =
        LateNetwork.merge(piece, OutageClass.PARTIAL, "k0", List.of(open, before));
    assertThat(merged)
        .contains(
            new LateNetwork.Merge(
                3, span(5, null), OutageClass.MAJOR, Set.of("k0", "k1"), List.of(4L)));
  }
}
