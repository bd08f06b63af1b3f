package io.statusdesk.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the probe locations' views of one cell add up (README, "Locations and quorum"). A cell fails
 * only when a quorum of the locations with recent results see it failing; a failure seen by fewer
 * is a network event (never counted); a location without recent results is left out; when no
 * location can judge, the cell is {@code no_data}. A location the judge has not yet watched for as
 * long as results stay recent is not known to be without results: while its word could still turn a
 * failure seen by a few into a counted one or back, the verdict waits ({@code pending}). With one
 * location this is that location's own view.
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
    NO_DATA,
    /**
     * Some location sees the cell failing, and locations not heard from since the judge began
     * watching could still change what that amounts to: nothing changes until they report or their
     * chance has passed.
     */
    PENDING
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
   * @param since for FAILING, NETWORK and PENDING, the earliest first failure among the failing
   *     locations that can judge; for HEALTHY, when the last of them recovered; null for NO_DATA
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
   * least ten seconds beyond one, so results that wait in a batch (a quarter interval, one to five
   * seconds, locally or in an agent; more while a database or server is away) arrive in time.
   */
  public static Duration recent(Duration interval) {
    Duration three = interval.multipliedBy(3);
    Duration oneAndSlack = interval.plusSeconds(10);
    return three.compareTo(oneAndSlack) >= 0 ? three : oneAndSlack;
  }

  /**
   * Judges a cell.
   *
   * @param seen the views of the locations that decided the cell so far
   * @param declared the locations results are expected from ({@code locations:}), seen or not
   * @param watchedSince when this judge began: a location without recent results is left out only
   *     once the judge has watched for {@code recent}, as one silent since before it began may just
   *     not have reported yet (an agent starting with the service)
   */
  public Judgement judge(
      List<Seen> seen, List<String> declared, Instant watchedSince, Duration recent, Instant now) {
    Instant oldest = now.minus(recent);
    List<Seen> judging = new ArrayList<>();
    Set<String> silent = new TreeSet<>(declared);
    for (Seen s : seen) {
      if (s.lastSample() != null && !s.lastSample().isBefore(oldest)) {
        judging.add(s);
      } else {
        silent.add(s.location());
      }
    }
    judging.forEach(s -> silent.remove(s.location()));
    int pending = now.isBefore(watchedSince.plus(recent)) ? silent.size() : 0;
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
    // A quorum counting the silent ones is one however they turn out (reporting or left out).
    Kind kind;
    if (failing.size() >= needed(judging.size() + pending)) {
      kind = Kind.FAILING;
    } else {
      kind = pending > 0 ? Kind.PENDING : Kind.NETWORK;
    }
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
