package io.statusdesk.ledger;

import io.statusdesk.DomainException;
import io.statusdesk.Localized;
import io.statusdesk.notify.Outbox;
import io.statusdesk.sla.PolicyRules;
import io.statusdesk.sla.PolicyVersion;
import io.statusdesk.sla.SlaPolicy;
import io.statusdesk.store.ChangeLog;
import io.statusdesk.store.Sql;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL of SLA versions. Publishing is serialised so the 30-day rule is checked against what is
 * really in force.
 */
public final class PolicyRepository {
  private static final long PUBLISH_LOCK = 0x5D_5A_01L;
  private final Pool pool;

  public PolicyRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<List<PolicyVersion>> all() {
    return all(pool);
  }

  /**
   * Every version, oldest first. A row dated outside the years the service accepts (stored before
   * inputs were bounded, e.g. {@code infinity}) never takes effect and is left out, so it can never
   * stop the service from starting.
   */
  public static Future<List<PolicyVersion>> all(SqlClient client) {
    return client
        .query(
            """
            SELECT id, timezone, partial_weight_num, partial_weight_den, tiers, text_en, text_ko,
              published_at, effective_from
            FROM sla_policies
            WHERE effective_from >= '2000-01-01T00:00:00Z'
              AND effective_from < '2100-01-01T00:00:00Z'
            ORDER BY effective_from\
            """)
        .execute()
        .map(
            rows -> {
              List<PolicyVersion> out = new ArrayList<>();
              rows.forEach(r -> out.add(version(r)));
              return out;
            });
  }

  /**
   * Checks {@code proposed} as {@link #publish} would (against the version otherwise in force at
   * {@code effectiveFrom}, the 30-day rule included) without writing it; fails as publishing would.
   */
  public Future<Void> check(SlaPolicy proposed, Instant effectiveFrom, Instant now) {
    return all()
        .map(
            versions -> {
              PolicyRules.checkPublishable(
                  PolicyVersion.inForce(versions, effectiveFrom).orElseThrow().policy(),
                  proposed,
                  now,
                  effectiveFrom);
              return null;
            });
  }

  /**
   * Publishes {@code proposed} now, to apply from {@code effectiveFrom}, after checking it against
   * the version that would otherwise be in force then.
   */
  public Future<PolicyVersion> publish(
      SlaPolicy proposed, Localized text, Instant effectiveFrom, String actor, Instant now) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery("SELECT pg_advisory_xact_lock($1)")
                .execute(Tuple.of(PUBLISH_LOCK))
                .compose(v -> all(conn))
                .compose(
                    versions -> {
                      PolicyVersion before =
                          PolicyVersion.inForce(versions, effectiveFrom).orElseThrow();
                      PolicyRules.checkPublishable(before.policy(), proposed, now, effectiveFrom);
                      return conn.preparedQuery(
                              """
                              INSERT INTO sla_policies (timezone, partial_weight_num,
                                partial_weight_den, tiers, text_en, text_ko, published_at,
                                effective_from, published_by)
                              VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                              ON CONFLICT (effective_from) DO NOTHING
                              RETURNING id, timezone, partial_weight_num, partial_weight_den, tiers,
                                text_en, text_ko, published_at, effective_from\
                              """)
                          .execute(
                              Tuple.of(
                                  proposed.timezone().getId(),
                                  proposed.partialWeightNumerator(),
                                  proposed.partialWeightDenominator(),
                                  tiersJson(proposed),
                                  text.en(),
                                  text.ko(),
                                  Sql.ts(now),
                                  Sql.ts(effectiveFrom),
                                  actor))
                          .compose(
                              rows -> {
                                if (rows.size() == 0) {
                                  return Future.failedFuture(
                                      new DomainException(
                                          DomainException.Kind.CONFLICT,
                                          "effective_from: another version already takes effect at"
                                              + " that instant"));
                                }
                                PolicyVersion published = version(rows.iterator().next());
                                return Outbox.record(
                                        conn, LedgerNotices.slaPublished(before, published))
                                    .compose(
                                        x ->
                                            ChangeLog.audit(
                                                conn,
                                                actor,
                                                "sla.publish",
                                                "sla_policy",
                                                String.valueOf(published.id()),
                                                toJson(before),
                                                toJson(published),
                                                now))
                                    .map(published);
                              });
                    }));
  }

  public static JsonObject toJson(PolicyVersion v) {
    SlaPolicy p = v.policy();
    return new JsonObject()
        .put("id", v.id())
        .put("timezone", p.timezone().getId())
        .put(
            "partial_weight",
            BigDecimal.valueOf(p.partialWeightNumerator())
                .divide(BigDecimal.valueOf(p.partialWeightDenominator()))
                .toPlainString())
        .put("tiers", tiersJson(p))
        .put("text", v.text().en())
        .put("text_ko", v.text().ko())
        .put("published_at", v.publishedAt().toString())
        .put("effective_from", v.effectiveFrom().toString());
  }

  private static JsonArray tiersJson(SlaPolicy p) {
    JsonArray tiers = new JsonArray();
    p.tiers()
        .forEach(
            t ->
                tiers.add(
                    new JsonObject()
                        .put("min_mup", t.minMup().toPlainString())
                        .put("credit_pct", t.creditPct())));
    return tiers;
  }

  private static PolicyVersion version(Row r) {
    List<SlaPolicy.Tier> tiers = new ArrayList<>();
    ((JsonArray) r.getValue("tiers"))
        .forEach(
            o -> {
              JsonObject t = (JsonObject) o;
              tiers.add(
                  new SlaPolicy.Tier(
                      new BigDecimal(t.getString("min_mup")), t.getInteger("credit_pct")));
            });
    SlaPolicy policy =
        new SlaPolicy(
            ZoneId.of(r.getString("timezone")),
            r.getLong("partial_weight_num"),
            r.getLong("partial_weight_den"),
            tiers);
    return new PolicyVersion(
        r.getInteger("id"),
        policy,
        new Localized(r.getString("text_en"), r.getString("text_ko")),
        Sql.instant(r, "published_at"),
        Sql.instant(r, "effective_from"));
  }
}
