package io.statusdesk.sla;

import io.statusdesk.Localized;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One published version of the SLA.
 *
 * @param text the terms as published, in English and Korean
 * @param publishedAt when it appeared on the status site
 * @param effectiveFrom when it starts to apply; a month is judged by the version in force at the
 *     first second of the month
 */
public record PolicyVersion(
    long id, SlaPolicy policy, Localized text, Instant publishedAt, Instant effectiveFrom) {

  /** The version in force at {@code at}: the latest to take effect at or before it. */
  public static Optional<PolicyVersion> inForce(List<PolicyVersion> versions, Instant at) {
    return versions.stream()
        .filter(v -> !v.effectiveFrom().isAfter(at))
        .max(Comparator.comparing(PolicyVersion::effectiveFrom));
  }

  /** The version a month is judged by, found at its first second in its own time zone. */
  public static Optional<PolicyVersion> forMonth(List<PolicyVersion> versions, YearMonth month) {
    return versions.stream()
        .filter(
            v ->
                !v.effectiveFrom().isAfter(new ContractMonth(month, v.policy().timezone()).start()))
        .max(Comparator.comparing(PolicyVersion::effectiveFrom));
  }
}
