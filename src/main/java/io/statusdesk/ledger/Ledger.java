package io.statusdesk.ledger;

import io.statusdesk.Compute;
import io.statusdesk.DomainException;
import io.statusdesk.Input;
import io.statusdesk.maintenance.MaintenanceCalendar;
import io.statusdesk.maintenance.MaintenanceRepository;
import io.statusdesk.maintenance.Window;
import io.statusdesk.notify.Contacts;
import io.statusdesk.notify.Event;
import io.statusdesk.notify.Outbox;
import io.statusdesk.outage.Incidents;
import io.statusdesk.outage.OutageImpact;
import io.statusdesk.outage.OutageRecord;
import io.statusdesk.outage.OutageRepository;
import io.statusdesk.probe.ProbeRepository;
import io.statusdesk.sla.ContractMonth;
import io.statusdesk.sla.MonthReport;
import io.statusdesk.sla.NoData;
import io.statusdesk.sla.PolicyVersion;
import io.statusdesk.store.ChangeLog;
import io.statusdesk.tenant.PlanRepository;
import io.statusdesk.tenant.PriceList;
import io.statusdesk.tenant.Tenant;
import io.statusdesk.tenant.TenantRepository;
import io.statusdesk.tenant.TenantStatus;
import io.statusdesk.tenant.TerminationHook;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The ledger's actions, one path each for the API and the console: evaluate and close a month,
 * apply points to an invoice, expire a terminated tenant's points, and the billing reads. The rules
 * are {@link Settlement}'s and {@link Applications}'; SQL is {@link LedgerRepository}'s.
 */
public final class Ledger implements TerminationHook {
  private final LedgerRepository repository;
  private final Pool pool;

  public Ledger(Pool pool) {
    this.pool = pool;
    this.repository = new LedgerRepository(pool);
  }

  public LedgerRepository repository() {
    return repository;
  }

  /** A month judged from the facts as they stand, as a close would store it. */
  public record Evaluated(
      PolicyVersion version, ContractMonth month, MonthReport report, JsonObject json) {}

  /**
   * Evaluates {@code month} at {@code now}: up to its end once it has ended, else up to now (a
   * month in progress, as a tenant sees it). {@code ended} refuses a month still in progress; a
   * month that ended before monitoring began is refused either way: nobody watched it.
   */
  Future<Evaluated> evaluate(SqlClient client, YearMonth month, Instant now, boolean ended) {
    return evaluate(client, month, now, ended, UnaryOperator.identity());
  }

  /**
   * {@link #evaluate(SqlClient, YearMonth, Instant, boolean)} with the month's outages as {@code
   * facts} makes of them: a preview judges a proposed change by the very same path.
   */
  private Future<Evaluated> evaluate(
      SqlClient client,
      YearMonth month,
      Instant now,
      boolean ended,
      UnaryOperator<List<OutageRecord>> facts) {
    return PolicyRepository.all(client)
        .compose(
            versions -> {
              PolicyVersion version =
                  PolicyVersion.forMonth(versions, month)
                      .orElseThrow(
                          () ->
                              new DomainException(
                                  DomainException.Kind.CONFLICT,
                                  "no SLA version was in force in " + month));
              ContractMonth m = new ContractMonth(month, version.policy().timezone());
              if (ended && !m.ended(now)) {
                return Future.failedFuture(
                    new DomainException(
                        DomainException.Kind.CONFLICT, "month " + month + " has not ended"));
              }
              return LedgerRepository.monitoringSince(client)
                  .compose(
                      since -> {
                        if (since.isEmpty() || !since.get().isBefore(m.end())) {
                          return Future.failedFuture(
                              new DomainException(
                                  DomainException.Kind.CONFLICT,
                                  "month "
                                      + month
                                      + " ended before monitoring began: nobody watched it"));
                        }
                        Future<List<OutageRecord>> outages =
                            OutageRepository.overlapping(client, m.start(), m.end()).map(facts);
                        Future<List<Window>> windows = MaintenanceRepository.all(client);
                        Future<List<NoData>> noData =
                            ProbeRepository.unobserved(client, m.start(), m.end());
                        return Future.all(outages, windows, noData)
                            .compose(
                                all ->
                                    Compute.run(
                                        () -> {
                                          List<NoData> unobserved =
                                              new ArrayList<>(noData.result());
                                          if (since.get().isAfter(m.start())) {
                                            // rule 7: before monitoring began nothing was observed
                                            unobserved.add(
                                                new NoData(NoData.ALL, m.start(), since.get()));
                                          }
                                          MonthReport report =
                                              MonthReport.of(
                                                  month,
                                                  version.policy(),
                                                  outages.result().stream()
                                                      .map(OutageRecord::toSla)
                                                      .toList(),
                                                  new MaintenanceCalendar(
                                                          m.zone(), windows.result())
                                                      .forSla(m.start(), m.end()),
                                                  unobserved,
                                                  m.ended(now) ? m.end() : now);
                                          return new Evaluated(
                                              version,
                                              m,
                                              report,
                                              ReportJson.of(
                                                  month, version, report, outages.result()));
                                        }));
                      });
            });
  }

  /** As a tenant sees a month now: closed or in progress. */
  public Future<Evaluated> evaluate(YearMonth month, Instant now) {
    return evaluate(pool, month, now, false);
  }

  /**
   * What an outage change would do to each month it touches: every month is evaluated as a close
   * would (as it stands for a month in progress), once with the outage as it is and once as
   * proposed, and every tenant's credit summed for both. Nothing is written.
   *
   * @param zone the contract time zone, whose months the outage spans
   */
  public Future<List<OutageImpact.MonthEffect>> preview(
      Incidents.Proposal proposal, Instant now, ZoneId zone) {
    OutageRecord before = proposal.before();
    OutageRecord after = proposal.after();
    TreeSet<YearMonth> months =
        new TreeSet<>(ChangeLog.months(before.start(), before.end().orElse(now), zone));
    months.addAll(ChangeLog.months(after.start(), after.end().orElse(now), zone));
    UnaryOperator<List<OutageRecord>> proposed =
        list -> {
          List<OutageRecord> out = new ArrayList<>();
          list.stream().filter(o -> o.id() != after.id()).forEach(out::add);
          out.add(after);
          return out;
        };
    List<Future<OutageImpact.MonthEffect>> effects = new ArrayList<>();
    for (YearMonth month : months) {
      effects.add(
          Future.all(
                  evaluate(pool, month, now, false, UnaryOperator.identity()),
                  evaluate(pool, month, now, false, proposed))
              .compose(
                  both -> {
                    Evaluated was = both.resultAt(0);
                    Evaluated would = both.resultAt(1);
                    Instant at = was.month().ended(now) ? was.month().end() : now;
                    int pctBefore = was.report().evaluation().creditPct();
                    int pctAfter = would.report().evaluation().creditPct();
                    return Future.all(TenantRepository.asOf(pool, at), PlanRepository.all(pool))
                        .compose(
                            facts ->
                                Compute.run(
                                    () -> {
                                      long sumBefore = 0;
                                      long sumAfter = 0;
                                      for (Settlement.Billed b :
                                          billed(facts.resultAt(0), facts.resultAt(1), at)) {
                                        sumBefore += Settlement.due(b, pctBefore);
                                        sumAfter += Settlement.due(b, pctAfter);
                                      }
                                      return new OutageImpact.MonthEffect(
                                          month,
                                          true,
                                          was.json().getString("mup"),
                                          would.json().getString("mup"),
                                          pctBefore,
                                          pctAfter,
                                          sumBefore,
                                          sumAfter);
                                    }));
                  })
              .recover(
                  e ->
                      e instanceof DomainException
                          ? Future.succeededFuture(
                              new OutageImpact.MonthEffect(month, false, "", "", 0, 0, 0, 0))
                          : Future.failedFuture(e)));
    }
    return Future.all(effects).map(all -> effects.stream().map(Future::result).toList());
  }

  /**
   * What a close did.
   *
   * @param entriesWritten every entry it wrote: issues, adjustments, unrecovered parts, expiries
   */
  public record Closed(
      YearMonth month,
      int revision,
      boolean newRevision,
      int entriesWritten,
      long creditedKrw,
      JsonObject report) {}

  /**
   * Closes {@code month}: evaluates it from the facts as they stand, stores the report if it
   * changed, and writes for each tenant only the difference between the credit it is due (with its
   * state and its plan's price at the month's end) and what the ledger holds for the month.
   */
  public Future<Closed> close(YearMonth month, String actor, Instant now) {
    return pool.withTransaction(
        conn ->
            LedgerRepository.lock(conn)
                .compose(v -> evaluate(conn, month, now, true))
                .compose(e -> close(conn, e, month, actor, now)));
  }

  private static Future<Closed> close(
      SqlConnection conn, Evaluated e, YearMonth month, String actor, Instant now) {
    Instant end = e.month().end();
    Future<List<Tenant>> tenants = TenantRepository.asOf(conn, end);
    Future<PriceList> prices = PlanRepository.all(conn);
    Future<Map<String, Settlement.Held>> held = LedgerRepository.held(conn, month);
    Future<List<String>> marks = LedgerRepository.marks(conn, month);
    int pct = e.report().evaluation().creditPct();
    Future<List<Settlement.Billed>> billed =
        Future.all(tenants, prices, held, marks)
            .compose(all -> Compute.run(() -> billed(tenants.result(), prices.result(), end)));
    return billed
        .compose(
            all -> {
              List<String> lowered = new ArrayList<>();
              all.forEach(
                  b -> {
                    Settlement.Held h = held.result().get(b.tenant().id());
                    if (h != null && Settlement.due(b, pct) < h.creditedKrw()) {
                      lowered.add(b.tenant().id());
                    }
                  });
              held.result().keySet().stream()
                  .filter(id -> all.stream().noneMatch(b -> b.tenant().id().equals(id)))
                  .forEach(lowered::add);
              return LedgerRepository.balances(conn, lowered)
                  .compose(
                      balances ->
                          Compute.run(() -> Settlement.entries(pct, all, held.result(), balances)));
            })
        .compose(
            entries ->
                LedgerRepository.storeReport(
                        conn, month, e.version().id(), pct, e.json(), actor, now)
                    .compose(
                        stored -> {
                          int revision = Math.abs(stored);
                          String reason = Settlement.reason(marks.result(), stored == 1);
                          long credited =
                              entries.stream().mapToLong(Settlement.Entry::amountKrw).sum();
                          return LedgerRepository.insert(
                                  conn, month, revision, reason, entries, now)
                              .compose(
                                  n ->
                                      terminatedLocked(
                                              conn,
                                              entries.stream()
                                                  .filter(x -> x.amountKrw() > 0)
                                                  .map(Settlement.Entry::tenantId)
                                                  .toList(),
                                              now)
                                          .map(expired -> n + expired))
                              .map(
                                  n ->
                                      new Closed(
                                          month, revision, stored > 0, n, credited, e.json()))
                              .compose(
                                  closed ->
                                      stored > 0
                                          ? told(conn, closed, billed.result(), pct, now)
                                              .map(closed)
                                          : Future.succeededFuture(closed))
                              .compose(
                                  closed ->
                                      LedgerRepository.clearMarks(conn, month, now).map(closed));
                        }));
  }

  /**
   * A new revision of a month is told: to the operators, and to each paying tenant that has
   * statement addresses, its statement with its balance after this close.
   */
  private static Future<Void> told(
      SqlConnection conn, Closed closed, List<Settlement.Billed> billed, int pct, Instant now) {
    return Contacts.tenantsWithContacts(conn)
        .compose(
            withContacts -> {
              List<Settlement.Billed> paying =
                  billed.stream()
                      .filter(b -> b.feeKrw() > 0 && b.tenant().status() == TenantStatus.CURRENT)
                      .filter(b -> withContacts.contains(b.tenant().id()))
                      .toList();
              return LedgerRepository.balances(
                      conn, paying.stream().map(b -> b.tenant().id()).toList())
                  .map(
                      balances -> {
                        List<Event> events = new ArrayList<>();
                        events.add(
                            LedgerNotices.monthClosed(
                                closed.month(), closed.revision(), closed, now));
                        for (Settlement.Billed b : paying) {
                          events.add(
                              LedgerNotices.statement(
                                  closed.month(),
                                  closed.revision(),
                                  closed.report(),
                                  b,
                                  Settlement.due(b, pct),
                                  balances.getOrDefault(b.tenant().id(), 0L),
                                  now));
                        }
                        return events;
                      });
            })
        .compose(events -> Outbox.recordAll(conn, events));
  }

  private static List<Settlement.Billed> billed(
      List<Tenant> tenants, PriceList prices, Instant end) {
    Instant last = end.minusNanos(1);
    return tenants.stream().map(t -> new Settlement.Billed(t, prices.feeKrw(t, last))).toList();
  }

  /** Expires the remaining balance of those of {@code tenantIds} that are now terminated. */
  @Override
  public Future<Void> terminated(SqlConnection conn, List<String> tenantIds, Instant at) {
    return LedgerRepository.lock(conn)
        .compose(v -> terminatedLocked(conn, tenantIds, at))
        .mapEmpty();
  }

  private static Future<Integer> terminatedLocked(
      SqlConnection conn, List<String> tenantIds, Instant at) {
    return LedgerRepository.expire(conn, tenantIds, at);
  }

  /**
   * What an application did: the entry (none when the balance was empty), whether this call
   * recorded it, and how much of the invoice the points covered.
   */
  public record Applied(
      Optional<LedgerEntry> entry,
      boolean created,
      long coveredKrw,
      Optional<Long> invoiceTotalKrw,
      long balanceKrw) {

    public JsonObject toJson() {
      return new JsonObject()
          .put("entry", entry.map(LedgerEntry::toJson).orElse(null))
          .put("covered_krw", coveredKrw)
          .put("invoice_total_krw", invoiceTotalKrw.orElse(null))
          .put("remaining_invoice_krw", invoiceTotalKrw.map(t -> t - coveredKrw).orElse(null))
          .put("balance_krw", balanceKrw);
    }
  }

  /** Applies points to an invoice, at most once per invoice and per idempotency key. */
  public Future<Applied> apply(Applications.Request request, Instant now) {
    return pool.withTransaction(
        conn ->
            LedgerRepository.lock(conn)
                .compose(
                    v ->
                        Future.all(
                            LedgerRepository.byKey(
                                conn, request.tenantId(), request.idempotencyKey()),
                            LedgerRepository.byInvoice(
                                conn, request.tenantId(), request.invoiceRef()),
                            LedgerRepository.balance(conn, request.tenantId())))
                .compose(
                    all -> {
                      Optional<LedgerEntry> sameKey = all.resultAt(0);
                      Optional<LedgerEntry> sameInvoice = all.resultAt(1);
                      Optional<Long> balance = all.resultAt(2);
                      if (balance.isEmpty()) {
                        return Future.failedFuture(
                            DomainException.notFound("no tenant " + request.tenantId()));
                      }
                      Applications.Decision decision =
                          Applications.decide(request, sameKey, sameInvoice, balance.get());
                      if (decision instanceof Applications.Replay replay) {
                        return Future.succeededFuture(
                            new Applied(
                                Optional.of(replay.entry()),
                                false,
                                -replay.entry().amountKrw(),
                                Optional.ofNullable(replay.entry().invoiceTotalKrw()),
                                balance.get()));
                      }
                      if (decision instanceof Applications.Nothing) {
                        return Future.succeededFuture(
                            new Applied(
                                Optional.empty(),
                                false,
                                0,
                                request.invoiceTotalKrw(),
                                balance.get()));
                      }
                      long amount = ((Applications.Apply) decision).amountKrw();
                      return LedgerRepository.insertApplication(conn, request, amount, now)
                          .map(
                              entry ->
                                  new Applied(
                                      Optional.of(entry),
                                      true,
                                      amount,
                                      request.invoiceTotalKrw(),
                                      balance.get() - amount));
                    }));
  }

  /** A tenant's balance and every entry, oldest first. */
  public record Credits(String tenantId, long balanceKrw, List<LedgerEntry> entries) {}

  public Future<Credits> credits(String tenantId) {
    return LedgerRepository.balance(pool, tenantId)
        .compose(
            balance ->
                balance.isEmpty()
                    ? Future.failedFuture(DomainException.notFound("no tenant " + tenantId))
                    : repository
                        .entries(tenantId)
                        .map(e -> new Credits(tenantId, balance.get(), e)));
  }

  /** One page of the entry feed: what follows the cursor, and whether more follows. */
  public record Page(List<LedgerEntry> entries, long nextCursor, boolean hasMore) {}

  /**
   * Entries after {@code cursor}, in commit order. A cursor beyond the newest entry was never
   * issued (a typo, or another ledger's): refused, so no later entry is silently skipped.
   */
  public Future<Page> after(long cursor, int limit) {
    return repository
        .lastId()
        .compose(
            last -> {
              if (cursor > last) {
                return Future.failedFuture(
                    Input.invalid(
                        "after: cursor "
                            + cursor
                            + " was never issued (the newest entry is "
                            + last
                            + ")"));
              }
              return repository
                  .after(cursor, limit + 1)
                  .map(
                      rows -> {
                        List<LedgerEntry> page =
                            rows.size() > limit ? rows.subList(0, limit) : rows;
                        return new Page(
                            page,
                            page.isEmpty() ? cursor : page.get(page.size() - 1).id(),
                            rows.size() > limit);
                      });
            });
  }

  /** One tenant's line of a closed month: its fee, its credit, and why it got none. */
  public record Line(Tenant tenant, long feeKrw, long creditKrw, Optional<String> zeroReason) {}

  /**
   * The tenants of a closed month (every one, in id order, after {@code afterTenant}) as its latest
   * revision settles them.
   */
  public Future<List<Line>> lines(
      LedgerRepository.MonthClose close, YearMonth month, String afterTenant, int limit) {
    ContractMonth m = new ContractMonth(month, ZoneId.of(close.report().getString("timezone")));
    int pct = close.report().getInteger("credit_pct");
    return Future.all(
            TenantRepository.asOf(pool, m.end(), afterTenant, limit), PlanRepository.all(pool))
        .map(
            all -> {
              List<Tenant> tenants = all.resultAt(0);
              PriceList prices = all.resultAt(1);
              return billed(tenants, prices, m.end()).stream()
                  .map(
                      b ->
                          new Line(
                              b.tenant(),
                              b.feeKrw(),
                              Settlement.due(b, pct),
                              Settlement.zeroReason(b, pct)))
                  .toList();
            });
  }

  /** Where a month stands for one tenant. */
  public enum MonthState {
    CLOSED,
    IN_PROGRESS,
    AWAITING_CLOSE,
    NOT_MONITORED,
    NOT_A_TENANT;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One month as a tenant sees it: its figures (a closed month's stored report, else as it stands),
   * the tenant's fee and credit, and the ledger's net credit for it. A month before the tenant
   * existed or before monitoring began has no figures: nothing to credit, nobody watched.
   *
   * @param line the fee and credit due (for a month in progress: as if it ended now)
   * @param creditedKrw what the ledger holds for the month
   */
  public record TenantMonth(
      YearMonth month,
      MonthState state,
      Optional<JsonObject> report,
      Optional<Line> line,
      long creditedKrw) {}

  /** The last {@code count} months of a tenant, newest first. */
  public Future<List<TenantMonth>> tenantMonths(
      String tenantId, int count, Instant now, ZoneId zone) {
    Future<Optional<Instant>> monitored = LedgerRepository.monitoringSince(pool);
    Future<Optional<Instant>> tenantSince = new TenantRepository(pool, this, zone).since(tenantId);
    Future<PriceList> prices = PlanRepository.all(pool);
    Future<Map<String, Long>> credited = repository.creditsByMonth(tenantId);
    return Future.all(monitored, tenantSince, prices, credited)
        .compose(
            all -> {
              YearMonth current = YearMonth.from(now.atZone(zone));
              List<Future<TenantMonth>> months = new ArrayList<>();
              for (int i = 0; i < count; i++) {
                YearMonth month = current.minusMonths(i);
                ContractMonth m = new ContractMonth(month, zone);
                long held = credited.result().getOrDefault(month.toString(), 0L);
                if (monitored.result().isEmpty() || !monitored.result().get().isBefore(m.end())) {
                  months.add(
                      Future.succeededFuture(
                          new TenantMonth(
                              month,
                              MonthState.NOT_MONITORED,
                              Optional.empty(),
                              Optional.empty(),
                              held)));
                } else if (tenantSince.result().isEmpty()
                    || !tenantSince.result().get().isBefore(m.end())) {
                  months.add(
                      Future.succeededFuture(
                          new TenantMonth(
                              month,
                              MonthState.NOT_A_TENANT,
                              Optional.empty(),
                              Optional.empty(),
                              held)));
                } else {
                  months.add(tenantMonth(tenantId, month, m, prices.result(), held, now));
                }
              }
              return Future.all(months).map(f -> months.stream().map(Future::result).toList());
            });
  }

  private Future<TenantMonth> tenantMonth(
      String tenantId, YearMonth month, ContractMonth m, PriceList prices, long held, Instant now) {
    return LedgerRepository.report(pool, month, 0)
        .compose(
            closed -> {
              Future<JsonObject> report =
                  closed.isPresent()
                      ? Future.succeededFuture(closed.get().report())
                      : evaluate(pool, month, now, false).map(Evaluated::json);
              MonthState state =
                  closed.isPresent()
                      ? MonthState.CLOSED
                      : m.ended(now) ? MonthState.AWAITING_CLOSE : MonthState.IN_PROGRESS;
              Instant at = m.ended(now) ? m.end() : now;
              return report.compose(
                  json ->
                      TenantRepository.at(pool, tenantId, at)
                          .map(
                              tenant ->
                                  new TenantMonth(
                                      month,
                                      state,
                                      Optional.of(json),
                                      tenant.map(
                                          t -> {
                                            Settlement.Billed b =
                                                new Settlement.Billed(
                                                    t, prices.feeKrw(t, at.minusNanos(1)));
                                            int pct = json.getInteger("credit_pct");
                                            return new Line(
                                                t,
                                                b.feeKrw(),
                                                Settlement.due(b, pct),
                                                Settlement.zeroReason(b, pct));
                                          }),
                                      held)));
            });
  }
}
