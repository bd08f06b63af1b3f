package io.statusdesk.probe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each location's failing runs of each cell as the judge learns of them, to find those it could not
 * judge live (README, "Locations and quorum": late reports): a run that began and ended between two
 * of its looks (an agent's buffered batch holding a failure and its recovery), or one whose
 * location had no recent results while it failed (a batch that arrived after the quorum's window).
 * Such a run is reported as {@link Late}, to be judged at the time it describes; one the judge
 * counted in a verdict while its location had recent results is not. A run still failing without
 * recent results is reported up to its latest sample, again as later samples arrive.
 */
public final class LateRuns {

  /** Location {@code location} saw cell {@code checkId} failing from {@code from} to {@code to}. */
  public record Late(int checkId, String location, Instant from, Instant to) {}

  private static final class Run {
    Instant since;
    boolean judged;
    boolean unjudged;
    Instant told;

    Run(Instant since) {
      this.since = since;
    }

    boolean late() {
      return unjudged || !judged;
    }
  }

  private final Map<Integer, Map<String, Run>> runs = new HashMap<>();

  /**
   * When each location's latest run of each cell ended: the judge reads changes again until no
   * transaction older than them runs, and a run read again is not a new one.
   */
  private final Map<Integer, Map<String, Instant>> endedAt = new HashMap<>();

  /**
   * Takes in logged state changes (any order; read again after a look that could not yet see all of
   * them), and answers the runs they end that the judge never judged.
   */
  public List<Late> logged(List<LocationHealth> changes) {
    List<Late> out = new ArrayList<>();
    changes.stream()
        .sorted(Comparator.comparing(LocationHealth::since))
        .forEach(
            h -> {
              if (h.failing()) {
                if (!endedAfter(h.checkId(), h.location(), h.since())) {
                  began(h.checkId(), h.location(), h.since());
                }
              } else {
                ended(h.checkId(), h.location(), h.since(), out);
              }
            });
    return out;
  }

  /**
   * Notes what a verdict made of each location's view of a cell, and answers the runs it shows to
   * be late: ended unjudged, or failing while their location has no recent results.
   *
   * @param verdict the verdict that stands on the cell
   * @param seen the locations' views, with each location's latest sample
   */
  public List<Late> judged(int checkId, Quorum.Judgement verdict, List<Quorum.Seen> seen) {
    List<Late> out = new ArrayList<>();
    boolean decided =
        verdict.kind() == Quorum.Kind.FAILING || verdict.kind() == Quorum.Kind.NETWORK;
    for (Quorum.Seen s : seen) {
      if (!s.failing()) {
        ended(checkId, s.location(), s.since(), out);
        continue;
      }
      if (endedAfter(checkId, s.location(), s.since())) {
        continue;
      }
      Run run = began(checkId, s.location(), s.since());
      if (verdict.judging().contains(s.location())) {
        run.judged |= decided;
        continue;
      }
      run.unjudged = true;
      Instant last = s.lastSample();
      if (last != null && last.isAfter(run.since) && (run.told == null || last.isAfter(run.told))) {
        run.told = last;
        out.add(new Late(checkId, s.location(), run.since, last));
      }
    }
    return out;
  }

  private Run began(int checkId, String location, Instant since) {
    Run run =
        runs.computeIfAbsent(checkId, k -> new HashMap<>())
            .computeIfAbsent(location, k -> new Run(since));
    if (since.isBefore(run.since)) {
      run.since = since;
    }
    return run;
  }

  private boolean endedAfter(int checkId, String location, Instant since) {
    Instant end = endedAt.getOrDefault(checkId, Map.of()).get(location);
    return end != null && end.isAfter(since);
  }

  private void ended(int checkId, String location, Instant at, List<Late> out) {
    Map<String, Run> ofCell = runs.get(checkId);
    Run run = ofCell == null ? null : ofCell.get(location);
    if (run == null || !at.isAfter(run.since)) {
      return;
    }
    ofCell.remove(location);
    endedAt.computeIfAbsent(checkId, k -> new HashMap<>()).put(location, at);
    if (run.late()) {
      out.add(new Late(checkId, location, run.since, at));
    }
  }
}
