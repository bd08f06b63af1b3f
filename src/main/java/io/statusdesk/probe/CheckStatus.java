package io.statusdesk.probe;

import java.util.List;

/**
 * What the service currently knows of one cell, for the API and the status snapshot.
 *
 * @param cell the cell
 * @param health its health judged across the locations (the quorum's view), or unknown
 * @param last its latest result probed by this instance, or null (none yet, or probed elsewhere)
 * @param judgement the locations' verdict, or null before any location decided the cell
 * @param locations each location's own view, by location name
 */
public record CheckStatus(
    Cell cell,
    CheckHealth health,
    ProbeResult last,
    Quorum.Judgement judgement,
    List<LocationHealth> locations) {

  static CheckStatus unknown(Cell cell) {
    return new CheckStatus(cell, CheckHealth.unknown(), null, null, List.of());
  }

  /** Slow but passing, as the locations able to judge see it (or as this instance last saw it). */
  public boolean degraded() {
    if (judgement == null) {
      return last != null && last.outcome() == Outcome.DEGRADED;
    }
    return locations.stream()
        .anyMatch(l -> l.degraded() && !l.failing() && judgement.judging().contains(l.location()));
  }
}
