package io.statusdesk.ledger;

import java.time.YearMonth;

/**
 * A closed month's headline figures as its latest report revision holds them.
 *
 * @param policyId the SLA version that judged it
 */
public record ClosedMonth(
    YearMonth month, String mup, int creditPct, int revision, long policyId) {}
