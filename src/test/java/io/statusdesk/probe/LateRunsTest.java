package io.statusdesk.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.probe.Quorum.Kind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LateRunsTest {
  private static final Instant T = Instant.parse("2026-05-04T10:00:00Z");

  private static LocationHealth logged(String location, boolean failing, int since) {
    return new LocationHealth(
        1,
        location,
        failing ? CheckHealth.State.FAILING : CheckHealth.State.HEALTHY,
        T.plusSeconds(since),
        false,
        T.plusSeconds(since),
        false);
  }

  private static Quorum.Seen seen(String location, boolean failing, int since, int lastSample) {
    return new Quorum.Seen(location, failing, T.plusSeconds(since), T.plusSeconds(lastSample));
  }

  private static Quorum.Judgement verdict(Kind kind, List<String> judging) {
    return new Quorum.Judgement(kind, T, List.of(), judging);
  }

  @Test
  void aFailureAndItsRecoveryReadTogetherAreLate() {
    LateRuns runs = new LateRuns();
    // the recovery first: the order rows are read in says nothing
    assertThat(runs.logged(List.of(logged("edge", false, 40), logged("edge", true, 10))))
        .containsExactly(new LateRuns.Late(1, "edge", T.plusSeconds(10), T.plusSeconds(40)));
    // read again (a look that could not see every commit yet): nothing new
    assertThat(runs.logged(List.of(logged("edge", true, 10), logged("edge", false, 40)))).isEmpty();
    // the next failure is a run of its own
    assertThat(runs.logged(List.of(logged("edge", true, 50), logged("edge", false, 55))))
        .containsExactly(new LateRuns.Late(1, "edge", T.plusSeconds(50), T.plusSeconds(55)));
  }

  @Test
  void aFailureAVerdictCountedLiveIsNotLate() {
    LateRuns runs = new LateRuns();
    assertThat(runs.logged(List.of(logged("edge", true, 10)))).isEmpty();
    assertThat(
            runs.judged(
                1,
                verdict(Kind.NETWORK, List.of("central", "edge")),
                List.of(seen("central", false, 0, 20), seen("edge", true, 10, 20))))
        .isEmpty();
    assertThat(runs.logged(List.of(logged("edge", false, 40)))).isEmpty();
  }

  @Test
  void aFailureOnlyWaitedForIsLateWhenItEnds() {
    LateRuns runs = new LateRuns();
    runs.logged(List.of(logged("edge", true, 10)));
    runs.judged(1, verdict(Kind.PENDING, List.of("edge")), List.of(seen("edge", true, 10, 20)));
    assertThat(runs.logged(List.of(logged("edge", false, 40))))
        .containsExactly(new LateRuns.Late(1, "edge", T.plusSeconds(10), T.plusSeconds(40)));
  }

  @Test
  void aFailureWithoutRecentResultsIsLateUpToItsLatestSampleThenToItsEnd() {
    LateRuns runs = new LateRuns();
    runs.logged(List.of(logged("edge", true, 10)));
    Quorum.Judgement withoutEdge = verdict(Kind.HEALTHY, List.of("central"));
    assertThat(runs.judged(1, withoutEdge, List.of(seen("edge", true, 10, 20))))
        .containsExactly(new LateRuns.Late(1, "edge", T.plusSeconds(10), T.plusSeconds(20)));
    // judged again with nothing new: nothing more to tell
    assertThat(runs.judged(1, withoutEdge, List.of(seen("edge", true, 10, 20)))).isEmpty();
    assertThat(runs.judged(1, withoutEdge, List.of(seen("edge", true, 10, 30))))
        .containsExactly(new LateRuns.Late(1, "edge", T.plusSeconds(10), T.plusSeconds(30)));
    // it reports in time again (a network event now), then recovers: the whole run was late
    runs.judged(
        1, verdict(Kind.NETWORK, List.of("central", "edge")), List.of(seen("edge", true, 10, 50)));
    assertThat(runs.judged(1, withoutEdge, List.of(seen("edge", false, 60, 60))))
        .containsExactly(new LateRuns.Late(1, "edge", T.plusSeconds(10), T.plusSeconds(60)));
  }
}
