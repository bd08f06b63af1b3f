package io.statusdesk.outage;

import io.statusdesk.DomainException;
import io.statusdesk.sla.OutageClass;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An operator's change to one outage: reclassify, re-time, exclude or lift an exclusion. A field
 * left empty stays as it is.
 */
public record OutageEdit(
    Optional<OutageClass> outageClass,
    Optional<Instant> start,
    Optional<Optional<Instant>> end,
    Optional<Optional<Exclusion>> exclusion) {

  /**
   * The outage after this edit at {@code now}, or a domain error: it must still end after it
   * starts, lie wholly in the past, a probe outage still going on ends only when the probes
   * recover, and a network event (seen from too few locations) never counts.
   */
  public OutageRecord applyTo(OutageRecord before, Instant now) {
    OutageRecord after =
        new OutageRecord(
            before.id(),
            before.component(),
            outageClass.orElse(before.outageClass()),
            start.orElse(before.start()),
            end.orElse(before.end()),
            before.cells(),
            before.source(),
            before.incidentId(),
            exclusion.orElse(before.exclusion()));
    if (after.end().isPresent() && !after.end().get().isAfter(after.start())) {
      throw new DomainException(DomainException.Kind.INVALID, "ended_at: must be after started_at");
    }
    if ((after.end().isPresent() && after.end().get().isAfter(now)) || after.start().isAfter(now)) {
      throw new DomainException(
          DomainException.Kind.INVALID, "started_at/ended_at: must not be in the future");
    }
    if (before.source() != Source.MANUAL && before.end().isEmpty() && after.end().isPresent()) {
      throw new DomainException(
          DomainException.Kind.CONFLICT,
          "ended_at: a probe outage in progress ends when the probes recover");
    }
    if (before.source() == Source.NETWORK
        && !after.exclusion().map(e -> e.reason().equals("network")).orElse(false)) {
      throw new DomainException(
          DomainException.Kind.INVALID,
          "exclusion: a network event (seen from fewer locations than the quorum) stays excluded"
              + " as network");
    }
    return after;
  }

  /** What changed, in the words ledger entries carry as their reason. */
  public static String describe(OutageRecord before, OutageRecord after) {
    List<String> parts = new ArrayList<>();
    if (before.outageClass() != after.outageClass()) {
      parts.add(
          "reclassified outage "
              + after.id()
              + " as "
              + after.outageClass().name().toLowerCase(Locale.ROOT));
    }
    if (!before.start().equals(after.start()) || !before.end().equals(after.end())) {
      parts.add("re-timed outage " + after.id());
    }
    if (!before.exclusion().equals(after.exclusion())) {
      parts.add(
          after
              .exclusion()
              .map(e -> "excluded outage " + after.id() + " (" + e.reason() + ")")
              .orElse("counted outage " + after.id() + " again"));
    }
    return parts.isEmpty() ? "outage " + after.id() + " unchanged" : String.join(", ", parts);
  }
}
