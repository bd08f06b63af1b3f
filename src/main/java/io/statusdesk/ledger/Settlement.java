package io.statusdesk.ledger;

import io.statusdesk.tenant.Tenant;
import io.statusdesk.tenant.TenantStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a month's credits settle (docs/sla.md, section 3), in plain arithmetic: what each tenant is
 * due at the month's credit percentage, and the entries that bring what the ledger holds to it.
 * Points are not cash, so a correction downwards takes back only what is still there and records
 * the rest as {@code unrecovered}; the balance never goes below zero.
 */
public final class Settlement {
  private Settlement() {}

  /** A tenant at the month's end with the fee its plan's price then gives it. */
  public record Billed(Tenant tenant, long feeKrw) {}

  /**
   * What the ledger holds for one tenant and month.
   *
   * @param grantedKrw points that reached the balance (issue and adjust entries)
   * @param unrecoveredKrw corrections that could not be taken back (zero or negative)
   */
  public record Held(long grantedKrw, long unrecoveredKrw, boolean issued) {

    /** The month's credit as settled: what was granted less what was written off. */
    public long creditedKrw() {
      return grantedKrw + unrecoveredKrw;
    }
  }

  /** One entry a close writes. */
  public record Entry(
      String tenantId, LedgerEntry.Kind kind, long amountKrw, long feeKrw, int creditPct) {}

  /** Only a current tenant that pays a fee earns credit: floor(fee x pct / 100) KRW (rule 6). */
  public static long due(Billed b, int creditPct) {
    return zeroReason(b, creditPct).isPresent() ? 0 : Math.floorDiv(b.feeKrw() * creditPct, 100);
  }

  /**
   * Why a tenant earns nothing this month, or empty when it earns a credit: {@code free_plan},
   * {@code no_members}, {@code not_current} (past due or terminated) or {@code no_tier} (the MUP
   * reached the top tier).
   */
  public static Optional<String> zeroReason(Billed b, int creditPct) {
    if (b.feeKrw() == 0) {
      return Optional.of(b.tenant().members() == 0 ? "no_members" : "free_plan");
    }
    if (b.tenant().status() != TenantStatus.CURRENT) {
      return Optional.of("not_current");
    }
    if (creditPct == 0) {
      return Optional.of("no_tier");
    }
    return Optional.empty();
  }

  /**
   * The entries that bring each tenant's month to what it is due.
   *
   * @param held what the ledger holds for the month, by tenant (tenants credited before but absent
   *     from {@code billed} are due nothing)
   * @param balances each tenant's balance now, for tenants whose credit goes down
   */
  public static List<Entry> entries(
      int creditPct, List<Billed> billed, Map<String, Held> held, Map<String, Long> balances) {
    List<Entry> out = new ArrayList<>();
    Map<String, Held> left = new HashMap<>(held);
    for (Billed b : billed) {
      settle(
          out,
          b.tenant().id(),
          due(b, creditPct),
          left.remove(b.tenant().id()),
          b.feeKrw(),
          creditPct,
          balances);
    }
    left.keySet().stream()
        .sorted()
        .forEach(id -> settle(out, id, 0, left.get(id), 0, creditPct, balances));
    return out;
  }

  private static void settle(
      List<Entry> out,
      String tenantId,
      long due,
      Held held,
      long fee,
      int pct,
      Map<String, Long> balances) {
    long have = held == null ? 0 : held.creditedKrw();
    long delta = due - have;
    if (delta > 0) {
      // The tenant still holds what could not be taken back before: that comes first, and
      // only the rest is new points.
      long restored = held == null ? 0 : Math.min(delta, -held.unrecoveredKrw());
      if (restored > 0) {
        out.add(new Entry(tenantId, LedgerEntry.Kind.UNRECOVERED, restored, fee, pct));
      }
      if (delta > restored) {
        boolean issued = held != null && held.issued();
        out.add(
            new Entry(
                tenantId,
                issued ? LedgerEntry.Kind.ADJUST : LedgerEntry.Kind.ISSUE,
                delta - restored,
                fee,
                pct));
      }
    } else if (delta < 0) {
      long takeBack = Math.min(-delta, Math.max(0, balances.getOrDefault(tenantId, 0L)));
      if (takeBack > 0) {
        out.add(new Entry(tenantId, LedgerEntry.Kind.ADJUST, -takeBack, fee, pct));
      }
      if (-delta > takeBack) {
        out.add(new Entry(tenantId, LedgerEntry.Kind.UNRECOVERED, delta + takeBack, fee, pct));
      }
    }
  }

  /**
   * The reason a close's entries carry: {@code issue} for a month's first close, else what marked
   * the month since (a reclassified outage, a back-dated tenant, ...).
   */
  public static String reason(List<String> marks, boolean firstClose) {
    if (firstClose) {
      return "issue";
    }
    if (marks.isEmpty()) {
      return "month closed again";
    }
    String joined = String.join("; ", marks);
    return joined.length() <= 500 ? joined : joined.substring(0, 497) + "...";
  }
}
