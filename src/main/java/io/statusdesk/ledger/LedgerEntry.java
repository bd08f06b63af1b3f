package io.statusdesk.ledger;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;

/**
 * One line of the append-only credit ledger. Amounts are signed KRW: credits earned are
 * positive ({@code issue}, an upward {@code adjust}), credits used or lost negative
 * ({@code application}, {@code expire}, a downward {@code adjust}).
 *
 * @param month the SLA month of an issue or adjustment, else null
 */
public record LedgerEntry(long id, String tenantId, Kind kind, long amountKrw, String month,
    Long feeKrw, Integer creditPct, String invoiceRef, String idempotencyKey, Instant createdAt) {

  /** Why an entry exists. */
  public enum Kind {
    ISSUE, ADJUST, EXPIRE, APPLICATION;

    public String dbValue() {
      return name().toLowerCase(Locale.ROOT);
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
        .put("fee_krw", feeKrw)
        .put("credit_pct", creditPct)
        .put("invoice_ref", invoiceRef)
        .put("idempotency_key", idempotencyKey)
        .put("created_at", createdAt.toString());
  }
}
