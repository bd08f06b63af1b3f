package io.statusdesk.ledger;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;

/**
 * One line of the append-only credit ledger. Amounts are signed KRW: credits earned are positive
 * ({@code issue}, an upward {@code adjust}), credits used or lost negative ({@code application},
 * {@code expire}, a downward {@code adjust}). An {@code unrecovered} entry records the part of a
 * downward correction that was already spent or expired: it settles the month's figure but never
 * moves the balance.
 *
 * @param month the SLA month of an issue, adjustment or unrecovered part, else null
 * @param revision the month report revision this entry settles, else null
 * @param reason why it exists ("issue", "reclassified outage 42 as partial", "invoice INV-7", ...)
 */
public record LedgerEntry(
    long id,
    String tenantId,
    Kind kind,
    long amountKrw,
    String month,
    Long feeKrw,
    Integer creditPct,
    String invoiceRef,
    Long invoiceTotalKrw,
    String idempotencyKey,
    Integer revision,
    String reason,
    Instant createdAt) {

  /** Why an entry exists. */
  public enum Kind {
    ISSUE,
    ADJUST,
    EXPIRE,
    APPLICATION,
    UNRECOVERED;

    public String dbValue() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Whether entries of this kind move the balance. */
    public boolean movesBalance() {
      return this != UNRECOVERED;
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("cursor", String.valueOf(id))
        .put("tenant_id", tenantId)
        .put("kind", kind.dbValue())
        .put("amount_krw", amountKrw)
        .put("month", month)
        .put("revision", revision)
        .put("reason", reason)
        .put("fee_krw", feeKrw)
        .put("credit_pct", creditPct)
        .put("invoice_ref", invoiceRef)
        .put("invoice_total_krw", invoiceTotalKrw)
        .put("idempotency_key", idempotencyKey)
        .put("created_at", createdAt.toString());
  }
}
