package io.statusdesk.outage;

import io.vertx.core.Future;
import java.time.YearMonth;
import java.util.List;

/**
 * What an outage edit would do to the SLA months it touches, judged by the month close's own
 * evaluator on the facts as they stand with the edit applied, and nothing written. The ledger
 * answers it; the outage feature asks (it cannot depend on the ledger, which depends on it).
 */
public interface OutageImpact {

  /**
   * One month before and after the edit. {@code judged} is false for a month no SLA version or no
   * monitoring covers; its figures are then empty strings and zeros.
   *
   * @param creditsBeforeKrw the credits every tenant would get for it, summed
   */
  record MonthEffect(
      YearMonth month,
      boolean judged,
      String mupBefore,
      String mupAfter,
      int creditPctBefore,
      int creditPctAfter,
      long creditsBeforeKrw,
      long creditsAfterKrw) {}

  Future<List<MonthEffect>> preview(Incidents.Proposal proposal);
}
