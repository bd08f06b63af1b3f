package io.statusdesk.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RendezvousTest {
  private static final List<String> THREE = List.of("a", "b", "c");

  @ParameterizedTest(name = "{0} of [{1}] goes to {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // key             | members   | owner
        "ticketing/kr-1    | a         | a",
        "ticketing/kr-1    | a b c     | c",
        "ticketing/kr-2    | a b c     | c",
        "ticketing/kr-3    | a b c     | b",
        "email/main        | a b c     | b",
        "email/main        | a b       | b",
        "email/main        | c         | c",
      })
  // Pinned: a change of the weights would move every cell at once during a rolling upgrade.
  void ownerIsTheHighestWeight(String key, String members, String owner) {
    assertThat(Rendezvous.owner(key, List.of(members.split(" ", -1)))).contains(owner);
  }

  @Test
  void noMembersNoOwner() {
    assertThat(Rendezvous.owner("ticketing/kr-1", List.of())).isEqualTo(Optional.empty());
  }

  @Test
  void theOrderOfTheMemberListDoesNotMatter() {
    for (int i = 0; i < 200; i++) {
      String key = "c/k" + i;
      assertThat(Rendezvous.owner(key, List.of("c", "a", "b")))
          .isEqualTo(Rendezvous.owner(key, THREE));
    }
  }

  @Test
  void cellsSpreadEvenlyAndOnlyTheLeaversMove() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      keys.add("c" + i / 100 + "/k" + i % 100);
    }
    Map<String, String> before = new HashMap<>();
    Map<String, Integer> share = new HashMap<>();
    for (String key : keys) {
      String owner = Rendezvous.owner(key, THREE).orElseThrow();
      before.put(key, owner);
      share.merge(owner, 1, Integer::sum);
    }
    assertThat(share.values()).allSatisfy(n -> assertThat(n).isBetween(900, 1_100));
    for (String key : keys) {
      String after = Rendezvous.owner(key, List.of("a", "c")).orElseThrow();
      if (!before.get(key).equals("b")) {
        assertThat(after).as(key + " was not b's and stays").isEqualTo(before.get(key));
      }
    }
  }
}
