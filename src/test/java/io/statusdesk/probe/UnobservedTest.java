package io.statusdesk.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.sla.NoData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnobservedTest {
  private static Instant at(String hhmm) {
    return Instant.parse("2026-05-04T" + hhmm + ":00Z");
  }

  /**
   * Gaps as {@code component:location:from-to}, first samples as {@code component:location:hh:mm}
   * ({@code -} for none), no-data as {@code component:from-to}.
   */
  @ParameterizedTest(name = "[{index}] {0} / {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // gaps                                       | first samples              | no data
        "c:seoul:10:00-10:05                          | c:seoul:09:00               |"
            + " c:10:00-10:05",
        "c:seoul:10:00-10:05 c:seoul:10:04-10:07      | -                           |"
            + " c:10:00-10:07",
        "c:seoul:10:00-10:05                          | c:seoul:09:00 c:edge:09:00  | ''",
        "c:seoul:10:00-10:05 c:edge:10:03-10:10       | c:seoul:09:00 c:edge:09:00  |"
            + " c:10:03-10:05",
        // edge began at 11:00: before that only seoul watched
        "c:seoul:10:30-10:40                          | c:seoul:09:00 c:edge:11:00  |"
            + " c:10:30-10:40",
        "c:seoul:11:30-11:40                          | c:seoul:09:00 c:edge:11:00  | ''",
        "c:seoul:10:00-10:05 d:seoul:10:00-10:05      | c:seoul:09:00 c:edge:09:00 d:seoul:09:00 |"
            + " d:10:00-10:05",
      })
  void noDataIsWhereEveryLocationWasBlind(String gaps, String firsts, String expected) {
    List<Unobserved.Gap> g = new ArrayList<>();
    for (String s : gaps.split(" ", -1)) {
      String[] f = s.split(":", 3);
      String[] span = f[2].split("-", -1);
      g.add(new Unobserved.Gap(f[0], f[1], at(span[0]), at(span[1])));
    }
    List<Unobserved.Watcher> w = new ArrayList<>();
    if (!firsts.equals("-")) {
      for (String s : firsts.split(" ", -1)) {
        String[] f = s.split(":", 3);
        w.add(new Unobserved.Watcher(f[0], f[1], at(f[2])));
      }
    }
    List<String> out = new ArrayList<>();
    for (NoData n : Unobserved.of(g, w)) {
      out.add(
          n.component()
              + ":"
              + n.start().toString().substring(11, 16)
              + "-"
              + n.end().toString().substring(11, 16));
    }
    assertThat(String.join(" ", out)).isEqualTo(expected);
  }
}
