package io.statusdesk.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.probe.Quorum.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuorumTest {
  private static final Instant NOW = Instant.parse("2026-05-04T10:00:00Z");
  private static final Duration RECENT = Duration.ofSeconds(30);

  /**
   * Each location as {@code name:state:since:age}: state {@code F} failing or {@code H} healthy,
   * since in seconds before now, age of its latest result in seconds ({@code -} for none).
   */
  @ParameterizedTest(name = "[{index}] quorum {0}: {1} -> {2} since -{3}s")
  @CsvSource(
      delimiter = '|',
      value = {
        // quorum | locations                        | kind     | since | failing
        "0        | seoul:F:60:1                     | FAILING  | 60    | seoul",
        "0        | seoul:H:60:1                     | HEALTHY  | 60    | ''",
        "0        | seoul:H:60:1 tokyo:H:9:1 osaka:H:5:40 | HEALTHY | 9  | ''",
        "0        | seoul:F:60:31                    | NO_DATA  |       | ''",
        "0        | seoul:F:60:-                     | NO_DATA  |       | ''",
        "0        | seoul:F:60:1 tokyo:H:9:1         | NETWORK  | 60    | seoul",
        "0        | seoul:F:60:1 tokyo:F:20:1        | FAILING  | 60    | seoul tokyo",
        "0        | a:F:50:1 b:F:40:1 c:H:9:1        | FAILING  | 50    | a b",
        "0        | a:F:50:1 b:H:40:1 c:H:9:1        | NETWORK  | 50    | a",
        // a stale location is left out: two of two judge
        "0        | a:F:50:1 b:F:40:1 c:H:9:45       | FAILING  | 50    | a b",
        "0        | a:F:50:1 b:F:40:45 c:H:9:1       | NETWORK  | 50    | a",
        "0        | a:F:50:1 b:H:40:45 c:H:9:45      | FAILING  | 50    | a",
        "0        | a:F:50:45 b:F:40:45 c:H:9:45     | NO_DATA  |       | ''",
        "0        | a:F:50:1 b:F:40:1 c:F:30:1 d:H:1:1 | FAILING | 50   | a b c",
        "0        | a:F:50:1 b:F:40:1 c:H:30:1 d:H:1:1 | NETWORK | 50   | a b",
        "1        | a:F:50:1 b:H:40:1 c:H:9:1        | FAILING  | 50    | a",
        "3        | a:F:50:1 b:F:40:1 c:H:9:1        | NETWORK  | 50    | a b",
        "3        | a:F:50:1 b:F:40:1 c:H:9:45       | FAILING  | 50    | a b",
        "2        | a:F:50:1 b:H:40:1                | NETWORK  | 50    | a",
        "2        | a:F:50:1                         | FAILING  | 50    | a",
      })
  void judges(int quorum, String locations, Kind kind, Long since, String failing) {
    Quorum.Judgement j =
        new Quorum(quorum).judge(seen(locations), List.of(), NOW.minusSeconds(3600), RECENT, NOW);
    assertThat(j.kind()).isEqualTo(kind);
    assertThat(j.since()).isEqualTo(since == null ? null : NOW.minusSeconds(since));
    assertThat(String.join(" ", j.failing())).isEqualTo(failing);
  }

  /**
   * The start of a judge (README, "Locations and quorum"): declared locations it has not heard from
   * since it began are not yet "without recent results" until it has watched for {@code recent} (30
   * s here); meanwhile a failure they could still turn either way waits. Locations as in {@link
   * #judges}; {@code watched} is how long ago the judge began.
   */
  @ParameterizedTest(name = "[{index}] {1} of {0}, watched {2}s -> {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        // declared      | locations                  | watched | kind     | since
        // the one location that began judges a majority alone: not yet
        "central a1 a2   | central:F:3:1              | 5       | PENDING  | 3",
        "central a1 a2   | central:F:3:1              | 29      | PENDING  | 3",
        // ... until the others had their chance: then it is left to judge alone, dated as before
        "central a1 a2   | central:F:3:1              | 30      | FAILING  | 3",
        "central a1 a2   | central:F:3:1              | 3600    | FAILING  | 3",
        // the others report: healthy makes it a network event, failing a counted one
        "central a1 a2   | central:F:3:1 a1:H:2:1     | 5       | PENDING  | 3",
        "central a1 a2   | central:F:3:1 a1:H:2:1 a2:H:2:1 | 5  | NETWORK  | 3",
        "central a1 a2   | central:F:3:1 a1:F:2:1     | 5       | FAILING  | 3",
        // a quorum whatever the silent one says is not kept waiting
        "central a1      | central:F:3:1              | 5       | PENDING  | 3",
        "central a1 a2 a3 a4 | central:F:9:1 a1:F:3:1 a2:F:2:1 | 5 | FAILING | 9",
        // a location whose results stopped before the judge began is given the same chance
        "central a1 a2   | central:F:3:1 a1:H:60:40 a2:H:60:40 | 5  | PENDING | 3",
        "central a1 a2   | central:F:3:1 a1:H:60:40 a2:H:60:40 | 31 | FAILING | 3",
        // nothing failing, or nobody able to judge, needs no wait
        "central a1 a2   | central:H:3:1              | 5       | HEALTHY  | 3",
        "central a1 a2   | central:F:3:-              | 5       | NO_DATA  |",
        // without declared locations only those seen are waited for
        "''              | central:F:3:1 a1:H:60:40   | 5       | PENDING  | 3",
        "''              | central:F:3:1              | 5       | FAILING  | 3",
      })
  void waitsForLocationsNotHeardFromSinceItBegan(
      String declared, String locations, long watched, Kind kind, Long since) {
    Quorum.Judgement j =
        Quorum.MAJORITY.judge(
            seen(locations),
            declared.isEmpty() ? List.of() : List.of(declared.split(" +")),
            NOW.minusSeconds(watched),
            RECENT,
            NOW);
    assertThat(j.kind()).isEqualTo(kind);
    assertThat(j.since()).isEqualTo(since == null ? null : NOW.minusSeconds(since));
  }

  private static List<Quorum.Seen> seen(String locations) {
    List<Quorum.Seen> seen = new ArrayList<>();
    for (String l : locations.split(" ", -1)) {
      String[] f = l.split(":", -1);
      seen.add(
          new Quorum.Seen(
              f[0],
              f[1].equals("F"),
              NOW.minusSeconds(Long.parseLong(f[2])),
              f[3].equals("-") ? null : NOW.minusSeconds(Long.parseLong(f[3]))));
    }
    return seen;
  }

  @ParameterizedTest(name = "quorum {0} of {1} judging needs {2}")
  @CsvSource({"0,1,1", "0,2,2", "0,3,2", "0,4,3", "0,5,3", "2,1,1", "2,3,2", "4,3,3"})
  void needed(int quorum, int judging, int needed) {
    assertThat(new Quorum(quorum).needed(judging)).isEqualTo(needed);
  }

  @Test
  void recentIsThreeIntervalsAndAtLeastTenSecondsBeyondOne() {
    assertThat(Quorum.recent(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(11));
    assertThat(Quorum.recent(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(15));
    assertThat(Quorum.recent(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(90));
  }

  @ParameterizedTest(name = "{0} -> {1} takes effect at {2}")
  @CsvSource({
    "HEALTHY, FAILING, since",
    "NETWORK, FAILING, since",
    "HEALTHY, NETWORK, since",
    "NO_DATA, NETWORK, since",
    "FAILING, NETWORK, event",
    "FAILING, HEALTHY, event",
    "NETWORK, HEALTHY, event",
  })
  void changedAt(Kind before, Kind after, String which) {
    Instant since = NOW.minusSeconds(60);
    Instant event = NOW.minusSeconds(5);
    Quorum.Judgement j = new Quorum.Judgement(after, since, List.of(), List.of());
    assertThat(Quorum.changedAt(before, j, event)).isEqualTo(which.equals("since") ? since : event);
  }
}
