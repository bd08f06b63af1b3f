package io.statusdesk.ledger;

import io.statusdesk.DomainException;
import java.util.Optional;

/**
 * Points applied to an invoice (a renewal or upgrade): the contract uses them first, so billing may
 * name the invoice's total and let the balance cover what it can. One invoice is credited once; a
 * retried request with the same idempotency key gets the first answer again.
 */
public final class Applications {
  private Applications() {}

  /**
   * What billing asks for.
   *
   * @param amountKrw points to apply; empty means as much of the invoice as the balance covers
   * @param invoiceTotalKrw the invoice's total, when known
   */
  public record Request(
      String tenantId,
      String invoiceRef,
      String idempotencyKey,
      Optional<Long> amountKrw,
      Optional<Long> invoiceTotalKrw) {}

  /** What to do about a request. */
  public sealed interface Decision {}

  /** The same request came before: answer with what it recorded. */
  public record Replay(LedgerEntry entry) implements Decision {}

  /** Record an application of {@code amountKrw}. */
  public record Apply(long amountKrw) implements Decision {}

  /** The balance is empty: nothing to apply, the invoice is paid in full. */
  public record Nothing() implements Decision {}

  /**
   * What to do about {@code r}, given what the ledger already holds.
   *
   * @param sameKey the entry recorded under the request's key for this tenant, if any
   * @param sameInvoice the application already recorded for the invoice, if any
   */
  public static Decision decide(
      Request r,
      Optional<LedgerEntry> sameKey,
      Optional<LedgerEntry> sameInvoice,
      long balanceKrw) {
    if (sameKey.isPresent()) {
      LedgerEntry first = sameKey.get();
      boolean same =
          first.kind() == LedgerEntry.Kind.APPLICATION
              && first.invoiceRef().equals(r.invoiceRef())
              && r.amountKrw().map(a -> a == -first.amountKrw()).orElse(true);
      if (!same) {
        throw new DomainException(
            DomainException.Kind.CONFLICT,
            "idempotency_key: already used"
                + " for a different application (entry "
                + first.id()
                + ")");
      }
      return new Replay(first);
    }
    if (sameInvoice.isPresent()) {
      throw new DomainException(
          DomainException.Kind.CONFLICT,
          "invoice_ref: "
              + r.invoiceRef()
              + " was already credited by entry "
              + sameInvoice.get().id());
    }
    if (r.amountKrw().isEmpty()) {
      long covered = Math.min(Math.max(0, balanceKrw), r.invoiceTotalKrw().orElseThrow());
      return covered == 0 ? new Nothing() : new Apply(covered);
    }
    long amount = r.amountKrw().get();
    if (r.invoiceTotalKrw().isPresent() && amount > r.invoiceTotalKrw().get()) {
      throw new DomainException(
          DomainException.Kind.INVALID, "amount_krw: more than the invoice's total");
    }
    if (amount > balanceKrw) {
      throw new DomainException(
          DomainException.Kind.CONFLICT,
          "amount_krw: exceeds the balance of " + balanceKrw + " KRW");
    }
    return new Apply(amount);
  }
}
