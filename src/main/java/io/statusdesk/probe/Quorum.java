package io.statusdesk.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * How the probe locations' views of one cell add up (README, "Locations and quorum"). A cell fails
 * only when a quorum of the locations with recent results see it failing; a failure seen by fewer
 * is a network event (never counted); a location without recent results is left out; when no
 * location can judge, the cell is {@code no_data}. With one location this is that location's own
 * view.
 *
 * @param fixed locations that must agree ({@code quorum: N}), at most as many as can judge; 0 means
 *     a majority of those that can judge ({@code quorum: majority}, the default)
 */
public record Quorum(int fixed) {
  public static final Quorum MAJORITY = new Quorum(0);

  public Quorum {
    if (fixed < 0) {
      throw new IllegalArgumentException("quorum must be positive, not " + fixed);
    }
  }

  /** What the locations' views of a cell amount to. */
  public enum Kind {
    HEALTHY,
    FAILING,
    NETWORK,
    NO_DATA
  }

  /**
   * One location's view of a cell.
   *
   * @param failing whether its damped health is failing
   * @param since when its current state began (the first probe of the run that caused it)
   * @param lastSample its latest result known to the judge, or null when it has none
   */
  public record Seen(String location, boolean failing, Instant since, Instant lastSample) {}

  /**
   * The verdict on a cell.
   *
   * @param since for FAILING and NETWORK, the earliest first failure among the failing locations
   *     that can judge; for HEALTHY, when the last of them recovered; null for NO_DATA
   * @param failing failing locations that can judge, by name
   * @param judging locations with recent results, by name
   */
  public record Judgement(Kind kind, Instant since, List<String> failing, List<String> judging) {}

  /** Locations that must see a failure for it to count, of {@code judging} able to judge. */
  public int needed(int judging) {
    return fixed == 0 ? judging / 2 + 1 : Math.min(fixed, judging);
  }

  /**
   * How old a location's latest result of a cell may be for it to judge: three intervals, and at
   * least ten seconds beyond one, so results that wait in a batch (up to five seconds, locally or
   * in an agent) arrive in time.
   */
  public static Duration recent(Duration interval) {
    Duration three = interval.multipliedBy(3);
    Duration oneAndSlack = interval.plusSeconds(10);
    return three.compareTo(oneAndSlack) >= 0 ? three : oneAndSlack;
  }

  public Judgement judge(List<Seen> seen, Duration recent, Instant now) {
    Instant oldest = now.minus(recent);
    List<Seen> judging = new ArrayList<>();
    for (Seen s : seen) {
      if (s.lastSample() != null && !s.lastSample().isBefore(oldest)) {
        judging.add(s);
      }
    }
    List<String> judgingNames = names(judging);
    if (judging.isEmpty()) {
      return new Judgement(Kind.NO_DATA, null, List.of(), judgingNames);
    }
    List<Seen> failing = judging.stream().filter(Seen::failing).toList();
    if (failing.isEmpty()) {
      Instant recovered =
          judging.stream()
              .map(Seen::since)
              .filter(Objects::nonNull)
              .max(Comparator.naturalOrder())
              .orElse(now);
      return new Judgement(Kind.HEALTHY, recovered, List.of(), judgingNames);
    }
    Instant since =
        failing.stream()
            .map(Seen::since)
            .filter(Objects::nonNull)
            .min(Comparator.naturalOrder())
            .orElse(now);
    Kind kind = failing.size() >= needed(judging.size()) ? Kind.FAILING : Kind.NETWORK;
    return new Judgement(kind, since, names(failing), judgingNames);
  }

  /**
   * When a change of verdict from {@code before} takes effect: a failure (counted or not) that
   * begins dates from its earliest first failure; anything else from the event that caused the
   * change ({@code eventAt}: a location's recovery, or the moment a location was left out).
   */
  public static Instant changedAt(Kind before, Judgement after, Instant eventAt) {
    boolean begins =
        after.kind() == Kind.FAILING || (after.kind() == Kind.NETWORK && before != Kind.FAILING);
    return begins ? after.since() : eventAt;
  }

  private static List<String> names(List<Seen> seen) {
    return seen.stream().map(Seen::location).sorted().toList();
  }
}
